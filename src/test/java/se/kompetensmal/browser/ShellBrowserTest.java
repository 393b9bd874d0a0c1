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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import se.kompetensmal.ServiceTest;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser: the menu folds behind a "Meny" button on a 390 px phone, takes little of the screen while closed and
 * opens with a click; on a wide screen it is open without a button. The coordinator's start page and the 404 page fit
 * the phone and are axe-clean (target/accessibility/shell.txt).
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.demo-data", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShellBrowserTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("shell");

    @Test
    void theMenuFoldsOnAPhoneAndOpensWithAClick() {
        String base = server.getURL().toString().replaceFirst("/$", "");
        try (Browser browser = new Browser()) {
            WebDriver driver = browser.driver();
            driver.manage().window().setSize(new Dimension(1280, 900));
            browser.signIn(base, "samordnare.region", "Demo-samordnare-2026");
            WebElement button = driver.findElement(By.cssSelector("button.menu-button"));
            WebElement list = driver.findElement(By.id("huvudmeny"));
            assertFalse(button.isDisplayed(), "no menu button on a wide screen");
            assertTrue(list.isDisplayed(), "the menu is open on a wide screen");
            assertEquals("page", driver.findElement(By.cssSelector("#huvudmeny a[href='/']")).getAttribute("aria-current"));
            pages.visited(browser, "shell-01-coordinator-start-1280");

            driver.manage().window().setSize(new Dimension(390, 844));
            browser.open(base + "/");
            button = driver.findElement(By.cssSelector("button.menu-button"));
            list = driver.findElement(By.id("huvudmeny"));
            assertTrue(button.isDisplayed(), "a menu button on a phone");
            assertFalse(list.isDisplayed(), "the menu is closed on a phone");
            assertEquals("false", button.getAttribute("aria-expanded"));
            long header = ((Number) ((org.openqa.selenium.JavascriptExecutor) driver)
                    .executeScript("return document.querySelector('header').getBoundingClientRect().height")).longValue();
            assertTrue(header < 140, "the closed menu's header is " + header + " px high");
            browser.assertFitsTheWindowWidth();
            pages.visited(browser, "shell-02-coordinator-start-390");

            button.click();
            assertEquals("true", button.getAttribute("aria-expanded"));
            assertTrue(list.isDisplayed(), "the menu opens with a click");
            assertTrue(driver.findElement(By.linkText("Uppföljning")).isDisplayed());
            pages.visited(browser, "shell-03-menu-open-390");

            browser.open(base + "/finns-inte");
            browser.waitForHeading("Sidan finns inte");
            browser.assertFitsTheWindowWidth();
            pages.visited(browser, "shell-04-not-found-390");
        }
    }

    @AfterAll
    void writeReport() throws IOException {
        pages.writeReport();
    }
}
