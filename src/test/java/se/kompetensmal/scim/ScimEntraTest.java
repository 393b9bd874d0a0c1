package se.kompetensmal.scim;

import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.Waiting;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user provisioned the way Microsoft Entra ID does it, request for request in the shapes its documentation shows
 * ("Tutorial: Develop and plan provisioning for a SCIM endpoint", and its known non-standard habits: operation names
 * with a capital, a replace without path, {@code "False"} as a string), and then looked at through the service's own
 * data: the person appears in the unit the department names, with the audience of the group, gets that unit's
 * assignments, moves to another unit with the department, and leaves when deactivated, never deleted.
 *
 * <p>The facts: a municipality with two units, Hemtjänst Norr (code 1001) and Hemtjänst Söder (1002), each with an
 * introduction routine for non-licensed care staff: Norr asks for {@link #NORTH_MODULE}, Söder for {@link #SOUTH_MODULE}.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScimEntraTest extends ServiceTest {

    private static final String NORTH_MODULE = "vardskador-grunder";
    private static final String SOUTH_MODULE = "basala-hygienrutiner";

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    ScimTokens tokens;

    ScimCalls scim;
    String token;
    long municipality;
    long north;
    long south;
    String upn;

    @BeforeAll
    void aMunicipalityWithTwoUnitsAndAToken() {
        String p = "ENTRA" + System.nanoTime() % 1_000_000_000L;
        municipality = tree.add(p, "Entrakommun", OrgNodeKind.MUNICIPALITY, null).id();
        north = tree.add("1001", "Hemtjänst Norr", OrgNodeKind.UNIT, municipality).id();
        south = tree.add("1002", "Hemtjänst Söder", OrgNodeKind.UNIT, municipality).id();
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        routine(coordinator, north, "Introduktion Norr", NORTH_MODULE);
        routine(coordinator, south, "Introduktion Söder", SOUTH_MODULE);
        token = tokens.create(municipality, "Entra ID", null, "test").token();
        scim = new ScimCalls(server.getURL().toString(), json);
        upn = "anna.berg." + p.toLowerCase() + "@entrakommun.onmicrosoft.com";
    }

    @Test
    void entraProvisionsPatchesMovesAndDeactivatesAUser() {
        // 1. Entra asks whether the user exists before it creates one: an empty list.
        ScimCalls.Answer search = scim.get("/Users?filter=" + ScimCalls.query("userName eq \"" + upn + "\""), token);
        assertEquals(200, search.status(), search.body());
        assertTrue(search.header("Content-Type").startsWith("application/scim+json"));
        assertEquals(0, ((Number) search.json().get("totalResults")).intValue());
        assertEquals(List.of(), search.resources());

        // 2. It creates the user, with the enterprise extension naming the department by the unit's code.
        ScimCalls.Answer created = scim.post("/Users", token, """
                {
                  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                  "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
                  "userName": "%s",
                  "active": true,
                  "displayName": "Anna Berg",
                  "emails": [{"primary": true, "type": "work", "value": "anna.berg@entrakommun.se"}],
                  "meta": {"resourceType": "User"},
                  "name": {"formatted": "Anna Berg", "familyName": "Berg", "givenName": "Anna"},
                  "title": "Undersköterska",
                  "roles": [],
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                    "employeeNumber": "70017", "department": "1001", "organization": "Entrakommun"
                  }
                }""".formatted(upn));
        assertEquals(201, created.status(), created.body());
        String id = (String) created.json().get("id");
        assertEquals(scim.base() + "/Users/" + id, created.header("Location"));
        assertEquals(meta(created).get("version"), created.header("ETag"));
        assertEquals("User", meta(created).get("resourceType"));
        assertNotNull(meta(created).get("created"));

        // The user is in no group yet, so no person is made: every placement in Kompetensmål has an audience.
        assertEquals(0, sql.number("SELECT COUNT(*) FROM person WHERE huvudman_id = ? AND employee_number = '70017'", municipality));

        // 3. The group (audience) "Icke legitimerad..." gets the user as a member, as Entra sends it.
        ScimCalls.Answer groups = scim.get("/Groups?excludedAttributes=members&filter="
                + ScimCalls.query("displayName eq \"Icke legitimerad vårdnära hälso- och sjukvårdspersonal\""), token);
        assertEquals(1, ((Number) groups.json().get("totalResults")).intValue(), groups.body());
        String groupId = (String) groups.resources().get(0).get("id");
        ScimCalls.Answer added = scim.patch("/Groups/" + groupId, token, """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"name": "addMember", "op": "Add", "path": "members",
                                 "value": [{"$ref": null, "value": "%s"}]}]}""".formatted(id));
        assertEquals(200, added.status(), added.body());

        // The person appears: in Hemtjänst Norr, with that audience, identified by the employee number, and is assigned
        // Norr's introduction.
        long person = sql.number("SELECT id FROM person WHERE huvudman_id = ? AND employee_number = '70017'", municipality);
        assertEquals(List.of("Anna Berg anna.berg@entrakommun.se ACTIVE"), sql.strings(
                "SELECT CONCAT(given_name, ' ', family_name, ' ', email, ' ', status) FROM person WHERE id = ?", person));
        assertEquals(List.of(north + " SCIM"), currentPlacements(person));
        assertEquals(List.of("NON_LICENSED"), sql.strings("SELECT a.code FROM current_placement p JOIN placement_audience pa "
                + "ON pa.placement_id = p.id JOIN audience a ON a.id = pa.audience_id WHERE p.person_id = ?", person));
        assertEquals(List.of(NORTH_MODULE), awaitOpenAssignments(person, List.of(NORTH_MODULE)));

        // 4. A replace without path, its value holding several attributes (Entra's form), and a filtered e-mail path.
        ScimCalls.Answer renamed = scim.patch("/Users/" + id, token, """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [
                   {"op": "Replace", "value": {"displayName": "Anna Berg-Lind", "name.familyName": "Berg-Lind"}},
                   {"op": "Replace", "path": "emails[type eq \\"work\\"].value", "value": "anna.berglind@entrakommun.se"}]}""");
        assertEquals(200, renamed.status(), renamed.body());
        assertEquals(List.of("Anna Berg-Lind anna.berglind@entrakommun.se"), sql.strings(
                "SELECT CONCAT(given_name, ' ', family_name, ' ', email) FROM person WHERE id = ?", person));

        // 5. The department changes: the person moves to Hemtjänst Söder (named this time by its name), the audience kept,
        // and Norr's introduction gives way to Söder's.
        ScimCalls.Answer moved = scim.patch("/Users/" + id, token, """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "Replace",
                   "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                   "value": "Hemtjänst Söder"}]}""");
        assertEquals(200, moved.status(), moved.body());
        assertEquals(List.of(south + " SCIM"), currentPlacements(person));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM placement WHERE person_id = ? AND org_node_id = ? AND ended_on IS NOT NULL",
                person, north), "the placement in Norr ended, kept");
        assertEquals(south, sql.number("SELECT org_node_id FROM person WHERE id = ?", person));
        assertEquals(List.of(SOUTH_MODULE), awaitOpenAssignments(person, List.of(SOUTH_MODULE)));

        // 6. Deactivated as Entra does it: path active, the value the string "False".
        ScimCalls.Answer disabled = scim.patch("/Users/" + id, token, """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}""");
        assertEquals(200, disabled.status(), disabled.body());
        assertEquals(Boolean.FALSE, disabled.json().get("active"));
        assertEquals(List.of("LEFT " + LocalDate.now(SwedishTime.ZONE)),
                sql.strings("SELECT CONCAT(status, ' ', left_on) FROM person WHERE id = ?", person));
        assertEquals(List.of(), awaitOpenAssignments(person, List.of()), "a person who left has nothing open");

        // 7. The filter Entra uses to look the user up again finds them, inactive.
        ScimCalls.Answer again = scim.get("/Users?filter=" + ScimCalls.query("userName eq \"" + upn.toUpperCase() + "\""), token);
        assertEquals(1, ((Number) again.json().get("totalResults")).intValue(), again.body());
        assertEquals(Boolean.FALSE, again.resources().get(0).get("active"));

        // 8. Active again with a replace without path, as Entra restores a user: the person is active again.
        ScimCalls.Answer restored = scim.patch("/Users/" + id, token, """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "Replace", "value": {"active": true}}]}""");
        assertEquals(200, restored.status(), restored.body());
        assertEquals("ACTIVE", sql.strings("SELECT status FROM person WHERE id = ?", person).get(0));

        // 9. Deleted: the person is marked left, never deleted; the user is gone for SCIM.
        assertEquals(204, scim.send("DELETE", "/Users/" + id, token, null).status());
        assertEquals("LEFT", sql.strings("SELECT status FROM person WHERE id = ?", person).get(0));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM person WHERE id = ?", person), "never deleted");
        ScimCalls.Answer gone = scim.get("/Users/" + id, token);
        assertEquals(404, gone.status());
        assertEquals(List.of("urn:ietf:params:scim:api:messages:2.0:Error"), gone.json().get("schemas"));
        assertEquals("404", gone.json().get("status"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPoliticianKnownOnlyByEmailChangesAddressAndStaysTheSamePerson() {
        // A politician without HSA-id or employee number: the e-mail is who they are. Entra changes the address (a new
        // domain after a merger); the person is the same, with the new address, not a second one.
        ScimCalls.Answer created = scim.post("/Users", token, """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "userName": "lars.nord.%1$d@entrakommun.onmicrosoft.com", "active": true,
                 "name": {"givenName": "Lars", "familyName": "Nord"},
                 "emails": [{"primary": true, "type": "work", "value": "lars.nord.%1$d@entrakommun.se"}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "1001"}}""".formatted(System.nanoTime()));
        assertEquals(201, created.status(), created.body());
        String id = (String) created.json().get("id");
        ScimCalls.Answer groups = scim.get("/Groups?filter=" + ScimCalls.query("displayName eq \"NON_LICENSED\""), token);
        String groupId = (String) groups.resources().get(0).get("id");
        assertEquals(200, scim.patch("/Groups/" + groupId, token, """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "Add", "path": "members", "value": [{"value": "%s"}]}]}""".formatted(id)).status());
        String before = (String) ((List<Map<String, Object>>) created.json().get("emails")).get(0).get("value");
        long person = sql.number("SELECT id FROM person WHERE huvudman_id = ? AND email = ?", municipality, before);

        String after = before.replace("@entrakommun.se", "@nyakommunen.se");
        ScimCalls.Answer changed = scim.patch("/Users/" + id, token, """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "Replace", "path": "emails[type eq \\"work\\"].value", "value": "%s"}]}""".formatted(after));
        assertEquals(200, changed.status(), changed.body());
        assertEquals(List.of(after), sql.strings("SELECT email FROM person WHERE id = ?", person));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM person WHERE huvudman_id = ? AND email = ?", municipality, before));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM person WHERE huvudman_id = ? AND given_name = 'Lars' AND family_name = 'Nord'",
                municipality));
    }

    @Test
    void anUnknownAddressUnderScimAnswersAScimError() {
        // RFC 7644 section 3.12: errors under the SCIM base are SCIM error documents, also for an address that is not there.
        ScimCalls.Answer unknown = scim.get("/Anvandare/finns-inte", token);
        assertEquals(404, unknown.status(), unknown.body());
        assertTrue(unknown.header("Content-Type").startsWith("application/scim+json"), unknown.header("Content-Type"));
        assertEquals(List.of("urn:ietf:params:scim:api:messages:2.0:Error"), unknown.json().get("schemas"));
        assertEquals("404", unknown.json().get("status"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meta(ScimCalls.Answer answer) {
        return (Map<String, Object>) answer.json().get("meta");
    }

    private List<String> currentPlacements(long person) {
        return sql.strings("SELECT CONCAT(org_node_id, ' ', source) FROM current_placement WHERE person_id = ? ORDER BY org_node_id",
                person);
    }

    /** The person's open assignments once the recomputation PeopleChanged starts has settled on the ones expected. */
    private List<String> awaitOpenAssignments(long person, List<String> expected) {
        return Waiting.until(() -> sql.strings("SELECT module_code FROM assignment WHERE person_id = ? AND withdrawn_at IS NULL "
                        + "AND completion_id IS NULL ORDER BY module_code", person), expected::equals, Duration.ofSeconds(30),
                "assignments recomputed");
    }

    private void routine(String coordinator, long unit, String name, String module) {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + unit + "/routines", new RoutineForm(name,
                RoutineKind.INTRODUCTION, "NON_LICENSED", new ArrayList<>(List.of(module)), 30, CountsFrom.ORG_START, null,
                null, null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
    }
}
