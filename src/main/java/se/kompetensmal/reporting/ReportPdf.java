package se.kompetensmal.reporting;

import jakarta.inject.Singleton;
import se.kompetensmal.web.PdfDocument;

import java.util.List;
import java.util.function.Function;

/** The leaders' report as a PDF for the patient-safety report: the same figures as the page, with its bar charts. */
@Singleton
public class ReportPdf {

    public byte[] render(LeadershipReport.Report report) {
        try (PdfDocument pdf = new PdfDocument("Statistik – " + report.nodeName())) {
            pdf.paragraph("Patientsäkerhetsutbildning – " + report.nodeName(), 18, 4);
            pdf.paragraph("Beräknad för " + report.computedFor() + ", siffror per " + report.figuresAt() + ". Aktiva personer räknas, en person med flera målgrupper i var "
                    + "och en. Grupper med färre än 5 personer visas som \"färre än 5\", och en grupp som annars kunde räknas fram ur "
                    + "totalen och de andra grupperna som \"dold\". Andelarna anges med vad som räknades.", 9, 12);
            chart(pdf, "Introduktion klar, per målgrupp", report.audiences(), LeadershipReport.Figures::introduction);
            chart(pdf, "Introduktion klar i tid, per målgrupp", report.audiences(), LeadershipReport.Figures::introductionOnTime);
            chart(pdf, "Aktuell fortbildning, per målgrupp", report.audiences(), LeadershipReport.Figures::continuingCurrent);
            chart(pdf, "Försenade, per målgrupp", report.audiences(), LeadershipReport.Figures::overdue, true);
            if (!report.subUnits().isEmpty()) {
                chart(pdf, "Introduktion klar, per underliggande enhet", report.subUnits(), LeadershipReport.Figures::introduction);
                chart(pdf, "Försenade, per underliggande enhet", report.subUnits(), LeadershipReport.Figures::overdue, true);
            }
            pdf.line("Introduktion klar vid varje månads slut, senaste 24 månaderna", 12, 4);
            report.trend().forEach(p -> pdf.bar(p.monthEnd().toString().substring(0, 7) + (p.estimated() ? "*" : "") + " (" + (p.completions().withheld()
                    ? "genomföranden visas inte" : p.completions().shown() + " genomföranden") + ")",
                    p.introductionDone().percent(), label(p.introductionDone())));
            pdf.line("", 10, 8);
            pdf.line("Försenade vid varje månads slut, senaste 24 månaderna", 12, 4);
            report.trend().forEach(p -> pdf.bar(p.monthEnd().toString().substring(0, 7) + (p.estimated() ? "*" : ""), p.overdue().percent(), label(p.overdue()), true));
            if (report.trend().stream().anyMatch(LeadershipReport.TrendPoint::estimated)) {
                pdf.paragraph("* Andelen räknades i efterhand, med personalen när siffrorna först sammanställdes.", 9, 2);
            }
            pdf.line("", 10, 8);
            pdf.line("Kompetensmål: andel med giltigt genomförande", 12, 4);
            report.goals().stream().filter(a -> !a.headcount().fewerThanFive() && a.headcount().numerator() != null
                    && a.headcount().numerator() > 0).forEach(audience -> {
                pdf.paragraph(audience.audienceName() + " (" + audience.uncovered() + " mål täcks inte av någon rutin)", 10, 2);
                audience.goals().forEach(goal -> pdf.bar(goal.code() + " " + goal.text() + (goal.owner() == null ? "" : " [" + goal.owner() + "]") + (goal.covered() ? "" : " – ingen rutin"),
                        goal.holders().percent(), label(goal.holders())));
                pdf.line("", 9, 4);
            });
            pdf.line("Rutiner för utbildning i patientsäkerhet (" + (report.matrix().single() ? "huvudmannens"
                    : "andel av " + report.matrix().organisations() + " huvudmän") + ")", 12, 4);
            if (report.matrix().single()) {
                // One huvudman: each answer is yes or no, as in the survey, not a share of one.
                report.matrix().rows().forEach(row -> {
                    pdf.row(row.audienceName() + ": introduktion", answers(row.introduction()));
                    pdf.row(row.audienceName() + ": fortbildning", answers(row.continuing()));
                });
            } else {
                report.matrix().rows().forEach(row -> {
                    pdf.bar(row.audienceName() + ": introduktion, rutin finns", row.introduction().exists().percent(),
                            label(row.introduction().exists()));
                    pdf.bar(row.audienceName() + ": fortbildning, rutin finns", row.continuing().exists().percent(),
                            label(row.continuing().exists()));
                });
            }
            return pdf.bytes();
        }
    }

    private static void chart(PdfDocument pdf, String heading, List<LeadershipReport.Figures> groups,
                              Function<LeadershipReport.Figures, Share> figure) {
        chart(pdf, heading, groups, figure, false);
    }

    /** A bar per group; overdue ones drawn apart ({@link PdfDocument#bar(String, Integer, String, boolean)}). */
    private static void chart(PdfDocument pdf, String heading, List<LeadershipReport.Figures> groups,
                              Function<LeadershipReport.Figures, Share> figure, boolean overdue) {
        pdf.line(heading, 12, 4);
        groups.forEach(g -> pdf.bar(g.label(), figure.apply(g).percent(), label(figure.apply(g)), overdue));
        pdf.line("", 10, 8);
    }

    /** "Rutin finns: Ja · Dokumenterad: Ja · I ledningssystemet: Nej". */
    static String answers(RoutineMatrix.Answers answers) {
        return "Rutin finns: " + yesNo(answers.exists()) + " · Dokumenterad: " + yesNo(answers.documented())
                + " · I ledningssystemet: " + yesNo(answers.managementSystem());
    }

    /** A share of one huvudman: Ja or Nej. */
    static String yesNo(Share share) {
        return share.numerator() != null && share.numerator() > 0 ? "Ja" : "Nej";
    }

    private static String label(Share share) {
        return share.counted().isEmpty() ? share.shown() : share.shown() + " (" + share.counted() + ")";
    }
}
