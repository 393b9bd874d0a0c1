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
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser, at 1280 and at 390 px: the coordinator's occasion pages (the session module form, the new-occasion
 * form, the month list) and the attendance form of an occasion that has begun, where one no-show is unticked. Every page
 * is axe-clean and fits the window. (The learner's side and the whole journey are the sign-up's browser test.)
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OccasionBrowserTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("occasion");

    @Test
    void coordinatorMarksAttendanceWithOneNoShowAtBothWidths() {
        for (int width : new int[] {1280, 390}) {
            LocalDate today = LocalDate.now(SwedishTime.ZONE);
            String p = "OBT" + System.nanoTime();
            long region = tree.add(p, "Region Kurs", OrgNodeKind.REGION, null).id();
            long unit = tree.add(p + "-E", "Medicinavdelning 4", OrgNodeKind.UNIT, region).id();
            String coordinator = users.account(p + "-samordnare", null, Role.COORDINATOR, region);
            String token = users.token(coordinator);
            String goal = sql.strings("SELECT code FROM competence_goal WHERE owner_org_id IS NULL ORDER BY code").get(0);
            String code = (String) http.toBlocking().retrieve(HttpRequest.POST("/api/session-modules", Map.of("owner", region,
                    "title", "Simulering " + p, "summary", "Teamträning.", "estimatedMinutes", 180,
                    "audiences", List.of("LICENSED"), "goals", List.of(goal))).bearerAuth(token), Map.class).get("code");
            LocalDate day = today.plusDays(5);
            long occasion = ((Number) http.toBlocking().retrieve(HttpRequest.POST("/api/occasions", Map.of("node", region,
                    "moduleCode", code, "day", day.toString(), "start", "13:00", "durationMinutes", 180,
                    "place", "Simuleringscentret, rum 2", "capacity", 2, "signupDeadline", day.toString()))
                    .bearerAuth(token), Map.class).get("id")).longValue();
            LocalDate started = today.minusYears(1);
            long anna = people.create(PersonFixture.hsaPrefix() + "A", "Anna", "Ek", null, unit, started, started, "LICENSED");
            long bo = people.create(PersonFixture.hsaPrefix() + "B", "Bo", "Ask", null, unit, started, started, "LICENSED");
            long cilla = people.create(PersonFixture.hsaPrefix() + "C", "Cilla", "Alm", null, unit, started, started, "LICENSED");
            // The places as the learners' sign-ups leave them: two booked, the third waiting.
            sql.update("INSERT INTO session_signup (occasion_id, person_id, status) VALUES (?, ?, 'BOOKED'), (?, ?, 'BOOKED')",
                    occasion, anna, occasion, bo);
            sql.update("INSERT INTO session_signup (occasion_id, person_id, status, waiting_since) VALUES (?, ?, 'WAITING', NOW(3))",
                    occasion, cilla);
            sql.update("UPDATE session_occasion SET booked = 2 WHERE id = ?", occasion);

            try (Browser browser = new Browser()) {
                browser.driver().manage().window().setSize(new Dimension(width, 1000));
                browser.signIn(server.getURL().toString(), coordinator, TestUsers.PASSWORD);
                browser.open(server.getURL() + "/egna-moduler/lararledd/ny");
                browser.waitForHeading("Ny lärarledd modul");
                visited(browser, "occasion-" + width + "-01-session-module-form");

                browser.open(server.getURL() + "/organisationer/" + region + "/tillfallen/ny");
                browser.waitForHeading("Nytt tillfälle – Region Kurs");
                visited(browser, "occasion-" + width + "-02-new-occasion-form");

                browser.open(server.getURL() + "/organisationer/" + region + "/tillfallen?manad=" + YearMonth.from(day));
                browser.waitForHeading("Lärarledda tillfällen – Region Kurs");
                assertTrue(browser.text().contains("2 av 2") && browser.text().contains("100 %"), browser.text());
                visited(browser, "occasion-" + width + "-03-month");

                // The occasion has begun: attendance can be marked.
                sql.update("UPDATE session_occasion SET starts_at = ? WHERE id = ?",
                        LocalDateTime.now(SwedishTime.ZONE).minusMinutes(10).withNano(0), occasion);
                browser.open(server.getURL() + "/tillfallen/" + occasion);
                browser.waitForHeading("Simulering " + p);
                assertTrue(browser.driver().findElement(By.id("present-" + anna)).isSelected()
                        && browser.driver().findElement(By.id("present-" + bo)).isSelected(), "present by default");
                visited(browser, "occasion-" + width + "-04-attendance");

                browser.driver().findElement(By.cssSelector("label[for='present-" + bo + "']")).click();
                browser.navigate(() -> browser.driver().findElement(By.xpath("//button[normalize-space()='Spara närvaron']"))
                        .click());
                browser.waitForHeading("Simulering " + p);
                assertTrue(browser.text().contains("Närvaron är sparad.") && browser.text().contains("1 närvarande, 1 uteblev"),
                        browser.text());
                visited(browser, "occasion-" + width + "-05-marked");
            }
            assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ? AND occasion_id = ?", anna, occasion));
            assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", bo));
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
