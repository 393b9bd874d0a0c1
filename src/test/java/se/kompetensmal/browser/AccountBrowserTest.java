package se.kompetensmal.browser;

import com.icegreen.greenmail.util.GreenMail;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestMail;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An account from start to first sign-in, in a real browser: a municipality's administrator opens a person's page,
 * creates her account (username: her e-mail address) and sends the link; the mail arrives (GreenMail); she opens the link,
 * tries a password that is too short and then a common one (each refused at the field, in Swedish), chooses a good one,
 * signs in and lands on her start page. Every page at 1280 and at 390 px, axe-clean and without sideways scrolling.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountBrowserTest extends ServiceTest {

    private static final Pattern LINK = Pattern.compile("https://kompetens\\.example(/konto/satt-losenord\\?nyckel=[A-Za-z0-9_-]+)");
    private static final String PASSWORD = "Maskrosor längs cykelvägen";

    @Inject
    EmbeddedServer server;

    final int smtpPort = TestMail.freePort();
    final GreenMail smtp = TestMail.startSmtp(smtpPort);
    private final PageVisits pages = new PageVisits("account");

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("javamail.enabled", "true");
        properties.put("javamail.properties.mail.smtp.host", "127.0.0.1");
        properties.put("javamail.properties.mail.smtp.port", Integer.toString(smtpPort));
        properties.put("kompetensmal.mail.from", "kompetensmal@kommun.example");
        properties.put("kompetensmal.public-url", "https://kompetens.example");
        return properties;
    }

    @Test
    void administratorCreatesAnAccountTheLinkArrivesAndThePersonChoosesAPasswordAndSignsIn() throws Exception {
        String p = "ABT" + System.nanoTime();
        long municipality = tree.add(p, "Kommun Lövsta", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add(p + "-E", "Hemtjänst Lövsta centrum", OrgNodeKind.UNIT, municipality).id();
        String email = "maja.mattsson." + System.nanoTime() + "@lovsta.example";
        long person = people.create(PersonFixture.hsaPrefix() + "1", "Maja", "Mattsson", email, unit,
                LocalDate.parse("2024-03-01"), LocalDate.parse("2024-03-01"), "NON_LICENSED");
        String admin = users.account(p + "-admin", null, Role.ADMINISTRATOR, municipality);

        try (Browser browser = new Browser()) {
            // The administrator finds the way from the person page.
            browser.signIn(server.getURL().toString(), admin, TestUsers.PASSWORD);
            browser.open(server.getURL() + "/personer/" + person);
            browser.waitForHeading("Maja Mattsson");
            assertTrue(browser.text().contains("Maja Mattsson har inget konto för inloggning med lösenord."), browser.text());
            atBothWidths(browser, "account-01-person-page");
            browser.clickLink("Skapa konto");
            browser.waitForHeading("Konto för Maja Mattsson");
            assertEquals(email, browser.driver().findElement(By.id("username")).getAttribute("value"));
            atBothWidths(browser, "account-02-create-form");

            press(browser, "Skapa konto");
            browser.waitForHeading("Konto för Maja Mattsson");
            assertTrue(browser.text().contains("Kontot " + email + " är skapat."), browser.text());
            atBothWidths(browser, "account-03-created");

            press(browser, "Skicka länk");
            browser.waitForHeading("Konto för Maja Mattsson");
            assertTrue(browser.text().contains("En länk har skickats till " + email + "."), browser.text());
            atBothWidths(browser, "account-04-link-sent");
            signOut(browser);

            // The mail: her username and the link, to the public address.
            assertTrue(smtp.waitForIncomingEmail(10_000, 1), "the mail arrives");
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertEquals(email, mail.getAllRecipients()[0].toString());
            String text = TestMail.text(mail);
            assertTrue(text.contains("Ditt användarnamn: " + email), text);
            Matcher link = LINK.matcher(text);
            assertTrue(link.find(), text);

            // She opens the link, tries a short and then a common password, then chooses a good one.
            browser.open(server.getURL() + link.group(1));
            browser.waitForHeading("Välj lösenord");
            atBothWidths(browser, "account-05-choose-password");

            choose(browser, "sommar2024");
            browser.waitForHeading("Välj lösenord");
            assertEquals("Lösenordet är för kort: det har 10 tecken och ska ha minst 12.", fieldError(browser));
            assertEquals("true", browser.driver().findElement(By.id("password")).getAttribute("aria-invalid"));
            atBothWidths(browser, "account-06-too-short");

            choose(browser, "Lösenord1234!");
            browser.waitForHeading("Välj lösenord");
            assertTrue(fieldError(browser).startsWith("Lösenordet är för vanligt"), fieldError(browser));
            atBothWidths(browser, "account-07-common");

            choose(browser, PASSWORD);
            browser.waitForHeading("Logga in");
            assertTrue(browser.text().contains("Ditt lösenord är sparat."), browser.text());
            atBothWidths(browser, "account-08-password-saved");

            browser.signIn(server.getURL().toString(), email, PASSWORD);
            browser.waitForHeading("Välkommen, Maja Mattsson");
            atBothWidths(browser, "account-09-start-page");

            // Her settings offer to change the password, with the same rules.
            browser.open(server.getURL() + "/installningar");
            browser.waitFor(By.id("currentPassword"));
            atBothWidths(browser, "account-10-settings");
            signOut(browser);

            // The link was used once; opening it again says so.
            browser.open(server.getURL() + link.group(1));
            browser.waitForHeading("Länken går inte att använda");
            assertTrue(browser.text().contains("Länken har redan använts."), browser.text());
            atBothWidths(browser, "account-11-link-used");
        }
        assertEquals(List.of("ACCOUNT_CREATED", "PASSWORD_LINK_SENT"), sql.strings(
                "SELECT action FROM audit_event WHERE actor = ? AND action IN (?, ?) ORDER BY id", admin, "ACCOUNT_CREATED",
                "PASSWORD_LINK_SENT"));
        assertEquals(List.of("PASSWORD_SET", "SIGN_IN"), sql.strings(
                "SELECT action FROM audit_event WHERE actor = ? ORDER BY id", email));
    }

    private static void choose(Browser browser, String password) {
        for (String field : new String[] {"password", "repeat"}) {
            WebElement input = browser.driver().findElement(By.id(field));
            input.clear();
            input.sendKeys(password);
        }
        press(browser, "Spara lösenordet");
        String heading = browser.heading();
        if (!heading.equals("Välj lösenord") && !heading.equals("Logga in")) {
            throw new AssertionError("unexpected page after choosing a password: " + browser.text());
        }
    }

    private static String fieldError(Browser browser) {
        return browser.driver().findElement(By.id("password-error")).getText();
    }

    private static void press(Browser browser, String button) {
        browser.navigate(() -> browser.driver().findElement(By.xpath("//main//button[normalize-space()='" + button + "']")).click());
    }

    private static void signOut(Browser browser) {
        browser.atWidth(1280, () -> browser.navigate(() -> browser.driver()
                .findElement(By.cssSelector("form[action='/logout'] button[type=submit]")).click()));
    }

    private void atBothWidths(Browser browser, String name) {
        browser.atWidth(1280, () -> pages.visited(browser, name + "-1280"));
        browser.atWidth(390, () -> {
            browser.assertFitsTheWindowWidth();
            pages.visited(browser, name + "-390");
        });
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        pages.writeReport();
        smtp.stop();
    }
}
