package se.kompetensmal.roster;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.BlockingHttpClient;
import se.kompetensmal.Waiting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Posts roster files to the import API, as an integrating system would, and waits for the import to end. */
final class RosterApi {

    private final BlockingHttpClient http;
    private final String token;

    RosterApi(BlockingHttpClient http, String token) {
        this.http = http;
        this.token = token;
    }

    RosterImportView organisations(String csv) {
        return post("/api/imports/organisations?fileName=org.csv", csv.getBytes(StandardCharsets.UTF_8), view -> { });
    }

    RosterImportView people(String csv, Long scope, boolean full) {
        return people(csv.getBytes(StandardCharsets.UTF_8), scope, full);
    }

    RosterImportView people(byte[] csv, Long scope, boolean full) {
        return people(csv, scope, full, view -> { });
    }

    RosterImportView people(byte[] csv, Long scope, boolean full, Consumer<RosterImportView> observer) {
        return post("/api/imports/people?fileName=people.csv&full=" + full + (scope == null ? "" : "&organisation=" + scope), csv,
                observer);
    }

    RosterImportView history(String csv, long scope) {
        return post("/api/imports/history?fileName=historik.csv&organisation=" + scope, csv.getBytes(StandardCharsets.UTF_8),
                view -> { });
    }

    private RosterImportView post(String uri, byte[] body, Consumer<RosterImportView> observer) {
        HttpResponse<RosterImportView> accepted = http.exchange(
                HttpRequest.POST(uri, body).contentType(MediaType.of("text/csv")).bearerAuth(token), RosterImportView.class);
        assertEquals(HttpStatus.ACCEPTED, accepted.getStatus());
        String location = accepted.getHeaders().get("Location");
        return await(location, observer);
    }

    /** Confirms a held full import and waits for it to end. */
    RosterImportView confirm(long id) {
        HttpResponse<RosterImportView> accepted = http.exchange(
                HttpRequest.POST("/api/imports/" + id + "/confirm", "").bearerAuth(token), RosterImportView.class);
        assertEquals(HttpStatus.ACCEPTED, accepted.getStatus());
        return await(accepted.getHeaders().get("Location"), view -> { });
    }

    RosterImportView cancel(long id) {
        return http.retrieve(HttpRequest.POST("/api/imports/" + id + "/cancel", "").bearerAuth(token), RosterImportView.class);
    }

    /**
     * Waits for the import to end, or to stop for a confirmation, showing {@code observer} every state it passes through
     * on the way.
     */
    RosterImportView await(String location, Consumer<RosterImportView> observer) {
        return await(location, observer, Duration.ofMinutes(3));
    }

    RosterImportView await(String location, Consumer<RosterImportView> observer, Duration limit) {
        return Waiting.until(() -> {
            RosterImportView view = http.retrieve(HttpRequest.GET(location).bearerAuth(token), RosterImportView.class);
            observer.accept(view);
            return view;
        }, view -> view.rosterImport().finished() || view.rosterImport().status().awaitingConfirmation(),
                limit, "the import at " + location + " ending");
    }
}
