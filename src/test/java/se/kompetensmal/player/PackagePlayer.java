package se.kompetensmal.player;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import se.kompetensmal.HttpCalls;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A package's runtime frame without the browser: the calls its adapter sends to the package origin, one frame session
 * (a session id and its sequence numbers) at a time. {@link #reload()} is a new frame session, as a reloaded page has.
 */
final class PackagePlayer {

    private final String packageOrigin;
    private final String token;
    private final long item;
    private String session = UUID.randomUUID().toString();
    private final AtomicInteger seq = new AtomicInteger();

    PackagePlayer(String packageOrigin, String token, long item) {
        this.packageOrigin = packageOrigin;
        this.token = token;
        this.item = item;
    }

    /** The same learner and token, another SCO. */
    PackagePlayer sco(long otherItem) {
        return new PackagePlayer(packageOrigin, token, otherItem);
    }

    void reload() {
        session = UUID.randomUUID().toString();
        seq.set(0);
    }

    JsonObject initialize() {
        return call("Initialize", "", "");
    }

    JsonObject set(String element, String value) {
        return call("SetValue", element, value);
    }

    String get(String element) {
        return call("GetValue", element, "").get("value").getAsString();
    }

    JsonObject commit() {
        return call("Commit", "", "");
    }

    JsonObject terminate() {
        return call("Terminate", "", "");
    }

    JsonObject call(String method, String element, String value) {
        return send(body(seq.incrementAndGet(), method, element, value));
    }

    /** The body of the next call, without sending it (to send it twice, or from another thread). */
    String next(String method, String element, String value) {
        return body(seq.incrementAndGet(), method, element, value);
    }

    JsonObject send(String body) {
        HttpResponse<String> response = post("/anrop", body, "application/json");
        if (response.statusCode() != 200) {
            throw new AssertionError("the call answered " + response.statusCode() + ": " + response.body());
        }
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    HttpResponse<String> post(String path, String body, String contentType) {
        return HttpCalls.send(HttpRequest.newBuilder(URI.create(packageOrigin + "/scorm-innehall/" + token + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> file(String path) {
        return HttpCalls.send(HttpRequest.newBuilder(URI.create(packageOrigin + "/scorm-innehall/" + token + "/filer/" + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    String body(int n, String method, String element, String value) {
        JsonObject call = new JsonObject();
        call.addProperty("item", item);
        call.addProperty("session", session);
        call.addProperty("seq", n);
        call.addProperty("method", method);
        call.addProperty("element", element);
        call.addProperty("value", value);
        return call.toString();
    }

    static JsonArray array(String... bodies) {
        JsonArray array = new JsonArray();
        for (String body : bodies) {
            JsonElement element = JsonParser.parseString(body);
            array.add(element);
        }
        return array;
    }
}
