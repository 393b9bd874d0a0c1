package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests another site could make in a signed-in user's name: sign-out, forms from another origin, the API by cookie. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossSiteRequestTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    @Test
    void signingOutNeedsTheFormsCsrfToken() {
        long node = tree.add("OUTCSRF" + System.nanoTime(), "Kommun O", OrgNodeKind.MUNICIPALITY, null).id();
        String session = users.token(users.account("outcsrf" + System.nanoTime(), null, Role.COORDINATOR, node));

        for (Map<String, String> form : java.util.List.of(Map.<String, String>of(), Map.of("csrfToken", "förfalskad"))) {
            assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.POST("/logout", form)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept("text/html,application/xhtml+xml,*/*;q=0.8")
                    .cookie(Cookie.of("JWT", session))));
        }

        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + node).bearerAuth(session)),
                "the session goes on");
    }

    @Test
    void aFormFromTheSameHostOverAnotherSchemeIsRefused() {
        String session = users.token(users.account("scheme" + System.nanoTime(), null, null, null));
        String csrf = TestUsers.csrfTokenOf(http.toBlocking().retrieve(HttpRequest.GET("/installningar")
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session))));
        String hostAndPort = server.getHost() + ":" + server.getPort();

        assertEquals(HttpStatus.FORBIDDEN, status(settings(session, csrf).header("Origin", "https://" + hostAndPort)),
                "https://host is another origin than http://host");
        assertEquals(HttpStatus.FORBIDDEN, status(settings(session, csrf).header("Origin", "http://" + hostAndPort)
                .header("X-Forwarded-Proto", "https")), "behind a TLS proxy the page's own origin is https");
        assertEquals(HttpStatus.SEE_OTHER, status(settings(session, csrf).header("Origin", "https://" + hostAndPort)
                .header("X-Forwarded-Proto", "https")));
        assertEquals(HttpStatus.SEE_OTHER, status(settings(session, csrf).header("Origin", "http://" + hostAndPort)));
    }

    @Test
    void theApiChangesNothingForARequestCarryingOnlyTheSessionCookie() {
        long node = tree.add("APICOOKIE" + System.nanoTime(), "Kommun A", OrgNodeKind.MUNICIPALITY, null).id();
        String session = users.token(users.account("apicookie" + System.nanoTime(), null, Role.COORDINATOR, node));
        String code = "KAKA" + System.nanoTime();
        Map<String, Object> audience = Map.of("code", code, "nameSv", "Kakgrupp", "ownerOrganisationId", node);

        HttpClientResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.POST("/api/audiences", audience).cookie(Cookie.of("JWT", session)),
                        String.class));

        assertEquals(HttpStatus.FORBIDDEN, refused.getStatus());
        assertEquals("application/problem+json", refused.getResponse().getContentType().map(MediaType::toString).orElse(""));
        String problem = refused.getResponse().getBody(String.class).orElse("");
        assertTrue(problem.contains("Authorization: Bearer"), problem);
        assertEquals(0, sql.number("SELECT COUNT(*) FROM audience WHERE code = ?", code));

        assertEquals(HttpStatus.CREATED, status(HttpRequest.POST("/api/audiences", audience).bearerAuth(session)),
                "the same call with the token as a bearer token goes through");
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + node).cookie(Cookie.of("JWT", session))),
                "reading by cookie stays possible");
    }

    private static MutableHttpRequest<?> settings(String session, String csrf) {
        return HttpRequest.POST("/installningar", Map.of("language", "sv", "csrfToken", csrf))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(Cookie.of("JWT", session));
    }

    private HttpStatus status(MutableHttpRequest<?> request) {
        try {
            HttpResponse<String> response = http.toBlocking().exchange(request, String.class);
            return response.getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }
}
