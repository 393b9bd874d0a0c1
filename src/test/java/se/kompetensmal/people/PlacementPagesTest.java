package se.kompetensmal.people;

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

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A nurse placed in two units: the coordinator of either unit sees her, the page shows both placements by name, and
 * the coordinator of the second unit ends that placement (confirmed, CSRF, audited); the only placement left cannot
 * be ended.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementPagesTest extends ServiceTest {

    @Test
    void theCoordinatorOfASecondUnitSeesThePersonAndEndsThatPlacementOnly() {
        String p = "PLC" + System.nanoTime();
        long municipality = tree.add(p, "Placeringskommun", OrgNodeKind.MUNICIPALITY, null).id();
        long home = tree.add(p + "-A", "Hemtjänst Ängen", OrgNodeKind.UNIT, municipality).id();
        long second = tree.add(p + "-B", "Korttidsboendet Björken", OrgNodeKind.UNIT, municipality).id();
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        long nurse = people.create(PersonFixture.hsaPrefix() + "1", "Nora", "Nattsköterska", null, home,
                today.minusYears(3), today.minusYears(3), "LICENSED");
        long secondPlacement = people.place(nurse, second, today.minusYears(1), today.minusYears(1), "LICENSED", "FRONTLINE_MANAGER");
        String coordinatorB = users.token(users.account(p + "-samordnare-b", null, Role.COORDINATOR, second));
        String coordinatorA = users.token(users.account(p + "-samordnare-a", null, Role.COORDINATOR, home));

        String page = page("/personer/" + nurse, coordinatorB);
        assertTrue(page.contains("Hemtjänst Ängen") && page.contains("Korttidsboendet Björken"), "both placements by name");
        assertTrue(page.contains("Första linjens chef") || page.contains("chef"), "the second placement's audiences by name");
        assertTrue(page.contains("/personer/" + nurse + "/placeringar/" + secondPlacement + "/avsluta"), "B's coordinator may end B's");
        long homePlacement = sql.number("SELECT id FROM placement WHERE person_id = ? AND org_node_id = ?", nurse, home);
        assertFalse(page.contains("/placeringar/" + homePlacement + "/avsluta"), "but not A's");
        assertEquals(HttpStatus.FORBIDDEN, refused(() -> page("/personer/" + nurse + "/placeringar/" + homePlacement + "/avsluta",
                coordinatorB)));

        String confirm = page("/personer/" + nurse + "/placeringar/" + secondPlacement + "/avsluta", coordinatorB);
        assertTrue(confirm.contains("Avsluta placeringen på Korttidsboendet Björken?"), confirm);
        assertEquals(HttpStatus.FORBIDDEN, refused(() -> post("/personer/" + nurse + "/placeringar/" + secondPlacement + "/avsluta",
                coordinatorB, "csrfToken=")), "no CSRF token, nothing ended");
        HttpResponse<String> ended = post("/personer/" + nurse + "/placeringar/" + secondPlacement + "/avsluta", coordinatorB,
                "csrfToken=" + TestUsers.csrfTokenOf(confirm));

        assertEquals(HttpStatus.SEE_OTHER, ended.getStatus());
        assertEquals(today.toString(), sql.strings("SELECT ended_on FROM placement WHERE id = ?", secondPlacement).get(0));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM audit_event WHERE action = 'PLACEMENT_ENDED' AND target LIKE ?",
                "placement:" + secondPlacement + " %"));
        assertEquals("LICENSED", String.join(",", sql.strings("SELECT a.code FROM person_audience pa JOIN audience a "
                + "ON a.id = pa.audience_id WHERE pa.person_id = ?", nurse)), "the ended placement's audiences go with it");
        String after = page("/personer/" + nurse, coordinatorA);
        assertTrue(after.contains("Avslutad " + today), "the ended placement stays on the page, marked");
        assertFalse(after.contains("/placeringar/" + homePlacement + "/avsluta"), "the only current placement cannot be ended");
        assertTrue(after.contains("Enda placeringen"), after);
        assertEquals(HttpStatus.FORBIDDEN, refused(() -> page("/personer/" + nurse, coordinatorB)),
                "with the placement ended she is no longer within the remit of B's coordinator");
        assertEquals(HttpStatus.NOT_FOUND, refused(() -> page("/personer/" + nurse + "/placeringar/" + secondPlacement + "/avsluta",
                coordinatorA)), "an ended placement cannot be ended again");
        String only = page("/personer/" + nurse + "/placeringar/" + homePlacement + "/avsluta", coordinatorA);
        assertTrue(only.contains("markera i stället att personen har slutat"), only);
    }

    private String page(String uri, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
    }

    private HttpResponse<String> post(String uri, String session, String form) {
        return http.toBlocking().exchange(HttpRequest.POST(uri, form).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class);
    }

    private static HttpStatus refused(Runnable call) {
        return assertThrows(HttpClientResponseException.class, call::run).getStatus();
    }
}
