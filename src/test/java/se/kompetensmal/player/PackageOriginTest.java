package se.kompetensmal.player;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.HttpCalls;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two origins kept apart: on the package origin (127.0.0.1 beside the main origin's localhost) nothing but the
 * packages' files and runtime answers, not the API, not the sign-in, not even with the learner's session cookie sent
 * along; on the main origin the packages' paths do not exist. Package files come with their own policy: framed only by
 * the player page's origin, requests only to their own origin, cached privately, never sniffed.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageOriginTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    @Inject
    ScormAttempts attempts;

    @Inject
    PackageFixture packages;

    private String main() {
        return "http://localhost:" + server.getPort();
    }

    private String packageOrigin() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private static HttpResponse<String> get(String url, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json, text/html");
        if (cookie != null) {
            request.header("Cookie", "JWT=" + cookie);
        }
        return HttpCalls.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePackageOriginAnswersNothingButPackagesEvenWithTheSessionCookie() {
        PackageFixture.Published published = packages.publish("1.2", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        long learner = packages.learner(published, "Kaka");
        String username = users.account("kaka" + System.nanoTime(), learner, Role.LEARNER, null);
        String jwt = users.token(username);
        assertEquals(200, get(main() + "/api/modules", jwt).statusCode(), "the cookie works on the main origin");

        for (String path : List.of("/api/modules", "/api/organisations", "/login", "/", "/static/app.css", "/utbildning")) {
            HttpResponse<String> answer = get(packageOrigin() + path, jwt);
            assertEquals(404, answer.statusCode(), path + " on the package origin: " + answer.body());
            assertTrue(answer.headers().allValues("Set-Cookie").isEmpty(), path);
        }
        HttpResponse<String> post = HttpCalls.send(HttpRequest.newBuilder(URI.create(packageOrigin() + "/api/token"))
                .header("Content-Type", "application/json").header("Cookie", "JWT=" + jwt)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, post.statusCode());
    }

    @Test
    void theMainOriginDoesNotServeThePackagesPaths() {
        PackageFixture.Published published = packages.publish("1.2", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        long learner = packages.learner(published, "Huvud");
        ScormAttempts.Attempt attempt = attempts.openOrStart(learner, published.code());
        String token = attempts.issueToken(attempt.id(), learner, false);

        assertEquals(200, get(packageOrigin() + "/scorm-innehall/" + token + "/filer/sco1/index.html", null).statusCode());
        assertEquals(404, get(main() + "/scorm-innehall/" + token + "/filer/sco1/index.html", null).statusCode());
        PackagePlayer onMain = new PackagePlayer(main(), token, published.items().get(0));
        assertEquals(404, onMain.post("/anrop", onMain.next("LMSInitialize", "", ""), "application/json").statusCode());

        HttpResponse<String> login = get(main() + "/login", null);
        String csp = login.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("frame-src " + packageOrigin()), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    }

    @Test
    void packageFilesComeWithTheirOwnPolicyUnderAValidTokenOnly() {
        PackageFixture.Published published = packages.publish("2004-3", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        long learner = packages.learner(published, "Filer");
        ScormAttempts.Attempt attempt = attempts.openOrStart(learner, published.code());
        String token = attempts.issueToken(attempt.id(), learner, false);
        String base = packageOrigin() + "/scorm-innehall/" + token + "/filer/";

        HttpResponse<String> page = get(base + "sco1/index.html?del=1", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Del 1"));
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("private, max-age=3600", page.headers().firstValue("Cache-Control").orElse(""));
        assertFalse(page.headers().firstValue("X-Frame-Options").isPresent(), "the player page frames it");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("frame-ancestors 'self' " + main()), csp);
        assertTrue(csp.contains("connect-src 'self'"), csp);
        assertEquals(200, get(base + "imsmanifest.xml", null).statusCode());

        for (String path : List.of("sco1/saknas.html", "../" + "x", "sco1/..%2F..%2Fimsmanifest.xml", "%2e%2e/%2e%2e/pom.xml",
                "sco1", "")) {
            assertEquals(404, get(base + path, null).statusCode(), path);
        }
        assertEquals(404, get(packageOrigin() + "/scorm-innehall/" + "B".repeat(43) + "/filer/sco1/index.html", null).statusCode());
        assertEquals(404, get(packageOrigin() + "/scorm-innehall/kort/filer/sco1/index.html", null).statusCode());

        HttpResponse<String> call = new PackagePlayer(packageOrigin(), token, published.items().get(0)).post("/anrop", "{}",
                "application/json");
        assertEquals("no-store", call.headers().firstValue("Cache-Control").orElse(""), "runtime answers are not kept");
    }
}
