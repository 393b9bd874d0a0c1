package se.kompetensmal.browser;

import se.kompetensmal.TestMail;
import se.kompetensmal.standing.Standing;

import com.icegreen.greenmail.util.GreenMail;
import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A classroom session from sign-up to attendance in a real browser, on the demo region: the demo coordinator plans an
 * occasion with two places for a session module that a routine asks of Medicinavdelning 11's licensed staff; three of
 * them sign up from Min utbildning (the third joins the waiting list); one cancels and the third moves up, with a mail
 * (GreenMail); on the day the coordinator marks one attended and one absent: the attended one's module is done, the
 * absent one's still due. Every page is looked at at 1280 px and at 390 px, axe-clean at both and without sideways
 * scrolling on the phone.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionBrowserTest extends ServiceTest {

    private static final String COORDINATOR = "samordnare.region";
    private static final String COORDINATOR_PASSWORD = "Demo-samordnare-2026";
    private static final String REGION_CODE = "SE2321000999";
    private static final String WARD_CODE = "SE2321000999-E01";
    /** The demo learner (Anders Olofsson) and two licensed colleagues on his ward, who get accounts here. */
    private static final String ANDERS = "medarbetare";
    private static final String ANDERS_PASSWORD = "Demo-medarbetare-2026";
    private static final String HAKAN_HSA = "SE2321000999-1002";
    private static final String OSKAR_HSA = "SE2321000999-1003";
    private static final String MAIL_DOMAIN = "region-demoland.example";

    @Inject
    EmbeddedServer server;

    final int smtpPort = TestMail.freePort();
    final GreenMail smtp = TestMail.startSmtp(smtpPort);
    private final PageVisits pages = new PageVisits("session");

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("kompetensmal.demo-data", "true");
        properties.put("javamail.enabled", "true");
        properties.put("javamail.properties.mail.smtp.host", "127.0.0.1");
        properties.put("javamail.properties.mail.smtp.port", Integer.toString(smtpPort));
        properties.put("kompetensmal.mail.from", "kompetensmal@region-demoland.example");
        // No reminder round of its own during the test: the mails counted are those the test causes.
        properties.put("kompetensmal.reminders.initial-delay", "1h");
        return properties;
    }

    @Test
    void threeSignUpTheThirdWaitsMovesUpWhenOneCancelsAndAttendanceDecidesWhoIsDone() throws Exception {
        sql.awaitRecomputations();
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        long region = sql.number("SELECT id FROM org_node WHERE code = ?", REGION_CODE);
        long ward = sql.number("SELECT id FROM org_node WHERE code = ?", WARD_CODE);
        long anders = sql.number("SELECT person_id FROM user_account WHERE username = ?", ANDERS);
        long hakan = sql.number("SELECT id FROM person WHERE hsa_id = ?", HAKAN_HSA);
        long oskar = sql.number("SELECT id FROM person WHERE hsa_id = ?", OSKAR_HSA);
        String hakanAccount = users.account("hakan.falk.session", hakan, null, null);
        String oskarAccount = users.account("oskar.ek.session", oskar, null, null);
        String token = users.signIn(COORDINATOR, COORDINATOR_PASSWORD);

        // The facts: a session module of the region, in an introduction routine for the ward's licensed staff.
        String goal = sql.strings("SELECT code FROM competence_goal WHERE owner_org_id IS NULL ORDER BY code LIMIT 1").get(0);
        String title = "Simuleringsövning hjärt-lungräddning " + System.nanoTime() % 100_000;
        String module = http.toBlocking().retrieve(HttpRequest.POST("/api/session-modules", Map.of("owner", region,
                "title", title, "summary", "Övning i team med docka och hjärtstartare.", "estimatedMinutes", 120,
                "audiences", List.of("LICENSED"), "goals", List.of(goal))).bearerAuth(token), Map.class).get("code").toString();
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + ward + "/routines", new RoutineForm(
                "Introduktion " + title, RoutineKind.INTRODUCTION, "LICENSED", List.of(module), 30, CountsFrom.ORG_START,
                null, null, null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(token));
        sql.awaitRecomputations();
        for (long person : List.of(anders, hakan, oskar)) {
            assertEquals(1, stillDue(person, module), "the routine asks the module of person " + person);
        }

        LocalDate day = today.plusDays(7);
        long occasion;
        try (Browser browser = new Browser()) {
            // The coordinator plans an occasion with two places, in a week, from her menu.
            browser.signIn(server.getURL().toString(), COORDINATOR, COORDINATOR_PASSWORD);
            browser.clickLink("Lärarledda tillfällen");
            browser.waitFor(By.linkText("Nytt tillfälle"));
            atBothWidths(browser, "session-01-coordinator-month");
            browser.clickLink("Nytt tillfälle");
            new Select(browser.waitFor(By.id("module"))).selectByValue(module);
            setValue(browser, "day", day.toString());
            setValue(browser, "start", "09:00");
            setValue(browser, "minutes", "120");
            browser.driver().findElement(By.id("place")).sendKeys("Kliniskt träningscentrum, sal 2");
            setValue(browser, "capacity", "2");
            setValue(browser, "deadline", day.minusDays(2).toString());
            atBothWidths(browser, "session-02-coordinator-new");
            press(browser, "Skapa tillfället");
            browser.waitForHeading(title);
            String url = browser.driver().getCurrentUrl();
            assertTrue(url.matches(".*/tillfallen/\\d+\\?skapat=1$"), url);
            occasion = Long.parseLong(url.replaceFirst(".*/tillfallen/(\\d+)\\?.*", "$1"));
            assertEquals(List.of(module + " " + day + " 09:00 120 2 " + day.minusDays(2)), sql.strings("""
                    SELECT CONCAT_WS(' ', module_code, DATE(starts_at), TIME_FORMAT(starts_at, '%H:%i'), duration_minutes,
                                     capacity, signup_deadline) FROM session_occasion WHERE id = ?""", occasion));
            atBothWidths(browser, "session-03-coordinator-occasion");
            signOut(browser);

            // Anders finds the module in Min utbildning and takes one of the two places.
            browser.signIn(server.getURL().toString(), ANDERS, ANDERS_PASSWORD);
            browser.clickLink(title);
            browser.waitForHeading(title);
            assertTrue(browser.driver().getCurrentUrl().endsWith("/utbildning/" + module + "/tillfallen"),
                    "a session module's link leads to its occasions: " + browser.driver().getCurrentUrl());
            List<Map<String, String>> listed = browser.table(By.cssSelector("table.stacked"));
            assertEquals(1, listed.size(), listed.toString());
            assertEquals(day.toString(), listed.get(0).get("Dag"));
            assertEquals("09:00–11:00", listed.get(0).get("Tid"));
            assertEquals("Kliniskt träningscentrum, sal 2", listed.get(0).get("Plats"));
            assertEquals("2", listed.get(0).get("Lediga platser"));
            atBothWidths(browser, "session-04-occasions");
            press(browser, "Anmäl dig");
            assertTrue(browser.text().contains("Du är anmäld."), browser.text());
            atBothWidths(browser, "session-05-booked");
            String ics = new String(browser.download(server.getURL() + "/utbildning/" + module + "/tillfallen/" + occasion
                    + "/kalender.ics").body(), StandardCharsets.UTF_8);
            VEvent event = (VEvent) new CalendarBuilder().build(new StringReader(ics)).getComponent(Component.VEVENT);
            assertEquals(title, event.getSummary().getValue());
            browser.open(server.getURL().toString());
            assertTrue(browser.text().contains("Anmäld: " + day + " 09:00–11:00, Kliniskt träningscentrum, sal 2"),
                    "Min utbildning shows the booking: " + browser.text());
            atBothWidths(browser, "session-06-min-utbildning-booked");
            signOut(browser);

            // Håkan takes the other place; Oskar finds the occasion full and joins the waiting list.
            browser.signIn(server.getURL().toString(), hakanAccount, TestUsers.PASSWORD);
            browser.open(server.getURL() + "/utbildning/" + module + "/tillfallen");
            press(browser, "Anmäl dig");
            assertTrue(browser.text().contains("Du är anmäld."), browser.text());
            signOut(browser);
            browser.signIn(server.getURL().toString(), oskarAccount, TestUsers.PASSWORD);
            browser.open(server.getURL() + "/utbildning/" + module);
            browser.waitForHeading(title);
            assertEquals("0", browser.table(By.cssSelector("table.stacked")).get(0).get("Lediga platser"));
            press(browser, "Ställ dig i kö");
            assertTrue(browser.text().contains("Din plats i kön: 1."), browser.text());
            atBothWidths(browser, "session-07-waiting");
            browser.open(server.getURL().toString());
            assertTrue(browser.text().contains("I kö, plats 1"), browser.text());
            signOut(browser);
            assertEquals(List.of(), mailsTo(List.of(anders, hakan, oskar)), "signing up sends no mail");

            // Håkan cancels: Oskar moves up and is told by mail.
            browser.signIn(server.getURL().toString(), hakanAccount, TestUsers.PASSWORD);
            browser.open(server.getURL() + "/utbildning/" + module + "/tillfallen");
            press(browser, "Avboka");
            assertTrue(browser.text().contains("Din anmälan är avbokad."), browser.text());
            signOut(browser);
            assertEquals(Map.of(anders, "BOOKED", hakan, "CANCELLED", oskar, "BOOKED"), statuses(occasion));
            List<MimeMessage> moved = mailsTo(List.of(anders, hakan, oskar));
            assertEquals(1, moved.size(), "one mail: to the one who moved up");
            assertEquals(email(oskar), moved.get(0).getAllRecipients()[0].toString());
            assertTrue(moved.get(0).getSubject().startsWith("Du har fått en plats: " + title), moved.get(0).getSubject());
            browser.signIn(server.getURL().toString(), oskarAccount, TestUsers.PASSWORD);
            assertTrue(browser.text().contains("Anmäld: " + day + " 09:00–11:00"), browser.text());
            signOut(browser);

            // The day comes: the occasion is moved to have started an hour ago (attendance is marked from the start on).
            java.time.LocalDateTime started = java.time.LocalDateTime.now(SwedishTime.ZONE).minusHours(1).withSecond(0).withNano(0);
            LocalDate held = started.toLocalDate();
            sql.update("UPDATE session_occasion SET starts_at = ?, signup_deadline = ? WHERE id = ?", started, held, occasion);

            // The coordinator marks attendance: everyone is ticked as present; she unticks Oskar, who did not come.
            browser.signIn(server.getURL().toString(), COORDINATOR, COORDINATOR_PASSWORD);
            browser.open(server.getURL() + "/tillfallen/" + occasion);
            browser.waitForHeading(title);
            assertTrue(browser.driver().findElement(By.id("present-" + anders)).isSelected(), "present by default");
            assertTrue(browser.driver().findElement(By.id("present-" + oskar)).isSelected(), "present by default");
            assertTrue(browser.driver().findElements(By.id("present-" + hakan)).isEmpty(), "Håkan cancelled");
            atBothWidths(browser, "session-10-coordinator-attendance");
            browser.driver().findElement(By.cssSelector("label[for='present-" + oskar + "']")).click();
            press(browser, "Spara närvaron");
            browser.waitForHeading(title);
            atBothWidths(browser, "session-11-coordinator-attendance-saved");
            signOut(browser);

            assertEquals(Map.of(anders, "ATTENDED", hakan, "CANCELLED", oskar, "ABSENT"), statuses(occasion));
            assertEquals(0, stillDue(anders, module), "the attended learner's module is done");
            assertEquals(1, stillDue(oskar, module), "the absent learner's module is still due");
            assertEquals(List.of("SESSION " + held), sql.strings("""
                    SELECT CONCAT(c.source, ' ', c.completed_on) FROM completion c JOIN module_version mv
                      ON mv.id = c.module_version_id WHERE c.person_id = ? AND mv.module_code = ?""", anders, module));

            browser.signIn(server.getURL().toString(), ANDERS, ANDERS_PASSWORD);
            assertTrue(section(browser, "Klara").contains(title), "Anders sees the module done");
            atBothWidths(browser, "session-12-min-utbildning-done");
            signOut(browser);
            browser.signIn(server.getURL().toString(), oskarAccount, TestUsers.PASSWORD);
            assertTrue(!browser.text().contains("Anmäld: " + day) && section(browser, "Försenade").contains(title),
                    "Oskar's module is still to do, without a booking: " + browser.text());
            atBothWidths(browser, "session-13-min-utbildning-absent");
        }
    }

    @AfterAll
    void reportAccessibilityAndStopSmtp() throws IOException {
        smtp.stop();
        pages.writeReport();
    }

    /** Presses the form button with this text (its hidden part, the occasion's time, is not part of the text shown). */
    private static void press(Browser browser, String text) {
        browser.navigate(() -> browser.waitUntil(d -> d.findElements(By.cssSelector("main button")).stream()
                .filter(b -> b.getText().strip().startsWith(text) && b.isDisplayed()).findFirst().orElse(null),
                "a button '" + text + "'").click());
    }

    /** Sets a date, time or number field as a user's picker would (typing into it depends on the browser's locale). */
    private static void setValue(Browser browser, String id, String value) {
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1]",
                browser.driver().findElement(By.id(id)), value);
    }

    private static void signOut(Browser browser) {
        browser.atWidth(1280, () -> browser.navigate(() -> browser.driver()
                .findElement(By.cssSelector("form[action='/logout'] button[type=submit]")).click()));
    }

    /** The text of the section of Min utbildning whose heading is this. */
    private static String section(Browser browser, String heading) {
        return browser.driver().findElement(By.xpath("//section[h3[normalize-space()='" + heading + "']]")).getText();
    }

    private long stillDue(long person, String module) {
        return sql.number("SELECT COUNT(*) FROM assignment a WHERE a.person_id = ? AND a.module_code = ? AND "
                + Standing.STILL_TO_DO, person, module);
    }

    private Map<Long, String> statuses(long occasion) {
        Map<Long, String> statuses = new HashMap<>();
        for (String row : sql.strings("SELECT CONCAT(person_id, ':', status) FROM session_signup WHERE occasion_id = ?",
                occasion)) {
            String[] parts = row.split(":");
            statuses.put(Long.parseLong(parts[0]), parts[1]);
        }
        return statuses;
    }

    private String email(long person) {
        return sql.strings("SELECT email FROM person WHERE id = ?", person).get(0);
    }

    private List<MimeMessage> mailsTo(List<Long> persons) throws MessagingException {
        List<String> addresses = new ArrayList<>();
        for (long person : persons) {
            addresses.add(email(person));
        }
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessagesForDomain(MAIL_DOMAIN)) {
            if (addresses.contains(message.getAllRecipients()[0].toString())) {
                found.add(message);
            }
        }
        return found;
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
