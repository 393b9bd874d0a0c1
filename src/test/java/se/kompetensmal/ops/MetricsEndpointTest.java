package se.kompetensmal.ops;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prometheus scrapes /prometheus on the service's own port; its figures describe the whole service, so only a
 * system-wide administrator's session or token gets them.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Property(name = "kompetensmal.metrics.scrape-token", value = MetricsEndpointTest.SCRAPE_TOKEN)
class MetricsEndpointTest extends ServiceTest {

    static final String SCRAPE_TOKEN = "prometheus-skrapnyckel-med-minst-32-tecken";

    String organisationAdmin;
    String coordinator;

    @BeforeAll
    void callers() {
        String p = "METR" + System.nanoTime();
        long municipality = tree.add(p, "Kommun M", OrgNodeKind.MUNICIPALITY, null).id();
        organisationAdmin = users.token(users.account(p + "-admin", null, Role.ADMINISTRATOR, municipality));
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
    }

    @Test
    void anonymousCallersAndOrganisationRolesAreRefused() {
        assertEquals(401, status(scrape(null)));
        assertEquals(403, status(scrape(coordinator)));
        // An administrator of one municipality is not an administrator of the service.
        assertEquals(403, status(scrape(organisationAdmin)));
    }

    @Test
    void aSystemWideAdministratorGetsTheJobsAndThePoolInPrometheusText() {
        HttpResponse<String> answer = http.toBlocking().exchange(scrape(users.admin()), String.class);
        assertEquals(200, answer.code());
        assertTrue(answer.getContentType().orElseThrow().toString().startsWith("text/plain"), answer.getContentType().toString());
        String text = answer.body();
        assertTrue(text.contains("kompetensmal_jobs_waiting{kind=\"recompute\"}"), "queue length per kind: " + text);
        assertTrue(text.contains("kompetensmal_jobs_oldest_waiting_seconds{kind=\"recompute\"}"), "oldest waiting per kind");
        assertTrue(text.contains("hikaricp_connections_active{"), "the connection pool: " + text);
        assertTrue(text.contains("hikaricp_connections_timeout_total"), "requests that found no connection in time");
        assertTrue(text.contains("jvm_memory_used_bytes"), "the JVM");
    }

    @Test
    void prometheusWithTheScrapeTokenGetsTheMetricsAndNothingElse() {
        HttpResponse<String> answer = http.toBlocking().exchange(scrape(SCRAPE_TOKEN), String.class);
        assertEquals(200, answer.code());
        assertTrue(answer.body().contains("hikaricp_connections_active{"), answer.body());
        assertEquals(401, status(HttpRequest.GET("/api/organisations").accept("application/json").bearerAuth(SCRAPE_TOKEN)));
        assertEquals(401, status(scrape(SCRAPE_TOKEN.substring(1))));
    }

    private static MutableHttpRequest<?> scrape(String token) {
        MutableHttpRequest<?> request = HttpRequest.GET("/prometheus").accept("text/plain");
        return token == null ? request : request.bearerAuth(token);
    }

    private int status(HttpRequest<?> request) {
        try {
            return http.toBlocking().exchange(request, String.class).code();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }
}
