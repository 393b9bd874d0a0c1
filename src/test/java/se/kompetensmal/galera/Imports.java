package se.kompetensmal.galera;

import com.google.gson.JsonObject;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** Roster imports over the API: posted to one instance, followed on any. */
final class Imports {

    private Imports() {
    }

    /** Posts the file; the import's address (202 Accepted, Location). */
    static String post(Calls calls, AppInstance instance, String token, String path, byte[] csv) {
        HttpResponse<String> accepted = calls.post(instance, path, token, "text/csv", csv);
        if (accepted.statusCode() != 202) {
            throw new AssertionError("POST " + path + " to " + instance.name + " answered " + accepted.statusCode() + ": "
                    + Calls.abbreviated(accepted.body()));
        }
        return accepted.headers().firstValue("Location").orElseThrow();
    }

    static JsonObject read(Calls calls, AppInstance instance, String token, String location) {
        return Calls.json(calls.get(instance, location, token)).getAsJsonObject().getAsJsonObject("rosterImport");
    }

    static JsonObject await(Calls calls, AppInstance instance, String token, String location, Duration limit) {
        return await(calls, instance, token, location, limit, view -> { });
    }

    /** Waits until the import is finished (or held for confirmation), showing the observer every state seen. */
    static JsonObject await(Calls calls, AppInstance instance, String token, String location, Duration limit,
                            Consumer<JsonObject> observer) {
        Instant deadline = Instant.now().plus(limit);
        JsonObject view = null;
        while (Instant.now().isBefore(deadline)) {
            view = read(calls, instance, token, location);
            observer.accept(view);
            String status = view.get("status").getAsString();
            if (!status.equals("QUEUED") && !status.equals("VALIDATING") && !status.equals("WRITING")) {
                return view;
            }
            AppInstance.sleep(300);
        }
        throw new AssertionError("the import at " + location + " did not end within " + limit + ": " + view);
    }
}
