package se.kompetensmal.routines;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A coordinator sets up an introduction routine on the page and finds the person who is behind in the follow-up. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutinePagesTest extends ServiceTest {

    @Test
    void coordinatorCreatesARoutineOnThePageAndFindsWhoIsBehind() {
        String p = "RPG" + System.nanoTime();
        long municipality = tree.add(p, "Kommun P", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add(p + "-E", "Lindgården", OrgNodeKind.UNIT, municipality).id();
        String hsa = PersonFixture.hsaPrefix() + "1";
        LocalDate started = LocalDate.now(SwedishTime.ZONE).minusDays(40);
        people.create(hsa, "Greta", "Sen", null, unit, started, started, "NON_LICENSED");
        String session = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        String page = get("/organisationer/" + municipality + "/rutiner", session);
        assertTrue(page.contains("Inga rutiner gäller här ännu."), page);

        HttpResponse<String> saved = post("/organisationer/" + municipality + "/rutiner", session, "name=Introduktion+undersköterskor"
                + "&kind=INTRODUCTION&audience=NON_LICENSED&modules=vardskador-grunder&modules=basala-hygienrutiner"
                + "&dueDays=30&countsFrom=ORG_START&appliesFrom=" + started.minusDays(1) + "&existingStaff=LEAVE_OUT"
                + "&documentation=DOCUMENTED&governingDocument=Rutin+dnr+2026%2F7"
                + "&csrfToken=" + URLEncoder.encode(TestUsers.csrfTokenOf(page), StandardCharsets.UTF_8));

        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());
        sql.awaitRecomputations();
        String routines = get("/organisationer/" + unit + "/rutiner", session);
        assertTrue(routines.contains("Introduktion undersköterskor") && routines.contains("(ärvd)"), routines);
        assertTrue(routines.contains("Dokumenterad: Rutin dnr 2026/7"), routines);
        String followUp = get("/organisationer/" + municipality + "/uppfoljning", session);
        assertTrue(followUp.contains("Greta Sen") && followUp.contains("Försenad"), followUp);
        assertTrue(followUp.contains("Basala hygienrutiner och klädregler")
                && followUp.contains("Vårdskador och patientsäkerhet – grunderna"), "modules by title: " + followUp);
        assertFalse(followUp.contains("vardskador-grunder<"), "no module code shown: " + followUp);
    }

    @Test
    void incompleteRoutineFormShowsWhatIsMissingInSwedish() {
        String p = "RPX" + System.nanoTime();
        long municipality = tree.add(p, "Kommun Q", OrgNodeKind.MUNICIPALITY, null).id();
        String session = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        String csrf = TestUsers.csrfTokenOf(get("/organisationer/" + municipality + "/rutiner", session));

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> post(
                "/organisationer/" + municipality + "/rutiner", session, "name=Utan+dagar&kind=INTRODUCTION&audience=LICENSED"
                        + "&modules=vardskador-grunder&documentation=EXISTS&csrfToken=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)));

        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        assertTrue(e.getResponse().getBody(String.class).orElseThrow().contains("en introduktionsrutin behöver antal dagar"));
    }

    @Test
    void coordinatorSetsRemindersOnThePageAndTheUnitsBelowFollowWhileALeaderOnlyReadsThem() {
        String p = "RPR" + System.nanoTime();
        long municipality = tree.add(p, "Kommun R", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add(p + "-E", "Ekbacken", OrgNodeKind.UNIT, municipality).id();
        String session = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        String page = get("/organisationer/" + municipality + "/paminnelser", session);
        assertTrue(page.contains("standardinställningen gäller") && page.contains("value=\"14\""), page);

        HttpResponse<String> saved = post("/organisationer/" + municipality + "/paminnelser", session,
                "enabled=true&daysBefore=7&weeklyDigest=true&csrfToken="
                        + URLEncoder.encode(TestUsers.csrfTokenOf(page), StandardCharsets.UTF_8));
        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());

        String below = get("/organisationer/" + unit + "/paminnelser", session);
        assertTrue(below.contains("vald för Kommun R") && below.contains("value=\"7\"")
                && !below.contains("id=\"whenOverdue\" name=\"whenOverdue\" value=\"true\" checked"), below);
        String leader = users.token(users.account(p + "-ledare", null, Role.LEADER, municipality));
        String read = get("/organisationer/" + unit + "/paminnelser", leader);
        assertTrue(!read.contains("action=\"/organisationer/" + unit + "/paminnelser\"") && read.contains("<dd>7</dd>"), read);
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> post(
                "/organisationer/" + unit + "/paminnelser", leader, "enabled=true&daysBefore=1&csrfToken="
                        + URLEncoder.encode(TestUsers.csrfTokenOf(read), StandardCharsets.UTF_8)));
        assertEquals(HttpStatus.FORBIDDEN, refused.getStatus());
        HttpClientResponseException bad = assertThrows(HttpClientResponseException.class, () -> post(
                "/organisationer/" + unit + "/paminnelser", session, "enabled=true&daysBefore=sju&csrfToken="
                        + URLEncoder.encode(TestUsers.csrfTokenOf(below), StandardCharsets.UTF_8)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, bad.getStatus());
        assertTrue(bad.getResponse().getBody(String.class).orElseThrow().contains("Ange antal dagar"));
    }

    private String get(String uri, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
    }

    private HttpResponse<String> post(String uri, String session, String form) {
        return http.toBlocking().exchange(HttpRequest.POST(uri, form).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class);
    }
}
