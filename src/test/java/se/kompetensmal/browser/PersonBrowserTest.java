package se.kompetensmal.browser;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.Select;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser, at 1280 and at 390 px: a coordinator opens a person from the organisation page, assigns a module and
 * exempts the person from another, and previews an assignment to a unit. Every page is axe-clean and fits the window.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonBrowserTest extends ServiceTest {

    static final String HYGIENE = "basala-hygienrutiner";
    static final String INTRO = "vardskador-grunder";

    @Inject
    EmbeddedServer server;

    @Inject
    ModuleTitles titles;

    private final PageVisits pages = new PageVisits("person");

    @Test
    void coordinatorAssignsAndExemptsOnThePersonPageAtBothWidths() {
        for (int width : new int[] {1280, 390}) {
            LocalDate today = LocalDate.now(SwedishTime.ZONE);
            String p = "PBT" + System.nanoTime();
            long municipality = tree.add(p, "Kommun B", OrgNodeKind.MUNICIPALITY, null).id();
            long unit = tree.add(p + "-E", "Ekbacken", OrgNodeKind.UNIT, municipality).id();
            long person = people.create(PersonFixture.hsaPrefix() + "1", "Greta", "Garbo-Lindqvist",
                    "greta@" + p.toLowerCase() + ".example", unit, today.minusYears(2), today.minusYears(1), "NON_LICENSED");
            String coordinator = users.account(p + "-samordnare", null, Role.COORDINATOR, municipality);

            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(new Dimension(width, 1000));
                browser.signIn(server.getURL().toString(), coordinator, TestUsers.PASSWORD);
                browser.open(server.getURL() + "/organisationer/" + municipality);
                browser.clickLink("Garbo-Lindqvist, Greta");
                browser.waitForHeading("Greta Garbo-Lindqvist");
                visited(browser, "person-" + width + "-01-page");

                new Select(browser.driver().findElement(By.id("assign-module"))).selectByValue(HYGIENE);
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Tilldela']")).click());
                browser.waitForHeading("Greta Garbo-Lindqvist");
                assertTrue(browser.text().contains("Modulen " + titles.of(HYGIENE) + " är tilldelad"), browser.text());
                Map<String, String> row = browser.table(By.cssSelector("#tilldelningar + p + div table")).get(0);
                assertEquals(today.plusDays(30).toString(), row.get("Förfallodag"), row.toString());
                visited(browser, "person-" + width + "-02-assigned");

                new Select(browser.driver().findElement(By.id("exempt-module"))).selectByValue(INTRO);
                browser.driver().findElement(By.id("exempt-reason")).sendKeys("Genomförd hos tidigare arbetsgivare");
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Undanta']")).click());
                browser.waitForHeading("Greta Garbo-Lindqvist");
                assertTrue(browser.text().contains("Genomförd hos tidigare arbetsgivare"), browser.text());
                visited(browser, "person-" + width + "-03-exempted");

                browser.open(server.getURL() + "/organisationer/" + municipality);
                browser.clickLink("Tilldela eller undanta");
                browser.waitForHeading("Tilldela eller undanta i Kommun B");
                new Select(browser.driver().findElement(By.id("module"))).selectByValue(INTRO);
                new Select(browser.driver().findElement(By.id("unit"))).selectByValue(Long.toString(unit));
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Förhandsgranska']")).click());
                browser.waitForHeading("Tilldela eller undanta i Kommun B");
                assertTrue(browser.text().contains("når 1 person: alla aktiva i Ekbacken"), browser.text());
                visited(browser, "person-" + width + "-04-group-preview");
            }
        }
    }

    private void visited(Browser browser, String name) {
        pages.visited(browser, name);
        browser.assertFitsTheWindowWidth();
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        pages.writeReport();
    }
}
