package se.kompetensmal.people;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.kompetensmal.people.PersonPagesTest.csrf;

/** A coordinator assigns a module to a unit, an audience or both under their node, or exempts them: previewed, then saved. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupAssignmentPagesTest extends ServiceTest {

    static final String MODULE = "basala-hygienrutiner";

    @Inject
    ModuleTitles titles;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    @Test
    void theGroupChosenIsReachedExactlyAfterAPreviewThatCountsIt() {
        String p = "GAP" + System.nanoTime();
        long municipality = tree.add(p, "Kommun G", OrgNodeKind.MUNICIPALITY, null).id();
        long north = tree.add(p + "-N", "Hemtjänst Norr", OrgNodeKind.UNIT, municipality).id();
        long south = tree.add(p + "-S", "Hemtjänst Söder", OrgNodeKind.UNIT, municipality).id();
        String hsa = PersonFixture.hsaPrefix();
        LocalDate start = today.minusYears(1);
        // Norr: Anna (non-licensed), Bo (licensed), Dan (non-licensed, has left). Söder: Cilla (non-licensed).
        long anna = people.create(hsa + "anna", "Anna", "A", null, north, start, start, "NON_LICENSED");
        long bo = people.create(hsa + "bo", "Bo", "B", null, north, start, start, "LICENSED");
        long cilla = people.create(hsa + "cilla", "Cilla", "C", null, south, start, start, "NON_LICENSED");
        long dan = people.create(hsa + "dan", "Dan", "D", null, north, start, start, "NON_LICENSED");
        sql.update("UPDATE person SET status = 'LEFT', left_on = ? WHERE id = ?", today.minusDays(5), dan);
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        String organisation = get("/organisationer/" + municipality, coordinator);
        assertTrue(organisation.contains("href=\"/organisationer/" + municipality + "/tilldela\"")
                && organisation.contains("href=\"/personer/" + anna + "\""), organisation);
        String form = get("/organisationer/" + municipality + "/tilldela", coordinator);
        assertTrue(form.contains(">Hemtjänst Norr (enhet)</option>") && form.contains(">Icke legitimerad vårdnära")
                && form.contains(">" + titles.of(MODULE) + "</option>"), form);
        String due = today.plusDays(21).toString();

        // Non-licensed in Norr: Anna only (Bo is licensed, Dan has left, Cilla is in Söder).
        String preview = post(municipality, coordinator, "module=" + MODULE + "&dueDate=" + due + "&unit=" + north
                + "&audience=NON_LICENSED&step=forhandsgranska&csrfToken=" + csrf(form)).body();
        assertTrue(preview.contains("når <strong>1 person</strong>: målgruppen Icke legitimerad vårdnära hälso- och "
                + "sjukvårdspersonal i Hemtjänst Norr"), preview);
        assertEquals(0, assigned(anna, bo, cilla, dan).size(), "a preview assigns nothing");
        // Everyone under the municipality: Anna, Bo and Cilla.
        String everyone = post(municipality, coordinator, "module=" + MODULE + "&dueDate=" + due + "&unit=&audience="
                + "&step=forhandsgranska&csrfToken=" + csrf(form)).body();
        assertTrue(everyone.contains("når <strong>3 personer</strong>: alla aktiva i Kommun G"), everyone);

        HttpResponse<String> saved = post(municipality, coordinator, "module=" + MODULE + "&dueDate=" + due + "&unit=" + north
                + "&audience=NON_LICENSED&step=spara&csrfToken=" + csrf(form));

        // Made in the background: the page it leads to says how far it has come, and once done whom it reached.
        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());
        String location = saved.getHeaders().get("Location");
        assertTrue(location.startsWith("/organisationer/" + municipality + "/tilldela?tilldelning="), location);
        sql.awaitManualAssignments();
        assertEquals(List.of(anna + " " + due), assigned(anna, bo, cilla, dan));
        String after = get(location, coordinator);
        assertTrue(after.contains("1 person fick modulen " + titles.of(MODULE) + ".") && !after.contains("http-equiv=\"refresh\""),
                after);
        assertTrue(after.contains("Senaste tilldelningar här") && after.contains(titles.of(MODULE) + ", klar senast " + due),
                after);

        HttpResponse<String> everyoneSaved = post(municipality, coordinator, "module=" + MODULE + "&dueDate="
                + today.plusDays(60) + "&step=spara&csrfToken=" + csrf(form));
        sql.awaitManualAssignments();
        assertEquals(List.of(anna + " " + due, bo + " " + today.plusDays(60), cilla + " " + today.plusDays(60)),
                assigned(anna, bo, cilla, dan), "Anna keeps her earlier date");
        String outcome = get(everyoneSaved.getHeaders().get("Location"), coordinator);
        assertTrue(outcome.contains("3 personer fick modulen " + titles.of(MODULE)
                + " (1 av dem hade den redan; den tidigare förfallodagen gäller)."), outcome);
    }

    @Test
    void aGroupIsExemptedWithOneReasonAfterAPreviewAndAnExemptionWithoutReasonIsRefused() {
        String p = "GAE" + System.nanoTime();
        long municipality = tree.add(p, "Kommun E", OrgNodeKind.MUNICIPALITY, null).id();
        long north = tree.add(p + "-N", "Hemtjänst Norr", OrgNodeKind.UNIT, municipality).id();
        long south = tree.add(p + "-S", "Hemtjänst Söder", OrgNodeKind.UNIT, municipality).id();
        String hsa = PersonFixture.hsaPrefix();
        LocalDate start = today.minusYears(1);
        // Non-licensed: Anna (Norr), Cilla (Söder), Dan (Norr, has left); licensed: Bo (Norr).
        long anna = people.create(hsa + "anna", "Anna", "A", null, north, start, start, "NON_LICENSED");
        long bo = people.create(hsa + "bo", "Bo", "B", null, north, start, start, "LICENSED");
        long cilla = people.create(hsa + "cilla", "Cilla", "C", null, south, start, start, "NON_LICENSED");
        long dan = people.create(hsa + "dan", "Dan", "D", null, north, start, start, "NON_LICENSED");
        sql.update("UPDATE person SET status = 'LEFT', left_on = ? WHERE id = ?", today.minusDays(5), dan);
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        String csrf = csrf(get("/organisationer/" + municipality + "/tilldela", coordinator));
        String reason = "Enheterna har gått motsvarande utbildning på plats";

        HttpClientResponseException noReason = assertThrows(HttpClientResponseException.class, () -> post(municipality,
                coordinator, "action=undanta&module=" + MODULE + "&audience=NON_LICENSED&step=spara&csrfToken=" + csrf));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, noReason.getStatus());
        assertTrue(noReason.getResponse().getBody(String.class).orElseThrow().contains("Skriv skälet till undantaget"));

        // The non-licensed of the whole municipality: Anna and Cilla (Dan has left, Bo is licensed).
        String preview = post(municipality, coordinator, "action=undanta&module=" + MODULE + "&audience=NON_LICENSED&reason="
                + java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8)
                + "&step=forhandsgranska&csrfToken=" + csrf).body();
        assertTrue(preview.contains("gäller <strong>2 personer</strong>"), preview);
        assertEquals(0, exempted(anna, bo, cilla, dan).size(), "a preview exempts nobody");

        HttpResponse<String> saved = post(municipality, coordinator, "action=undanta&module=" + MODULE
                + "&audience=NON_LICENSED&reason=" + java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8)
                + "&evidence=Dnr+2026%2F12&step=spara&csrfToken=" + csrf);
        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());
        assertEquals(List.of(anna + " " + reason + " Dnr 2026/12", cilla + " " + reason + " Dnr 2026/12"),
                exempted(anna, bo, cilla, dan));
        assertTrue(get(saved.getHeaders().get("Location"), coordinator)
                .contains("2 personer är undantagna från modulen " + titles.of(MODULE) + "."));
    }

    @Test
    void aPastDateOrAUnitOutsideTheNodeIsRefusedWithTheFormKeptAndALeaderMayNotAssign() {
        String p = "GAX" + System.nanoTime();
        long municipality = tree.add(p, "Kommun H", OrgNodeKind.MUNICIPALITY, null).id();
        long outside = tree.add(p + "-U", "Annan kommun", OrgNodeKind.MUNICIPALITY, null).id();
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        String csrf = csrf(get("/organisationer/" + municipality + "/tilldela", coordinator));

        HttpClientResponseException past = assertThrows(HttpClientResponseException.class, () -> post(municipality, coordinator,
                "module=" + MODULE + "&dueDate=" + today.minusDays(2) + "&step=spara&csrfToken=" + csrf));
        String page = past.getResponse().getBody(String.class).orElseThrow();
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, past.getStatus());
        assertTrue(page.contains("har redan passerat") && page.contains("value=\"" + MODULE + "\" selected"), page);
        HttpClientResponseException foreign = assertThrows(HttpClientResponseException.class, () -> post(municipality,
                coordinator, "module=" + MODULE + "&dueDate=" + today.plusDays(2) + "&unit=" + outside + "&csrfToken=" + csrf));
        assertTrue(foreign.getResponse().getBody(String.class).orElseThrow().contains("Enheten finns inte under Kommun H"));

        String stranger = users.token(users.account(p + "-annan", null, Role.COORDINATOR, outside));
        assertEquals(HttpStatus.NOT_FOUND, assertThrows(HttpClientResponseException.class,
                () -> get("/organisationer/" + municipality + "/tilldela", stranger)).getStatus(), "another organisation's node");
        String leader = users.token(users.account(p + "-ledare", null, Role.LEADER, municipality));
        assertEquals(HttpStatus.FORBIDDEN, assertThrows(HttpClientResponseException.class,
                () -> get("/organisationer/" + municipality + "/tilldela", leader)).getStatus());
        assertTrue(!get("/organisationer/" + municipality, leader).contains("/tilldela\""), "no link the leader cannot use");
    }

    private List<String> assigned(long... ids) {
        return sql.strings("SELECT CONCAT(person_id, ' ', due_date) FROM assignment WHERE module_code = ? AND person_id IN ("
                + String.join(",", java.util.Arrays.stream(ids).mapToObj(Long::toString).toList()) + ") ORDER BY person_id", MODULE);
    }

    private List<String> exempted(long... ids) {
        return sql.strings("SELECT CONCAT(person_id, ' ', reason, ' ', evidence) FROM exemption WHERE module_code = ? AND person_id IN ("
                + String.join(",", java.util.Arrays.stream(ids).mapToObj(Long::toString).toList()) + ") ORDER BY person_id", MODULE);
    }

    private String get(String uri, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
    }

    private HttpResponse<String> post(long node, String session, String form) {
        return http.toBlocking().exchange(HttpRequest.POST("/organisationer/" + node + "/tilldela", form)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)),
                String.class);
    }
}
