package se.kompetensmal.scim;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who reaches what over SCIM, and what a refused request leaves behind. A token is made and revoked by an administrator
 * of the organisation on its page (shown once, CSRF, audited); it reaches its own organisation's users and units only;
 * a revoked token, none, or a session cookie is answered 401. A malformed or refused request changes nothing.
 *
 * <p>The facts: municipalities A and B, each with one unit (both with the code 3001, as two municipalities may have), an
 * administrator of A, and a token for each made on A's and B's pages.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScimAccessTest extends ServiceTest {

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    ScimTokens tokens;

    ScimCalls scim;
    String p;
    long a;
    long b;
    long unitA;
    long unitB;
    String adminA;
    String tokenA;
    String tokenB;

    @BeforeAll
    void twoMunicipalities() {
        p = "ACC" + System.nanoTime() % 1_000_000_000L;
        a = tree.add(p + "A", "Kommun A", OrgNodeKind.MUNICIPALITY, null).id();
        b = tree.add(p + "B", "Kommun B", OrgNodeKind.MUNICIPALITY, null).id();
        unitA = tree.add("3001", "Enhet A", OrgNodeKind.UNIT, a).id();
        unitB = tree.add("3001", "Enhet B", OrgNodeKind.UNIT, b).id();
        adminA = users.token(users.account(p + "-admin-a", null, Role.ADMINISTRATOR, a));
        tokenA = createOnPage(adminA, a, "Entra A");
        tokenB = tokens.create(b, "Entra B", sql.number("SELECT id FROM audience WHERE code = 'LICENSED'"), "test").token();
        scim = new ScimCalls(server.getURL().toString(), json);
    }

    @Test
    void theAdministratorsPageShowsATokenOnceListsItAndRevokesIt() {
        String token = createOnPage(adminA, a, "Tillfällig");
        assertTrue(token.startsWith("kmscim_"));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM scim_token WHERE token_hash = ?", ScimTokens.digest(token)),
                "stored as its digest");
        assertEquals(0, sql.number("SELECT COUNT(*) FROM scim_token WHERE token_hash = ?", token), "never as itself");
        assertEquals(200, scim.get("/ServiceProviderConfig", token).status());

        String page = page(adminA, a);
        assertTrue(page.contains("Tillfällig"));
        assertFalse(page.contains(token), "the token is shown only on the answer that made it");
        assertTrue(page.contains("Senast använd"));

        long id = sql.number("SELECT id FROM scim_token WHERE token_hash = ?", ScimTokens.digest(token));
        HttpResponse<String> revoked = http.toBlocking().exchange(HttpRequest.POST("/organisationer/" + a + "/scim/" + id
                        + "/aterkalla", Map.of("csrfToken", TestUsers.csrfTokenOf(page)))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(io.micronaut.http.cookie.Cookie.of("JWT", adminA)),
                String.class);
        assertEquals(303, revoked.code());
        ScimCalls.Answer refused = scim.get("/Users", token);
        assertEquals(401, refused.status());
        assertEquals("401", refused.json().get("status"));
        assertEquals(List.of("urn:ietf:params:scim:api:messages:2.0:Error"), refused.json().get("schemas"));
        assertEquals(List.of("SCIM_TOKEN_CREATED", "SCIM_TOKEN_REVOKED"), sql.strings("SELECT action FROM audit_event "
                + "WHERE target LIKE ? ORDER BY id", "SCIM-token «Tillfällig» (" + id + ")%"));

        // Without the CSRF token nothing is made.
        long before = sql.number("SELECT COUNT(*) FROM scim_token WHERE org_node_id = ?", a);
        assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(HttpRequest.POST(
                "/organisationer/" + a + "/scim", Map.of("name", "Utan CSRF"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(io.micronaut.http.cookie.Cookie.of("JWT", adminA))));
        assertEquals(before, sql.number("SELECT COUNT(*) FROM scim_token WHERE org_node_id = ?", a));
    }

    @Test
    void onlyAnAdministratorOfTheOrganisationReachesItsPage() {
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, a));
        HttpClientResponseException notAdmin = assertThrows(HttpClientResponseException.class, () -> page(coordinator, a));
        assertEquals(403, notAdmin.getStatus().getCode());
        HttpClientResponseException otherOrg = assertThrows(HttpClientResponseException.class, () -> page(adminA, b));
        assertEquals(404, otherOrg.getStatus().getCode(), "another organisation is answered as unknown");
    }

    @Test
    void withoutAValidTokenSCIMAnswers401() {
        assertEquals(401, scim.get("/Users", null).status());
        assertEquals(401, scim.get("/Users", "kmscim_gissad").status());
        // A session (cookie or its JWT as bearer token) is no SCIM token.
        assertEquals(401, scim.send("GET", "/Users", null, null, "Cookie", "JWT=" + adminA).status());
        assertEquals(401, scim.get("/Users", adminA).status());
        assertEquals(401, scim.post("/Users", null, user("ingen", "3001")).status());
    }

    @Test
    void plainJsonIsAcceptedToo() {
        HttpResponse<String> created = http.toBlocking().exchange(HttpRequest.POST("/scim/v2/Users", user(p + "-json", "3001"))
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON).bearerAuth(tokenB), String.class);
        assertEquals(201, created.code());
        assertTrue(created.body().contains("\"userName\":\"" + p + "-json@example.se\""));
    }

    @Test
    void aTokenReachesItsOwnOrganisationOnly() {
        ScimCalls.Answer inB = scim.post("/Users", tokenB, user(p + "-b1", "3001"));
        assertEquals(201, inB.status(), inB.body());
        String idInB = (String) inB.json().get("id");
        long personInB = sql.number("SELECT person_id FROM scim_user WHERE resource_id = ?", idInB);
        assertEquals(unitB, sql.number("SELECT org_node_id FROM person WHERE id = ?", personInB),
                "B's token: code 3001 is B's unit");

        // A's token: B's user is unknown to it (read, list, change, delete), and its own 3001 is A's unit.
        assertEquals(404, scim.get("/Users/" + idInB, tokenA).status());
        assertEquals(0, total(scim.get("/Users?filter=" + ScimCalls.query("userName eq \"" + p + "-b1@example.se\""), tokenA)));
        assertEquals(404, scim.patch("/Users/" + idInB, tokenA, replaceDisplayName("Kapad")).status());
        assertEquals(404, scim.send("DELETE", "/Users/" + idInB, tokenA, null).status());
        assertEquals(404, scim.send("PUT", "/Users/" + idInB, tokenA, user(p + "-b1", "3001")).status());
        assertEquals("ACTIVE", sql.strings("SELECT status FROM person WHERE id = ?", personInB).get(0));
        assertEquals(1, total(scim.get("/Users?filter=" + ScimCalls.query("userName eq \"" + p + "-b1@example.se\""), tokenB)));

        // A unit of B named by its name is not found for A's token: refused, nothing written.
        ScimCalls.Answer elsewhere = scim.post("/Users", tokenA, user(p + "-a1", "Enhet B"));
        assertEquals(400, elsewhere.status());
        assertEquals("invalidValue", elsewhere.json().get("scimType"));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM scim_user WHERE user_name = ?", p + "-a1@example.se"));

        // Nor can a member of B be added to a group with A's token.
        ScimCalls.Answer member = scim.patch("/Groups/LICENSED", tokenA, """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "add", "path": "members", "value": [{"value": "%s"}]}]}""".formatted(idInB));
        assertEquals(400, member.status());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM scim_group_member m JOIN scim_user u ON u.id = m.scim_user_id "
                + "WHERE u.resource_id = ?", idInB));
    }

    @Test
    void aMalformedOrRefusedRequestChangesNothing() {
        ScimCalls.Answer created = scim.post("/Users", tokenB, user(p + "-m1", "3001"));
        assertEquals(201, created.status(), created.body());
        String id = (String) created.json().get("id");
        String state = state(id);

        List<String> bodies = List.of(
                "{not json",
                "[]",
                // An unknown operation after a good one: the good one is not applied either.
                """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "replace", "path": "displayName", "value": "Ändrad"}, {"op": "move", "path": "x"}]}""",
                // A good change and a unit that does not exist: neither.
                """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "replace", "path": "name.givenName", "value": "Ändrad"},
                   {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "9999"}]}""",
                // A value of the wrong type.
                """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "replace", "path": "active", "value": "kanske"}]}""",
                // No schemas.
                """
                {"Operations": [{"op": "replace", "path": "displayName", "value": "Ändrad"}]}""",
                // A bad path.
                """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "replace", "path": "emails[type eq", "value": "x"}]}""",
                // Too long a name.
                """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "replace", "path": "name.familyName", "value": "%s"}]}""".formatted("x".repeat(101)));
        for (String body : bodies) {
            ScimCalls.Answer refused = scim.patch("/Users/" + id, tokenB, body);
            assertEquals(400, refused.status(), body + " → " + refused.body());
            assertEquals("400", refused.json().get("status"));
            assertEquals(List.of("urn:ietf:params:scim:api:messages:2.0:Error"), refused.json().get("schemas"));
            assertEquals(state, state(id), "nothing changed by " + body);
        }

        // A stale If-Match: 412, nothing changed.
        ScimCalls.Answer stale = scim.send("PATCH", "/Users/" + id, tokenB, replaceDisplayName("Ändrad"), "If-Match", "W/\"0\"");
        assertEquals(412, stale.status());
        assertEquals(state, state(id));

        // A POST that is refused (the same userName) leaves no user and no person behind.
        long people = sql.number("SELECT COUNT(*) FROM person WHERE huvudman_id = ?", b);
        ScimCalls.Answer duplicate = scim.post("/Users", tokenB, user(p + "-m1", "3001").replace(p + "-m1@example.se\"}]",
                p + "-m2@example.se\"}]"));
        assertEquals(409, duplicate.status(), duplicate.body());
        assertEquals("uniqueness", duplicate.json().get("scimType"));
        assertEquals(people, sql.number("SELECT COUNT(*) FROM person WHERE huvudman_id = ?", b));
    }

    /** Everything a change could touch: the SCIM user and its person. */
    private String state(String id) {
        return String.join("|", sql.strings("""
                SELECT CONCAT_WS(',', u.user_name, u.display_name, u.given_name, u.family_name, u.unit_id, u.active, u.version,
                       p.given_name, p.family_name, p.status, p.org_node_id,
                       (SELECT COUNT(*) FROM placement pl WHERE pl.person_id = p.id))
                FROM scim_user u JOIN person p ON p.id = u.person_id WHERE u.resource_id = ?""", id));
    }

    private static String user(String name, String department) {
        return """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "userName": "%s@example.se", "name": {"givenName": "Test", "familyName": "Person"},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "%s"},
                 "emails": [{"type": "work", "value": "%s@example.se"}]}""".formatted(name, department, name);
    }

    private static String replaceDisplayName(String value) {
        return """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "replace", "path": "displayName", "value": "%s"}]}""".formatted(value);
    }

    private static int total(ScimCalls.Answer answer) {
        return ((Number) answer.json().get("totalResults")).intValue();
    }

    private String page(String session, long node) {
        return http.toBlocking().retrieve(HttpRequest.GET("/organisationer/" + node + "/scim")
                .cookie(io.micronaut.http.cookie.Cookie.of("JWT", session)));
    }

    /** Makes a token on the organisation's page, as its administrator does, and reads it off the answer. */
    private String createOnPage(String session, long node, String name) {
        String page = page(session, node);
        String answer = http.toBlocking().retrieve(HttpRequest.POST("/organisationer/" + node + "/scim",
                        Map.of("name", name, "audience", "", "csrfToken", TestUsers.csrfTokenOf(page)))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(io.micronaut.http.cookie.Cookie.of("JWT", session)));
        Matcher m = Pattern.compile("id=\"ny-token\" value=\"([^\"]+)\"").matcher(answer);
        assertTrue(m.find(), "the new token is shown");
        return m.group(1);
    }
}
