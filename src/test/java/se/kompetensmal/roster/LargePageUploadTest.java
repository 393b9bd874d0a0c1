package se.kompetensmal.roster;

import io.micronaut.http.MediaType;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.HttpCalls;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A roster file near the size limit through the import page, in the tests' 512 MB heap, which the server shares with
 * this client. The review's 200 MB page upload filled the heap; with the file part buffered in memory a 188 MB upload
 * ended in an OutOfMemoryError in Netty's multipart decoder. Its header is wrong, so the import is refused at once and
 * nothing is written: what is tested is that the upload itself goes through.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargePageUploadTest extends ServiceTest {

    private static final long SIZE = 190L * 1024 * 1024;

    @Inject
    EmbeddedServer server;

    @Test
    void aFileNearTheLimitIsUploadedThroughThePageWithoutFillingTheHeap() throws IOException {
        Path file = Files.createTempFile("stor-personalfil", ".csv");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write("fel;rubrik\n".getBytes(StandardCharsets.UTF_8));
                byte[] line = "SE2321000016-X;Åsa;Öberg;FINNS-INTE;LICENSED;2024-01-01\n".getBytes(StandardCharsets.UTF_8);
                for (long written = 0; written < SIZE; written += line.length) {
                    out.write(line);
                }
            }
            String session = users.admin();
            String form = http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET("/import").accept(MediaType.TEXT_HTML)
                    .cookie(Cookie.of("JWT", session)));

            HttpResponse<String> answer = HttpCalls.send(upload(file, session, TestUsers.csrfTokenOf(form)),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(303, answer.statusCode(), answer.body());
            String location = answer.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("/import/"), location);
            RosterImportView done = new RosterApi(http.toBlocking(), session)
                    .await("/api/imports/" + location.substring("/import/".length()), view -> { });
            assertEquals(RosterImportStatus.REJECTED, done.rosterImport().status(), done.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A multipart form whose file part is read from disk as it is sent, so the client holds none of it in memory. */
    private HttpRequest upload(Path file, String session, String csrfToken) throws IOException {
        String boundary = "----kompetensmal" + System.nanoTime();
        String head = field(boundary, "csrfToken", csrfToken) + field(boundary, "kind", "PEOPLE") + field(boundary, "organisation", "")
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"personal.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        return HttpRequest.newBuilder(server.getURI().resolve("/import"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "text/html")
                .header("Cookie", "JWT=" + session)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8)))
                .build();
    }

    private static String field(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
}
