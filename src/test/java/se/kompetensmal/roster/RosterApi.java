package se.kompetensmal.roster;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.BlockingHttpClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Posts roster files to the import API, as an integrating system would, and waits for the import to end. */
final class RosterApi {

    private final BlockingHttpClient http;

    RosterApi(BlockingHttpClient http) {
        this.http = http;
    }

    RosterImportView organisations(String csv) {
        return post("/api/imports/organisations?fileName=org.csv", csv.getBytes(StandardCharsets.UTF_8));
    }

    RosterImportView people(String csv, Long scope, boolean full) {
        return people(csv.getBytes(StandardCharsets.UTF_8), scope, full);
    }

    RosterImportView people(byte[] csv, Long scope, boolean full) {
        return post("/api/imports/people?fileName=people.csv&full=" + full + (scope == null ? "" : "&organisation=" + scope), csv);
    }

    private RosterImportView post(String uri, byte[] body) {
        HttpResponse<RosterImportView> accepted = http.exchange(
                HttpRequest.POST(uri, body).contentType(MediaType.of("text/csv")), RosterImportView.class);
        assertEquals(HttpStatus.ACCEPTED, accepted.getStatus());
        String location = accepted.getHeaders().get("Location");
        return await(location);
    }

    RosterImportView await(String location) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            RosterImportView view = http.retrieve(location, RosterImportView.class);
            if (view.rosterImport().finished()) {
                return view;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("import at " + location + " did not finish in time");
    }

    /** A small organisation tree of its own for one test: a municipality with two units. */
    static Map<String, String> organisation(String prefix) {
        return Map.of("root", prefix, "unitA", prefix + "-A", "unitB", prefix + "-B");
    }
}
