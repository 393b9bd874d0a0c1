package se.kompetensmal.player;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.learning.Learner;
import se.kompetensmal.learning.ModuleVersions;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Languages;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.web.FormBody;
import se.kompetensmal.web.Texts;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The player of a package module on the main origin: the module's title, a way back, the package's SCO in a frame served
 * by the package origin (the runtime frame, {@link RuntimeFramePages}), and for a package with several SCOs a table of
 * contents with each SCO's status, choice by that table and flow by Föregående/Nästa. The frame tells this page what
 * happens (statuses, navigation requests, a lost connection) with postMessage; /static/scorm-player.js shows it.
 *
 * <p>An attempt that has ended (completed or failed) is shown for review, recording nothing, with a button for a new
 * attempt; otherwise the open attempt goes on, or one is started.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/utbildning/{code}/spela")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PlayerPages {

    private final ScormAttempts attempts;
    private final PackageOrigin origin;
    private final ModuleReach reach;
    private final ModuleVersions modules;
    private final Languages languages;
    private final Texts texts;
    private final CsrfTokens csrf;
    private final NamedSql sql;

    public PlayerPages(ScormAttempts attempts, PackageOrigin origin, ModuleReach reach, ModuleVersions modules,
                       Languages languages, Texts texts, CsrfTokens csrf, NamedSql sql) {
        this.attempts = attempts;
        this.origin = origin;
        this.reach = reach;
        this.modules = modules;
        this.languages = languages;
        this.texts = texts;
        this.csrf = csrf;
        this.sql = sql;
    }

    /** One entry of the table of contents: a cluster (a heading) or a SCO/asset with its status and link. */
    public record Entry(long id, String identifier, String title, int depth, boolean launchable, boolean current,
                        String completion, String success, String status, String href) {
    }

    @Get
    public HttpResponse<?> play(String code, @Nullable @QueryValue("del") Long del, HttpRequest<?> request,
                                Authentication caller) {
        long person = Learner.personOf(caller);
        requirePackage(person, code);
        Map<String, String> t = texts.in(languages.of(caller));
        var latest = attempts.latest(person, code);
        boolean ended = latest.isPresent() && !"OPEN".equals(latest.get().status());
        ScormAttempts.Attempt attempt = ended ? latest.get() : attempts.openOrStart(person, code);
        List<ScormAttempts.ItemStatus> items = attempts.items(attempt.id());
        List<ScormAttempts.ItemStatus> launchable = items.stream().filter(ScormAttempts.ItemStatus::launchable).toList();
        if (launchable.isEmpty()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Paketet har inget innehåll att visa.");
        }
        ScormAttempts.ItemStatus current = del == null ? null
                : launchable.stream().filter(i -> i.itemId() == del).findFirst().orElse(null);
        if (del != null && current == null) {
            return HttpResponse.seeOther(URI.create(playerPath(code)));
        }
        if (current == null) {
            current = resumeAt(attempt.id(), launchable);
        }
        int index = launchable.indexOf(current);
        String token = attempts.issueToken(attempt.id(), person, ended);

        List<Entry> contents = new ArrayList<>();
        for (ScormAttempts.ItemStatus item : items) {
            contents.add(new Entry(item.itemId(), item.identifier(), item.title(), item.depth(), item.launchable(),
                    item.itemId() == current.itemId(), item.completion(), item.success(),
                    statusText(item.completion(), item.success(), t),
                    playerPath(code) + "?del=" + item.itemId()));
        }
        String title = modules.byId(attempt.moduleVersionId(), languages.of(caller)).map(ModuleVersions.Version::title)
                .orElse(code);
        Map<String, Object> model = new HashMap<>();
        model.put("title", current.title() + " – " + title);
        model.put("moduleTitle", title);
        model.put("code", code);
        model.put("item", current);
        model.put("contents", contents);
        model.put("several", launchable.size() > 1);
        model.put("position", index + 1);
        model.put("count", launchable.size());
        model.put("previous", index > 0 ? playerPath(code) + "?del=" + launchable.get(index - 1).itemId() : null);
        model.put("next", index < launchable.size() - 1 ? playerPath(code) + "?del=" + launchable.get(index + 1).itemId() : null);
        String packageOrigin = origin.baseUrl(request).replaceFirst("/+$", "");
        model.put("packageOrigin", packageOrigin);
        model.put("frameUrl", packageOrigin + "/scorm-innehall/" + token + "/kor/" + current.itemId());
        model.put("review", ended);
        model.put("completed", ended && "COMPLETED".equals(attempt.status()));
        model.put("failed", ended && "FAILED".equals(attempt.status()));
        return HttpResponse.ok(new ModelAndView<>("player", model));
    }

    /** A new attempt after one that has ended; the open attempt, if any, goes on instead. */
    @Post(value = "/nytt-forsok", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> newAttempt(String code, @Body @Nullable String body, HttpRequest<?> request,
                                      Authentication caller) {
        csrf.verify(request, FormBody.parse(body).first(CsrfTokens.FIELD));
        long person = Learner.personOf(caller);
        requirePackage(person, code);
        var latest = attempts.latest(person, code);
        if (latest.isPresent() && !"OPEN".equals(latest.get().status())) {
            attempts.startNew(person, code);
        }
        return HttpResponse.seeOther(URI.create(playerPath(code)));
    }

    /**
     * Where a learner coming back without choosing goes on: the SCO they last worked in if it is not completed, else the
     * first not completed, else the first.
     */
    private ScormAttempts.ItemStatus resumeAt(long attemptId, List<ScormAttempts.ItemStatus> launchable) {
        List<Long> recent = sql.list("""
                        SELECT item_id FROM scorm_sco_state
                        WHERE attempt_id = :attempt AND completion_status <> 'completed'
                        ORDER BY updated_at DESC LIMIT 1""",
                NamedSql.with("attempt", attemptId), row -> row.number("item_id"));
        return launchable.stream().filter(i -> recent.contains(i.itemId())).findFirst()
                .or(() -> launchable.stream().filter(i -> !"completed".equals(i.completion())).findFirst())
                .orElse(launchable.get(0));
    }

    static String statusText(String completion, String success, Map<String, String> t) {
        if ("failed".equals(success)) {
            return t.get("scoFailed");
        }
        if ("passed".equals(success)) {
            return t.get("scoPassed");
        }
        return switch (completion == null ? "" : completion) {
            case "completed" -> t.get("scoCompleted");
            case "incomplete", "unknown" -> t.get("scoIncomplete");
            default -> t.get("scoNotAttempted");
        };
    }

    private void requirePackage(long person, String code) {
        boolean isPackage = reach.owner(code).map(ModuleReach.Owner::fromPackage).orElse(false);
        if (!isPackage || !reach.takeableBy(person, code)) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "Modulen finns inte.");
        }
    }

    private static String playerPath(String code) {
        return "/utbildning/" + code + "/spela";
    }
}
