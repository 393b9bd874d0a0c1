package se.kompetensmal.learning;

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
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.View;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.CatalogueSearch;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.player.ScormAttempts;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.sql.Retried;
import se.kompetensmal.security.Languages;
import se.kompetensmal.web.FormBody;
import se.kompetensmal.web.Texts;

import java.net.URI;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Taking a module: its start page, its pages one at a time with the learner's place remembered, the assessment with
 * answers saved as they are ticked, and the result with feedback on every answer.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/utbildning/{code}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LearnerPages {

    private static final String QUESTION_FIELD = "q";

    private final ModuleVersions modules;
    private final ModuleProgress progress;
    private final Assessments assessments;
    private final LearningHistory history;
    private final Languages languages;
    private final Texts texts;
    private final CsrfTokens csrf;
    private final ModuleReach reach;
    private final ScormAttempts packageAttempts;

    public LearnerPages(ModuleVersions modules, ModuleProgress progress, Assessments assessments, LearningHistory history,
                        Languages languages, Texts texts, CsrfTokens csrf, ModuleReach reach, ScormAttempts packageAttempts) {
        this.reach = reach;
        this.packageAttempts = packageAttempts;
        this.modules = modules;
        this.progress = progress;
        this.assessments = assessments;
        this.history = history;
        this.languages = languages;
        this.texts = texts;
        this.csrf = csrf;
    }

    @Get
    public HttpResponse<?> start(String code, Authentication caller) {
        long person = Learner.personOf(caller);
        requireTakeable(person, code);
        if (isSession(code)) {
            // A session module is taken at an occasion: its page here is the list of occasions to sign up for.
            return HttpResponse.seeOther(URI.create("/utbildning/" + code + "/tillfallen"));
        }
        return HttpResponse.ok(new ModelAndView<>("learning-module", startModel(person, code, caller)));
    }

    private Map<String, Object> startModel(long person, String code, Authentication caller) {
        String language = languages.of(caller);
        var position = progress.of(person, code);
        ModuleVersions.Version module = position.flatMap(p -> modules.byId(p.moduleVersionId(), language))
                .or(() -> modules.latest(code, language)).orElseThrow(LearnerPages::noSuchModule);
        Map<String, Object> model = new HashMap<>();
        model.put("title", module.title());
        model.put("module", module);
        // An external module is opened at its provider's site, named so that the learner knows where they are going.
        model.put("provider", CatalogueSearch.providerOf(module.launchUrl()));
        if (isPackage(code)) {
            // A package is played in the player, which resumes it where the package left off.
            model.put("package", true);
            model.put("packageStarted", packageAttempts.latest(person, code).filter(ScormAttempts.Attempt::open).isPresent());
            model.put("history", history.of(person, code, LocalDate.now(SwedishTime.ZONE), language));
            return model;
        }
        position.ifPresent(p -> {
            model.put("resumeStep", Math.min(p.step(), module.assessmentStep()));
            model.put("resumeAtAssessment", p.step() >= module.assessmentStep());
        });
        model.put("history", history.of(person, code, LocalDate.now(SwedishTime.ZONE), language));
        return model;
    }

    @Get("/sida/{number}")
    public HttpResponse<?> page(String code, int number, Authentication caller) {
        long person = Learner.personOf(caller);
        ModuleVersions.Version module = taking(person, code, languages.of(caller));
        if (number < 1 || number > module.pages().size()) {
            return HttpResponse.seeOther(URI.create(number < 1 ? "/utbildning/" + code + "/sida/1" : "/utbildning/" + code + "/prov"));
        }
        progress.read(person, code, module.id(), number, module.pages().get(number - 1).title());
        Map<String, Object> model = new HashMap<>();
        model.put("title", module.pages().get(number - 1).title() + " – " + module.title());
        model.put("module", module);
        model.put("page", module.pages().get(number - 1));
        model.put("total", module.pages().size());
        model.put("previous", number > 1 ? number - 1 : null);
        model.put("next", number < module.pages().size() ? number + 1 : null);
        return HttpResponse.ok(new ModelAndView<>("learning-page", model));
    }

    @View("learning-assessment")
    @Get("/prov")
    public Map<String, Object> assessment(String code, Authentication caller) {
        long person = Learner.personOf(caller);
        String language = languages.of(caller);
        ModuleVersions.Version module = taking(person, code, language);
        progress.moveTo(person, code, module.assessmentStep());
        return assessmentModel(module, assessments.open(person, module.id()), null);
    }

    /** Saves one question's ticked options as the learner goes; called by the page's script on every change. */
    @Post(value = "/prov/{attempt}/svar", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> saveAnswer(String code, long attempt, @Body @Nullable String body, HttpRequest<?> request,
                                      Authentication caller) {
        FormBody form = FormBody.parse(body);
        csrf.verify(request, form.first(CsrfTokens.FIELD));
        assessments.saveAnswer(Learner.personOf(caller), attempt, number(form.first("question")), options(form.all("option")));
        return HttpResponse.noContent();
    }

    @Post(value = "/prov/{attempt}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> submit(String code, long attempt, @Body @Nullable String body, HttpRequest<?> request,
                                  Authentication caller) {
        FormBody form = FormBody.parse(body);
        csrf.verify(request, form.first(CsrfTokens.FIELD));
        long person = Learner.personOf(caller);
        Map<Long, Set<Long>> answers = new LinkedHashMap<>();
        form.fields().forEach((name, values) -> {
            if (name.startsWith(QUESTION_FIELD) && name.length() > QUESTION_FIELD.length()) {
                answers.put(number(name.substring(QUESTION_FIELD.length())), options(values));
            }
        });
        // The completion recomputes the learner's assignments in the same transaction, which may meet a recomputation or
        // the same form sent to another instance: on Galera that is a certification conflict (1213) rolling it all
        // back, seen as 500s and a lost completion on the Galera test. Nothing of it was kept, so it is sent again.
        Assessments.Submission submission = Retried.whenRolledBack(5, () -> assessments.submit(person, attempt, answers));
        if (submission.result() == null) {
            String language = languages.of(caller);
            ModuleVersions.Version module = taking(person, code, language);
            String missing = submission.unanswered().stream().map(String::valueOf).collect(Collectors.joining(", "));
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("learning-assessment",
                    assessmentModel(module, assessments.open(person, module.id()),
                            texts.in(language).get("answerEveryQuestion") + " " + missing + ".")));
        }
        return HttpResponse.seeOther(URI.create("/utbildning/" + code + "/resultat/" + attempt));
    }

    @View("learning-result")
    @Get("/resultat/{attempt}")
    public Map<String, Object> result(String code, long attempt, Authentication caller) {
        long person = Learner.personOf(caller);
        String language = languages.of(caller);
        Assessments.Result result = assessments.result(person, attempt);
        ModuleVersions.Version module = result == null ? null : modules.byId(result.moduleVersionId(), language)
                .filter(m -> m.code().equals(code)).orElse(null);
        if (module == null) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "Provresultatet finns inte.");
        }
        return Map.of("title", texts.in(language).get("resultOf") + " " + module.title(), "module", module, "result", result);
    }

    private Map<String, Object> assessmentModel(ModuleVersions.Version module, Assessments.OpenAttempt attempt,
                                                @Nullable String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", module.title());
        model.put("module", module);
        model.put("attempt", attempt);
        model.put("error", error);
        return model;
    }

    /** The version the learner is taking, starting the module if they had not. External modules are taken elsewhere. */
    private ModuleVersions.Version taking(long person, String code, String language) {
        requireTakeable(person, code);
        if (isPackage(code)) {
            // A package has no pages or assessment here; it is played at /utbildning/{code}/spela.
            throw noSuchModule();
        }
        ModuleVersions.Version latest = modules.latest(code, language).orElseThrow(LearnerPages::noSuchModule);
        if (latest.launchUrl() != null) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Modulen genomförs på en annan webbplats: " + latest.launchUrl());
        }
        long taking = progress.start(person, code).moduleVersionId();
        // Usually the latest version; an earlier one only for a learner who started before it changed.
        return taking == latest.id() ? latest : modules.byId(taking, language).orElseThrow(LearnerPages::noSuchModule);
    }

    /**
     * An organisation's own module is opened only where it may be used, or by someone who already has it (assigned,
     * started or done); anyone else gets the answer for an unknown code, so that nothing is told about it.
     */
    private void requireTakeable(long person, String code) {
        if (!reach.takeableBy(person, code)) {
            throw noSuchModule();
        }
    }

    private boolean isSession(String code) {
        return reach.owner(code).map(o -> "SESSION".equals(o.source())).orElse(false);
    }

    private boolean isPackage(String code) {
        return reach.owner(code).map(ModuleReach.Owner::fromPackage).orElse(false);
    }

    private static HttpStatusException noSuchModule() {
        return new HttpStatusException(HttpStatus.NOT_FOUND, "Modulen finns inte.");
    }

    private static Set<Long> options(List<String> values) {
        return values.stream().map(LearnerPages::number).collect(Collectors.toSet());
    }

    private static long number(@Nullable String text) {
        try {
            return Long.parseLong(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Svaret kunde inte läsas. Ladda om sidan och försök igen.");
        }
    }
}
