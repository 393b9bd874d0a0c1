package se.kompetensmal.browser;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.reporting.LeadershipReport;
import se.kompetensmal.reporting.Share;
import se.kompetensmal.reporting.TrendChart;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser: the demo leader signs in, follows links from the start page to the statistics of her region, finds
 * the charts there with text alternatives and the same figures as the JSON the page is made from, drills down to the
 * first of the units under the region, opens the figures behind the trend chart, and downloads the report as a PDF (its
 * text naming the region, a chart heading and the day) and as CSV. The trend chart names its months, has a scale for
 * each series and draws overdue dashed in its own colour. Groups of fewer than five people show only that, and on a
 * phone-sized window the page fits without scrolling sideways, with the key figures in view at the top. Screenshots of every page go to target/screenshots;
 * every page is scanned with axe-core, which must find no WCAG 2.1 A/AA violation, and the scans are written to
 * target/accessibility/leader.txt.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.demo-data", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaderBrowserTest extends ServiceTest {

    private static final String LEADER = "ledare";
    private static final String PASSWORD = "Demo-ledare-2026";
    private static final String REGION_CODE = "SE2321000999";
    private static final String LICENSED = "LICENSED";
    private static final String FEWER_THAN_FIVE = "färre än 5";

    /** The columns of the figures tables, each with the share of the report it shows. */
    private static final Map<String, Function<LeadershipReport.Figures, Share>> COLUMNS = columns();

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("leader");

    @Test
    void leaderSeesTheChartsDrillsDownAndDownloadsThePdf() throws Exception {
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        String region = sql.strings("SELECT name FROM org_node WHERE code = ?", REGION_CODE).get(0);
        long regionId = sql.number("SELECT id FROM org_node WHERE code = ?", REGION_CODE);
        String base = server.getURL().toString().replaceFirst("/$", "");
        // The routines' assignments and the demo history's completions are computed in the background after startup.
        sql.awaitRecomputations();

        try (Browser browser = new Browser()) {
            WebDriver driver = browser.driver();

            // 1. From the start page to the region's statistics, by following links.
            browser.signIn(base, LEADER, PASSWORD);
            assertTrue(browser.heading().startsWith("Välkommen"), browser.heading());
            assertTrue(browser.text().contains("Dina organisationer"), browser.text());
            browser.clickLink(region);
            browser.waitForHeading(region);
            browser.clickLink("Statistik");
            browser.waitForHeading("Statistik för " + region);
            assertTrue(driver.getCurrentUrl().endsWith("/organisationer/" + regionId + "/statistik"), driver.getCurrentUrl());
            pages.visited(browser, "leader-01-statistics");
            LeadershipReport.Report report = json(driver, regionId);
            assertEquals(today, report.computedFor());
            assertTrue(browser.text().contains("Beräknad för " + today), browser.text());

            // 2. The charts, with text alternatives, and beside the bars the figures of the report.
            WebElement trend = driver.findElement(By.cssSelector("svg.trend"));
            assertEquals("img", trend.getAttribute("role"));
            String title = driver.findElement(By.id("trend-title")).getAttribute("textContent").trim();
            String description = driver.findElement(By.id("trend-desc")).getAttribute("textContent").trim();
            assertFalse(title.isEmpty(), "the trend chart's title");
            assertFalse(description.isEmpty(), "the trend chart's description");
            // Named by its title and its description together, which screen readers announce more reliably than a description.
            assertEquals(flat(title + " " + description), flat(trend.getAccessibleName()), "the trend chart's accessible name");
            assertEquals(report.trend().size(), trend.findElements(By.cssSelector("rect.column")).size(), "a column per month");
            // The months named under the columns, every third counted back from this month, as a leader reads them.
            List<String> monthLabels = trend.findElements(By.cssSelector("text.month-label")).stream()
                    .map(label -> flat(label.getAttribute("textContent"))).toList();
            List<String> expectedLabels = new java.util.ArrayList<>();
            for (int i = report.trend().size() - 1; i >= 0; i -= TrendChart.LABEL_EVERY) {
                expectedLabels.add(0, TrendChart.month(report.trend().get(i).monthEnd()));
            }
            assertEquals(expectedLabels, monthLabels, "the month labels under the trend chart");
            assertTrue(monthLabels.contains(TrendChart.month(today)), "this month is named: " + monthLabels);
            for (WebElement label : trend.findElements(By.cssSelector("text.month-label"))) {
                assertTrue(label.isDisplayed() && label.getRect().getWidth() > 0, "drawn: " + label.getAttribute("textContent"));
            }
            // A scale for each series: counts on the left, per cent on the right; overdue dashed, apart from the solid line.
            assertEquals("100 %", flat(trend.findElements(By.cssSelector("text.percent-tick")).get(4).getAttribute("textContent")));
            assertEquals(5, trend.findElements(By.cssSelector("text.count-tick")).size(), "the count scale");
            assertFalse(trend.findElement(By.cssSelector("polyline.overdue-line")).getAttribute("stroke-dasharray").isBlank(),
                    "overdue is dashed");
            assertFalse(trend.findElement(By.cssSelector("polyline.overdue-line")).getCssValue("stroke")
                    .equals(trend.findElement(By.cssSelector("polyline.introduction-line")).getCssValue("stroke")),
                    "overdue in another colour than the introductions done");

            By audiences = By.xpath("//h2[@id='oversikt']/following::table[1]");
            List<Map<String, String>> audienceRows = browser.table(audiences);
            assertEquals(report.audiences().stream().map(LeadershipReport.Figures::label).toList(),
                    audienceRows.stream().map(r -> r.get("Målgrupp")).toList(), "a row per audience");
            LeadershipReport.Figures licensed = report.audiences().stream().filter(f -> LICENSED.equals(f.audience())).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + LICENSED + " audience in the region's report: " + report.audiences()));
            assertFalse(licensed.headcount().fewerThanFive(), "the demo region has many licensed staff: " + licensed);
            assertNotNull(licensed.introduction().percent(), "the licensed staff have an introduction routine: " + licensed);
            Map<String, String> licensedRow = audienceRows.stream().filter(r -> licensed.label().equals(r.get("Målgrupp")))
                    .findFirst().orElseThrow();
            assertEquals(String.valueOf(licensed.headcount().numerator()), licensedRow.get("Personer"), licensedRow.toString());
            assertEquals(licensed.introduction().percent() + " % " + licensed.introduction().numerator() + " av "
                    + licensed.introduction().denominator(), flat(licensedRow.get("Introduktion klar")), licensedRow.toString());
            for (int i = 0; i < audienceRows.size(); i++) {
                assertFigures(report.audiences().get(i), audienceRows.get(i));
            }
            assertBars(driver.findElement(audiences), report.audiences());
            assertFigures(report.total(), browser.table(By.xpath("//h2[@id='oversikt']/following::table[2]")).get(0));

            // 3. Drill down one level: the first unit under the region.
            assertFalse(report.subUnits().isEmpty(), "the demo region has units under it");
            By subUnits = By.xpath("//h2[@id='enheter']/following::table[1]");
            List<Map<String, String>> subUnitRows = browser.table(subUnits);
            assertEquals(report.subUnits().size(), subUnitRows.size(), subUnitRows.toString());
            for (int i = 0; i < subUnitRows.size(); i++) {
                assertEquals(report.subUnits().get(i).label(), subUnitRows.get(i).get("Enhet"));
                assertFigures(report.subUnits().get(i), subUnitRows.get(i));
            }
            assertBars(driver.findElement(subUnits), report.subUnits());
            LeadershipReport.Figures first = report.subUnits().get(0);
            WebElement link = driver.findElement(subUnits).findElement(By.cssSelector("tbody th a"));
            assertEquals(first.label(), link.getText());
            assertTrue(link.getAttribute("href").endsWith("/organisationer/" + first.nodeId() + "/statistik"), link.getAttribute("href"));
            browser.navigate(link::click);
            browser.waitForHeading("Statistik för " + first.label());
            pages.visited(browser, "leader-02-drill-down");
            LeadershipReport.Report unit = json(driver, first.nodeId());
            Map<String, String> unitTotal = browser.table(By.xpath("//h2[@id='oversikt']/following::table[2]")).get(0);
            assertEquals(first.label(), unitTotal.get("Totalt"), unitTotal.toString());
            assertEquals(subUnitRows.get(0).get("Personer"), unitTotal.get("Personer"),
                    "the unit's headcount as the region's page showed it");
            assertEquals(first.headcount(), unit.total().headcount());
            assertFigures(unit.total(), unitTotal);

            // The figures behind the trend chart, in a table that opens under it.
            WebElement months = driver.findElement(By.xpath("//summary[normalize-space()='Siffrorna per månad']"));
            assertFalse(months.findElement(By.xpath("following-sibling::div//table")).isDisplayed(), "closed at first");
            months.click();
            By monthTable = By.xpath("//summary[normalize-space()='Siffrorna per månad']/following-sibling::div//table");
            browser.waitFor(monthTable);
            List<Map<String, String>> monthRows = browser.table(monthTable);
            assertEquals(unit.trend().size(), monthRows.size(), "a row per month");
            for (int i = 0; i < monthRows.size(); i++) {
                LeadershipReport.TrendPoint point = unit.trend().get(i);
                Map<String, String> row = monthRows.get(i);
                assertEquals(point.monthEnd().toString(), row.get("Månadens slut"), row.toString());
                assertEquals(point.completions().shown(), row.get("Genomföranden"), row.toString());
                assertEquals(expected(point.introductionDone()), flat(row.get("Introduktion klar")), row.toString());
            }
            pages.visited(browser, "leader-03-drill-down-months");

            // 4. The PDF and the CSV of the region's report, fetched as the browser would with its session cookie.
            browser.navigate(() -> driver.navigate().back());
            browser.waitForHeading("Statistik för " + region);
            HttpResponse<byte[]> pdf = browser.download(browser.waitFor(By.linkText("PDF med diagram")).getAttribute("href"));
            assertEquals(200, pdf.statusCode());
            assertEquals("application/pdf", contentType(pdf));
            Files.write(Browser.SCREENSHOTS.resolve("leader-statistics.pdf"), pdf.body());
            String text;
            try (PDDocument document = Loader.loadPDF(pdf.body())) {
                text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
            }
            for (String expected : List.of(region, "Introduktion klar, per målgrupp", today.toString(), licensed.label())) {
                assertTrue(text.contains(expected), "the PDF should say '" + expected + "': " + text);
            }
            HttpResponse<byte[]> csv = browser.download(driver.findElement(By.linkText("CSV")).getAttribute("href"));
            assertEquals(200, csv.statusCode());
            assertEquals("text/csv", contentType(csv));
            String header = new String(csv.body(), StandardCharsets.UTF_8).replaceFirst("^\uFEFF", "").lines().findFirst().orElse("");
            assertTrue(header.startsWith("avsnitt;organisation;målgrupp;mått"), header);

            // 5. A unit of fewer than five people shows only that, on the page of the unit above it.
            Optional<LeadershipReport.Report> withSmallUnit = reportWithASmallUnit(driver, report);
            if (withSmallUnit.isPresent()) {
                LeadershipReport.Report parent = withSmallUnit.get();
                LeadershipReport.Figures few = parent.subUnits().stream().filter(f -> f.headcount().fewerThanFive()).findFirst()
                        .orElseThrow();
                assertNull(few.headcount().numerator(), "no number that could single someone out: " + few);
                browser.open(base + "/organisationer/" + parent.nodeId() + "/statistik");
                browser.waitForHeading("Statistik för " + parent.nodeName());
                Map<String, String> row = browser.table(subUnits).stream().filter(r -> few.label().equals(r.get("Enhet")))
                        .findFirst().orElseThrow(() -> new AssertionError(few.label() + " is not listed: " + browser.text()));
                assertEquals(FEWER_THAN_FIVE, row.get("Personer"), row.toString());
                assertEquals(FEWER_THAN_FIVE, row.get("Försenade"), row.toString());
                assertFigures(few, row);
                pages.visited(browser, "leader-04-fewer-than-five");
            }
            // Otherwise no unit of the demo region has fewer than five people, and there is nothing more to see.

            // 6. On a phone.
            driver.manage().window().setSize(new Dimension(390, 844));
            browser.open(base + "/organisationer/" + regionId + "/statistik");
            browser.waitForHeading("Statistik för " + region);
            pages.visited(browser, "leader-05-phone-statistics");
            browser.assertFitsTheWindowWidth();
            // The figures first: the node's key figures at the top of the page, all of them within the screen's width.
            WebElement keyFigures = driver.findElement(By.cssSelector("ul.key-figures"));
            long windowWidth = (Long) ((org.openqa.selenium.JavascriptExecutor) driver)
                    .executeScript("return document.documentElement.clientWidth");
            for (WebElement figure : keyFigures.findElements(By.cssSelector("li"))) {
                assertTrue(figure.getRect().getX() + figure.getRect().getWidth() <= windowWidth, "in view: " + figure.getText());
            }
            assertTrue(keyFigures.getRect().getY() < 844, "the key figures on the first screen: " + keyFigures.getRect().getY());
            assertTrue(flat(keyFigures.getText()).contains("Försenade " + report.total().overdue().shown()), keyFigures.getText());
            // The figures tables are one block per group on a phone: a group's shares are all within the width too.
            WebElement firstGroup = driver.findElement(By.xpath("//h2[@id='oversikt']/following::table[1]//tbody/tr[1]"));
            for (WebElement cell : firstGroup.findElements(By.cssSelector("td"))) {
                assertTrue(cell.getRect().getX() + cell.getRect().getWidth() <= windowWidth, "in view: " + cell.getText());
            }
        }
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        pages.writeReport();
    }

    private static Map<String, Function<LeadershipReport.Figures, Share>> columns() {
        Map<String, Function<LeadershipReport.Figures, Share>> columns = new LinkedHashMap<>();
        columns.put("Introduktion klar", LeadershipReport.Figures::introduction);
        columns.put("Klar i tid", LeadershipReport.Figures::introductionOnTime);
        columns.put("Aktuell fortbildning", LeadershipReport.Figures::continuingCurrent);
        columns.put("Försenade", LeadershipReport.Figures::overdue);
        return columns;
    }

    /** The report on a node as the JSON for other systems gives it, asked for with the browser's session. */
    private LeadershipReport.Report json(WebDriver driver, long node) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/statistics")
                .cookie(io.micronaut.http.cookie.Cookie.of("JWT", jwt(driver))), LeadershipReport.Report.class);
    }

    /**
     * The report on the first node under the region, going down level by level, that has a unit of fewer than five people
     * directly under it; each node's report asked for as the browser's user.
     */
    private Optional<LeadershipReport.Report> reportWithASmallUnit(WebDriver driver, LeadershipReport.Report region) {
        Deque<LeadershipReport.Report> reports = new ArrayDeque<>(List.of(region));
        while (!reports.isEmpty()) {
            LeadershipReport.Report report = reports.removeFirst();
            if (report.subUnits().stream().anyMatch(f -> f.headcount().fewerThanFive())) {
                return Optional.of(report);
            }
            report.subUnits().stream().filter(f -> f.headcount().numerator() != null && f.headcount().numerator() > 0)
                    .forEach(f -> reports.addLast(json(driver, f.nodeId())));
        }
        return Optional.empty();
    }

    private static String jwt(WebDriver driver) {
        Cookie jwt = driver.manage().getCookieNamed("JWT");
        assertNotNull(jwt, "the browser holds the session cookie");
        return jwt.getValue();
    }


    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "").trim();
    }

    /** A row of a figures table shows the group's headcount and each share with what was counted. */
    private static void assertFigures(LeadershipReport.Figures figures, Map<String, String> row) {
        assertEquals(figures.headcount().shown(), row.get("Personer"), figures.label() + ": " + row);
        COLUMNS.forEach((column, share) -> assertEquals(expected(share.apply(figures)), flat(row.get(column)),
                figures.label() + ", " + column + ": " + row));
    }

    /** A share as its cell reads: "60 % 37 av 62", or only "färre än 5". */
    private static String expected(Share share) {
        return share.counted().isEmpty() ? share.shown() : share.shown() + " " + share.counted();
    }

    /**
     * Every share with a percentage has a bar beside it, hidden from screen readers (the figure is the text beside it),
     * as long as the share.
     */
    private static void assertBars(WebElement table, List<LeadershipReport.Figures> groups) {
        List<WebElement> rows = table.findElements(By.cssSelector("tbody tr"));
        assertEquals(groups.size(), rows.size());
        int bars = 0;
        for (int i = 0; i < rows.size(); i++) {
            LeadershipReport.Figures group = groups.get(i);
            List<WebElement> cells = rows.get(i).findElements(By.cssSelector("td.figure-cell"));
            List<Share> shares = COLUMNS.values().stream().map(f -> f.apply(group)).toList();
            assertEquals(shares.size(), cells.size(), group.label());
            for (int c = 0; c < cells.size(); c++) {
                List<WebElement> svg = cells.get(c).findElements(By.cssSelector("svg.bar"));
                Integer percent = shares.get(c).percent();
                assertEquals(percent == null ? 0 : 1, svg.size(), group.label() + " " + shares.get(c));
                if (percent != null) {
                    assertEquals("true", svg.get(0).getAttribute("aria-hidden"));
                    assertEquals(String.valueOf(percent), svg.get(0).findElement(By.cssSelector("rect.bar-value")).getAttribute("width"),
                            group.label() + " " + shares.get(c));
                    bars++;
                }
            }
        }
        assertTrue(bars > 0, "bars in the table");
    }

    private static String flat(String text) {
        return text == null ? null : text.replaceAll("\\s+", " ").trim();
    }
}
