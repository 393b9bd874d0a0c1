package se.kompetensmal.roster;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
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
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads over the import's size limit, set small here, on the API and on the page. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RosterUploadLimitTest extends ServiceTest {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("kompetensmal.import.max-bytes", "64KB");
        return properties;
    }

    private static byte[] peopleFile(int rows) {
        StringBuilder csv = new StringBuilder("hsa_id;förnamn;efternamn;enhet;målgrupper;startdatum_organisation\n");
        for (int i = 0; i < rows; i++) {
            csv.append("SE2321000016-U").append(i).append(";Åsa;Öberg;FINNS-INTE;LICENSED;2024-01-01\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anApiUploadOverTheLimitIsRefusedWith413AndLeavesNoFileBehind() {
        byte[] tooLarge = peopleFile(2_000);
        assertTrue(tooLarge.length > 64 * 1024);
        long before = sql.number("SELECT COALESCE(MAX(id), 0) FROM stored_file");

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/api/imports/people", tooLarge).contentType(MediaType.of("text/csv")).bearerAuth(users.admin()),
                String.class));

        assertEquals(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getStatus());
        assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
        String problem = e.getResponse().getBody(String.class).orElseThrow();
        assertTrue(problem.contains("Filen är större än 64 kB"), problem);
        assertEquals(0, storedUploadsAfter(before), "the part of the upload that was stored is removed");
    }

    @Test
    void aPageUploadIsStoredUnderTheLimitAndRefusedOverIt() {
        String session = users.admin();
        String form = http.toBlocking().retrieve(HttpRequest.GET("/import").accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
        byte[] underTheLimit = peopleFile(1_000);
        assertTrue(underTheLimit.length > 32 * 1024 && underTheLimit.length < 64 * 1024);

        // Earlier classes in this JVM may have left stored files of their own (an import waiting for confirmation keeps
        // its file): only files stored from here on are this test's.
        long before = sql.number("SELECT COALESCE(MAX(id), 0) FROM stored_file");
        HttpResponse<String> accepted = http.toBlocking().exchange(upload(form, session, underTheLimit), String.class);

        assertEquals(HttpStatus.SEE_OTHER, accepted.getStatus());
        String location = accepted.getHeaders().get("Location");
        RosterImportView done = new RosterApi(http.toBlocking(), session).await("/api/imports/" + location.substring("/import/".length()), view -> { });
        assertEquals(RosterImportStatus.REJECTED, done.rosterImport().status());
        assertEquals(1_000, done.errorCount(), "every row of the streamed file was read");
        Waiting.until(() -> storedUploadsAfter(before), n -> n == 0, Duration.ofSeconds(20), "the stored file deleted once its import ended");

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(upload(form, session, peopleFile(2_000)), String.class));
        assertEquals(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getStatus());
        assertTrue(e.getResponse().getBody(String.class).orElseThrow().contains("Filen är större än 64 kB"));
        assertEquals(0, storedUploadsAfter(before));
    }

    private static HttpRequest<MultipartBody> upload(String form, String session, byte[] file) {
        MultipartBody body = MultipartBody.builder()
                .addPart("csrfToken", TestUsers.csrfTokenOf(form))
                .addPart("kind", "PEOPLE")
                .addPart("organisation", "")
                .addPart("file", "personal.csv", MediaType.of("text/csv"), file)
                .build();
        return HttpRequest.POST("/import", body).contentType(MediaType.MULTIPART_FORM_DATA).accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", session));
    }

    /** Roster uploads kept in the database, whole or in part, stored after the file {@code afterId}. */
    private long storedUploadsAfter(long afterId) {
        return sql.number("SELECT COUNT(*) FROM stored_file WHERE purpose = 'roster-import' AND id > ?", afterId);
    }
}
