package se.kompetensmal.site;

import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.RawHttp;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The site's shell as each role meets it: the menu holds only what opens, the start page shows what the role needs with
 * figures that follow from the facts below, error pages keep the layout and speak Swedish, and signing in returns to the
 * page asked for (never to another site).
 *
 * <p>The facts: a municipality with units A and B and an introduction routine for NON_LICENSED (vardskador-grunder, due
 * 30 days after starting). In A two people started 40 and 45 days ago (overdue); in B two started 25 and 5 days ago
 * (due within 30 days); in B one more started 60 days ago and has no assignment (LICENSED, which no routine reaches).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiteShellTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    RawHttp raw;
    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    long municipality;
    long unitA;
    long unitB;
    String coordinator;
    String leader;
    String learner;
    String admin;
    String learnerName;
    String prefix;

    @BeforeAll
    void aMunicipalityWithPeopleBehind() {
        raw = new RawHttp(server.getURI());
        String p = "SHL" + System.nanoTime();
        prefix = p;
        municipality = tree.add(p, "Kommun Skal", OrgNodeKind.MUNICIPALITY, null).id();
        unitA = tree.add(p + "-A", "Hemtjänst Ängen", OrgNodeKind.UNIT, municipality).id();
        unitB = tree.add(p + "-B", "Hemtjänst Backen", OrgNodeKind.UNIT, municipality).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        leader = users.token(users.account(p + "-ledare", null, Role.LEADER, municipality));
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", new RoutineForm(
                "Introduktion", RoutineKind.INTRODUCTION, "NON_LICENSED", List.of("vardskador-grunder"), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
        String hsa = PersonFixture.hsaPrefix();
        long first = people.create(hsa + "1", "Anna", "Ängsdal", null, unitA, today.minusDays(40), today.minusDays(40), "NON_LICENSED");
        people.create(hsa + "2", "Bo", "Ängsdal", null, unitA, today.minusDays(45), today.minusDays(45), "NON_LICENSED");
        people.create(hsa + "3", "Cia", "Backe", null, unitB, today.minusDays(25), today.minusDays(25), "NON_LICENSED");
        people.create(hsa + "4", "Dan", "Backe", null, unitB, today.minusDays(5), today.minusDays(5), "NON_LICENSED");
        people.create(hsa + "5", "Eva", "Backe", null, unitB, today.minusDays(60), today.minusDays(60), "LICENSED");
        recomputeUnder(municipality, coordinator);
        learnerName = p + "-medarbetare";
        learner = users.token(users.account(learnerName, first, Role.LEARNER, null));
        admin = users.admin();
    }

    @Test
    void everyMenuItemOpensForEveryRole() {
        for (String session : List.of(coordinator, leader, learner, admin)) {
            List<String> menu = menu(raw.page("/", session).body());
            assertFalse(menu.isEmpty());
            for (String href : menu) {
                assertEquals(200, raw.page(href, session).statusCode(), href + " in the menu");
            }
        }
        List<String> learnerMenu = menu(raw.page("/", learner).body());
        assertTrue(learnerMenu.containsAll(List.of("/", "/min-utbildning/historik", "/katalog", "/installningar")), learnerMenu.toString());
        assertFalse(learnerMenu.contains("/import") || learnerMenu.contains("/organisationer"), learnerMenu.toString());

        List<String> leaderMenu = menu(raw.page("/", leader).body());
        assertTrue(leaderMenu.contains("/organisationer/" + municipality + "/statistik"), leaderMenu.toString());
        assertFalse(leaderMenu.contains("/import"), "leaders do not import");
        assertFalse(leaderMenu.contains("/organisationer/" + municipality + "/uppfoljning"), "names are not allowed for leaders here");
        assertFalse(leaderMenu.contains("/min-utbildning/historik"), "the leader's account has no person");

        List<String> coordinatorMenu = menu(raw.page("/", coordinator).body());
        assertTrue(coordinatorMenu.containsAll(List.of("/organisationer/" + municipality + "/uppfoljning",
                "/organisationer/" + municipality + "/rutiner", "/organisationer/" + municipality + "/statistik",
                "/organisationer", "/import")), coordinatorMenu.toString());

        List<String> adminMenu = menu(raw.page("/", admin).body());
        assertTrue(adminMenu.containsAll(List.of("/admin/roller", "/admin/logg", "/admin/xapi", "/import")), adminMenu.toString());
        assertFalse(adminMenu.contains("/min-utbildning/historik"), "the administrator's account has no person");
    }

    @Test
    void theMenuMarksWhereTheUserIs() {
        assertEquals("Start", current(raw.page("/", coordinator).body()));
        assertEquals("Rutiner", current(raw.page("/organisationer/" + municipality + "/rutiner", coordinator).body()));
        assertEquals("Organisationer", current(raw.page("/organisationer/" + unitA, coordinator).body()));
        assertEquals("Min historik", current(raw.page("/min-utbildning/historik", learner).body()));
    }

    @Test
    void aLeaderWithoutNamesIsNotLinkedToTheFollowUp() {
        String followUp = "href=\"/organisationer/" + municipality + "/uppfoljning\"";
        for (String page : List.of("/", "/organisationer/" + municipality, "/organisationer/" + municipality + "/rutiner")) {
            String html = raw.page(page, leader).body();
            assertFalse(html.contains(followUp), page);
        }
        assertEquals(403, raw.page("/organisationer/" + municipality + "/uppfoljning", leader).statusCode(), "which would refuse");
        assertTrue(raw.page("/organisationer/" + municipality + "/rutiner", coordinator).body().contains(followUp));
    }

    @Test
    void theLearnersOrganisationPageDoesNotSayThereAreNone() {
        String page = raw.page("/organisationer", learner).body();
        assertFalse(page.contains("Det finns inga organisationer"), page);
        assertTrue(page.contains("din utbildning finns under"), page);
        assertFalse(page.contains("href=\"/import\""), page);
    }

    @Test
    void errorPagesKeepTheLayoutAndSpeakSwedish() {
        HttpResponse<String> unknown = raw.page("/finns-inte/alls", coordinator);
        assertEquals(404, unknown.statusCode(), "an unknown address is 404, not 403");
        assertTrue(unknown.body().contains("<h1>Sidan finns inte</h1>"), unknown.body());
        assertTrue(unknown.body().contains("aria-label=\"Huvudmeny\""), "the menu stays");
        assertTrue(unknown.body().contains("Test " + coordinatorName()), "the signed-in name stays");
        assertTrue(unknown.body().contains("href=\"/\">Till startsidan"), unknown.body());
        assertEquals(404, raw.page("/organisationer/" + municipality + "/finns-inte", leader).statusCode());

        HttpResponse<String> badValue = raw.page("/organisationer/" + municipality + "?sida=abc", coordinator);
        // 422 as for every value the service cannot read (web/InputProblems), with the address named as the culprit.
        assertTrue(badValue.statusCode() == 400 || badValue.statusCode() == 422, String.valueOf(badValue.statusCode()));
        assertTrue(badValue.body().contains("Adressen innehåller ett värde som inte kan läsas: sida"), badValue.body());
        assertFalse(badValue.body().contains("Failed to convert"), badValue.body());
        assertTrue(badValue.body().contains("aria-label=\"Huvudmeny\""));

        HttpResponse<String> forbidden = raw.page("/import", learner);
        assertEquals(403, forbidden.statusCode());
        assertTrue(forbidden.body().contains("<h1>Inte tillåtet</h1>"), forbidden.body());
        assertTrue(forbidden.body().contains("utbildningssamordnare eller administratör"), "says which role is needed");
        assertTrue(forbidden.body().contains("fråga din utbildningssamordnare"), "says whom to ask");
        assertTrue(forbidden.body().contains("aria-label=\"Huvudmeny\""));

        HttpResponse<String> wrongMethod = raw.send("DELETE", "/installningar", coordinator, null, null, Map.of("Accept", "text/html"));
        assertEquals(405, wrongMethod.statusCode());
        assertTrue(wrongMethod.body().contains("Metoden stöds inte"), wrongMethod.body());

        HttpResponse<String> api = raw.send("GET", "/api/finns-inte", coordinator, null, null, Map.of("Accept", "application/json"));
        assertEquals(404, api.statusCode());
        assertTrue(api.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), api.headers().map().toString());
    }

    @Test
    void whoIsNotSignedInIsSentToSignInAndThenToThePageAskedFor() {
        HttpResponse<String> asked = raw.page("/organisationer/" + municipality + "/rutiner", null);
        assertTrue(asked.statusCode() == 303 || asked.statusCode() == 302, String.valueOf(asked.statusCode()));
        String location = asked.headers().firstValue("Location").orElse("(none)");
        assertEquals("/login?tillbaka=" + enc("/organisationer/" + municipality + "/rutiner"), location);
        // An unknown address is 404 at once, signed in or not: a mistyped link says so without a detour through sign-in.
        HttpResponse<String> unknown = raw.page("/finns-inte", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("<h1>Sidan finns inte</h1>") && unknown.body().contains("href=\"/login\""), unknown.body());

        String form = raw.page(location, null).body();
        assertTrue(form.replace("&#x3D;", "=").contains("action=\"/login?tillbaka=" + enc("/organisationer/" + municipality + "/rutiner") + "\""), form);

        assertEquals("/organisationer/" + municipality + "/rutiner", signIn(location).headers().firstValue("Location").orElse("(none)"));
    }

    @Test
    void signingInNeverLeadsToAnotherSite() {
        for (String evil : List.of("//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example",
                "http:/evil.example", "evil.example", "/login")) {
            HttpResponse<String> response = signIn("/login?tillbaka=" + enc(evil));
            assertEquals("/", response.headers().firstValue("Location").orElse("(none)"), evil + ": " + response.statusCode() + " " + response.body());
        }
        assertEquals("/katalog?sok=hygien", signIn("/login?tillbaka=" + enc("/katalog?sok=hygien"))
                .headers().firstValue("Location").orElse("(none)"));
    }

    @Test
    void afterAFailedSignInTheUsernameStaysAndTheErrorIsAnnounced() {
        HttpResponse<String> failed = post("/login?tillbaka=" + enc("/katalog"), "username=" + enc(learnerName) + "&password=fel");
        String location = failed.headers().firstValue("Location").orElse("(none)");
        assertEquals("/login?fel=1&tillbaka=" + enc("/katalog"), location);
        String cookie = failed.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("KM_LOGIN_USER="))
                .findFirst().orElseThrow().split(";")[0];

        String page = raw.send("GET", location, null, null, null, Map.of("Accept", "text/html", "Cookie", cookie)).body();
        assertTrue(page.contains("role=\"alert\""), page);
        assertTrue(page.contains("value=\"" + learnerName.toLowerCase() + "\""), page);
        assertTrue(page.replace("&#x3D;", "=").contains("action=\"/login?tillbaka=" + enc("/katalog") + "\""), "the way back survives the failure");
    }

    @Test
    void theCoordinatorsStartPageShowsWhoIsBehindByUnitAndTheUncoveredGoals() {
        String page = raw.page("/", coordinator).body();
        String followUp = "/organisationer/" + municipality + "/uppfoljning";
        // Due 30 days after the start: in A, Anna and Bo (started 40 and 45 days ago) are overdue; in B, Cia (25 days ago)
        // is due in 5 days, within the follow-up's 14, and Dan (5 days ago) in 25, beyond it; the LICENSED nurse has
        // nothing assigned.
        assertTrue(page.contains("<a href=\"" + followUp + "?enhet=" + unitA + "&amp;status=forsenad\">2<"), page);
        assertTrue(page.contains("<a href=\"" + followUp + "?enhet=" + unitB + "&amp;status=snart\">1<"), page);
        assertTrue(page.contains("<span class=\"figure\">2</span> personer med försenad utbildning"), page);
        assertTrue(page.contains("<span class=\"figure\">1</span> personer med utbildning som ska vara klar inom 14 dagar"), page);
        // No routine reaches LICENSED, present here through the nurse: all its goals are uncovered.
        String licensed = sql.strings("SELECT name_sv FROM audience WHERE code = 'LICENSED'").get(0);
        assertTrue(Pattern.compile(Pattern.quote(licensed) + ": (\\d+) av \\1 kompetensmål nås inte").matcher(page).find(), page);
        assertFalse(page.contains("id=\"min-utbildning\""), "the coordinator's account has no person");
    }

    @Test
    void aRemitWithoutRoutinesDoesNotReadAsIfNobodyWereBehind() {
        String p = "SHN" + System.nanoTime();
        long empty = tree.add(p, "Kommun Utan Rutiner", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add(p + "-U", "Enheten", OrgNodeKind.UNIT, empty).id();
        people.create(PersonFixture.hsaPrefix() + "1", "Fia", "Fors", null, unit, today.minusYears(3), today.minusYears(3), "NON_LICENSED");
        String page = raw.page("/", users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, empty))).body();
        assertTrue(page.contains("Inga rutiner gäller i Kommun Utan Rutiner ännu"), page);
        assertFalse(page.contains("Ingen har en utbildning som är försenad"), page);
    }

    @Test
    void theLeadersStartPageShowsTheFiguresOfTheirNode() {
        String page = raw.page("/", leader).body();
        assertTrue(page.contains("Läget i Kommun Skal"), page);
        assertTrue(page.contains("<span class=\"figure\">5</span> aktiva personer"), page);
        // Two of the five are past a due date.
        assertTrue(page.contains("<span class=\"figure\">40 %</span> ligger efter med något <span class=\"counted\">2 av 5</span>"), page);
        assertTrue(page.contains("href=\"/organisationer/" + municipality + "/statistik\""), page);
        assertFalse(page.contains("/uppfoljning"), "no follow-up link for a leader without names");
        assertFalse(page.contains("href=\"/import\""), page);
    }

    @Test
    void theLearnersStartPageShowsAudienceNamesNotCodes() {
        String page = raw.page("/", learner).body();
        String nonLicensed = sql.strings("SELECT name_sv FROM audience WHERE code = 'NON_LICENSED'").get(0);
        assertTrue(page.contains("<dd>" + nonLicensed + "</dd>"), page);
        assertFalse(page.contains(">NON_LICENSED<"), page);
        assertTrue(page.contains("id=\"min-utbildning\""), page);
    }

    @Test
    void theAdministratorsStartPageShowsAccountsTheOutboxAndTheAuditLog() {
        String page = raw.page("/", admin).body();
        long accounts = sql.number("SELECT COUNT(*) FROM user_account");
        assertTrue(page.contains("<span class=\"figure\">" + accounts + "</span> konton"), page);
        assertTrue(page.contains("lärandeposter väntar på LRS"), page);
        assertTrue(page.contains("Senaste händelser i granskningsloggen"), page);
        assertTrue(page.contains("<code>SIGN_IN</code>") || page.contains("<code>INLOGGNING</code>") || page.contains("<td><code>"), page);
    }

    private String coordinatorName() {
        return prefix + "-samordnare";
    }

    private HttpResponse<String> signIn(String loginAddress) {
        return post(loginAddress, "username=" + enc(learnerName) + "&password=" + enc(TestUsers.PASSWORD));
    }

    /** A form posted as a browser posts it (it accepts anything, HTML first). */
    private HttpResponse<String> post(String path, String form) {
        return raw.send("POST", path, null, "application/x-www-form-urlencoded", form,
                Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The addresses in the main menu. */
    private static List<String> menu(String page) {
        int start = page.indexOf("aria-label=\"Huvudmeny\"");
        assertTrue(start > 0, "a main menu");
        String nav = page.substring(start, page.indexOf("</nav>", start));
        List<String> hrefs = new ArrayList<>();
        Matcher m = Pattern.compile("<a href=\"([^\"]+)\"").matcher(nav);
        while (m.find()) {
            hrefs.add(m.group(1));
        }
        return hrefs;
    }

    /** The label of the menu item marked as the current page. */
    private static String current(String page) {
        Matcher m = Pattern.compile("aria-current=\"page\">([^<]+)</a>").matcher(page);
        assertTrue(m.find(), "an item marked current");
        return m.group(1);
    }
}
