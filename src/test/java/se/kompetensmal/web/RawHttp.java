package se.kompetensmal.web;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.HttpCalls;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Requests as a browser or another system sends them, never following redirects: the session as a cookie for pages, as
 * a bearer token for /api, and every answer read whatever its status.
 */
public record RawHttp(URI base) {

    /** Sends the request as the caller (null: anonymous); the session goes as a cookie, or for /api as a bearer token. */
    public HttpResponse<String> send(String method, String path, @Nullable String session, @Nullable String contentType,
                                     @Nullable String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        if (session != null) {
            if (path.startsWith("/api")) {
                request.header("Authorization", "Bearer " + session);
            } else {
                request.header("Cookie", "JWT=" + session);
            }
        }
        return HttpCalls.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> page(String path, @Nullable String session) {
        return send("GET", path, session, null, null, Map.of("Accept", "text/html"));
    }

    public HttpResponse<String> form(String path, @Nullable String session, String body) {
        return send("POST", path, session, "application/x-www-form-urlencoded", body, Map.of("Accept", "text/html"));
    }

    public HttpResponse<String> json(String method, String path, @Nullable String session, String body) {
        return send(method, path, session, "application/json", body, Map.of("Accept", "application/json"));
    }
}
