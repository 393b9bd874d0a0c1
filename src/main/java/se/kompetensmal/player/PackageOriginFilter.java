package se.kompetensmal.player;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Keeps the two origins apart before anything else looks at a request: the package origin answers only the packages'
 * paths ({@code /scorm-innehall/**}), so a package's script finds no API, sign-in or page there, and the main origin does
 * not answer those paths, so package files never run with the session cookie in reach. On the package origin cookies are
 * dropped from requests and never set on answers: only the runtime token in the path says who is playing.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class PackageOriginFilter implements Ordered {

    /** A runtime call or a batch of them is small; a larger body is refused before it is read (the upload limit is 1 GB). */
    static final long MAX_CALL_BYTES = 2L * 1024 * 1024;

    private final PackageOrigin origin;

    public PackageOriginFilter(PackageOrigin origin) {
        this.origin = origin;
    }

    @Override
    public int getOrder() {
        // Inside SecurityHeaders (FIRST), so that these answers carry its headers too; before the security layer.
        return ServerFilterPhase.FIRST.after();
    }

    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> separate(MutableHttpRequest<?> request) {
        String path = request.getPath();
        boolean packagePath = path.startsWith(PackageOrigin.PATH_PREFIX);
        if (!origin.isPackageOrigin(request)) {
            return packagePath ? notFound() : null;
        }
        if (!packagePath) {
            return notFound();
        }
        request.getHeaders().remove(HttpHeaders.COOKIE);
        if (request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD) {
            // The adapter's XHR, fetch and sendBeacon always say how long their body is; a chunked body of unknown length
            // would be read whole as a string before any token is checked, up to the server's 1 GB limit.
            if (request.getContentLength() < 0) {
                return HttpResponse.status(HttpStatus.LENGTH_REQUIRED).contentType(MediaType.TEXT_PLAIN_TYPE)
                        .body("Anropet saknar längd.");
            }
            if (request.getContentLength() > MAX_CALL_BYTES) {
                return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).contentType(MediaType.TEXT_PLAIN_TYPE)
                        .body("Anropet är för stort.");
            }
        }
        return null;
    }

    @ResponseFilter
    public void noCookies(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (origin.isPackageOrigin(request)) {
            response.getHeaders().remove(HttpHeaders.SET_COOKIE);
        }
    }

    private static MutableHttpResponse<?> notFound() {
        return HttpResponse.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN_TYPE).body("Sidan finns inte.");
    }
}
