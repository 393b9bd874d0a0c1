package se.kompetensmal.player;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The runtime frame on the package origin: the page the player frames for one SCO. It loads the SCORM API adapter
 * ({@code /scorm-innehall/runtime.js}, which defines {@code window.API} or {@code window.API_1484_11}) and holds the SCO
 * itself in an inner frame, so that the SCO finds the API in its parent the standard way. The runtime token in the path
 * is the only credential: no cookie reaches this origin. The page has no inline script or style; what the adapter needs
 * is in data attributes.
 */
@Controller("/scorm-innehall")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RuntimeFramePages {

    private static final MediaType JAVASCRIPT = MediaType.of("text/javascript; charset=utf-8");

    private final NamedSql sql;
    private final String publicUrl;
    private final String contentUrl;
    private final String runtimeScript;

    public RuntimeFramePages(NamedSql sql, @Value("${kompetensmal.public-url:`http://localhost:8080`}") String publicUrl,
                             @Value("${kompetensmal.packages.content-url:}") @Nullable String contentUrl) {
        this.sql = sql;
        this.publicUrl = publicUrl;
        this.contentUrl = contentUrl == null ? "" : contentUrl.strip();
        this.runtimeScript = resource("static/scorm-runtime.js");
    }

    /** The adapter, the same for every package and learner, hence without a token and cacheable. */
    @Get("/runtime.js")
    public HttpResponse<String> runtime() {
        return HttpResponse.ok(runtimeScript).contentType(JAVASCRIPT);
    }

    @Get(value = "/{token}/kor/{itemId}", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> frame(String token, long itemId, HttpRequest<?> request) {
        Frame frame = sql.one("""
                        SELECT i.id, i.title, i.launch_href, i.kind, p.scorm_version
                        FROM scorm_runtime_token t
                        JOIN scorm_attempt a ON a.id = t.attempt_id AND a.person_id = t.person_id
                        JOIN package_version p ON p.module_version_id = a.module_version_id
                        JOIN package_item i ON i.module_version_id = a.module_version_id
                        WHERE t.token_hash = :hash AND t.expires_at > CURRENT_TIMESTAMP(3) AND i.id = :item
                          AND i.launch_href IS NOT NULL""",
                NamedSql.with("hash", sha256(token)).and("item", itemId),
                row -> new Frame(row.number("id"), row.string("title"), row.string("launch_href"), row.string("kind"),
                        row.string("scorm_version")))
                // An unknown or expired token tells nothing more than an unknown path.
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Sidan finns inte."));
        String base = "/scorm-innehall/" + token;
        return HttpResponse.ok(new ModelAndView<>("scorm-frame", Map.of(
                "title", frame.title(),
                "anrop", base + "/anrop",
                "item", frame.id(),
                "edition", frame.scormVersion().startsWith("2004") ? "2004" : "1.2",
                "playerOrigin", playerOrigin(request),
                "launch", base + "/filer/" + launchPath(frame.launchHref()))));
    }

    record Frame(long id, String title, String launchHref, String kind, String scormVersion) {
    }

    /**
     * The main origin, the only one the frame posts its messages to: that of the public address when the package origin
     * is configured, otherwise the page's own scheme and port with the other of localhost and 127.0.0.1 (the rule of
     * {@link PackageOrigin}, the other way round).
     */
    String playerOrigin(HttpRequest<?> request) {
        if (!contentUrl.isEmpty()) {
            return origin(URI.create(publicUrl.strip()));
        }
        String host = request.getHeaders().get("Host");
        if (host == null) {
            return origin(URI.create(publicUrl.strip()));
        }
        String scheme = request.isSecure() ? "https" : "http";
        String forwarded = request.getHeaders().get("X-Forwarded-Proto");
        if (forwarded != null && !forwarded.isBlank()) {
            scheme = forwarded.split(",")[0].strip().toLowerCase(Locale.ROOT);
        }
        String name = host.replaceFirst(":\\d+$", "");
        String port = host.substring(name.length());
        String other = switch (name.toLowerCase(Locale.ROOT)) {
            case "127.0.0.1" -> "localhost";
            case "localhost" -> "127.0.0.1";
            default -> name;
        };
        return scheme + "://" + other + port;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** The launch path as a URL path: characters a manifest may hold unescaped (spaces, mostly) escaped; its query kept. */
    static String launchPath(String href) {
        int query = href.indexOf('?');
        String path = query < 0 ? href : href.substring(0, query);
        StringBuilder escaped = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "/-._~!$&'()*+,;=:@%".indexOf(c) >= 0) {
                escaped.append((char) c);
            } else {
                escaped.append('%').append(String.format("%02X", c));
            }
        }
        return escaped + (query < 0 ? "" : href.substring(query));
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = RuntimeFramePages.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
