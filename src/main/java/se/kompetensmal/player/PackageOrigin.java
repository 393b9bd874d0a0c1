package se.kompetensmal.player;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.Locale;

/**
 * The package origin: where uploaded packages (someone else's code) are served, apart from the main origin that holds the
 * session cookie. Configured by {@code kompetensmal.packages.content-url}; left empty, it is the loopback name the main
 * origin does not use, on the page's own scheme and port: {@code 127.0.0.1} while the service is used at {@code localhost}
 * (the default public URL), and {@code localhost} when the public URL names {@code 127.0.0.1}. A host-only cookie of one
 * name is never sent to the other, so no session cookie reaches the packages. One origin must be the main one on every
 * request, so the unconfigured rule takes the main host from the public URL rather than from each page.
 */
@Singleton
public class PackageOrigin {

    /** Every path the package origin answers starts with this; on the main origin they are unknown. */
    public static final String PATH_PREFIX = "/scorm-innehall/";

    private static final String LOCALHOST = "localhost";
    private static final String LOOPBACK_IP = "127.0.0.1";

    @Nullable
    private final URI configured;
    private final URI publicUrl;
    private final String packageHost;

    public PackageOrigin(@Value("${kompetensmal.packages.content-url:}") String contentUrl,
                         @Value("${kompetensmal.public-url}") String publicUrl) {
        this.configured = contentUrl == null || contentUrl.isBlank() ? null : URI.create(contentUrl.strip().replaceFirst("/+$", ""));
        this.publicUrl = URI.create(publicUrl.strip());
        this.packageHost = LOOPBACK_IP.equals(this.publicUrl.getHost()) ? LOCALHOST : LOOPBACK_IP;
    }

    /** The package origin (scheme, host, port; no trailing slash) for frames put on the page that {@code pageRequest} asked for. */
    public String baseUrl(HttpRequest<?> pageRequest) {
        if (configured != null) {
            return origin(configured);
        }
        return scheme(pageRequest) + "://" + packageHost + port(pageRequest);
    }

    /** True when the request came to the package origin (the files and runtime of packages, nothing else). */
    public boolean isPackageOrigin(HttpRequest<?> request) {
        String host = hostName(request);
        if (configured != null) {
            return host.equalsIgnoreCase(configured.getHost()) && withoutDefault(port(request), configured.getScheme())
                    .equals(withoutDefault(configured.getPort() < 0 ? "" : ":" + configured.getPort(), configured.getScheme()));
        }
        return host.equals(packageHost);
    }

    /** The main origin, as frames on the package origin name it in frame-ancestors. */
    public String mainOrigin(HttpRequest<?> packageRequest) {
        if (configured != null) {
            return origin(publicUrl);
        }
        return scheme(packageRequest) + "://" + (packageHost.equals(LOOPBACK_IP) ? LOCALHOST : LOOPBACK_IP) + port(packageRequest);
    }

    /**
     * The policy of everything the package origin serves. Packages from authoring tools use inline script, eval and inline
     * styles, so those are allowed here, where nothing of the learner's is to be had; what the policy keeps is the reach:
     * requests, frames and forms only to the package origin itself (not our API, not other sites), and framing only by
     * the package origin (the runtime frame holding the SCO) and the main origin (the player page).
     */
    public String contentSecurityPolicy(HttpRequest<?> packageRequest) {
        return "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
                + "frame-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
                + "frame-ancestors 'self' " + mainOrigin(packageRequest);
    }

    /** ":443" of https and ":80" of http are no port at all. */
    private static String withoutDefault(String port, String scheme) {
        return port.equals("https".equalsIgnoreCase(scheme) ? ":443" : ":80") ? "" : port;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** The host the browser asked for, lower case, without port. */
    private static String hostName(HttpRequest<?> request) {
        String host = hostHeader(request);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return (colon < 0 ? host : host.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    /** ":port" as the browser gave it, or "" for the scheme's default. */
    private static String port(HttpRequest<?> request) {
        String host = hostHeader(request);
        int bracket = host.lastIndexOf(']');
        int colon = host.lastIndexOf(':');
        return colon > bracket ? host.substring(colon) : "";
    }

    /**
     * The Host header, which a browser sets itself and no script can change. X-Forwarded-Host is not read: a package's
     * script could send it on a request to its own origin and be taken for the main origin. A proxy in front must pass
     * the Host on (when it does not, the package origin answers nothing: it fails closed).
     */
    private static String hostHeader(HttpRequest<?> request) {
        String host = request.getHeaders().get("Host");
        if (host == null || host.isBlank()) {
            host = request.getServerAddress().getHostString() + ":" + request.getServerAddress().getPort();
        }
        return host.strip();
    }

    private static String scheme(HttpRequest<?> request) {
        String forwarded = request.getHeaders().get("X-Forwarded-Proto");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].strip().toLowerCase(Locale.ROOT);
        }
        return request.isSecure() ? "https" : "http";
    }
}
