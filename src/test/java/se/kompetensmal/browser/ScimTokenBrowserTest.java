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
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser, at 1280 and 390 px: a municipality's administrator opens the SCIM token page, is told when the name
 * is missing, makes a token with a default audience and sees it once, finds it listed (with the audience by name) and
 * revokes it. Every page visited is axe-clean and fits the window's width.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScimTokenBrowserTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("scim-tokens");

    @Test
    void anAdministratorMakesSeesOnceAndRevokesAToken() {
        String p = "SCIMB" + System.nanoTime() % 1_000_000_000L;
        long municipality = tree.add(p, "Tokenkommun", OrgNodeKind.MUNICIPALITY, null).id();
        String admin = users.account(p + "-admin", null, Role.ADMINISTRATOR, municipality);
        String base = server.getURL().toString().replaceFirst("/$", "");
        for (int width : new int[] {1280, 390}) {
            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(new Dimension(width, 900));
                browser.signIn(base, admin, TestUsers.PASSWORD);
                browser.open(base + "/organisationer/" + municipality + "/scim");
                browser.waitForHeading("SCIM-tokens för Tokenkommun");
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "scim-01-page-" + width);

                // The name left out (the browser's own check bypassed, as a script could): the page says what is missing.
                ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                        .executeScript("document.getElementById('name').removeAttribute('required')");
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Skapa token']")).click());
                browser.waitFor(By.cssSelector("[role=alert]"));
                assertTrue(browser.text().contains("Ge token ett namn"), browser.text());
                pages.visited(browser, "scim-02-problem-" + width);

                String name = "Entra ID " + width;
                browser.driver().findElement(By.id("name")).sendKeys(name);
                new Select(browser.driver().findElement(By.id("audience"))).selectByVisibleText("Politiker, förtroendevalda");
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Skapa token']")).click());
                String token = browser.waitFor(By.id("ny-token")).getAttribute("value");
                assertTrue(token.startsWith("kmscim_"), token);
                assertTrue(browser.text().contains("visas bara den här gången"), browser.text());
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "scim-03-created-" + width);

                browser.open(base + "/organisationer/" + municipality + "/scim");
                browser.waitForHeading("SCIM-tokens för Tokenkommun");
                assertFalse(browser.driver().getPageSource().contains(token), "shown once only");
                assertTrue(browser.text().contains(name) && browser.text().contains("Politiker, förtroendevalda")
                        && browser.text().contains("Aldrig"), browser.text());

                browser.navigate(() -> browser.driver().findElement(
                        By.cssSelector("button[aria-label='Återkalla token " + name + "']")).click());
                browser.waitForHeading("SCIM-tokens för Tokenkommun");
                assertTrue(browser.text().contains("Återkallad"), browser.text());
                browser.assertFitsTheWindowWidth();
                pages.visited(browser, "scim-04-revoked-" + width);
            }
        }
        assertEquals(2, sql.number("SELECT COUNT(*) FROM scim_token WHERE org_node_id = ? AND revoked_at IS NOT NULL", municipality));
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        pages.writeReport();
    }
}
