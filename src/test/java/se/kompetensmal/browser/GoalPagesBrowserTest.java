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
import org.openqa.selenium.support.ui.Select;
import se.kompetensmal.ServiceTest;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser, at 1280 and 390 px: the demo region's coordinator opens the region's goals from the organisation page,
 * adds an own goal, is told at the fields what is missing, fixes it and finds the goal marked as the region's own; the
 * leader reads it without a form. Every page visited is axe-clean and fits the window's width.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.demo-data", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoalPagesBrowserTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("goal-pages");

    @Test
    void coordinatorAddsAnOwnGoalAndTheLeaderReadsIt() {
        long region = sql.number("SELECT id FROM org_node WHERE code = 'SE2321000999'");
        String base = server.getURL().toString().replaceFirst("/$", "");
        for (int width : new int[] {1280, 390}) {
            String code = "DEMO-HYG-" + width + "-" + (System.nanoTime() % 100_000);
            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(new Dimension(width, 900));
                browser.signIn(base, "samordnare.region", "Demo-samordnare-2026");
                browser.open(base + "/organisationer/" + region);
                browser.clickLink("Kompetensmål");
                browser.waitForHeading("Kompetensmål för Region Demoland");
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "goals-01-list-" + width);

                browser.clickLink("Nytt mål");
                browser.waitForHeading("Nytt kompetensmål för Region Demoland");
                browser.driver().findElement(By.id("code")).sendKeys(code);
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Lägg till målet']")).click());
                browser.waitFor(By.id("textSv-error"));
                assertTrue(browser.text().contains("Välj minst en målgrupp.") && browser.text().contains("Skriv målet på svenska."),
                        browser.text());
                assertEquals(code, browser.driver().findElement(By.id("code")).getAttribute("value"), "what was typed is kept");
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "goals-02-problems-" + width);

                browser.driver().findElement(By.cssSelector("label[for='audience-LICENSED']")).click();
                new Select(browser.driver().findElement(By.id("area"))).selectByVisibleText("Säker vård här och nu");
                browser.driver().findElement(By.cssSelector("label[for='kind-SKILL']")).click();
                browser.driver().findElement(By.id("textSv")).sendKeys("Följer regionens rutin för handhygien vid kateterskötsel.");
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Lägg till målet']")).click());
                browser.waitForHeading("Kompetensmål för Region Demoland");
                assertTrue(browser.text().contains("Kompetensmålet " + code + " är sparat."), browser.text());
                assertTrue(browser.text().contains("Egen (Region Demoland)"), browser.text());
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "goals-03-saved-" + width);
            }
            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(new Dimension(width, 900));
                browser.signIn(base, "ledare", "Demo-ledare-2026");
                browser.open(base + "/organisationer/" + region + "/mal/" + code);
                browser.waitFor(By.tagName("h1"));
                assertTrue(browser.text().contains("Följer regionens rutin för handhygien"), browser.text());
                assertTrue(browser.driver().findElements(By.tagName("textarea")).isEmpty(), "the leader has no form");
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "goals-04-leader-" + width);
            }
        }
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        pages.writeReport();
    }
}
