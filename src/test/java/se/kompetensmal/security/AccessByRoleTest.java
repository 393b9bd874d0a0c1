package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over real HTTP: what each role may and may not reach. A coordinator of municipality A tries every endpoint that takes
 * an id with ids that belong to municipality B.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessByRoleTest extends ServiceTest {

    long municipalityA;
    long unitA;
    long municipalityB;
    long unitB;
    long personA;
    long otherPersonA;
    long personB;
    String hsaB;
    long importA;
    long importB;
    String coordinatorA;
    String leaderA;
    String learnerA;

    @BeforeAll
    void twoMunicipalities() {
        String p = "ACC" + System.nanoTime();
        municipalityA = tree.add(p + "A", "Kommun A", OrgNodeKind.MUNICIPALITY, null).id();
        unitA = tree.add(p + "A-E", "Hemtjänst A", OrgNodeKind.UNIT, municipalityA).id();
        municipalityB = tree.add(p + "B", "Kommun B", OrgNodeKind.MUNICIPALITY, null).id();
        unitB = tree.add(p + "B-E", "Hemtjänst B", OrgNodeKind.UNIT, municipalityB).id();
        String hsa = PersonFixture.hsaPrefix();
        hsaB = hsa + "3";
        String admin = users.admin();
        importA = importPeople(admin, municipalityA, hsa + "1;Anna;Ek;;" + p + "A-E;NON_LICENSED;2025-01-01;\n"
                + hsa + "2;Bo;Ek;;" + p + "A-E;NON_LICENSED;2025-01-01;\n");
        importB = importPeople(admin, municipalityB, hsaB + ";Cia;Ek;;" + p + "B-E;NON_LICENSED;2025-01-01;\n");
        personA = sql.number("SELECT id FROM person WHERE hsa_id = ?", hsa + "1");
        otherPersonA = sql.number("SELECT id FROM person WHERE hsa_id = ?", hsa + "2");
        personB = sql.number("SELECT id FROM person WHERE hsa_id = ?", hsaB);
        coordinatorA = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipalityA));
        leaderA = users.token(users.account(p + "-ledare", null, Role.LEADER, municipalityA));
        learnerA = users.token(users.account(p + "-medarbetare", personA, Role.LEARNER, null));
    }

    @Test
    void coordinatorOfAReachesA() {
        for (String uri : List.of("/api/organisations/" + municipalityA, "/api/organisations/" + municipalityA + "/subtree",
                "/api/organisations/" + municipalityA + "/people", "/api/people/" + personA, "/api/imports/" + importA)) {
            assertEquals(HttpStatus.OK, status(HttpRequest.GET(uri), coordinatorA), uri);
        }
        for (String page : List.of("/organisationer/" + municipalityA, "/import/" + importA, "/import")) {
            assertEquals(HttpStatus.OK, status(page(page), coordinatorA), page);
        }
    }

    /**
     * B's ids are answered exactly as ids that do not exist (404, the same body), so that nobody outside B can tell which
     * of B's ids, HSA-ids or import numbers are in use; what needs a system-wide role is refused with 403.
     */
    @Test
    void coordinatorOfAIsRefusedEveryIdOfBAsIfUnknown() {
        long unknown = 987_654_321L;
        List<List<MutableHttpRequest<?>>> pairs = List.of(
                List.of(HttpRequest.GET("/api/organisations/" + municipalityB), HttpRequest.GET("/api/organisations/" + unknown)),
                List.of(HttpRequest.GET("/api/organisations/" + unitB), HttpRequest.GET("/api/organisations/" + unknown)),
                List.of(HttpRequest.GET("/api/organisations/" + municipalityB + "/subtree"),
                        HttpRequest.GET("/api/organisations/" + unknown + "/subtree")),
                List.of(HttpRequest.GET("/api/organisations/" + municipalityB + "/people"),
                        HttpRequest.GET("/api/organisations/" + unknown + "/people")),
                List.of(HttpRequest.GET("/api/people/" + personB), HttpRequest.GET("/api/people/" + unknown)),
                List.of(HttpRequest.GET("/api/people?hsaId=" + hsaB), HttpRequest.GET("/api/people?hsaId=SE0000000000-0")),
                List.of(HttpRequest.GET("/api/imports/" + importB), HttpRequest.GET("/api/imports/" + unknown)),
                List.of(HttpRequest.POST("/api/imports/people?organisation=" + municipalityB, "hsa_id\n").contentType("text/csv"),
                        HttpRequest.POST("/api/imports/people?organisation=" + unknown, "hsa_id\n").contentType("text/csv")),
                List.of(HttpRequest.POST("/api/imports/organisations?organisation=" + municipalityB, "kod\n").contentType("text/csv"),
                        HttpRequest.POST("/api/imports/organisations?organisation=" + unknown, "kod\n").contentType("text/csv")),
                List.of(page("/organisationer/" + municipalityB), page("/organisationer/" + unknown)),
                List.of(page("/organisationer/" + unitB), page("/organisationer/" + unknown)),
                List.of(page("/import/" + importB), page("/import/" + unknown)),
                List.of(page("/import/" + importB + "/felrapport.csv"), page("/import/" + unknown + "/felrapport.csv")));
        for (List<MutableHttpRequest<?>> pair : pairs) {
            HttpClientResponseException ofB = refusal(pair.get(0), coordinatorA);
            HttpClientResponseException unknownOne = refusal(pair.get(1), coordinatorA);
            String what = pair.get(0).getMethod() + " " + pair.get(0).getUri();
            assertEquals(HttpStatus.NOT_FOUND, ofB.getStatus(), what);
            assertEquals(HttpStatus.NOT_FOUND, unknownOne.getStatus(), what);
            assertEquals(withoutIds(unknownOne), withoutIds(ofB), what);
        }
        // The owner named in a new audience: B's node reads as an unknown one.
        HttpClientResponseException ofB = refusal(HttpRequest.POST("/api/audiences",
                Map.of("code", "EGEN_B", "nameSv", "Egen", "ownerOrganisationId", municipalityB)), coordinatorA);
        HttpClientResponseException unknownOwner = refusal(HttpRequest.POST("/api/audiences",
                Map.of("code", "EGEN_B", "nameSv", "Egen", "ownerOrganisationId", unknown)), coordinatorA);
        assertEquals(HttpStatus.NOT_FOUND, ofB.getStatus());
        assertEquals(withoutIds(unknownOwner), withoutIds(ofB));
        for (MutableHttpRequest<?> request : List.<MutableHttpRequest<?>>of(
                HttpRequest.POST("/api/imports/organisations", "kod\n").contentType("text/csv"),
                page("/admin/roller"),
                page("/admin/logg"),
                page("/admin/bakgrundsjobb"))) {
            assertEquals(HttpStatus.FORBIDDEN, status(request, coordinatorA), request.getMethod() + " " + request.getPath());
        }
        String roots = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations").bearerAuth(coordinatorA));
        assertTrue(roots.contains("Kommun A") && !roots.contains("Kommun B"), roots);
        String imports = http.toBlocking().retrieve(HttpRequest.GET("/api/imports").bearerAuth(coordinatorA));
        assertTrue(imports.contains("\"id\":" + importA) && !imports.contains("\"id\":" + importB), imports);
    }

    @Test
    void inTheirOwnOrganisationThoseWithoutTheRoleGet403() {
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/organisations/" + municipalityA), learnerA));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/people/" + otherPersonA), learnerA));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/imports/" + importA), leaderA));
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.GET("/api/organisations/" + municipalityB), learnerA));
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.GET("/api/people/" + personB), learnerA));
    }

    @Test
    void coordinatorOfACannotTakeOverBsPeopleOrUnitsByImport() {
        String unitACode = sql.strings("SELECT code FROM org_node WHERE id = ?", unitA).get(0);
        String unitBCode = sql.strings("SELECT code FROM org_node WHERE id = ?", unitB).get(0);
        String municipalityACode = sql.strings("SELECT code FROM org_node WHERE id = ?", municipalityA).get(0);

        long people = postImport("/api/imports/people?organisation=" + municipalityA,
                "hsa_id;förnamn;efternamn;enhet;målgrupper;startdatum_organisation\n"
                        + hsaB + ";Cia;Ek;" + unitACode + ";NON_LICENSED;2025-01-01\n");
        long units = postImport("/api/imports/organisations?organisation=" + municipalityA,
                "kod;namn;typ;överordnad\n" + unitBCode + ";Övertagen;enhet;" + municipalityACode + "\n");

        // The people file is refused whole. Unit codes are unique within a huvudman (issue 20), so B's code in A's
        // organisation file names a unit of A's own: a new one is made under A, and B's unit is neither moved nor renamed.
        assertEquals(List.of("REJECTED", "SUCCEEDED"), List.of(statusOf(people), statusOf(units)));
        assertEquals(List.of("HSA-id:t " + hsaB + " används redan av en person hos en annan huvudman"),
                sql.strings("SELECT reason FROM roster_import_error WHERE import_id = ?", people));
        assertEquals(unitB, sql.number("SELECT org_node_id FROM person WHERE id = ?", personB));
        assertEquals(municipalityB, sql.number("SELECT parent_id FROM org_node WHERE id = ?", unitB));
        assertEquals(List.of("Övertagen"), sql.strings("SELECT name FROM org_node WHERE code = ? AND parent_id = ?", unitBCode, municipalityA));
        assertNotEquals(List.of("Övertagen"), sql.strings("SELECT name FROM org_node WHERE id = ?", unitB));
    }

    private long postImport(String uri, String csv) {
        String location = http.toBlocking().exchange(HttpRequest.POST(uri, csv).contentType("text/csv").bearerAuth(coordinatorA))
                .getHeaders().get("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        se.kompetensmal.Waiting.until(() -> statusOf(id), s -> !s.equals("QUEUED") && !s.equals("VALIDATING") && !s.equals("WRITING"),
                java.time.Duration.ofSeconds(30), "import " + id);
        return id;
    }

    private String statusOf(long importId) {
        return sql.strings("SELECT status FROM roster_import WHERE id = ?", importId).get(0);
    }

    @Test
    void leaderSeesTheOrganisationButNoNames() {
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + municipalityA), leaderA));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/organisations/" + municipalityA + "/people"), leaderA));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/people/" + personA), leaderA));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/imports/" + importA), leaderA));
        String page = http.toBlocking().retrieve(page("/organisationer/" + municipalityA).cookie(Cookie.of("JWT", leaderA)));
        assertTrue(page.contains("Personer per målgrupp"), page);
        assertFalse(page.contains("Anna") || page.contains("id=\"personer\""), "no names for a leader");
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.GET("/api/organisations/" + municipalityB), leaderA));
    }

    @Test
    void leaderSeesNamesOnlyWhereTheOrganisationAllowsIt() {
        long municipality = tree.add("NAMES" + System.nanoTime(), "Kommun N", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add("NAMES" + System.nanoTime() + "-E", "Boende N", OrgNodeKind.UNIT, municipality).id();
        long person = people.create(PersonFixture.hsaPrefix() + "9", "Nora", "Nilsson", null, unit,
                java.time.LocalDate.parse("2024-01-01"), java.time.LocalDate.parse("2024-01-01"));
        String leader = users.token(users.account("NAMES" + System.nanoTime(), null, Role.LEADER, unit));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/people/" + person), leader));

        String admin = users.admin();
        String csrf = TestUsers.csrfTokenOf(http.toBlocking().retrieve(page("/organisationer/" + municipality)
                .cookie(Cookie.of("JWT", admin))));
        http.toBlocking().exchange(HttpRequest.POST("/organisationer/" + municipality + "/ledare-ser-namn",
                        Map.of("allowed", "true", "csrfToken", csrf)).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .cookie(Cookie.of("JWT", admin)), String.class);

        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/people/" + person), leader));
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + unit + "/people"), leader));
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.GET("/api/people/" + personB), leader));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/organisations/" + municipalityA + "/people"), leaderA));
        assertEquals(List.of("SETTING_CHANGED"), sql.strings("SELECT action FROM audit_event WHERE target LIKE ?",
                "%ledare ser namn = true%" + sql.strings("SELECT code FROM org_node WHERE id = ?", municipality).get(0)));
    }

    @Test
    void learnerSeesOnlyThemselves() {
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/people/" + personA), learnerA));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/people/" + otherPersonA), learnerA));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/organisations/" + municipalityA), learnerA));
        assertEquals(HttpStatus.FORBIDDEN, status(page("/organisationer/" + municipalityA), learnerA));
        assertEquals(HttpStatus.FORBIDDEN, status(page("/import"), learnerA));
        assertEquals(HttpStatus.FORBIDDEN, status(page("/admin/roller"), learnerA));
        assertEquals("[]", http.toBlocking().retrieve(HttpRequest.GET("/api/organisations").bearerAuth(learnerA)));
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/goals"), learnerA), "the catalogue is open to everyone signed in");
    }

    @Test
    void nothingIsOpenWithoutSigningIn() {
        for (String uri : List.of("/api/organisations", "/api/organisations/" + municipalityA, "/api/people/" + personA,
                "/api/people?hsaId=" + hsaB, "/api/audiences", "/api/goals", "/api/modules", "/api/imports",
                "/api/imports/" + importA)) {
            assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET(uri), null), uri);
        }
        for (String page : List.of("/", "/organisationer", "/organisationer/" + municipalityA, "/katalog", "/import",
                "/import/" + importA, "/admin/roller", "/admin/logg")) {
            HttpResponse<?> response = http.toBlocking().exchange(page(page), String.class);
            assertEquals(HttpStatus.SEE_OTHER, response.getStatus(), page);
            // To sign in, with the page asked for to return to afterwards.
            assertTrue(response.getHeaders().get("Location").startsWith("/login"), page);
        }
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(page("/login")).getStatus());
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET("/static/app.css")).getStatus());
    }

    @Test
    void revokedRoleStopsWorkingAtOnceEvenWithAValidToken() {
        String username = "REV" + System.nanoTime();
        String token = users.token(users.account(username, null, Role.COORDINATOR, municipalityA));
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + municipalityA), token));

        grants.findByAccountId(accounts.findByUsername(username).orElseThrow().id()).forEach(grants::delete);

        // With no role left anywhere, A is as unknown to them as any other organisation.
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.GET("/api/organisations/" + municipalityA), token));
    }

    @Inject
    RoleGrantRepository grants;

    @Inject
    AccountRepository accounts;

    private long importPeople(String token, long organisation, String rows) {
        String csv = "hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation;startdatum_roll\n" + rows;
        String location = http.toBlocking().exchange(HttpRequest.POST("/api/imports/people?organisation=" + organisation, csv)
                .contentType("text/csv").bearerAuth(token)).getHeaders().get("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        org.junit.jupiter.api.Assertions.assertEquals("SUCCEEDED", sql.awaitImport(id), "import " + id);
        return id;
    }

    private static MutableHttpRequest<?> page(String uri) {
        return HttpRequest.GET(uri).accept(MediaType.TEXT_HTML);
    }

    private HttpClientResponseException refusal(MutableHttpRequest<?> request, String token) {
        return org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(authenticated(request, token), String.class), request.getPath());
    }

    /** A refusal's body with the ids and HSA-ids asked for (and the problem's instance, which repeats them) taken out. */
    private static String withoutIds(HttpClientResponseException e) {
        return e.getResponse().getBody(String.class).orElse("").replaceAll("SE\\d{10}-\\d+", "HSA")
                .replaceAll("\"instance\":\"[^\"]*\"", "").replaceAll("\\d+", "N");
    }

    /** The status the caller gets: pages with the session cookie, the API with the bearer token. */
    private HttpStatus status(MutableHttpRequest<?> request, String token) {
        try {
            return http.toBlocking().exchange(authenticated(request, token), String.class).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    private static MutableHttpRequest<?> authenticated(MutableHttpRequest<?> request, String token) {
        if (token == null) {
            return request;
        }
        return request.getPath().startsWith("/api") ? request.bearerAuth(token) : request.cookie(Cookie.of("JWT", token));
    }
}
