package se.kompetensmal.player;

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
import se.kompetensmal.scorm.ScormRuntimes;
import se.kompetensmal.scorm.ScormVersion;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    private static final String JAVASCRIPT = "text/javascript;charset=utf-8";

    private final NamedSql sql;
    private final RuntimeTokens tokens;
    private final ScormAttempts attempts;
    private final PackageOrigin origin;
    private final String runtimeScript;

    public RuntimeFramePages(NamedSql sql, RuntimeTokens tokens, ScormAttempts attempts, PackageOrigin origin) {
        this.sql = sql;
        this.tokens = tokens;
        this.attempts = attempts;
        this.origin = origin;
        this.runtimeScript = resource("static/scorm-runtime.js");
    }

    /** The adapter, the same for every package and learner, hence without a token and cacheable. */
    @Get(value = "/runtime.js", produces = JAVASCRIPT)
    public HttpResponse<String> runtime() {
        return HttpResponse.ok(runtimeScript);
    }

    @Get(value = "/{token}/kor/{itemId}", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> frame(String token, long itemId, HttpRequest<?> request) {
        // An unknown or expired token, or an item not of the attempt's package, tells nothing more than an unknown path.
        RuntimeTokens.Grant grant = tokens.check(token).orElseThrow(RuntimeFramePages::notFound);
        String launch = attempts.launchHref(grant.attemptId(), itemId).orElseThrow(RuntimeFramePages::notFound);
        Frame frame = sql.one("""
                        SELECT i.title, p.scorm_version FROM package_item i
                        JOIN package_version p ON p.module_version_id = i.module_version_id WHERE i.id = :item""",
                NamedSql.with("item", itemId), row -> new Frame(row.string("title"), row.string("scorm_version")))
                .orElseThrow(RuntimeFramePages::notFound);
        String base = PackageOrigin.PATH_PREFIX + token;
        return HttpResponse.ok(new ModelAndView<>("scorm-frame", Map.of(
                "title", frame.title(),
                "anrop", base + "/anrop",
                "item", itemId,
                "edition", frame.scormVersion().startsWith("2004") ? "2004" : "1.2",
                // GetErrorString is answered in the frame without a round trip, from the Java runtime's own table.
                "errors", new com.google.gson.Gson().toJson(ScormRuntimes.errorStrings(ScormVersion.fromStored(frame.scormVersion()))),
                "playerOrigin", origin.mainOrigin(request),
                "launch", base + "/filer/" + launchPath(launch))));
    }

    record Frame(String title, String scormVersion) {
    }

    private static HttpStatusException notFound() {
        return new HttpStatusException(HttpStatus.NOT_FOUND, "Sidan finns inte.");
    }

    /**
     * The launch path as a URL path: characters a manifest may hold unescaped (spaces, letters such as å) escaped, escapes
     * already there kept; its query and fragment kept as written.
     */
    static String launchPath(String href) {
        int q = href.indexOf('?');
        int f = href.indexOf('#');
        int query = q < 0 ? f : f < 0 ? q : Math.min(q, f);
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
