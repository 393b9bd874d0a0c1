package se.kompetensmal.browser;

import io.micronaut.http.HttpRequest;
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
import se.kompetensmal.TestUsers;
import se.kompetensmal.hrfiles.ColumnMapping;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser, at 1280 and at 390 px: a coordinator uploads a Windows-1252 export with the HR system's headers on
 * the import page, looks at the preview (and at it read as UTF-8, which it is not), imports it, and opens the column
 * mapping and pick-up pages. Every page is axe-clean and fits the window.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HrFilesBrowserTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("hrfiles");

    @Test
    void coordinatorPreviewsAndImportsAnExportAndLooksAtTheMappingAndPickUpPages() throws IOException {
        for (int width : new int[] {1280, 390}) {
            String p = "HBT" + System.nanoTime();
            long municipality = tree.add(p, "Kommun Bläckhorn", OrgNodeKind.MUNICIPALITY, null).id();
            tree.add(p + "-E", "Enhet Älven", OrgNodeKind.UNIT, municipality);
            String coordinator = users.account(p + "-samordnare", null, Role.COORDINATOR, municipality);
            http.toBlocking().exchange(HttpRequest.PUT("/api/organisations/" + municipality + "/column-mapping",
                    new ColumnMapping.Change(List.of(new ColumnMapping.Column("Anställningsnr", "anstallningsnummer"),
                            new ColumnMapping.Column("Enhetskod", "enhet"),
                            new ColumnMapping.Column("Befattningskategori/Målgrupp", "malgrupper"),
                            new ColumnMapping.Column("Anställningsdatum", "startdatum_organisation"))))
                    .bearerAuth(users.token(coordinator)));
            Path file = Files.createTempFile("heroma-export", ".csv");
            Files.write(file, ("Anställningsnr;Förnamn;Efternamn;E-post;Enhetskod;Befattningskategori/Målgrupp;Anställningsdatum;Kostnadsställe\r\n"
                    + "20001;Åsa;Ängström;;" + p + "-E;NON_LICENSED;2024-03-01;4711\r\n"
                    + "20002;Märta;O’Neill-Öst;;" + p + "-E;LICENSED;2019-08-19;4711\r\n").getBytes(Charset.forName("windows-1252")));

            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(new Dimension(width, 1000));
                browser.signIn(server.getURL().toString(), coordinator, TestUsers.PASSWORD);
                browser.open(server.getURL() + "/import");
                new Select(browser.driver().findElement(By.id("organisation"))).selectByValue(Long.toString(municipality));
                browser.driver().findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Ladda upp och förhandsgranska']")).click());
                browser.waitForHeading("Förhandsgranska " + file.getFileName());
                assertTrue(browser.text().contains("O’Neill-Öst") && browser.text().contains("används inte"), browser.text());
                visited(browser, "hrfiles-" + width + "-01-preview");

                new Select(browser.driver().findElement(By.id("kodning"))).selectByValue("UTF8");
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Visa med vald teckenkodning']")).click());
                browser.waitForHeading("Förhandsgranska " + file.getFileName());
                assertTrue(browser.text().contains("Filen kan inte läsas"), browser.text());
                visited(browser, "hrfiles-" + width + "-02-preview-as-utf8");

                new Select(browser.driver().findElement(By.id("kodning"))).selectByValue("WINDOWS_1252");
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Visa med vald teckenkodning']")).click());
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Importera filen']")).click());
                browser.reloadUntil(d -> d.getPageSource().contains("Klar"), java.time.Duration.ofMinutes(2), "the import to end");
                assertTrue(browser.text().contains("2 nya"), browser.text());
                visited(browser, "hrfiles-" + width + "-03-imported");

                browser.open(server.getURL() + "/import");
                browser.clickLink("Kolumnmappning");
                browser.waitForHeading("Kolumnmappning för Kommun Bläckhorn");
                visited(browser, "hrfiles-" + width + "-04-mapping");

                browser.open(server.getURL() + "/organisationer/" + municipality + "/hamtning");
                browser.waitForHeading("Hämtning från mapp för Kommun Bläckhorn");
                browser.driver().findElement(By.id("folder")).sendKeys("../utanfor");
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Spara']")).click());
                browser.waitForHeading("Hämtning från mapp för Kommun Bläckhorn");
                assertTrue(browser.text().contains("får inte innehålla"), browser.text());
                visited(browser, "hrfiles-" + width + "-05-pickup-refused");
            } finally {
                Files.deleteIfExists(file);
            }
            assertEquals(2, sql.number("SELECT COUNT(*) FROM person WHERE huvudman_id = ?", municipality));
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
