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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser, at 1280 and at 390 px: a coordinator registers a completion with its evidence from the person page,
 * first with a text file named .pdf (refused at the field), then with a PDF, and voids it with a reason. Every page is
 * axe-clean and fits the window.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationBrowserTest extends ServiceTest {

    static final String HYGIENE = "basala-hygienrutiner";

    @Inject
    EmbeddedServer server;

    @Inject
    ModuleTitles titles;

    private final PageVisits pages = new PageVisits("registration");

    @Test
    void coordinatorRegistersACompletionWithEvidenceAndVoidsItAtBothWidths() throws IOException {
        Path pdf = Files.createTempFile("intyg", ".pdf");
        Files.write(pdf, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Path fake = Files.createTempFile("falsk", ".pdf");
        Files.writeString(fake, "Inget intyg alls.");
        for (int width : new int[] {1280, 390}) {
            LocalDate today = LocalDate.now(SwedishTime.ZONE);
            String p = "RBT" + System.nanoTime();
            long municipality = tree.add(p, "Kommun G", OrgNodeKind.MUNICIPALITY, null).id();
            long unit = tree.add(p + "-E", "Granbacken", OrgNodeKind.UNIT, municipality).id();
            long person = people.create(PersonFixture.hsaPrefix() + "1", "Greta", "Gustafsson", null, unit,
                    today.minusYears(2), today.minusYears(1), "NON_LICENSED");
            String coordinator = users.account(p + "-samordnare", null, Role.COORDINATOR, municipality);

            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(new Dimension(width, 1000));
                browser.signIn(server.getURL().toString(), coordinator, TestUsers.PASSWORD);
                browser.open(server.getURL() + "/personer/" + person);
                browser.waitForHeading("Greta Gustafsson");
                browser.clickLink("Registrera genomförande");
                browser.waitForHeading("Registrera genomförande för Greta Gustafsson");
                visited(browser, "registration-" + width + "-01-form");

                fill(browser, today.minusDays(3).toString(), fake);
                browser.waitForHeading("Registrera genomförande för Greta Gustafsson");
                assertTrue(browser.driver().findElement(By.id("evidence-error")).getText().contains("PDF eller en bild"),
                        browser.text());
                assertEquals("Region Exempel", browser.driver().findElement(By.id("doneWhere")).getAttribute("value"));
                visited(browser, "registration-" + width + "-02-refused");

                fill(browser, today.minusDays(3).toString(), pdf);
                browser.waitForHeading("Greta Gustafsson");
                assertTrue(browser.text().contains("Genomförandet är registrerat")
                        && browser.text().contains("genomförd vid Region Exempel"), browser.text());
                visited(browser, "registration-" + width + "-03-registered");

                browser.navigate(() -> browser.driver().findElement(By.cssSelector("a[href$='/ogiltigforklara']")).click());
                browser.waitForHeading("Ogiltigförklara genomförande");
                visited(browser, "registration-" + width + "-04-void-form");
                browser.driver().findElement(By.id("reason")).sendKeys("Intyget gäller en annan kurs");
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Ogiltigförklara']"))
                        .click());
                browser.waitForHeading("Greta Gustafsson");
                assertTrue(browser.text().contains("Genomförandet är ogiltigförklarat")
                        && browser.text().contains("Intyget gäller en annan kurs"), browser.text());
                assertEquals(1, browser.driver().findElements(By.cssSelector("tr.voided del")).stream()
                        .filter(d -> d.getText().equals(titles.of(HYGIENE))).count());
                visited(browser, "registration-" + width + "-05-voided");
            }
        }
    }

    private static void fill(Browser browser, String day, Path file) {
        new Select(browser.driver().findElement(By.id("module"))).selectByValue(HYGIENE);
        // A date field takes what is typed in the browser's own order; set its value as the form sends it.
        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript("document.getElementById('completedOn').value = arguments[0]", day);
        var where = browser.driver().findElement(By.id("doneWhere"));
        where.clear();
        where.sendKeys("Region Exempel");
        browser.driver().findElement(By.id("evidence")).sendKeys(file.toAbsolutePath().toString());
        browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Registrera']")).click());
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
