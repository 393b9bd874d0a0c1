package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.net.URI;
import java.util.Set;

/**
 * Refuses a state-changing request that a browser says comes from another origin (Origin header: scheme, host and
 * port), whatever it carries. A second line of defence beside the CSRF token in every form and the SameSite session
 * cookie. Behind a proxy that ends TLS, the scheme the browser used is the one the proxy passes in X-Forwarded-Proto.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class SameOriginCheck {

    static final Set<HttpMethod> UNSAFE = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> check(HttpRequest<?> request) {
        String origin = request.getHeaders().get("Origin");
        String host = request.getHeaders().get("Host");
        if (!UNSAFE.contains(request.getMethod()) || origin == null || host == null) {
            return null;
        }
        URI from = URI.create("null".equals(origin) ? "null://opaque" : origin);
        String fromHost = from.getPort() < 0 ? from.getHost() : from.getHost() + ":" + from.getPort();
        return host.equalsIgnoreCase(fromHost) && schemeOf(request).equalsIgnoreCase(from.getScheme()) ? null
                : HttpResponse.status(HttpStatus.FORBIDDEN).body("Begäran kom från en annan webbplats och godtogs inte.");
    }

    private static String schemeOf(HttpRequest<?> request) {
        String forwarded = request.getHeaders().get("X-Forwarded-Proto");
        if (forwarded != null && !forwarded.isBlank()) {
            // A chain of proxies lists the browser's side first.
            return forwarded.split(",")[0].strip();
        }
        return request.isSecure() ? "https" : "http";
    }
}
