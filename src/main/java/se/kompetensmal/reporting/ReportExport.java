package se.kompetensmal.reporting;

import jakarta.inject.Singleton;
import se.kompetensmal.web.CsvText;
import se.kompetensmal.web.Spreadsheet;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as one table for spreadsheets: a row per figure, with what it is about, what was counted and the share, so
 * that every number can be checked and charted again. Small groups stay "färre än 5" here too.
 */
@Singleton
public class ReportExport {

    static final List<String> HEADER = List.of("avsnitt", "organisation", "målgrupp", "mått", "täljare", "nämnare", "andel_procent",
            "visas_som", "beräknad_för");

    public String csv(LeadershipReport.Report report) {
        StringBuilder csv = new StringBuilder(CsvText.header(HEADER.toArray(String[]::new)));
        for (List<Object> row : rows(report)) {
            csv.append(CsvText.row(row));
        }
        return csv.toString();
    }

    public byte[] excel(LeadershipReport.Report report) {
        return Spreadsheet.of("Statistik", HEADER, rows(report));
    }

    List<List<Object>> rows(LeadershipReport.Report report) {
        List<List<Object>> rows = new ArrayList<>();
        LocalDate date = report.computedFor();
        figures(rows, "översikt", report.total(), "alla målgrupper", date);
        report.audiences().forEach(f -> figures(rows, "översikt", f.withLabel(report.nodeName()), f.label(), date));
        report.subUnits().forEach(f -> figures(rows, "underliggande enhet", f, "alla målgrupper", date));
        report.trend().forEach(point -> {
            rows.add(row("trend " + point.monthEnd(), report.nodeName(), "alla målgrupper", "genomföranden under månaden",
                    point.completions(), date));
            rows.add(row("trend " + point.monthEnd(), report.nodeName(), "alla målgrupper", "introduktion klar vid månadens slut",
                    point.introductionDone(), date));
        });
        report.goals().forEach(audience -> audience.goals().forEach(goal -> rows.add(row("kompetensmål " + goal.code()
                        + (goal.covered() ? " (täcks av rutin)" : " (täcks inte av någon rutin)"), report.nodeName(),
                audience.audienceName(), "har giltigt genomförande", goal.holders(), date))));
        report.matrix().rows().forEach(row -> {
            matrix(rows, report, row.audienceName(), "introduktion", row.introduction(), date);
            matrix(rows, report, row.audienceName(), "fortbildning", row.continuing(), date);
        });
        return rows;
    }

    private static void figures(List<List<Object>> rows, String section, LeadershipReport.Figures f, String audience, LocalDate date) {
        rows.add(row(section, f.label(), audience, "personer", f.headcount(), date));
        rows.add(row(section, f.label(), audience, "introduktion klar", f.introduction(), date));
        rows.add(row(section, f.label(), audience, "introduktion klar i tid", f.introductionOnTime(), date));
        rows.add(row(section, f.label(), audience, "aktuell fortbildning", f.continuingCurrent(), date));
        rows.add(row(section, f.label(), audience, "försenade", f.overdue(), date));
    }

    private static void matrix(List<List<Object>> rows, LeadershipReport.Report report, String audience, String kind,
                               RoutineMatrix.Answers answers, LocalDate date) {
        String section = "rutiner (andel av " + report.matrix().organisations() + " huvudmän)";
        rows.add(row(section, report.nodeName(), audience, kind + ": rutin finns", answers.exists(), date));
        rows.add(row(section, report.nodeName(), audience, kind + ": dokumenterad", answers.documented(), date));
        rows.add(row(section, report.nodeName(), audience, kind + ": del av ledningssystemet", answers.managementSystem(), date));
    }

    private static List<Object> row(String section, String organisation, String audience, String measure, Share share, LocalDate date) {
        List<Object> row = new ArrayList<>();
        row.add(section);
        row.add(organisation);
        row.add(audience);
        row.add(measure);
        row.add(share.numerator());
        row.add(share.denominator());
        row.add(share.percent());
        row.add(share.shown());
        row.add(date);
        return row;
    }
}
