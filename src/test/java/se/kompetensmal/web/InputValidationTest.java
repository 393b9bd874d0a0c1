package se.kompetensmal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input the service cannot accept, on pages and over the API: each is refused with 422 and a Swedish text naming the field,
 * in the layout or as a problem document, nothing is written, and no English framework text or Java class is shown.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputValidationTest extends ServiceTest {

    private long municipality;
    private long unit;
    private long personId;
    private String coordinator;
    private String leader;
    private String prefix;

    @BeforeAll
    void organisation() {
        prefix = "VAL" + System.nanoTime();
        municipality = tree.add(prefix, "Kommun V", OrgNodeKind.MUNICIPALITY, null).id();
        unit = tree.add(prefix + "-E", "Valboet", OrgNodeKind.UNIT, municipality).id();
        LocalDate started = LocalDate.now(SwedishTime.ZONE).minusDays(10);
        personId = people.create(PersonFixture.hsaPrefix() + "1", "Vera", "Val", null, unit, started, started, "NON_LICENSED");
        coordinator = users.token(users.account(prefix + "-samordnare", null, Role.COORDINATOR, municipality));
        leader = users.token(users.account(prefix + "-ledare", null, Role.LEADER, municipality));
    }

    // --- forms on pages ---

    @Test
    void routineFormWithNegativeDaysIsRefusedNamingTheFieldAndKeepsWhatWasTyped() {
        String body = refusedRoutinePage(introductionForm("Introduktion nya", "-5", ""), "dueDays");
        assertTrue(body.contains("value=\"Introduktion nya\""), "the name typed is kept: " + body);
    }

    @Test
    void routineFormWithAFiveThousandCharacterNameIsRefused() {
        refusedRoutinePage(introductionForm("x".repeat(5000), "30", ""), "name");
    }

    @Test
    void routineFormWithAnIntervalOfZeroMonthsIsRefused() {
        refusedRoutinePage("name=Fortbildning&kind=CONTINUING&audience=NON_LICENSED&modules=basala-hygienrutiner"
                + "&intervalMonths=0&renewalWindowDays=30&documentation=EXISTS", "intervalMonths");
    }

    @Test
    void routineFormWithADateFarAheadIsRefused() {
        refusedRoutinePage("name=Fortbildning&kind=CONTINUING&audience=NON_LICENSED&modules=basala-hygienrutiner"
                + "&intervalMonths=12&renewalWindowDays=30&startsOn=%2B100000-01-01&documentation=EXISTS", "startsOn");
    }

    @Test
    void roleGrantForAnOrganisationThatDoesNotExistIsRefusedInSwedish() {
        String admin = users.admin();
        String page = page("/admin/roller", admin);
        long before = sql.number("SELECT COUNT(*) FROM role_grant");
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> postPage("/admin/roller",
                admin, "username=" + prefix + "-ledare&role=LEADER&organisation=abc&csrfToken=" + csrf(page)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        assertSwedishNaming(e, "organisation");
        assertEquals(before, sql.number("SELECT COUNT(*) FROM role_grant"));
    }

    @Test
    void roleGrantWithAnUnknownRoleIsRefusedInSwedish() {
        String admin = users.admin();
        String page = page("/admin/roller", admin);
        long before = sql.number("SELECT COUNT(*) FROM role_grant");
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> postPage("/admin/roller",
                admin, "username=" + prefix + "-ledare&role=KUNG&organisation=" + prefix + "&csrfToken=" + csrf(page)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        assertSwedishNaming(e, "role");
        assertEquals(before, sql.number("SELECT COUNT(*) FROM role_grant"));
    }

    @Test
    void aQueryParameterThatIsNoNumberIsNamedInSwedishWithoutJavaClasses() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> page("/organisationer/" + municipality + "?sida=abc", coordinator));
        assertSwedishNaming(e, "sida");
    }

    @Test
    void followUpPageLooksAtMostTenYearsAhead() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> page("/organisationer/" + municipality + "/uppfoljning?dagar=2147483647", coordinator));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        assertSwedishNaming(e, "withinDays");
    }

    // --- JSON over the API ---

    @Test
    void routineOverTheApiWithNegativeDaysIsAProblemNamingTheField() {
        refusedApi(() -> HttpRequest.POST("/api/organisations/" + municipality + "/routines", routineJson("-5")), "routine", "dueDays");
    }

    @Test
    void routineOverTheApiWithDecimalDaysIsRefusedNotTruncated() {
        refusedApi(() -> HttpRequest.POST("/api/organisations/" + municipality + "/routines", routineJson("5.9")), "routine", "dueDays");
    }

    @Test
    void aLeaderWithoutRightsIsRefusedBeforeTheFormIsJudged() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/api/organisations/" + municipality + "/routines", routineJson("-5")).bearerAuth(leader)));
        assertEquals(HttpStatus.FORBIDDEN, e.getStatus());
    }

    @Test
    void reminderSettingsWithTextForTrueAreRefusedNotStoredAsFalse() {
        refusedApi(() -> HttpRequest.PUT("/api/organisations/" + unit + "/reminder-settings",
                "{\"enabled\":\"yes\",\"daysBefore\":7,\"whenOverdue\":true,\"weeklyDigest\":true}"), "reminder_setting", "enabled");
    }

    @Test
    void reminderSettingsThatAreEmptyAreRefusedNotStoredAsAllOff() {
        refusedApi(() -> HttpRequest.PUT("/api/organisations/" + unit + "/reminder-settings", "{}"), "reminder_setting", "enabled");
    }

    @Test
    void reminderSettingsWithDecimalDaysAreRefusedNotTruncated() {
        refusedApi(() -> HttpRequest.PUT("/api/organisations/" + unit + "/reminder-settings",
                "{\"enabled\":true,\"daysBefore\":5.9,\"whenOverdue\":true,\"weeklyDigest\":true}"), "reminder_setting", "daysBefore");
    }

    @Test
    void manualAssignmentDueInYear100000IsRefused() {
        refusedApi(() -> HttpRequest.POST("/api/organisations/" + municipality + "/assignments",
                "{\"module\":\"basala-hygienrutiner\",\"dueDate\":\"+100000-01-01\"}"), "assignment", "dueDate");
    }

    @Test
    void exemptionWithAFiveThousandCharacterReasonIsRefused() {
        refusedApi(() -> HttpRequest.POST("/api/people/" + personId + "/exemptions",
                "{\"module\":\"basala-hygienrutiner\",\"reason\":\"" + "x".repeat(5000) + "\"}"), "exemption", "reason");
    }

    @Test
    void followUpOverTheApiLooksAtMostTenYearsAhead() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.GET("/api/organisations/" + municipality + "/follow-up?withinDays=2147483647").bearerAuth(coordinator),
                String.class));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        assertSwedishNaming(e, "withinDays");
    }

    // --- helpers ---

    private String refusedRoutinePage(String form, String field) {
        String page = page("/organisationer/" + municipality + "/rutiner", coordinator);
        long before = sql.number("SELECT COUNT(*) FROM routine");
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> postPage(
                "/organisationer/" + municipality + "/rutiner", coordinator, form + "&csrfToken=" + csrf(page)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        String body = assertSwedishNaming(e, field);
        assertTrue(body.contains("<form"), "the form is shown again in the layout: " + body);
        assertEquals(before, sql.number("SELECT COUNT(*) FROM routine"), "nothing written");
        return body;
    }

    private void refusedApi(Supplier<MutableHttpRequest<?>> request, String table, String field) {
        long before = sql.number("SELECT COUNT(*) FROM " + table);
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                request.get().contentType(MediaType.APPLICATION_JSON).bearerAuth(coordinator), String.class));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        assertTrue(e.getResponse().getContentType().orElseThrow().toString().startsWith("application/problem+json"));
        String body = assertSwedishNaming(e, field);
        assertTrue(body.contains("\"detail\"") && body.contains("\"errors\""), body);
        assertTrue(body.contains("\"" + field + ": "), "the problem's errors name the property itself: " + body);
        assertEquals(before, sql.number("SELECT COUNT(*) FROM " + table), "nothing written");
    }

    /** The answer names the field in a Swedish sentence and carries no Java class and no English framework text. */
    private static String assertSwedishNaming(HttpClientResponseException e, String field) {
        String body = e.getResponse().getBody(String.class).orElseThrow();
        // Named as people know the field (its Swedish label), not by its property name.
        String label = InputProblems.label(field);
        assertTrue(body.contains("'" + label + "'") || body.contains("&#x27;" + label + "&#x27;"), "names " + label + ": " + body);
        assertTrue(body.contains("Fältet") || body.contains("Värdet") || body.contains("F&#xe4;ltet"), "in Swedish: " + body);
        for (String leak : new String[] {"se.kompetensmal", "java.", "Failed to", "must not", "Required", "Error decoding"}) {
            assertFalse(body.contains(leak), "no " + leak + ": " + body);
        }
        return body;
    }

    private static String introductionForm(String name, String dueDays, String extra) {
        return "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&kind=INTRODUCTION&audience=NON_LICENSED"
                + "&modules=vardskador-grunder&dueDays=" + URLEncoder.encode(dueDays, StandardCharsets.UTF_8)
                + "&countsFrom=ORG_START&documentation=EXISTS" + extra;
    }

    private static String routineJson(String dueDays) {
        return "{\"name\":\"Introduktion\",\"kind\":\"INTRODUCTION\",\"audience\":\"NON_LICENSED\",\"modules\":[\"vardskador-grunder\"],"
                + "\"dueDays\":" + dueDays + ",\"countsFrom\":\"ORG_START\",\"documentation\":\"EXISTS\"}";
    }

    private String page(String uri, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
    }

    private void postPage(String uri, String session, String form) {
        http.toBlocking().exchange(HttpRequest.POST(uri, form).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class);
    }

    private static String csrf(String page) {
        return URLEncoder.encode(TestUsers.csrfTokenOf(page), StandardCharsets.UTF_8);
    }
}
