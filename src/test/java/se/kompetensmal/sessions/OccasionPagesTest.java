package se.kompetensmal.sessions;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coordinator's way through the pages: a session module, an occasion on it, the month's list, the occasion's list
 * and attendance with everyone ticked but the exception, and cancelling; the trainer's own list; the catalogue page of
 * a session module offers no pages or assessment.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OccasionPagesTest extends ServiceTest {

    @Test
    void aCoordinatorCreatesASessionModuleAndAnOccasionAndMarksAttendanceOnThePages() {
        String p = "OPG" + System.nanoTime();
        long region = tree.add(p + "R", "Region Sidland", OrgNodeKind.REGION, null).id();
        long unit = tree.add(p + "U", "Vårdcentral Norr", OrgNodeKind.UNIT, region).id();
        String session = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
        String trainerName = p + "-utbildare";
        String trainer = users.token(users.account(trainerName, null, Role.TRAINER, region));
        long trainerAccount = sql.number("SELECT id FROM user_account WHERE username = ?", trainerName);
        LocalDate today = LocalDate.now(SwedishTime.ZONE);

        String own = get("/egna-moduler", session);
        assertTrue(own.contains("href=\"/egna-moduler/lararledd/ny\""), own);
        String form = get("/egna-moduler/lararledd/ny", session);
        assertTrue(form.contains("<legend>Målgrupper</legend>") && form.contains("<legend>Kompetensmål</legend>"), form);
        String goal = sql.strings("SELECT code FROM competence_goal WHERE owner_org_id IS NULL ORDER BY code").get(0);
        assertTrue(form.contains("value=\"" + goal + "\""), form);

        HttpClientResponseException missing = assertThrows(HttpClientResponseException.class, () -> post(
                "/egna-moduler/lararledd/ny", session, "owner=" + region + "&title=Utan+mål&summary=Text&minutes=60"
                        + "&audiences=LICENSED&csrfToken=" + csrf(form)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, missing.getStatus());
        String again = missing.getResponse().getBody(String.class).orElseThrow();
        assertTrue(again.contains("Välj minst ett kompetensmål") && again.contains("value=\"Utan mål\""), again);

        HttpResponse<String> created = post("/egna-moduler/lararledd/ny", session, "owner=" + region
                + "&title=" + enc("Introduktionsdag " + p) + "&summary=" + enc("En dag om patientsäkerhet.")
                + "&minutes=420&audiences=LICENSED&goals=" + goal + "&csrfToken=" + csrf(form));
        assertEquals(HttpStatus.SEE_OTHER, created.getStatus());
        String code = "introduktionsdag-" + p.toLowerCase();
        assertEquals("/katalog/moduler/" + code, created.getHeaders().get("Location"));
        String catalogue = get("/katalog/moduler/" + code, session);
        assertTrue(catalogue.contains("Lärarlett, vid ett tillfälle"), catalogue);
        assertFalse(catalogue.contains("<h2 id=\"sidor\">") || catalogue.contains("Godkänt från"), catalogue);
        assertEquals("SESSION", sql.strings("SELECT source FROM catalogue_module WHERE code = ?", code).get(0));
        String listed0 = get("/egna-moduler", session);
        assertTrue(listed0.contains("href=\"/katalog/moduler/" + code + "\"") && listed0.contains("Lärarledd"), listed0);
        assertEquals("0", sql.strings("SELECT pass_mark FROM module_version WHERE module_code = ?", code).get(0));

        String month = get("/organisationer/" + region + "/tillfallen", session);
        assertTrue(month.contains("href=\"/organisationer/" + region + "/tillfallen/ny\""), month);
        assertTrue(month.contains("href=\"/organisationer/" + region + "/tillfallen\">Lärarledda tillfällen</a>")
                || month.contains(">Lärarledda tillfällen<"), "menu entry: " + month);
        String newForm = get("/organisationer/" + region + "/tillfallen/ny", session);
        assertTrue(newForm.contains("Introduktionsdag " + p) && newForm.contains("Test " + trainerName), newForm);

        LocalDate day = today.plusDays(20);
        HttpClientResponseException late = assertThrows(HttpClientResponseException.class, () -> post(
                "/organisationer/" + region + "/tillfallen/ny", session, occasionForm(code, day, day.plusDays(1), trainerAccount,
                        csrf(newForm))));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, late.getStatus());
        assertTrue(late.getResponse().getBody(String.class).orElseThrow()
                .contains("Sista anmälningsdag kan inte vara efter tillfällets datum."));

        HttpResponse<String> saved = post("/organisationer/" + region + "/tillfallen/ny", session,
                occasionForm(code, day, day.minusDays(3), trainerAccount, csrf(newForm)));
        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());
        String location = saved.getHeaders().get("Location");
        long occasion = Long.parseLong(location.replaceAll("^/tillfallen/(\\d+)\\?skapat=1$", "$1"));

        LocalDate started = today.minusYears(1);
        long anna = people.create(PersonFixture.hsaPrefix() + "A", "Anna", "Andersson", null, unit, started, started, "LICENSED");
        long bo = people.create(PersonFixture.hsaPrefix() + "B", "Bo", "Berg", null, unit, started, started, "LICENSED");
        long cilla = people.create(PersonFixture.hsaPrefix() + "C", "Cilla", "Ceder", null, unit, started, started, "LICENSED");
        for (long person : new long[] {anna, bo}) {
            sql.update("INSERT INTO session_signup (occasion_id, person_id, status) VALUES (?, ?, 'BOOKED')", occasion, person);
        }
        sql.update("INSERT INTO session_signup (occasion_id, person_id, status, waiting_since) VALUES (?, ?, 'WAITING', NOW(3))",
                occasion, cilla);
        sql.update("UPDATE session_occasion SET booked = 2 WHERE id = ?", occasion);

        String page = get("/tillfallen/" + occasion, session);
        assertTrue(page.contains("Anna Andersson") && page.contains("Bo Berg") && page.contains("Cilla Ceder"), page);
        assertTrue(page.contains("2 av 12 bokade (17 %), 1 i kö"), page);
        assertTrue(page.contains("Närvaron registreras från tillfällets start"), "no attendance form before the start: " + page);
        assertFalse(page.contains("action=\"/tillfallen/" + occasion + "/narvaro\""), page);
        assertTrue(page.contains("action=\"/tillfallen/" + occasion + "/stall-in\""), page);

        YearMonth shown = YearMonth.from(day);
        String listed = get("/organisationer/" + region + "/tillfallen?manad=" + shown, session);
        assertTrue(listed.contains("href=\"/tillfallen/" + occasion + "\"") && listed.contains("2 av 12")
                && listed.contains("17 %"), listed);

        // The trainer sees it among their own, not the coordinator's month list, and not the cancel form.
        String mine = get("/tillfallen", trainer);
        assertTrue(mine.contains("href=\"/tillfallen/" + occasion + "\""), mine);
        assertTrue(mine.contains("href=\"/tillfallen\"") && mine.contains("Mina tillfällen"), "menu entry: " + mine);
        String trainerStart = get("/", trainer);
        assertTrue(trainerStart.contains("Dina kommande tillfällen") && trainerStart.contains("href=\"/tillfallen/" + occasion + "\"")
                && trainerStart.contains("2 av 12 bokade, 1 i kö"), "the trainer start page leads to the occasion: " + trainerStart);
        assertEquals(HttpStatus.FORBIDDEN, assertThrows(HttpClientResponseException.class,
                () -> get("/organisationer/" + region + "/tillfallen", trainer)).getStatus());

        sql.update("UPDATE session_occasion SET starts_at = ? WHERE id = ?",
                java.time.LocalDateTime.now(SwedishTime.ZONE).minusMinutes(30).withNano(0), occasion);
        String trainerPage = get("/tillfallen/" + occasion, trainer);
        assertFalse(trainerPage.contains("/stall-in"), trainerPage);
        assertTrue(trainerPage.contains("id=\"present-" + anna + "\" name=\"present\" value=\"" + anna + "\" checked")
                && trainerPage.contains("id=\"present-" + bo + "\" name=\"present\" value=\"" + bo + "\" checked"), trainerPage);
        assertFalse(trainerPage.contains("id=\"present-" + cilla + "\""), "the waiting are not marked: " + trainerPage);

        // Bo unticked: absent; Anna present.
        HttpResponse<String> marked = post("/tillfallen/" + occasion + "/narvaro", trainer,
                "present=" + anna + "&csrfToken=" + csrf(trainerPage));
        assertEquals(HttpStatus.SEE_OTHER, marked.getStatus());
        String after = get("/tillfallen/" + occasion + "?narvaro=1", session);
        assertTrue(after.contains("Närvaron är sparad.") && after.contains("1 närvarande, 1 uteblev"), after);
        assertTrue(after.contains("id=\"present-" + bo + "\" name=\"present\" value=\"" + bo + "\">"),
                "Bo can still be ticked present, unticked by default: " + after);
        assertFalse(after.contains("id=\"present-" + anna + "\""), "attended is final: " + after);
        assertFalse(after.contains("/stall-in"), "an occasion that took place cannot be cancelled: " + after);
        assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ? AND occasion_id = ?", anna, occasion));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", bo));

        // Bo (the module is usable at his unit) finds no pages or test to pass instead of attending: only an occasion.
        String learner = users.token(users.account(p + "-bo", bo, Role.LEARNER, unit));
        HttpResponse<String> start = http.toBlocking().exchange(HttpRequest.GET("/utbildning/" + code)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", learner)), String.class);
        assertEquals(HttpStatus.SEE_OTHER, start.getStatus());
        assertEquals("/utbildning/" + code + "/tillfallen", start.header("Location"));
        String module = get("/utbildning/" + code + "/tillfallen", learner);
        assertTrue(module.contains("Lärarledd utbildning"), module);
        assertFalse(module.contains("/utbildning/" + code + "/prov") || module.contains("/utbildning/" + code + "/sida/1"),
                module);
        HttpClientResponseException noTest = assertThrows(HttpClientResponseException.class,
                () -> get("/utbildning/" + code + "/prov", learner));
        assertEquals(HttpStatus.CONFLICT, noTest.getStatus());
        assertTrue(noTest.getResponse().getBody(String.class).orElseThrow().contains("Modulen är lärarledd"));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", bo));
    }

    @Test
    void aCoordinatorCancelsAnOccasionWithAReason() {
        String p = "OPC" + System.nanoTime();
        long region = tree.add(p + "R", "Region Inställd", OrgNodeKind.REGION, null).id();
        String session = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
        String goal = sql.strings("SELECT code FROM competence_goal WHERE owner_org_id IS NULL ORDER BY code").get(0);
        String form = get("/egna-moduler/lararledd/ny", session);
        post("/egna-moduler/lararledd/ny", session, "owner=" + region + "&title=" + enc("Workshop " + p)
                + "&summary=Analys&minutes=180&audiences=LICENSED&goals=" + goal + "&csrfToken=" + csrf(form));
        String code = "workshop-" + p.toLowerCase();
        LocalDate day = LocalDate.now(SwedishTime.ZONE).plusDays(9);
        String newForm = get("/organisationer/" + region + "/tillfallen/ny", session);
        String location = post("/organisationer/" + region + "/tillfallen/ny", session,
                occasionForm(code, day, day, null, csrf(newForm))).getHeaders().get("Location");
        String occasion = location.replaceAll("^/tillfallen/(\\d+)\\?skapat=1$", "$1");
        String page = get("/tillfallen/" + occasion, session);

        HttpClientResponseException noReason = assertThrows(HttpClientResponseException.class, () -> post(
                "/tillfallen/" + occasion + "/stall-in", session, "reason=&csrfToken=" + csrf(page)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, noReason.getStatus());
        assertTrue(noReason.getResponse().getBody(String.class).orElseThrow().contains("Skriv varför tillfället ställs in"));

        assertEquals(HttpStatus.SEE_OTHER, post("/tillfallen/" + occasion + "/stall-in", session,
                "reason=" + enc("Utbildaren är sjuk") + "&csrfToken=" + csrf(page)).getStatus());
        String cancelled = get("/tillfallen/" + occasion, session);
        assertTrue(cancelled.contains("Tillfället är inställt.") && cancelled.contains("Utbildaren är sjuk"), cancelled);
        assertFalse(cancelled.contains("/stall-in"), cancelled);
        String month = get("/organisationer/" + region + "/tillfallen?manad=" + YearMonth.from(day), session);
        assertTrue(month.contains("Inställt") && month.contains("0 av 0"), month);
    }

    private static String occasionForm(String code, LocalDate day, LocalDate deadline, Long trainer, String csrf) {
        return "module=" + code + "&day=" + day + "&start=09%3A00&minutes=420&place=" + enc("Sal 3, Storgatan 1")
                + "&videoUrl=&trainer=" + (trainer == null ? "" : trainer) + "&capacity=12&deadline=" + deadline
                + "&csrfToken=" + csrf;
    }

    private static String csrf(String page) {
        return enc(TestUsers.csrfTokenOf(page));
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private String get(String uri, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
    }

    private HttpResponse<String> post(String uri, String session, String form) {
        return http.toBlocking().exchange(HttpRequest.POST(uri, form).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class);
    }
}
