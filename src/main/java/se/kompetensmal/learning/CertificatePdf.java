package se.kompetensmal.learning;

import jakarta.inject.Singleton;
import se.kompetensmal.web.PdfDocument;

import java.util.Map;

/** A certificate as a one-page A4 PDF, in the learner's language. */
@Singleton
public class CertificatePdf {

    public byte[] render(Certificates.Certificate certificate, Map<String, String> t) {
        try (PdfDocument pdf = new PdfDocument(t.get("certificateTitle") + " – " + certificate.moduleTitle())) {
            pdf.line(t.get("certificateTitle"), 26, 14);
            pdf.line(certificate.name(), 18, 6);
            pdf.line(t.get("hsaId") + ": " + certificate.hsaId(), 11, 22);
            pdf.paragraph(t.get("certificateHasCompleted"), 11, 8);
            pdf.paragraph(certificate.moduleTitle(), 16, 12);
            // The module by its title (above) and version; its code is for machines and is not printed.
            pdf.line(t.get("version") + ": " + certificate.version(), 11, 4);
            pdf.line(t.get("completedOn") + ": " + certificate.completedOn(), 11, 4);
            if (certificate.kind() != null) {
                // Done elsewhere: the certificate says how it came to count (a session, registered with evidence, the
                // previous system), so that nobody reads it as an assessment passed here.
                pdf.paragraph(t.get("certificateKind") + ": " + certificate.kind(), 11, 4);
            }
            if (certificate.score() != null) {
                pdf.line(t.get("score") + ": " + certificate.score() + " %", 11, 4);
            }
            if (certificate.validUntil() != null) {
                pdf.line(t.get("validUntil") + ": " + certificate.validUntil(), 11, 4);
            }
            pdf.line("", 11, 10);
            pdf.line(t.get("goalsCovered"), 13, 6);
            for (ModuleVersions.Goal goal : certificate.goals()) {
                pdf.paragraph(goal.code() + " – " + goal.text(), 10, 4);
            }
            pdf.line("", 11, 16);
            pdf.paragraph(t.get("certificateFooter") + " " + certificate.completionId() + ".", 9, 0);
            return pdf.bytes();
        }
    }
}
