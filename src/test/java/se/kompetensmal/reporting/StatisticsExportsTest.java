package se.kompetensmal.reporting;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.ExportedWorkbook;
import se.kompetensmal.web.FileNames;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the leaders take away from the statistics: the trend chart (months named, a scale for each series, overdue drawn
 * apart by pattern), the PDF (long names whole, yes/no as Ja/Nej), the workbook (numbers, shares and dates typed) and
 * file names that say what they hold. A region "Region Åsö" with one unit of a long name: six nurses who started a year
 * ago, under an introduction routine due 30 days after their start; two of them completed it.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatisticsExportsTest extends ServiceTest {

    private static final String INTRO = "vardskador-grunder";
    private static final String LONG_NAME =
            "Avdelningen för långvarig medicinsk rehabilitering och palliativ vård i hemmet, östra länsdelen";

    @Inject
    Completions completions;

    @Inject
    ModuleTitles titles;

    private final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    private long regionId;
    private String leader;

    @BeforeAll
    void aRegionWithALongUnitName() {
        String p = "EXPO" + System.nanoTime();
        regionId = tree.add(p, "Region Åsö", OrgNodeKind.REGION, null).id();
        long unit = tree.add(p + "-U", LONG_NAME, OrgNodeKind.UNIT, regionId).id();
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, regionId));
        leader = users.token(users.account(p + "-ledare", null, Role.LEADER, regionId));
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + regionId + "/routines",
                new RoutineForm("Introduktion legitimerade", RoutineKind.INTRODUCTION, "LICENSED", List.of(INTRO), 30,
                        CountsFrom.ORG_START, null, null, null, DocumentationLevel.DOCUMENTED, "RD 1", null, null))
                .bearerAuth(coordinator));
        LocalDate start = today.minusYears(1);
        long version = sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", INTRO);
        for (int i = 1; i <= 6; i++) {
            long person = people.create(p.substring(4) + "-" + i, "Exportperson", "N" + i, null, unit, start, start, "LICENSED");
            if (i <= 2) {
                completions.record(person, version, start.plusDays(10), 90, null, Completions.Source.INTERNAL);
            }
        }
        recomputeUnder(regionId, coordinator);
    }

    @Test
    void theTrendChartNamesItsMonthsHasAScaleForEachSeriesAndDrawsOverdueDashed() {
        LeadershipReport.Report report = report();
        String page = page();
        String svg = page.substring(page.indexOf("<svg viewBox=\"0 0 " + TrendChart.WIDTH + " " + TrendChart.HEIGHT + "\""), page.indexOf("</svg>", page.indexOf("class=\"trend\"")));

        // Every third month is named under its column, counted back from this month, month above year: "dec 2026".
        List<LeadershipReport.TrendPoint> trend = report.trend();
        for (int i = trend.size() - 1; i >= 0; i -= TrendChart.LABEL_EVERY) {
            String[] month = TrendChart.month(trend.get(i).monthEnd()).split(" ");
            assertTrue(Pattern.compile("class=\"tick month-label\"><tspan[^>]*>" + month[0] + "</tspan> <tspan[^>]*>" + month[1]
                    + "</tspan>").matcher(svg).find(), month[0] + " " + month[1] + " under its column: " + svg);
        }
        assertEquals(8, count(svg, "class=\"tick month-label\""), "24 months, every third named");
        assertTrue(svg.contains("<title>" + TrendChart.month(today) + ": 0 genomföranden</title>"), "each column says its month");

        // The count scale on the left (0 up to four steps above the most completions) and the percentage scale on the right.
        assertTrue(svg.contains("class=\"axis count-axis\"") && svg.contains("class=\"axis percent-axis\""), svg);
        long most = trend.stream().mapToLong(t -> t.completions().numerator()).max().orElseThrow();
        assertEquals(2, most, "the two completions a year ago, in one month");
        List<String> counts = texts(svg, "tick count-tick end");
        assertEquals(List.of("0", "1", "2", "3", "4"), counts, "steps of one up to four, above the two completions");
        assertEquals(List.of("0 %", "25 %", "50 %", "75 %", "100 %"), texts(svg, "tick percent-tick"));

        // Overdue: its own dashed line with square markers, not the solid line of the introductions done.
        assertTrue(Pattern.compile("<polyline points=\"[^\"]+\" class=\"line overdue-line\" stroke-dasharray=\"\\d+ \\d+\">")
                .matcher(svg).find(), svg);
        assertTrue(Pattern.compile("<polyline points=\"[^\"]+\" class=\"line introduction-line\">").matcher(svg).find(), svg);
        LeadershipReport.TrendPoint now = trend.get(trend.size() - 1);
        assertEquals(Share.of(4, 6), now.overdue(), "the four nurses without their introduction are overdue now");
        assertEquals(report.total().overdue(), now.overdue(), "this month's overdue is the overview's");
        assertTrue(svg.contains("<title>" + TrendChart.month(today) + ": försenade 67 % (4 av 6)</title>"), svg);
        assertTrue(svg.contains("class=\"overdue-point\""), "square markers on the overdue line");
        // Month by month: nobody before the introduction fell due 30 days after the start; from then on the four who have
        // not done it (the two who have did it on day 10, in time).
        LocalDate due = today.minusYears(1).plusDays(30);
        for (LeadershipReport.TrendPoint point : trend) {
            assertEquals(point.monthEnd().isAfter(due) ? Share.of(4, 6) : Share.of(0, 6), point.overdue(), point.toString());
        }

        // The legend says which is which, and the chart is an image with a title and a description.
        assertTrue(page.contains("Försenade vid månadens slut (streckad linje med fyrkanter, höger skala: %)"), page);
        assertTrue(svg.contains("role=\"img\" aria-labelledby=\"trend-title trend-desc\""), svg);
        // Overdue bars in the tables are striped as well as red.
        assertTrue(page.contains("class=\"bar-value bar-overdue\" fill=\"url(#monster-forsenade)\""), "striped overdue bars");
        assertTrue(page.contains("<pattern id=\"monster-forsenade\""), page);
    }

    @Test
    void thePageShowsTheKeyFiguresFirst() {
        String page = page();
        int keyFigures = page.indexOf("class=\"figures key-figures\"");
        assertTrue(keyFigures > 0 && keyFigures < page.indexOf("<h2 id=\"oversikt\">"), "the key figures come before the tables");
        String figures = page.substring(keyFigures, page.indexOf("</ul>", keyFigures));
        assertTrue(figures.contains("Försenade</span> <span class=\"figure\">67 %</span> <span class=\"counted\">4 av 6</span>"),
                figures);
        assertTrue(figures.contains("Introduktion klar</span> <span class=\"figure\">33 %</span>"), figures);
        // Goals with their text, and the modules that cover them by title, never by code.
        assertTrue(page.contains("<code>LIC-01</code> <span class=\"help\">" + goalText("LIC-01") + "</span>"),
                "the goal's text beside its code");
        assertTrue(page.contains(titles.of(INTRO)), "the module by its title");
        assertFalse(page.contains(INTRO), "no module code on the page");
    }

    @Test
    void thePdfPrintsLongNamesWholeAndYesOrNoAsJaOrNej() throws IOException {
        HttpResponse<byte[]> pdf = download("pdf");

        assertEquals("attachment; filename=\"statistik-region-aso-" + today + ".pdf\"", pdf.header("Content-Disposition"));
        String text;
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
        assertTrue(text.contains(LONG_NAME), "the unit's name in full, on as many lines as it needs: " + text);
        // One huvudman: its routines answered yes or no, not as a share of one.
        assertTrue(text.contains("Legitimerad hälso- och sjukvårdspersonal: introduktion Rutin finns: Ja · Dokumenterad: Ja · "
                + "I ledningssystemet: Nej"), text);
        assertTrue(text.contains("fortbildning Rutin finns: Nej · Dokumenterad: Nej · I ledningssystemet: Nej"), text);
        assertFalse(text.contains("100 % (1 av 1)"), text);
        assertTrue(text.contains("Försenade vid varje månads slut"), text);
    }

    @Test
    void theWorkbookHasSwedishHeadersNumbersPercentagesAndDates() throws IOException {
        HttpResponse<byte[]> xlsx = download("xlsx");

        assertEquals("attachment; filename=\"statistik-region-aso-" + today + ".xlsx\"", xlsx.header("Content-Disposition"));
        try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            assertEquals("Statistik", workbook.getFirstSheet().getName());
        }
        List<Row> rows = ExportedWorkbook.rows(xlsx.body());
        assertEquals(ReportExport.EXCEL_HEADER, rows.get(0).stream().map(c -> c.getText()).toList());
        Map<String, Integer> column = Map.of("Månad", 1, "Mått", 4, "Antal", 5, "Av", 6, "Andel", 7, "Visas som", 8,
                "Beräknad för", 9);
        Row overdue = rows.stream().filter(r -> r.getCell(0).getText().equals("översikt")
                && r.getCell(2).getText().equals("Region Åsö") && r.getCell(4).getText().equals("försenade")).findFirst().orElseThrow();
        assertEquals(CellType.NUMBER, overdue.getCell(column.get("Antal")).getType());
        assertEquals(4, overdue.getCell(column.get("Antal")).asNumber().intValue());
        assertEquals(6, overdue.getCell(column.get("Av")).asNumber().intValue());
        assertEquals(CellType.NUMBER, overdue.getCell(column.get("Andel")).getType(), "the share is a number");
        assertEquals(4.0 / 6, overdue.getCell(column.get("Andel")).asNumber().doubleValue(), 1e-9);
        assertTrue(overdue.getCell(column.get("Andel")).getDataFormatString().contains("%"), "shown as a percentage");
        assertEquals("67 %", overdue.getCell(column.get("Visas som")).getText());
        assertEquals(CellType.NUMBER, overdue.getCell(column.get("Beräknad för")).getType(), "a date cell");
        assertEquals(today, overdue.getCell(column.get("Beräknad för")).asDate().toLocalDate());

        Row month = rows.stream().filter(r -> r.getCell(0).getText().equals("trend")
                && r.getCell(4).getText().equals("försenade vid månadens slut")).reduce((a, b) -> b).orElseThrow();
        assertEquals(today.withDayOfMonth(today.lengthOfMonth()), month.getCell(column.get("Månad")).asDate().toLocalDate(),
                "the trend's month is a date of its own");
        assertTrue(month.getCell(column.get("Månad")).getDataFormatString().contains("yyyy"));
    }

    @Test
    void theCsvIsNamedForTheRegionAndTheDay() {
        HttpResponse<byte[]> csv = download("csv");
        assertEquals("attachment; filename=\"statistik-region-aso-" + today + ".csv\"", csv.header("Content-Disposition"));
    }

    @Test
    void fileNamesAreAsciiWordsOfTheName() {
        LocalDate day = LocalDate.of(2026, 12, 1);
        assertEquals("statistik-medicinkliniken-2026-12-01.pdf", FileNames.of("statistik", "Medicinkliniken", day, "pdf"));
        assertEquals("statistik-region-ostra-gotaland-vardcentral-a-2026-12-01.xlsx",
                FileNames.of("statistik", "Region Östra Götaland – Vårdcentral Ä", day, "xlsx"));
        assertEquals("statistik-organisation-2026-12-01.csv", FileNames.of("statistik", "王小明", day, "csv"));
    }

    private String goalText(String code) {
        // As the page escapes it.
        return sql.strings("SELECT text_sv FROM competence_goal WHERE code = ?", code).get(0).replace("&", "&amp;")
                .replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#x27;").replace("=", "&#x3D;")
                .replace("`", "&#x60;");
    }

    private LeadershipReport.Report report() {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + regionId + "/statistics").bearerAuth(leader),
                LeadershipReport.Report.class);
    }

    private String page() {
        return http.toBlocking().retrieve(HttpRequest.GET("/organisationer/" + regionId + "/statistik").cookie(Cookie.of("JWT", leader)));
    }

    private HttpResponse<byte[]> download(String extension) {
        return http.toBlocking().exchange(HttpRequest.GET("/organisationer/" + regionId + "/statistik." + extension)
                .cookie(Cookie.of("JWT", leader)), byte[].class);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /** The texts of the SVG text elements of a class, in order. */
    private static List<String> texts(String svg, String cssClass) {
        Matcher m = Pattern.compile("class=\"" + Pattern.quote(cssClass) + "\">([^<]*)</text>").matcher(svg);
        List<String> texts = new java.util.ArrayList<>();
        while (m.find()) {
            texts.add(m.group(1));
        }
        return texts;
    }
}
