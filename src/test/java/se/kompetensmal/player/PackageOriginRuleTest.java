package se.kompetensmal.player;

import io.micronaut.http.HttpRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which origin a request is on, with the package origin configured (production) and derived (development, tests). */
class PackageOriginRuleTest {

    private static HttpRequest<?> request(String host, String... forwarded) {
        var request = HttpRequest.GET("/scorm-innehall/x").header("Host", host);
        for (int i = 0; i + 1 < forwarded.length; i += 2) {
            request.header(forwarded[i], forwarded[i + 1]);
        }
        return request;
    }

    @Test
    void aConfiguredOriginIsKnownByTheHostTheBrowserAskedFor() {
        PackageOrigin origin = new PackageOrigin("https://innehall.region.se/", "https://kompetens.region.se");
        HttpRequest<?> page = request("kompetens.region.se", "X-Forwarded-Proto", "https");
        HttpRequest<?> content = request("innehall.region.se", "X-Forwarded-Proto", "https");

        assertEquals("https://innehall.region.se", origin.baseUrl(page));
        assertFalse(origin.isPackageOrigin(page));
        assertTrue(origin.isPackageOrigin(content));
        assertTrue(origin.contentSecurityPolicy(content).endsWith("frame-ancestors 'self' https://kompetens.region.se"));
        assertFalse(origin.isPackageOrigin(request("innehall.region.se:8443")), "another port is another origin");
        assertFalse(origin.isPackageOrigin(request("kompetens.region.se", "X-Forwarded-Host", "innehall.region.se")),
                "a header a script may set does not move a request to the other origin");
        assertTrue(new PackageOrigin("", "http://localhost:8080").isPackageOrigin(request("127.0.0.1:80")));
        assertTrue(new PackageOrigin("", "http://localhost:8080").isPackageOrigin(
                request("127.0.0.1:80", "X-Forwarded-Host", "localhost")), "and not the other way");
        assertTrue(origin.isPackageOrigin(request("innehall.region.se:443")), "the scheme's own port");
    }

    @Test
    void unconfiguredThePackageOriginIsTheOtherLoopbackNameOnThePagesPort() {
        PackageOrigin origin = new PackageOrigin("", "http://localhost:8080");
        HttpRequest<?> page = request("localhost:51234");
        HttpRequest<?> content = request("127.0.0.1:51234");

        assertEquals("http://127.0.0.1:51234", origin.baseUrl(page));
        assertFalse(origin.isPackageOrigin(page));
        assertTrue(origin.isPackageOrigin(content));
        assertEquals("http://localhost:51234", origin.mainOrigin(content));

        PackageOrigin other = new PackageOrigin("", "http://127.0.0.1:8080");
        assertEquals("http://localhost:8080", other.baseUrl(request("127.0.0.1:8080")));
        assertTrue(other.isPackageOrigin(request("LOCALHOST:8080")));
        assertFalse(other.isPackageOrigin(request("127.0.0.1:8080")));
    }
}
