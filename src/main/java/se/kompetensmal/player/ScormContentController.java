package se.kompetensmal.player;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.types.files.SystemFile;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import se.kompetensmal.sql.Retried;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the package origin serves under a runtime token: the package's files and the SCORM API calls of its frame. No
 * session: the token in the path is the only key ({@link RuntimeTokens}), and an unknown or expired one reads as a
 * page that does not exist. {@link PackageOriginFilter} keeps these paths off the main origin.
 */
// Not part of the API: the package origin's own calls, made by the adapter in the package's frame with a runtime token.
@io.swagger.v3.oas.annotations.Hidden
@Controller("/scorm-innehall/{token}")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ScormContentController {

    /** A batch is what a page being closed still had to send; a few hundred calls at most. */
    static final int MAX_BATCH = 500;

    private final RuntimeTokens tokens;
    private final ScormCalls calls;
    private final PackageFiles files;
    private final JsonMapper json;

    public ScormContentController(RuntimeTokens tokens, ScormCalls calls, PackageFiles files, JsonMapper json) {
        this.tokens = tokens;
        this.calls = calls;
        this.files = files;
        this.json = json;
    }

    /** One API call. The body is JSON, also when a beacon sends it as text/plain. */
    @Post(uri = "/anrop", consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN}, produces = MediaType.APPLICATION_JSON)
    public ScormCalls.Answer call(@PathVariable String token, @Body String body) {
        RuntimeTokens.Grant grant = grant(token);
        return apply(grant, read(body, Argument.of(ScormCalls.Call.class)));
    }

    /** Calls in order, as a page being dismissed sends what it had not sent (sendBeacon, fetch keepalive). */
    @Post(uri = "/anrop/sats", consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN}, produces = MediaType.APPLICATION_JSON)
    public List<ScormCalls.Answer> batch(@PathVariable String token, @Body String body) {
        RuntimeTokens.Grant grant = grant(token);
        List<ScormCalls.Call> list = read(body, Argument.listOf(ScormCalls.Call.class));
        if (list.size() > MAX_BATCH) {
            throw ScormCalls.refused("Högst " + MAX_BATCH + " anrop i en sats.");
        }
        List<ScormCalls.Answer> answers = new ArrayList<>();
        for (ScormCalls.Call call : list) {
            answers.add(apply(grant, call));
        }
        return answers;
    }

    /** A file of the attempt's package, by its path inside the package. */
    @Get("/filer/{+path}")
    public HttpResponse<SystemFile> file(@PathVariable String token, @PathVariable String path, HttpRequest<?> request) {
        RuntimeTokens.Grant grant = grant(token);
        // The path as the browser sent it, decoded once here ("a%20b.html" is "a b.html"; "+" is a plus).
        String raw = request.getUri().getRawPath();
        String inside = URLDecoder.decode(raw.substring(raw.indexOf("/filer/") + "/filer/".length()).replace("+", "%2B"),
                StandardCharsets.UTF_8);
        Path file = files.file(grant.attemptId(), inside).orElseThrow(ScormContentController::notFound);
        return HttpResponse.ok(new SystemFile(file.toFile(), MediaType.of(files.contentType(file.getFileName().toString()))))
                .header("Cache-Control", "private, max-age=3600");
    }

    /**
     * The call in its transaction, once more when the database chose it as a deadlock's victim (its transaction rolled
     * back whole, so nothing of it was applied): the learner's call should not fail for another learner's.
     */
    private ScormCalls.Answer apply(RuntimeTokens.Grant grant, ScormCalls.Call call) {
        return Retried.whenRolledBack(3, () -> calls.apply(grant, call));
    }

    private RuntimeTokens.Grant grant(String token) {
        return tokens.check(token).orElseThrow(ScormContentController::notFound);
    }

    private <T> T read(String body, Argument<T> type) {
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw ScormCalls.refused("Anropet saknas.");
            }
            return value;
        } catch (IOException e) {
            throw ScormCalls.refused("Anropet är inte läsbar JSON.");
        }
    }

    private static HttpStatusException notFound() {
        return new HttpStatusException(HttpStatus.NOT_FOUND, "Sidan finns inte.");
    }
}
