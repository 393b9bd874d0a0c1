package se.kompetensmal.learning;

import jakarta.inject.Singleton;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A certificate as a one-page A4 PDF, in the learner's language. */
@Singleton
public class CertificatePdf {

    // PDFBox carries Liberation Sans, which has every letter of Swedish and English: no font has to be installed.
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final float MARGIN = 60;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;

    public byte[] render(Certificates.Certificate certificate, Map<String, String> t) {
        try (PDDocument document = new PDDocument(); InputStream font = getClass().getResourceAsStream(FONT)) {
            PDFont regular = PDType0Font.load(document, font);
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle(t.get("certificateTitle") + " – " + certificate.moduleTitle());
            info.setAuthor("Kompetensmål");
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                Writer writer = new Writer(content, regular, PDRectangle.A4.getHeight() - MARGIN);
                writer.line(t.get("certificateTitle"), 26, 14);
                writer.line(certificate.name(), 18, 6);
                writer.line(t.get("hsaId") + ": " + certificate.hsaId(), 11, 22);
                writer.paragraph(t.get("certificateHasCompleted"), 11, 8);
                writer.paragraph(certificate.moduleTitle(), 16, 12);
                writer.line(t.get("module") + ": " + certificate.moduleCode() + ", " + t.get("version").toLowerCase() + " "
                        + certificate.version(), 11, 4);
                writer.line(t.get("completedOn") + ": " + certificate.completedOn(), 11, 4);
                if (certificate.score() != null) {
                    writer.line(t.get("score") + ": " + certificate.score() + " %", 11, 4);
                }
                if (certificate.validUntil() != null) {
                    writer.line(t.get("validUntil") + ": " + certificate.validUntil(), 11, 4);
                }
                writer.line("", 11, 10);
                writer.line(t.get("goalsCovered"), 13, 6);
                for (ModuleVersions.Goal goal : certificate.goals()) {
                    writer.paragraph(goal.code() + "  " + goal.text(), 10, 4);
                }
                writer.line("", 11, 16);
                writer.paragraph(t.get("certificateFooter") + " " + certificate.completionId() + ".", 9, 0);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes lines downwards from the top of the page, wrapping paragraphs at the margin. */
    private static final class Writer {
        private final PDPageContentStream content;
        private final PDFont font;
        private float y;

        Writer(PDPageContentStream content, PDFont font, float top) {
            this.content = content;
            this.font = font;
            this.y = top;
        }

        void line(String text, float size, float spaceAfter) throws IOException {
            y -= size * 1.25f;
            content.beginText();
            content.setFont(font, size);
            content.newLineAtOffset(MARGIN, y);
            content.showText(text);
            content.endText();
            y -= spaceAfter;
        }

        void paragraph(String text, float size, float spaceAfter) throws IOException {
            List<String> lines = wrap(text, size);
            for (int i = 0; i < lines.size(); i++) {
                line(lines.get(i), size, i == lines.size() - 1 ? spaceAfter : 0);
            }
        }

        private List<String> wrap(String text, float size) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String word : text.split("\\s+")) {
                String candidate = current.isEmpty() ? word : current + " " + word;
                if (!current.isEmpty() && font.getStringWidth(candidate) / 1000 * size > WIDTH) {
                    lines.add(current.toString());
                    current = new StringBuilder(word);
                } else {
                    current = new StringBuilder(candidate);
                }
            }
            lines.add(current.toString());
            return lines;
        }
    }
}
