package se.kompetensmal.web;

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
import se.kompetensmal.security.Role;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the service gives away beyond its pages and API: health details, management endpoints, whether an unknown route
 * exists, caching of personal data, and the headers of every answer, also those of the security layer itself.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    RawHttp raw;
    long municipality;
    String learnerName;
    String learner;
    String organisationAdmin;
    String admin;

    @BeforeAll
    void callers() {
        raw = new RawHttp(server.getURI());
        String p = "HARD" + System.nanoTime();
        municipality = tree.add(p, "Kommun H", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add(p + "-E", "Enhet H", OrgNodeKind.UNIT, municipality).id();
        long person = people.create(PersonFixture.hsaPrefix() + "1", "Hedda", "Hård", null, unit, LocalDate.parse("2025-01-01"),
                LocalDate.parse("2025-01-01"), "LICENSED");
        learnerName = users.account(p + "-medarbetare", person, Role.LEARNER, null);
        learner = users.token(learnerName);
        organisationAdmin = users.token(users.account(p + "-admin", null, Role.ADMINISTRATOR, municipality));
        admin = users.admin();
    }

    @Test
    void healthDetailsOnlyForSystemWideAdministrators() {
        for (String caller : new String[] {null, learner, organisationAdmin}) {
            HttpResponse<String> health = raw.json("GET", "/health", caller, null);
            assertEquals(200, health.statusCode());
            assertTrue(health.body().contains("\"UP\""), health.body());
            assertFalse(health.body().contains("details") || health.body().contains("jdbc") || health.body().contains("diskSpace"),
                    health.body());
        }
        HttpResponse<String> full = raw.json("GET", "/health", admin, null);
        // The xAPI outbox is the whole service's too: not for an organisation's administrator.
        assertEquals(403, raw.json("GET", "/api/xapi/outbox", organisationAdmin, null).statusCode());
        assertEquals(200, raw.json("GET", "/api/xapi/outbox", admin, null).statusCode());
        assertTrue(full.body().contains("details") && full.body().contains("jdbc"), full.body());
    }

    @Test
    void managementEndpointsOtherThanHealthAreClosed() {
        for (String path : List.of("/info", "/beans", "/routes", "/threaddump", "/flyway", "/loggers", "/env", "/refresh", "/stop")) {
            for (String caller : new String[] {null, admin}) {
                HttpResponse<String> answer = raw.json("GET", path, caller, null);
                assertEquals(404, answer.statusCode(), path + " " + answer.body());
                assertFalse(answer.body().contains("at io.micronaut"), answer.body());
            }
        }
    }

    @Test
    void unknownRoutesAreNotFoundForTheSignedIn() {
        assertEquals(404, raw.page("/finns-inte", learner).statusCode());
        assertEquals(404, raw.json("GET", "/api/finns-inte", learner, null).statusCode());
        assertEquals(404, raw.page("/finns-inte", admin).statusCode());
    }

    @Test
    void nothingButTheStyleSheetIsKeptInCaches() {
        List<HttpResponse<String>> answers = List.of(
                raw.page("/", learner),
                raw.json("GET", "/api/organisations/" + municipality, admin, null),
                raw.send("GET", "/api/organisations/" + municipality + "/follow-up.csv", admin, null, null, Map.of()),
                raw.page("/min-utbildning/historik", learner),
                raw.page("/login", null),
                raw.json("GET", "/api/organisations", null, null));
        for (HttpResponse<String> answer : answers) {
            assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""), answer.uri() + " " + answer.statusCode());
        }
        HttpResponse<String> css = raw.send("GET", "/static/app.css", null, null, null, Map.of());
        assertEquals(200, css.statusCode());
        assertFalse(css.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
    }

    @Test
    void behindATlsProxyTheSessionCookieIsSecureAndHstsIsSent() {
        String form = "username=" + URLEncoder.encode(learnerName, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(TestUsers.PASSWORD, StandardCharsets.UTF_8);
        HttpResponse<String> overTls = raw.send("POST", "/login", null, "application/x-www-form-urlencoded", form,
                Map.of("X-Forwarded-Proto", "https"));
        String cookie = overTls.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JWT=")).findFirst()
                .orElseThrow(() -> new AssertionError(overTls.statusCode() + " " + overTls.headers().map()));
        assertTrue(List.of(cookie.split(";\\s*")).contains("Secure"), cookie);
        assertEquals("max-age=31536000", overTls.headers().firstValue("Strict-Transport-Security").orElse(""));
        assertEquals("max-age=31536000", raw.send("GET", "/login", null, null, null, Map.of("X-Forwarded-Proto", "https"))
                .headers().firstValue("Strict-Transport-Security").orElse(""));

        HttpResponse<String> plain = raw.send("POST", "/login", null, "application/x-www-form-urlencoded", form, Map.of());
        assertTrue(plain.headers().firstValue("Strict-Transport-Security").isEmpty());
    }

    @Test
    void theSecurityLayersOwnAnswersCarryTheSecurityHeaders() {
        List<HttpResponse<String>> answers = List.of(
                raw.page("/", null),
                raw.page("/organisationer", null),
                raw.json("GET", "/api/organisations", null, null),
                raw.page("/admin/roller", learner),
                raw.json("GET", "/api/xapi/outbox", learner, null),
                raw.page("/finns-inte", learner),
                raw.page("/organisationer/" + municipality, learner),
                raw.json("PUT", "/api/organisations/" + municipality + "/reminder-settings", learner, "{"),
                raw.json("GET", "/api/people/987654321", admin, null));
        List<String> missing = new ArrayList<>();
        for (HttpResponse<String> answer : answers) {
            for (String header : List.of("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                    "Cache-Control")) {
                if (answer.headers().firstValue(header).isEmpty()) {
                    missing.add(answer.request().method() + " " + answer.uri().getPath() + " (" + answer.statusCode() + "): " + header);
                }
            }
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
        assertEquals(List.of(303, 303, 401, 403, 403, 404, 403, 403, 404), answers.stream().map(HttpResponse::statusCode).toList());
    }
}
