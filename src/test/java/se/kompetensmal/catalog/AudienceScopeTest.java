package se.kompetensmal.catalog;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An organisation's own audience belongs to it: another organisation does not see it listed and cannot use it in an
 * import, a routine or a manual assignment, where it is refused exactly as a code that does not exist. The owner uses it
 * everywhere under the owning node.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudienceScopeTest extends ServiceTest {

    String ownCode;
    String ownName;
    long municipalityA;
    long municipalityB;
    String unitACode;
    String unitBCode;
    String coordinatorA;
    String coordinatorB;

    @BeforeAll
    void anAudienceOfA() {
        String p = "AUD" + System.nanoTime();
        municipalityA = tree.add(p + "A", "Kommun A", OrgNodeKind.MUNICIPALITY, null).id();
        unitACode = p + "A-E";
        tree.add(unitACode, "Enhet A", OrgNodeKind.UNIT, municipalityA);
        municipalityB = tree.add(p + "B", "Kommun B", OrgNodeKind.MUNICIPALITY, null).id();
        unitBCode = p + "B-E";
        tree.add(unitBCode, "Enhet B", OrgNodeKind.UNIT, municipalityB);
        coordinatorA = users.token(users.account(p + "-a", null, Role.COORDINATOR, municipalityA));
        coordinatorB = users.token(users.account(p + "-b", null, Role.COORDINATOR, municipalityB));
        ownCode = "EGEN_" + p;
        ownName = "Sommarvikarier " + p;
        assertEquals(HttpStatus.CREATED, http.toBlocking().exchange(HttpRequest.POST("/api/audiences",
                Map.of("code", ownCode, "nameSv", ownName, "ownerOrganisationId", municipalityA)).bearerAuth(coordinatorA)).getStatus());
    }

    @Test
    void onlyTheOwnersSeeItListed() {
        assertTrue(audiences(coordinatorA).contains(ownCode));
        assertFalse(audiences(coordinatorB).contains(ownCode), "B does not see A's audience");
        assertTrue(audiences(coordinatorB).contains("LICENSED"), "national audiences are listed for everyone");
        assertTrue(page("/katalog", coordinatorA).contains(ownName));
        assertFalse(page("/katalog", coordinatorB).contains(ownName));
        assertTrue(page("/organisationer/" + municipalityA + "/rutiner", coordinatorA).contains(ownCode));
        assertFalse(page("/organisationer/" + municipalityB + "/rutiner", coordinatorB).contains(ownCode));
    }

    @Test
    void anotherOrganisationsRoutineCannotUseIt() {
        assertEquals(HttpStatus.CREATED, http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipalityA
                + "/routines", routine(ownCode)).bearerAuth(coordinatorA)).getStatus());

        String withA = refused(HttpRequest.POST("/api/organisations/" + municipalityB + "/routines", routine(ownCode)), coordinatorB);
        String withUnknown = refused(HttpRequest.POST("/api/organisations/" + municipalityB + "/routines", routine("FINNS_INTE")),
                coordinatorB);
        assertEquals(withUnknown.replace("FINNS_INTE", "X"), withA.replace(ownCode, "X"));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM routine r JOIN audience a ON a.id = r.audience_id "
                + "WHERE r.org_node_id = ? AND a.code = ?", municipalityB, ownCode));
    }

    @Test
    void anotherOrganisationsManualAssignmentCannotUseIt() {
        Map<String, String> ofA = Map.of("module", "vardskador-grunder", "dueDate", "2027-01-01", "audience", ownCode);
        Map<String, String> unknown = Map.of("module", "vardskador-grunder", "dueDate", "2027-01-01", "audience", "FINNS_INTE");
        String withA = refused(HttpRequest.POST("/api/organisations/" + municipalityB + "/assignments", ofA), coordinatorB);
        String withUnknown = refused(HttpRequest.POST("/api/organisations/" + municipalityB + "/assignments", unknown), coordinatorB);
        assertEquals(withUnknown.replace("FINNS_INTE", "X"), withA.replace(ownCode, "X"));
        assertEquals(HttpStatus.ACCEPTED, http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipalityA
                + "/assignments", ofA).bearerAuth(coordinatorA)).getStatus());
    }

    @Test
    void anotherOrganisationsImportCannotUseIt() {
        String hsa = PersonFixture.hsaPrefix();
        long intoB = importPeople(coordinatorB, municipalityB, hsa + "1;Bo;Ek;" + unitBCode + ";" + ownCode + ";2025-01-01\n");
        long unknownIntoB = importPeople(coordinatorB, municipalityB, hsa + "2;Bo;Ek;" + unitBCode + ";FINNS_INTE;2025-01-01\n");
        long intoA = importPeople(coordinatorA, municipalityA, hsa + "3;Al;Ek;" + unitACode + ";" + ownCode + ";2025-01-01\n");

        assertEquals(List.of("REJECTED", "REJECTED", "SUCCEEDED"), List.of(status(intoB), status(unknownIntoB), status(intoA)));
        assertEquals(List.of("okänd målgrupp '" + ownCode + "'"),
                sql.strings("SELECT reason FROM roster_import_error WHERE import_id = ?", intoB));
        assertEquals(List.of("okänd målgrupp 'FINNS_INTE'"),
                sql.strings("SELECT reason FROM roster_import_error WHERE import_id = ?", unknownIntoB));
        assertEquals(List.of(ownCode), sql.strings("SELECT a.code FROM person p JOIN person_audience pa ON pa.person_id = p.id "
                + "JOIN audience a ON a.id = pa.audience_id WHERE p.hsa_id = ?", hsa + "3"));
    }

    private static RoutineForm routine(String audience) {
        return new RoutineForm("Intro " + audience, RoutineKind.INTRODUCTION, audience, List.of("vardskador-grunder"), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null);
    }

    private String audiences(String token) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/audiences").bearerAuth(token));
    }

    private String page(String uri, String token) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", token)));
    }

    /** The problem's status and detail, which must not tell a foreign audience from an unknown one. */
    private String refused(io.micronaut.http.MutableHttpRequest<?> request, String token) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(request.bearerAuth(token), String.class));
        Map<?, ?> problem = e.getResponse().getBody(Map.class).orElseThrow();
        return e.getStatus().getCode() + " " + problem.get("detail");
    }

    private long importPeople(String token, long organisation, String rows) {
        String csv = "hsa_id;förnamn;efternamn;enhet;målgrupper;startdatum_organisation\n" + rows;
        String location = http.toBlocking().exchange(HttpRequest.POST("/api/imports/people?organisation=" + organisation, csv)
                .contentType("text/csv").bearerAuth(token)).getHeaders().get("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        sql.awaitImport(id);
        return id;
    }

    private String status(long importId) {
        return sql.strings("SELECT status FROM roster_import WHERE id = ?", importId).get(0);
    }
}
