package se.kompetensmal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.multipart.MultipartBody;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.Waiting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesTest extends ServiceTest {

    private String get(String page) {
        return http.toBlocking().retrieve(asAdmin(HttpRequest.GET(page).accept(MediaType.TEXT_HTML)));
    }

    private String session;

    /** One signed-in session for the whole class: a form's CSRF token belongs to the session it was shown in. */
    private <T> MutableHttpRequest<T> asAdmin(MutableHttpRequest<T> request) {
        if (session == null) {
            session = users.admin();
        }
        return request.cookie(Cookie.of("JWT", session));
    }

    @Test
    void pagesAreSwedishHtml() {
        for (String page : new String[] {"/", "/organisationer", "/katalog", "/katalog/moduler/vardskador-grunder", "/import"}) {
            HttpResponse<String> response = http.toBlocking().exchange(asAdmin(HttpRequest.GET(page).accept(MediaType.TEXT_HTML)), String.class);
            assertEquals(HttpStatus.OK, response.getStatus(), page);
            String html = response.body();
            assertTrue(html.contains("<html lang=\"sv\">"), page);
            assertTrue(html.contains("Hoppa till innehållet"), page);
        }
        String catalogue = get("/katalog");
        assertTrue(catalogue.contains("Politiker, förtroendevalda"));
        assertTrue(catalogue.contains("POL-01"));
    }

    @Test
    void missingPageIsASwedishErrorPage() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(asAdmin(HttpRequest.GET("/organisationer/987654321").accept(MediaType.TEXT_HTML)), String.class));

        assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
        String html = e.getResponse().getBody(String.class).orElseThrow();
        assertTrue(html.contains("<h1>Sidan finns inte</h1>"), html);
        assertTrue(html.contains("Det du söker finns inte."), html);
    }

    @Test
    void uploadedFileWithErrorsShowsItsReportOnThePage() {
        String csv = "hsa_id;förnamn;efternamn;enhet;målgrupper;startdatum_organisation\n"
                + "SE2321000016-1;Åsa;Öberg;FINNS-INTE;LICENSED;2024-01-01\n";
        MultipartBody form = MultipartBody.builder()
                .addPart("csrfToken", TestUsers.csrfTokenOf(get("/import")))
                .addPart("kind", "PEOPLE")
                .addPart("organisation", "")
                .addPart("file", "personal.csv", MediaType.of("text/csv"), csv.getBytes(StandardCharsets.UTF_8))
                .build();

        HttpResponse<String> redirect = http.toBlocking().exchange(asAdmin(HttpRequest.POST("/import", form)
                .contentType(MediaType.MULTIPART_FORM_DATA).accept(MediaType.TEXT_HTML)), String.class);

        String location = redirect.getHeaders().get("Location");
        assertTrue(location != null && location.matches("/import/\\d+"), "redirect to the import: " + redirect.getStatus());
        String page = awaitFinishedPage(location);
        assertTrue(page.contains("Avvisad, inget sparades"), page);
        assertTrue(page.contains("enheten &#x27;FINNS-INTE&#x27; finns inte i den valda organisationen")
                || page.contains("enheten 'FINNS-INTE' finns inte i den valda organisationen"), page);
        String report = get(location + "/felrapport.csv");
        assertTrue(report.contains("2;\"enhet\";\"enheten 'FINNS-INTE' finns inte i den valda organisationen\""), report);
    }

    @Test
    void uploadWithoutAFileAsksForOne() {
        MultipartBody form = MultipartBody.builder().addPart("csrfToken", TestUsers.csrfTokenOf(get("/import")))
                .addPart("kind", "PEOPLE").build();

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                asAdmin(HttpRequest.POST("/import", form).contentType(MediaType.MULTIPART_FORM_DATA).accept(MediaType.TEXT_HTML)),
                String.class));

        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        assertTrue(e.getResponse().getBody(String.class).orElseThrow().contains("Välj en CSV-fil som inte är tom."));
    }

    private String awaitFinishedPage(String location) {
        return Waiting.until(() -> get(location), page -> !page.contains("http-equiv=\"refresh\""),
                Duration.ofMinutes(1), "the import page to stop refreshing");
    }
}
