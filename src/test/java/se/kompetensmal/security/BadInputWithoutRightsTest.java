package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.Routine;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.web.RawHttp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every form and every request body, sent with bad input by someone without the right to the node it names: a learner
 * of the same organisation and a coordinator of another. The access check comes before anything is parsed or rendered:
 * they get 403 (or 404 for the other organisation), never a validation message or a re-rendered form with the node's
 * name and settings, and nothing is written.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputWithoutRightsTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    RawHttp raw;
    String prefix;
    long municipality;
    long unit;
    long person;
    long routine;
    long grant;
    String learner;
    String outsider;

    @BeforeAll
    void anOrganisationWithSomethingInEveryPlace() {
        raw = new RawHttp(server.getURI());
        prefix = "BAD" + System.nanoTime();
        municipality = tree.add(prefix, "Kommun Hemligby", OrgNodeKind.MUNICIPALITY, null).id();
        unit = tree.add(prefix + "-E", "Enheten Tystnaden", OrgNodeKind.UNIT, municipality).id();
        person = people.create(PersonFixture.hsaPrefix() + "1", "Lea", "Lärling", null, unit, LocalDate.parse("2025-01-01"),
                LocalDate.parse("2025-01-01"), "LICENSED");
        String admin = users.admin();
        routine = http.toBlocking().retrieve(HttpRequest.POST("/api/organisations/" + municipality + "/routines",
                new RoutineForm("Intro", RoutineKind.INTRODUCTION, "LICENSED", List.of("vardskador-grunder"), 30,
                        CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null))
                .bearerAuth(admin), Routine.class).id();
        users.account(prefix + "-samordnare", null, Role.COORDINATOR, municipality);
        grant = sql.number("SELECT g.id FROM role_grant g JOIN user_account a ON a.id = g.account_id WHERE a.username = ?",
                prefix + "-samordnare");
        learner = users.token(users.account(prefix + "-medarbetare", person, Role.LEARNER, null));
        long other = tree.add(prefix + "X", "Kommun Annanstans", OrgNodeKind.MUNICIPALITY, null).id();
        outsider = users.token(users.account(prefix + "-annan", null, Role.COORDINATOR, other));
        sql.awaitRecomputations();
    }

    /** One request with bad input; the CSRF token is the caller's own, read from a page of theirs. */
    record Attempt(String method, String path, String contentType, String body) {
    }

    private List<Attempt> attempts(String csrf) {
        String token = "csrfToken=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
        String boundary = "gr4ns";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrfToken\"\r\n\r\n" + csrf + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"organisation\"\r\n\r\n" + municipality + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"full\"\r\n\r\ntrue\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\nhsa_id\nfel\r\n--" + boundary + "--\r\n";
        String form = "application/x-www-form-urlencoded";
        String json = "application/json";
        return List.of(
                new Attempt("POST", "/organisationer/" + municipality + "/paminnelser", form,
                        "enabled=on&daysBefore=sju&whenOverdue=on&" + token),
                new Attempt("POST", "/organisationer/" + municipality + "/rutiner", form,
                        "name=X&kind=FEL&audience=LICENSED&dueDays=tio&documentation=EXISTS&" + token),
                new Attempt("POST", "/organisationer/" + municipality + "/ledare-ser-namn", form, "allowed=true&" + token),
                new Attempt("POST", "/admin/roller", form, "username=" + prefix + "-medarbetare&role=FEL&organisation=" + prefix
                        + "&" + token),
                new Attempt("POST", "/admin/roller/" + grant + "/aterkalla", form, token),
                new Attempt("POST", "/admin/xapi/forsok-igen", form, token),
                new Attempt("POST", "/admin/xapi/hamta", form, token),
                new Attempt("POST", "/import", "multipart/form-data; boundary=" + boundary, multipart),
                new Attempt("PUT", "/api/organisations/" + municipality + "/reminder-settings", json, "{\"daysBefore\":\"sju\"}"),
                new Attempt("POST", "/api/organisations/" + municipality + "/routines", json, "{\"kind\":\"FEL\",\"dueDays\":\"x\"}"),
                new Attempt("PUT", "/api/routines/" + routine, json, "{\"kind\":\"FEL\"}"),
                new Attempt("POST", "/api/organisations/" + municipality + "/assignments", json, "{\"dueDate\":\"i morgon\"}"),
                new Attempt("POST", "/api/people/" + person + "/exemptions", json, "{\"module\":\"\"}"),
                new Attempt("POST", "/api/organisations/" + municipality + "/assignments/recompute", json, "{"),
                new Attempt("POST", "/api/audiences", json, "{\"code\":\"fel kod\",\"ownerOrganisationId\":" + municipality + "}"),
                new Attempt("POST", "/api/imports/people?organisation=" + municipality + "&full=true", "text/csv", "hsa_id\nfel\n"),
                new Attempt("POST", "/api/imports/organisations?organisation=" + municipality, "text/csv", "kod\n" + prefix + "\n"));
    }

    @Test
    void aLearnerOfTheSameOrganisationIsRefusedBeforeTheInputIsLookedAt() {
        assertRefusedEverywhere(learner, List.of(403));
    }

    @Test
    void aCoordinatorOfAnotherOrganisationIsRefusedBeforeTheInputIsLookedAt() {
        assertRefusedEverywhere(outsider, List.of(403, 404));
    }

    private void assertRefusedEverywhere(String session, List<Integer> refusals) {
        String csrf = TestUsers.csrfTokenOf(raw.page("/installningar", session).body());
        Map<String, Long> before = written();
        List<String> failures = new ArrayList<>();
        for (Attempt attempt : attempts(csrf)) {
            var response = raw.send(attempt.method(), attempt.path(), session, attempt.contentType(), attempt.body(),
                    Map.of("Accept", attempt.path().startsWith("/api") ? "application/json" : "text/html"));
            // The page's header names the caller (their own account, whose name holds the prefix); what is checked is
            // that nothing of the organisation or of the input is echoed in the answer itself.
            String body = response.body().replaceFirst("(?s)<header class=\"site-header\">.*?</header>", "");
            if (!refusals.contains(response.statusCode()) || body.contains("Hemligby") || body.contains("Tystnaden")
                    || body.contains(prefix)) {
                failures.add(attempt.method() + " " + attempt.path() + " -> " + response.statusCode() + ": "
                        + body.substring(0, Math.min(300, body.length())).replaceAll("\\s+", " "));
            }
        }
        sql.awaitRecomputations();
        assertEquals(before, written(), "nothing written");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** What any of the requests could have written. */
    private Map<String, Long> written() {
        return Map.of(
                "reminder settings", sql.number("SELECT COUNT(*) FROM reminder_setting WHERE org_node_id = ?", municipality),
                "routines", sql.number("SELECT COUNT(*) FROM routine_version v JOIN routine r ON r.id = v.routine_id "
                        + "WHERE r.org_node_id = ?", municipality),
                "assignments", sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ?", person),
                "exemptions", sql.number("SELECT COUNT(*) FROM exemption WHERE person_id = ?", person),
                "grants", sql.number("SELECT COUNT(*) FROM role_grant WHERE org_node_id = ?", municipality),
                "leaders see names", sql.number("SELECT COUNT(*) FROM org_node WHERE id = ? AND leaders_see_names", municipality),
                "imports", sql.number("SELECT COUNT(*) FROM roster_import WHERE scope_org_id = ?", municipality),
                "audiences", sql.number("SELECT COUNT(*) FROM audience WHERE owner_org_id = ?", municipality),
                "recomputations", sql.number("SELECT COUNT(*) FROM recompute_job WHERE scope_org_id = ?", municipality),
                "audit", sql.number("SELECT COUNT(*) FROM audit_event WHERE target LIKE ?", "%" + prefix + "%"));
    }
}
