package se.kompetensmal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every database connection busy (as under the benchmark's 64 connections on the follow-up page): a page says in
 * Swedish that the service is busy and to try again in a moment, the API answers a problem document, both 503 with
 * Retry-After; not a 500. Once a connection is free again the same requests succeed.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseBusyTest extends ServiceTest {

    @Inject
    DataSource dataSource;

    @Inject
    DataSourceResolver resolver;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        // A pool this test can fill by itself, and no background work of its own taking connections meanwhile.
        properties.put("datasources.default.maximum-pool-size", "2");
        properties.put("datasources.default.connection-timeout", "250");
        properties.put("kompetensmal.jobs.enabled", "false");
        return properties;
    }

    @Test
    void withEveryConnectionBusyPagesAndTheApiSayTryAgainShortly() throws Exception {
        String admin = users.admin();
        List<Connection> held = new ArrayList<>();
        try {
            DataSource pool = resolver.resolve(dataSource);
            held.add(pool.getConnection());
            held.add(pool.getConnection());

            HttpClientResponseException page = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                    .exchange(HttpRequest.GET("/organisationer?vy=lista").accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", admin)), String.class));
            assertEquals(503, page.getStatus().getCode());
            assertEquals(DatabaseBusy.RETRY_AFTER, page.getResponse().getHeaders().get("Retry-After"));
            String html = page.getResponse().getBody(String.class).orElse("");
            assertTrue(html.contains("Tjänsten är hårt belastad just nu") && html.contains("Vänta några sekunder"), html);
            assertTrue(html.startsWith("<!DOCTYPE html>") || html.startsWith("<!doctype html>"), html);
            // "=" escaped in the link, as Handlebars escapes it.
            assertTrue(html.contains("<a href=\"/organisationer?vy&#x3D;lista\">Försök igen</a>") && !html.contains("Till inloggningen"),
                    "the way on is the same page again: " + html);

            HttpClientResponseException api = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                    .exchange(HttpRequest.GET("/api/organisations").bearerAuth(admin), String.class));
            assertEquals(503, api.getStatus().getCode());
            assertEquals(DatabaseBusy.RETRY_AFTER, api.getResponse().getHeaders().get("Retry-After"));
            assertEquals("application/problem+json", api.getResponse().getContentType().map(MediaType::toString).orElse(""));
            assertTrue(api.getResponse().getBody(String.class).orElse("").contains("\"status\":503"),
                    api.getResponse().getBody(String.class).orElse(""));
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        HttpResponse<String> again = http.toBlocking().exchange(HttpRequest.GET("/api/organisations").bearerAuth(admin), String.class);
        assertEquals(200, again.getStatus().getCode());
    }
}
