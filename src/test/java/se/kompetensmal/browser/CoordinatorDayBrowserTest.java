package se.kompetensmal.browser;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.standing.Standing;
import se.kompetensmal.SwedishTime;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A coordinator's working day in a real browser, on the demo region as it looks a year into Kompetensmål: she starts
 * from her own start page, finds an overdue colleague by searching the follow-up list, opens the person page, assigns a
 * module and exempts her from another, then moves the catch-up date of the introduction routine for existing staff and
 * sees the number of overdue people in the follow-up fall to what the new date gives. Every page is looked at at 1280 px
 * and at 390 px: it must fit the phone's width and axe-core must find no WCAG 2.1 A/AA violation at either width.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.demo-data", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorDayBrowserTest extends ServiceTest {

    private static final String COORDINATOR = "samordnare.region";
    private static final String PASSWORD = "Demo-samordnare-2026";
    private static final String REGION_CODE = "SE2321000999";
    private static final String LICENSED_INTRODUCTION = "INTRODUCTION";

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("coordinator-day");

    /** An overdue person of the region and what the test does with her modules. */
    record Overdue(long personId, String name, String hsaId, String overdueModule, String overdueTitle) {
    }

    @Test
    void coordinatorFindsAnOverduePersonActsOnHerTrainingAndMovesTheCatchUpDate() {
        sql.awaitRecomputations();
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        long region = sql.number("SELECT id FROM org_node WHERE code = ?", REGION_CODE);
        Overdue person = overduePerson(region, today);
        String toAssign = sql.strings("""
                SELECT m.module_code FROM module_version m JOIN catalogue_module cm ON cm.code = m.module_code
                WHERE m.version = 1 AND m.launch_url IS NULL AND cm.source = 'FILES' AND NOT EXISTS (
                    SELECT 1 FROM assignment a WHERE a.person_id = ? AND a.module_code = m.module_code)
                ORDER BY m.module_code""", person.personId()).get(0);
        String toAssignTitle = title(toAssign);

        try (Browser browser = new Browser()) {
            browser.signIn(server.getURL().toString(), COORDINATOR, PASSWORD);
            atBothWidths(browser, "coordinator-day-01-start");

            // From her start page to the follow-up of her region, then a search by the person's name.
            browser.clickLink("Uppföljning");
            browser.waitFor(By.id("sok"));
            atBothWidths(browser, "coordinator-day-02-follow-up");
            long overdueBefore = overdueShown(browser);
            assertEquals(overduePeople(region, today), overdueBefore, "overdue people in the follow-up's counts");

            WebElement search = browser.waitFor(By.id("sok"));
            search.clear();
            search.sendKeys(person.name());
            browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Visa']")).click());
            List<String> names = browser.driver().findElements(By.cssSelector("table.follow-up tbody th a")).stream()
                    .map(WebElement::getText).toList();
            assertTrue(names.contains(person.name()), "the search for " + person.name() + " lists " + names);
            atBothWidths(browser, "coordinator-day-03-search");

            browser.clickLink(person.name());
            browser.waitForHeading(person.name());
            assertTrue(browser.text().contains(person.overdueTitle()), "the person page lists the overdue module by title");
            assertFalse(browser.text().contains(person.overdueModule()), "no module code where its title belongs");
            atBothWidths(browser, "coordinator-day-04-person");

            // Assign a module she does not have, due in 30 days.
            LocalDate due = today.plusDays(30);
            // By its code: another test class's copy of a module may carry the same title in the shared database.
            new Select(browser.waitFor(By.id("assign-module"))).selectByValue(toAssign);
            setDate(browser, "assign-due", due);
            browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Tilldela']")).click());
            browser.waitForHeading(person.name());
            String said = browser.driver().findElements(By.cssSelector("[role=alert], [role=status]")).stream()
                    .map(org.openqa.selenium.WebElement::getText).toList().toString();
            assertEquals(List.of(due.toString()), sql.strings("""
                    SELECT due_date FROM assignment WHERE person_id = ? AND module_code = ? AND source = 'MANUAL'
                      AND withdrawn_at IS NULL""", person.personId(), toAssign), "the page said " + said);
            assertTrue(browser.text().contains(toAssignTitle), "the assigned module is on the person page");

            // Exempt her from the overdue one, with a reason.
            new Select(browser.waitFor(By.id("exempt-module"))).selectByVisibleText(person.overdueTitle());
            browser.driver().findElement(By.id("exempt-reason")).sendKeys("Genomförd hos tidigare arbetsgivare");
            browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Undanta']")).click());
            browser.waitForHeading(person.name());
            assertEquals(1, sql.number("SELECT COUNT(*) FROM exemption WHERE person_id = ? AND module_code = ?",
                    person.personId(), person.overdueModule()));
            List<String> exempted = browser.table(By.cssSelector("[aria-label='Undantag'] table")).stream()
                    .map(row -> row.get("Modul")).toList();
            assertEquals(List.of(person.overdueTitle()), exempted);
            atBothWidths(browser, "coordinator-day-05-person-after");

            // The introduction routine for licensed staff: existing staff get until 60 days from today instead.
            sql.awaitRecomputations();
            long overdueAfterActions = overduePeople(region, today);
            long routineId = sql.number("""
                    SELECT r.id FROM routine r JOIN audience a ON a.id = r.audience_id
                    WHERE r.org_node_id = ? AND r.kind = ? AND a.code = 'LICENSED' AND r.retired_at IS NULL""",
                    region, LICENSED_INTRODUCTION);
            String routineName = sql.strings("SELECT name FROM routine WHERE id = ?", routineId).get(0);
            browser.open(server.getURL() + "/organisationer/" + region + "/rutiner");
            browser.waitForHeading(sql.strings("SELECT CONCAT('Rutiner för ', name) FROM org_node WHERE id = ?", region).get(0));
            atBothWidths(browser, "coordinator-day-06-routines");
            browser.clickLink(routineName);
            browser.waitForHeading(routineName);
            atBothWidths(browser, "coordinator-day-07-routine");

            String catchUpBefore = sql.strings("SELECT catch_up_due FROM routine WHERE id = ?", routineId).get(0);
            LocalDate catchUp = today.plusDays(60);
            browser.driver().findElement(By.id("existing-catch-up")).click();
            setDate(browser, "catchUpDue", catchUp);
            browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Förhandsgranska']")).click());
            browser.waitForHeading(routineName);
            atBothWidths(browser, "coordinator-day-08-preview");
            browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Spara rutinen']")).click());
            browser.waitForHeading(routineName);
            assertEquals(List.of(catchUp.toString()), sql.strings("SELECT catch_up_due FROM routine WHERE id = ?", routineId));

            sql.awaitRecomputations();
            long overdueAfter = overduePeople(region, today);
            assertTrue(overdueAfter < overdueAfterActions, "moving the catch-up date into the future leaves fewer overdue: "
                    + overdueAfterActions + " before, " + overdueAfter + " after");
            browser.open(server.getURL() + "/organisationer/" + region + "/uppfoljning");
            browser.waitFor(By.id("sok"));
            assertEquals(overdueAfter, overdueShown(browser), "overdue people in the follow-up after the change");
            atBothWidths(browser, "coordinator-day-09-follow-up-after");

            // The demo region is shared by the other browser tests: the catch-up date goes back as it was.
            browser.open(server.getURL() + "/organisationer/" + region + "/rutiner/" + routineId);
            browser.waitForHeading(routineName);
            setDate(browser, "catchUpDue", LocalDate.parse(catchUpBefore));
            browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Spara rutinen']")).click());
            browser.waitForHeading(routineName);
            assertEquals(List.of(catchUpBefore), sql.strings("SELECT catch_up_due FROM routine WHERE id = ?", routineId));
            sql.awaitRecomputations();
        }
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        pages.writeReport();
    }

    /** A person of the region overdue with a module of the licensed introduction (so the catch-up date concerns her). */
    private Overdue overduePerson(long region, LocalDate today) {
        List<String> found = sql.strings("""
                SELECT CONCAT_WS('|', p.id, CONCAT(p.given_name, ' ', p.family_name), p.hsa_id, a.module_code)
                FROM assignment a JOIN person p ON p.id = a.person_id AND p.status = 'ACTIVE'
                JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = ?
                WHERE %s AND a.due_date < ?
                ORDER BY a.due_date, p.id, a.module_code""".formatted(Standing.STILL_TO_DO), region, today);
        assertFalse(found.isEmpty(), "the demo region should have someone overdue");
        String[] fields = found.get(0).split("\\|");
        return new Overdue(Long.parseLong(fields[0]), fields[1], fields[2], fields[3], title(fields[3]));
    }

    private long overduePeople(long region, LocalDate today) {
        return sql.number("""
                SELECT COUNT(DISTINCT p.id) FROM assignment a JOIN person p ON p.id = a.person_id AND p.status = 'ACTIVE'
                JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = ?
                WHERE %s AND a.due_date < ?""".formatted(Standing.STILL_TO_DO), region, today);
    }

    private String title(String module) {
        return sql.strings("SELECT title FROM module_version WHERE module_code = ? ORDER BY version DESC LIMIT 1", module).get(0);
    }

    /** The first figure at the top of the follow-up: people overdue. */
    private static long overdueShown(Browser browser) {
        return Long.parseLong(browser.driver().findElement(By.cssSelector(".follow-up-counts li:first-child .figure")).getText().trim());
    }

    /** A date field set as a user's date picker would (typing into it depends on the browser's locale). */
    private static void setDate(Browser browser, String id, LocalDate date) {
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1]",
                browser.driver().findElement(By.id(id)), date.toString());
    }

    /** Looks at the page at 1280 px and at 390 px: axe-clean at both, and no sideways scrolling on the phone. */
    private void atBothWidths(Browser browser, String name) {
        browser.atWidth(1280, () -> pages.visited(browser, name + "-1280"));
        browser.atWidth(390, () -> {
            browser.assertFitsTheWindowWidth();
            pages.visited(browser, name + "-390");
        });
    }
}
