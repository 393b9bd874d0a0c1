package se.kompetensmal.browser;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser: the demo region's coordinator signs in, finds a unit by following links, sets up an introduction
 * routine for its non-licensed care staff, and finds in the follow-up list exactly those of them who are overdue.
 * Screenshots of every page go to target/screenshots; every page is scanned with axe-core, which must find no WCAG 2.1
 * A/AA violation, and the scans are written to target/accessibility/coordinator.txt.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.demo-data", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorBrowserTest extends ServiceTest {

    private static final String COORDINATOR = "samordnare.region";
    private static final String PASSWORD = "Demo-samordnare-2026";
    private static final String AUDIENCE = "NON_LICENSED";
    private static final List<String> MODULES = List.of("basala-hygienrutiner", "vardskador-grunder");
    private static final int DUE_DAYS = 30;
    private static final String APPLIES_FROM = "1990-01-01";
    /** The follow-up page's default: what falls due within this many days is listed besides the overdue. */
    private static final int DUE_SOON_DAYS = 14;
    /**
     * Units of Region Demoland with non-licensed staff, in order of preference. The first with no introduction routine
     * for the audience at or below it is used, so the test also runs again against a database kept from earlier runs.
     */
    private static final List<String> UNITS = List.of("SE2321000999-E02", "SE2321000999-E01", "SE2321000999-E03",
            "SE2321000999-E04", "SE2321000999-E05");

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("coordinator");

    /** One person in the follow-up list. */
    record Shown(String hsaId, String dueDate, String status) {
    }

    @Test
    void coordinatorCreatesAnIntroductionRoutineAndFindsTheOverduePeopleOfTheAudience() {
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        String unitCode = UNITS.stream().filter(this::hasNoIntroductionForTheAudience).findFirst().orElseThrow(() ->
                new AssertionError("every candidate unit already has an introduction routine for " + AUDIENCE));
        String unit = sql.strings("SELECT name FROM org_node WHERE code = ?", unitCode).get(0);
        List<String> path = sql.strings("""
                SELECT n.name FROM org_closure c JOIN org_node n ON n.id = c.ancestor_id JOIN org_node t ON t.id = c.descendant_id
                WHERE t.code = ? ORDER BY c.depth DESC""", unitCode);
        String routine = "Introduktion för undersköterskor (webbtest " + Long.toString(System.nanoTime(), 36) + ")";

        try (Browser browser = new Browser()) {
            browser.signIn(server.getURL().toString(), COORDINATOR, PASSWORD);
            assertTrue(browser.heading().startsWith("Välkommen"), browser.heading());
            pages.visited(browser, "coordinator-01-start");

            // Start page → Region Demoland → administration → operation → unit, as a user clicks through the tree.
            for (String name : path) {
                browser.clickLink(name);
                browser.waitForHeading(name);
            }
            pages.visited(browser, "coordinator-02-unit");

            browser.clickLink("Rutiner");
            browser.waitForHeading("Rutiner för " + unit);
            assertFalse(browser.text().contains(routine));
            pages.visited(browser, "coordinator-03-routines-before");

            fillInIntroductionRoutine(browser, routine);
            browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Spara rutinen']")).click());
            browser.waitForHeading("Rutiner för " + unit);
            assertTrue(browser.driver().findElements(By.cssSelector("[role=alert]")).isEmpty(), browser.text());
            Map<String, String> saved = browser.table(By.tagName("table")).stream()
                    .filter(r -> r.getOrDefault("Rutin", "").startsWith(routine)).findFirst()
                    .orElseThrow(() -> new AssertionError("the new routine is not listed: " + browser.text()));
            assertEquals("Introduktion", saved.get("Slag"), saved.toString());
            assertEquals(sql.strings("SELECT name_sv FROM audience WHERE code = ?", AUDIENCE).get(0), saved.get("Målgrupp"),
                    saved.toString());
            assertTrue(browser.text().contains("Rutinen är sparad."), browser.text());
            assertEquals(Set.copyOf(MODULES.stream().map(this::title).toList()), Set.of(saved.get("Moduler").split("\n")),
                    saved.toString());
            assertEquals("från " + APPLIES_FROM + "; befintlig personal: lämnas utanför", saved.get("Gäller"), saved.toString());
            assertEquals(DUE_DAYS + " dagar efter start i organisationen", saved.get("Tidsgräns"), saved.toString());
            assertEquals(unit, saved.get("Nivå"), saved.toString());
            pages.visited(browser, "coordinator-04-routines-after");

            // The assignments are computed in the background: narrowed to the new routine, reload the follow-up list
            // until its people show up.
            browser.clickLink("Se vem som ligger efter");
            browser.waitForHeading("Uppföljning för " + unit);
            Select routines = new Select(browser.waitFor(By.id("rutin")));
            routines.getOptions().stream().filter(o -> o.getText().startsWith(routine)).findFirst()
                    .orElseThrow(() -> new AssertionError("the routine is not among the filters")).click();
            browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Visa']")).click());
            browser.waitForHeading("Uppföljning för " + unit);
            browser.reloadUntil(d -> !shown(browser).isEmpty(), Duration.ofSeconds(60),
                    "people of the routine '" + routine + "' in the follow-up list");
            sql.awaitRecomputations();
            browser.navigate(() -> browser.driver().navigate().refresh());
            pages.visited(browser, "coordinator-05-follow-up");

            Map<String, LocalDate> dueDates = dueDatesOfTheAudience(unitCode);
            Set<Shown> expected = expectedRows(dueDates, today, today.plusDays(DUE_SOON_DAYS));
            Set<Shown> overdue = expected.stream().filter(s -> s.status().equals("Försenad")).collect(Collectors.toSet());
            assertFalse(overdue.isEmpty(), "the demo data should have someone in " + unit + " who started long ago");
            assertEquals(new TreeSet<>(overdue.stream().map(Shown::hsaId).toList()), new TreeSet<>(shown(browser).stream()
                            .filter(s -> s.status().equals("Försenad")).map(Shown::hsaId).toList()),
                    "the people shown as overdue should be exactly the " + AUDIENCE + " people of " + unit + " whose due date has passed");
            assertEquals(sorted(expected), sorted(shown(browser)),
                    "the follow-up list should show exactly the " + AUDIENCE + " people of " + unit
                            + " who are overdue or due within " + DUE_SOON_DAYS + " days, one row each");
            long overdueShown = Long.parseLong(browser.driver().findElement(By.cssSelector(".follow-up-counts .figure")).getText());
            assertEquals(overdue.size(), overdueShown, "the count of people overdue at the top");

            // Widened to every due date, the list shows every person in the audience.
            WebElement within = browser.waitFor(By.id("dagar"));
            within.clear();
            within.sendKeys("3650");
            browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Visa']")).click());
            browser.waitForHeading("Uppföljning för " + unit);
            browser.screenshot("coordinator-06-follow-up-all");
            assertEquals(sorted(expectedRows(dueDates, today, today.plusDays(3650))), sorted(shown(browser)),
                    "every " + AUDIENCE + " person of " + unit + " should have the routine's modules assigned");
        }
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        pages.writeReport();
    }

    private void fillInIntroductionRoutine(Browser browser, String name) {
        var driver = browser.driver();
        browser.waitFor(By.id("name")).sendKeys(name);
        driver.findElement(By.id("kind-intro")).click();
        new Select(driver.findElement(By.id("audience"))).selectByValue(AUDIENCE);
        MODULES.forEach(code -> driver.findElement(By.id("module-" + code)).click());
        driver.findElement(By.id("dueDays")).sendKeys(String.valueOf(DUE_DAYS));
        // Applies from before anyone in the demo started, so that everyone is due their own start plus the due days.
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]",
                driver.findElement(By.id("appliesFrom")), APPLIES_FROM);
        new Select(driver.findElement(By.id("countsFrom"))).selectByValue("ORG_START");
        new Select(driver.findElement(By.id("documentation"))).selectByValue("DOCUMENTED");
        driver.findElement(By.id("governingDocument")).sendKeys("Introduktion i patientsäkerhet, dnr RD 2026/123");
    }

    private String title(String module) {
        return sql.strings("SELECT title FROM module_version WHERE module_code = ? ORDER BY version DESC LIMIT 1", module).get(0);
    }

    /** The people of the follow-up list (filtered on the routine: a unit of the demo has fewer than a page of them). */
    private static Set<Shown> shown(Browser browser) {
        return browser.table(By.tagName("table")).stream()
                .map(r -> new Shown(r.get("HSA-id"), r.get("Tidigaste förfallodag"), r.get("Status")))
                .collect(Collectors.toSet());
    }

    private boolean hasNoIntroductionForTheAudience(String unitCode) {
        return sql.number("""
                SELECT COUNT(*) FROM routine r JOIN audience a ON a.id = r.audience_id
                JOIN org_closure c ON c.descendant_id = r.org_node_id JOIN org_node t ON t.id = c.ancestor_id
                WHERE t.code = ? AND a.code = ? AND r.kind = 'INTRODUCTION'""", unitCode, AUDIENCE) == 0;
    }

    /** Everyone active in the audience under the unit, by HSA-id, with the due date the routine gives: start + due days. */
    private Map<String, LocalDate> dueDatesOfTheAudience(String unitCode) {
        return sql.strings("""
                SELECT CONCAT(p.hsa_id, ' ', p.org_start_date) FROM person p
                JOIN org_closure c ON c.descendant_id = p.org_node_id JOIN org_node t ON t.id = c.ancestor_id
                JOIN person_audience pa ON pa.person_id = p.id JOIN audience a ON a.id = pa.audience_id
                WHERE t.code = ? AND a.code = ? AND p.status = 'ACTIVE'""", unitCode, AUDIENCE).stream()
                .map(s -> s.split(" "))
                .collect(Collectors.toMap(s -> s[0], s -> LocalDate.parse(s[1]).plusDays(DUE_DAYS)));
    }

    /** The people the follow-up list should show up to the date: those with an open (not exempted, not completed) module. */
    private Set<Shown> expectedRows(Map<String, LocalDate> dueDates, LocalDate today, LocalDate until) {
        Set<String> closed = new HashSet<>(sql.strings("""
                SELECT CONCAT(p.hsa_id, ' ', e.module_code) FROM exemption e JOIN person p ON p.id = e.person_id
                UNION SELECT CONCAT(p.hsa_id, ' ', m.module_code) FROM completion d JOIN person p ON p.id = d.person_id
                JOIN module_version m ON m.id = d.module_version_id"""));
        Set<Shown> expected = new HashSet<>();
        // Both modules of the routine fall due on the same day, so a person's earliest due date is that day.
        dueDates.forEach((hsaId, due) -> MODULES.stream()
                .filter(module -> !closed.contains(hsaId + " " + module) && !due.isAfter(until))
                .forEach(module -> expected.add(new Shown(hsaId, due.toString(),
                        due.isBefore(today) ? "Försenad" : "Förfaller snart"))));
        return expected;
    }

    private static List<String> sorted(Set<Shown> rows) {
        List<String> lines = new ArrayList<>(rows.stream().map(Shown::toString).toList());
        lines.sort(null);
        return lines;
    }
}
