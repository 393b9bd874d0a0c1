package se.kompetensmal.reporting;

import io.micronaut.core.annotation.Nullable;
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
    /** The spreadsheet's columns, as people read them; the month is a date of its own there, for sorting and charting. */
    static final List<String> EXCEL_HEADER = List.of("Avsnitt", "Månad", "Organisation", "Målgrupp", "Mått", "Antal", "Av",
            "Andel", "Visas som", "Beräknad för");
    static final String SHEET = "Statistik";

    /** One figure of the report, with what it is about. */
    record Line(String section, @Nullable LocalDate month, String organisation, String audience, String measure, Share share,
                LocalDate computedFor) {
    }

    public String csv(LeadershipReport.Report report) {
        StringBuilder csv = new StringBuilder(CsvText.header(HEADER.toArray(String[]::new)));
        for (List<Object> row : rows(report)) {
            csv.append(CsvText.row(row));
        }
        return csv.toString();
    }

    /**
     * The report as a workbook: counts as numbers, the share as a number formatted as a percentage, dates as dates. A
     * withheld figure leaves its cells empty and says why under "Visas som".
     */
    public byte[] excel(LeadershipReport.Report report) {
        List<List<Object>> rows = new ArrayList<>();
        for (Line line : lines(report)) {
            Share share = line.share();
            List<Object> row = new ArrayList<>();
            row.add(line.section());
            row.add(line.month());
            row.add(line.organisation());
            row.add(line.audience());
            row.add(line.measure());
            row.add(share.numerator());
            row.add(share.denominator());
            row.add(share.withheld() || share.numerator() == null || share.denominator() == null || share.denominator() == 0
                    ? null : new Spreadsheet.Percent((double) share.numerator() / share.denominator()));
            row.add(share.shown());
            row.add(line.computedFor());
            rows.add(row);
        }
        return Spreadsheet.of(SHEET, EXCEL_HEADER, rows);
    }

    /** The rows of the CSV, as before: the month is part of the section ("trend 2026-01-31"). */
    List<List<Object>> rows(LeadershipReport.Report report) {
        List<List<Object>> rows = new ArrayList<>();
        for (Line line : lines(report)) {
            Share share = line.share();
            List<Object> row = new ArrayList<>();
            row.add(line.month() == null ? line.section() : line.section() + " " + line.month());
            row.add(line.organisation());
            row.add(line.audience());
            row.add(line.measure());
            row.add(share.numerator());
            row.add(share.denominator());
            row.add(share.percent());
            row.add(share.shown());
            row.add(line.computedFor());
            rows.add(row);
        }
        return rows;
    }

    List<Line> lines(LeadershipReport.Report report) {
        List<Line> lines = new ArrayList<>();
        LocalDate date = report.computedFor();
        figures(lines, "översikt", report.total(), "alla målgrupper", date);
        report.audiences().forEach(f -> figures(lines, "översikt", f.withLabel(report.nodeName()), f.label(), date));
        report.subUnits().forEach(f -> figures(lines, "underliggande enhet", f, "alla målgrupper", date));
        report.trend().forEach(point -> {
            // A share counted afterwards with later people says so in its own words, where a reader of the file sees it.
            String afterwards = point.estimated() ? " (räknad i efterhand)" : "";
            lines.add(new Line("trend", point.monthEnd(), report.nodeName(), "alla målgrupper", "genomföranden under månaden",
                    point.completions(), date));
            lines.add(new Line("trend", point.monthEnd(), report.nodeName(), "alla målgrupper",
                    "introduktion klar vid månadens slut" + afterwards, point.introductionDone(), date));
            lines.add(new Line("trend", point.monthEnd(), report.nodeName(), "alla målgrupper",
                    "försenade vid månadens slut" + afterwards, point.overdue(), date));
        });
        report.goals().forEach(audience -> audience.goals().forEach(goal -> lines.add(new Line("kompetensmål " + goal.code()
                + " " + goal.text() + (goal.owner() == null ? "" : " [" + goal.owner() + "]") + (goal.covered() ? " (täcks av rutin)" : " (täcks inte av någon rutin)"), null,
                report.nodeName(), audience.audienceName(), "har giltigt genomförande", goal.holders(), date))));
        report.matrix().rows().forEach(row -> {
            matrix(lines, report, row.audienceName(), "introduktion", row.introduction(), date);
            matrix(lines, report, row.audienceName(), "fortbildning", row.continuing(), date);
        });
        return lines;
    }

    private static void figures(List<Line> lines, String section, LeadershipReport.Figures f, String audience, LocalDate date) {
        lines.add(new Line(section, null, f.label(), audience, "personer", f.headcount(), date));
        lines.add(new Line(section, null, f.label(), audience, "introduktion klar", f.introduction(), date));
        lines.add(new Line(section, null, f.label(), audience, "introduktion klar i tid", f.introductionOnTime(), date));
        lines.add(new Line(section, null, f.label(), audience, "aktuell fortbildning", f.continuingCurrent(), date));
        lines.add(new Line(section, null, f.label(), audience, "försenade", f.overdue(), date));
    }

    private static void matrix(List<Line> lines, LeadershipReport.Report report, String audience, String kind,
                               RoutineMatrix.Answers answers, LocalDate date) {
        String section = "rutiner (andel av " + report.matrix().organisations() + " huvudmän)";
        lines.add(new Line(section, null, report.nodeName(), audience, kind + ": rutin finns", answers.exists(), date));
        lines.add(new Line(section, null, report.nodeName(), audience, kind + ": dokumenterad", answers.documented(), date));
        lines.add(new Line(section, null, report.nodeName(), audience, kind + ": del av ledningssystemet",
                answers.managementSystem(), date));
    }
}
