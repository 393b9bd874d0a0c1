package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import se.kompetensmal.HttpCalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * SCIM calls as a directory makes them: plain HTTP with a bearer token and {@code application/scim+json}, the answers
 * read back as JSON maps.
 */
final class ScimCalls {

    private final String base;
    private final JsonMapper json;

    ScimCalls(String serverUrl, JsonMapper json) {
        this.base = serverUrl.replaceAll("/$", "") + "/scim/v2";
        this.json = json;
    }

    String base() {
        return base;
    }

    record Answer(int status, String body, HttpResponse<String> raw, Map<String, Object> json) {
        @Nullable
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> resources() {
            return (List<Map<String, Object>>) json.get("Resources");
        }
    }

    Answer send(String method, String path, @Nullable String token, @Nullable String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .header("Accept", "application/scim+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/scim+json; charset=utf-8");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = HttpCalls.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> parsed = Map.of();
        if (!response.body().isBlank()) {
            try {
                parsed = json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + response.body(), e);
            }
        }
        return new Answer(response.statusCode(), response.body(), response, parsed);
    }

    Answer get(String path, String token) {
        return send("GET", path, token, null);
    }

    Answer post(String path, String token, String body) {
        return send("POST", path, token, body);
    }

    Answer patch(String path, String token, String body) {
        return send("PATCH", path, token, body);
    }

    static String query(String filter) {
        return java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
