package se.kompetensmal.security;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import se.kompetensmal.player.PackageOrigin;

import java.util.List;
import java.util.Locale;

/**
 * Headers every answer carries: no inline script, no framing by other sites, no content sniffing, and nothing but the
 * style sheet kept in caches, since pages, JSON and exports hold personal data. Behind a TLS proxy the browser is also told
 * to use HTTPS only and the session cookie is marked Secure.
 *
 * <p>Ordered first, so that it wraps every other filter: the sign-in page's redirect and the security layer's 401 and 403
 * answers pass through it too.
 *
 * <p>Answers from the package origin (uploaded packages, see {@link PackageOrigin}) get that origin's own policy instead:
 * packages run script of their own and are framed by the player page; files there may be cached privately.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class SecurityHeaders implements Ordered {

    static final String HSTS = "max-age=31536000";

    private final PackageOrigin packages;

    public SecurityHeaders(PackageOrigin packages) {
        this.packages = packages;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @ResponseFilter
    public void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
        boolean packageOrigin = packages.isPackageOrigin(request);
        response.header("Content-Security-Policy", packageOrigin ? packages.contentSecurityPolicy(request)
                : "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                        + "frame-src " + packages.baseUrl(request) + "; "
                        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
        response.header("X-Content-Type-Options", "nosniff");
        if (!packageOrigin) {
            response.header("X-Frame-Options", "DENY");
        }
        // The password link's address holds its secret: the answer to it (a redirect, see PasswordLinkPages) passes it to
        // nobody, not even to our own pages.
        boolean secretInAddress = request.getPath().startsWith(PasswordLinkPages.PATH)
                && request.getParameters().contains(PasswordLinkPages.TOKEN);
        response.header("Referrer-Policy", secretInAddress ? "no-referrer" : "same-origin");
        // Package files say themselves how long they may be kept (privately); everything else there is no-store too.
        boolean ownCaching = packageOrigin && response.getHeaders().contains(HttpHeaders.CACHE_CONTROL);
        if (!ownCaching && !request.getPath().startsWith("/static/")) {
            response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        if (overHttps(request)) {
            response.header("Strict-Transport-Security", HSTS);
            secureCookies(response);
        }
    }

    /** Over TLS here, or at the proxy in front, which says so in X-Forwarded-Proto. */
    private static boolean overHttps(HttpRequest<?> request) {
        String forwarded = request.getHeaders().get("X-Forwarded-Proto");
        return request.isSecure() || (forwarded != null && forwarded.strip().toLowerCase(Locale.ROOT).startsWith("https"));
    }

    private static void secureCookies(MutableHttpResponse<?> response) {
        List<String> cookies = response.getHeaders().getAll(HttpHeaders.SET_COOKIE);
        if (cookies.isEmpty()) {
            return;
        }
        response.getHeaders().remove(HttpHeaders.SET_COOKIE);
        for (String cookie : cookies) {
            boolean secure = java.util.Arrays.stream(cookie.split(";")).anyMatch(part -> part.strip().equalsIgnoreCase("Secure"));
            response.getHeaders().add(HttpHeaders.SET_COOKIE, secure ? cookie : cookie + "; Secure");
        }
    }
}
