package se.kompetensmal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContractTest extends ServiceTest {

    @Test
    void unknownIdsAnswerWithAProblemDocumentInSwedish() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/people/987654321").bearerAuth(users.admin()), String.class));

        assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
        assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
        Map<?, ?> problem = e.getResponse().getBody(Map.class).orElseThrow();
        assertEquals("Hittades inte", problem.get("title"));
        assertEquals(404, problem.get("status"));
        assertEquals("Det du söker finns inte.", problem.get("detail"));
        assertEquals("/api/people/987654321", problem.get("instance"));
    }

    @Test
    void invalidInputIsAProblemDocumentNamingTheField() {
        long owner = tree.add("PROB" + System.nanoTime(), "Kommun P", se.kompetensmal.organization.OrgNodeKind.MUNICIPALITY, null).id();
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/api/audiences", Map.of("code", "fel kod", "nameSv", "", "ownerOrganisationId", owner)).bearerAuth(users.admin()),
                String.class));

        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        String body = e.getResponse().getBody(String.class).orElseThrow();
        assertTrue(body.contains("\"status\":422"), body);
        assertTrue(body.contains("code"), body);
        assertTrue(body.contains("nameSv"), body);
    }

    @Test
    void fullImportWithoutAnOrganisationIsRefusedBeforeAnythingIsRead() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/api/imports/people?full=true", "hsa_id\n").contentType(MediaType.of("text/csv")).bearerAuth(users.admin()),
                String.class));

        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        assertTrue(e.getResponse().getBody(String.class).orElseThrow().contains("kräver att du väljer vilken organisation"));
    }

    @Test
    void openApiDocumentIsServed() {
        String openApi = http.toBlocking().retrieve("/api/openapi.yml");

        assertTrue(openApi.startsWith("openapi: 3"), openApi);
        for (String path : new String[] {"/api/organisations/{id}/subtree", "/api/people", "/api/audiences", "/api/goals",
                "/api/modules/{code}", "/api/imports/people"}) {
            assertTrue(openApi.contains(path + ":"), "documents " + path);
        }
    }

    @Test
    void healthShowsDatabaseAndCatalogue() {
        HttpResponse<Map> health = http.toBlocking().exchange(HttpRequest.GET("/health").bearerAuth(users.admin()), Map.class);

        Map<?, ?> details = (Map<?, ?>) health.body().get("details");
        assertEquals("UP", health.body().get("status"));
        assertEquals("UP", ((Map<?, ?>) details.get("jdbc")).get("status"));
        Map<?, ?> catalogue = (Map<?, ?>) ((Map<?, ?>) details.get("catalogue")).get("details");
        assertEquals("2026.1", catalogue.get("catalogueVersion"));
        assertTrue(((Number) catalogue.get("modules")).intValue() >= 3);
    }
}
