package se.kompetensmal.hrfiles;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.multipart.MultipartBody;
import io.micronaut.http.cookie.Cookie;
import se.kompetensmal.TestUsers;
import se.kompetensmal.Waiting;
import se.kompetensmal.roster.RosterImportView;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The HR file pages as a coordinator's browser uses them: pages read with the session cookie, forms posted with CSRF. */
final class HrCalls {

    private final BlockingHttpClient http;
    private final String session;

    HrCalls(BlockingHttpClient http, String session) {
        this.http = http;
        this.session = session;
    }

    HttpResponse<String> page(String uri) {
        return http.exchange(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class);
    }

    String get(String uri) {
        return page(uri).body();
    }

    /** The status a page or form answers with, whether it succeeds or not. */
    HttpStatus status(Runnable call) {
        try {
            call.run();
            return HttpStatus.OK;
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    /** Posts a form (name, value, name, value, ...) with the CSRF token of the page it is on. */
    HttpResponse<String> post(String uri, String csrfFrom, String... fields) {
        StringBuilder body = new StringBuilder("csrfToken=" + enc(TestUsers.csrfTokenOf(get(csrfFrom))));
        for (int i = 0; i < fields.length; i += 2) {
            body.append('&').append(enc(fields[i])).append('=').append(enc(fields[i + 1]));
        }
        return http.exchange(HttpRequest.POST(uri, body.toString()).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class);
    }

    /** Uploads a people file on the import page; answers where the page sends the browser (the preview). */
    String upload(long organisation, boolean full, String fileName, byte[] content) {
        MultipartBody.Builder form = MultipartBody.builder()
                .addPart("csrfToken", TestUsers.csrfTokenOf(get("/import")))
                .addPart("kind", "PEOPLE")
                .addPart("organisation", Long.toString(organisation));
        if (full) {
            form.addPart("full", "true");
        }
        HttpResponse<String> answer = http.exchange(HttpRequest.POST("/import/forhandsgranskning",
                        form.addPart("file", fileName, MediaType.of("text/csv"), content).build())
                .contentType(MediaType.MULTIPART_FORM_DATA).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class);
        if (answer.getStatus() != HttpStatus.SEE_OTHER) {
            throw new AssertionError("upload answered " + answer.getStatus() + ": " + answer.body());
        }
        return answer.getHeaders().get("Location");
    }

    /** Confirms the preview in the encoding it shows, and waits for the import it starts to end. */
    RosterImportView confirm(String preview, String encoding) {
        HttpResponse<String> answer = post(preview + "/importera", preview, "kodning", encoding);
        if (answer.getStatus() != HttpStatus.SEE_OTHER) {
            throw new AssertionError("confirmation answered " + answer.getStatus() + ": " + answer.body());
        }
        String location = answer.getHeaders().get("Location");
        if (!location.matches("/import/\\d+")) {
            throw new AssertionError("confirmation led to " + location);
        }
        return awaitImport(Long.parseLong(location.substring("/import/".length())));
    }

    RosterImportView awaitImport(long id) {
        return Waiting.until(() -> http.retrieve(HttpRequest.GET("/api/imports/" + id).bearerAuth(session), RosterImportView.class),
                view -> view.rosterImport().finished() || view.rosterImport().awaitingConfirmation(),
                Duration.ofMinutes(2), "the import to end");
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
