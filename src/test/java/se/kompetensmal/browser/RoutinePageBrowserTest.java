package se.kompetensmal.browser;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;

import java.io.IOException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser, at 1280 and 390 px: the demo region's coordinator opens a routine from the routines page, previews a
 * later catch-up date for existing staff and sees fewer overdue at once (nothing saved); the leader reads the same routine
 * without a form. Every page visited is axe-clean and fits the window's width.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.demo-data", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutinePageBrowserTest extends ServiceTest {

    private static final String ROUTINE = "Introduktion i patientsäkerhet för legitimerad personal";

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("routine-page");

    @Test
    void coordinatorPreviewsALaterCatchUpDateAndTheLeaderOnlyReads() {
        sql.awaitRecomputations();
        long region = sql.number("SELECT id FROM org_node WHERE code = 'SE2321000999'");
        String base = server.getURL().toString().replaceFirst("/$", "");
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        for (int width : new int[] {1280, 390}) {
            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(new Dimension(width, 900));
                browser.signIn(base, "samordnare.region", "Demo-samordnare-2026");
                browser.open(base + "/organisationer/" + region + "/rutiner");
                browser.waitForHeading("Rutiner för Region Demoland");
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "routine-01-list-" + width);

                browser.clickLink(ROUTINE);
                browser.waitForHeading(ROUTINE);
                assertTrue(browser.text().contains("Befintlig personal: klar senast"), browser.text());
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "routine-02-routine-" + width);

                long version = sql.number("SELECT version FROM routine WHERE name = ?", ROUTINE);
                long overdueNow = preview(browser);
                // A catch-up date a year ahead: existing staff are no longer overdue at once, only late new starters.
                setDate(browser, "catchUpDue", today.plusYears(1));
                long overdueLater = preview(browser);
                assertTrue(overdueLater < overdueNow, overdueNow + " overdue now, " + overdueLater + " with a later date");
                assertEquals(today.plusYears(1).toString(), browser.driver().findElement(By.id("catchUpDue")).getAttribute("value"),
                        "the form keeps what was typed");
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "routine-03-preview-" + width);
                assertEquals(version, sql.number("SELECT version FROM routine WHERE name = ?", ROUTINE), "a preview saves nothing");
            }
            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(new Dimension(width, 900));
                browser.signIn(base, "ledare", "Demo-ledare-2026");
                browser.open(base + "/organisationer/" + region + "/rutiner");
                browser.waitForHeading("Rutiner för Region Demoland");
                assertFalse(browser.text().contains("Lägg upp en rutin"), browser.text());
                browser.clickLink(ROUTINE);
                browser.waitForHeading(ROUTINE);
                assertTrue(browser.driver().findElements(By.tagName("form")).stream()
                        .noneMatch(f -> f.getAttribute("action").contains("/rutiner/")), "the leader has no form to change it");
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "routine-04-leader-" + width);
            }
        }
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        pages.writeReport();
    }

    /** Presses Förhandsgranska and reads how many would be overdue at once. */
    private static long preview(Browser browser) {
        browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Förhandsgranska']")).click());
        WebElement shown = browser.waitFor(By.id("forhandsgranskning"));
        Matcher m = Pattern.compile("(\\d+) av dem skulle vara försenade direkt").matcher(shown.getText());
        assertTrue(m.find(), shown.getText());
        return Long.parseLong(m.group(1));
    }

    private static void setDate(Browser browser, String id, LocalDate date) {
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1]",
                browser.driver().findElement(By.id(id)), date.toString());
    }
}
