package se.kompetensmal.sessions;

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
import se.kompetensmal.SwedishTime;
import se.kompetensmal.standing.Standing;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.learning.Learner;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.web.FileNames;
import se.kompetensmal.web.FormBody;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The learner's occasions of a session module, reached from Min utbildning: the coming occasions on their unit or above
 * with places left, signing up (or joining the waiting list), cancelling until the last day, and the calendar file.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/utbildning/{code}/tillfallen")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SignupPages {

    static final String SIGNED_UP = "SESSION_SIGNED_UP";
    static final String SIGNUP_CANCELLED = "SESSION_SIGNUP_CANCELLED";

    private final Signups signups;
    private final CalendarFile calendar;
    private final ModuleReach reach;
    private final CsrfTokens csrf;
    private final AuditLog audit;
    private final NamedSql sql;

    public SignupPages(Signups signups, CalendarFile calendar, ModuleReach reach, CsrfTokens csrf, AuditLog audit, NamedSql sql) {
        this.signups = signups;
        this.calendar = calendar;
        this.reach = reach;
        this.csrf = csrf;
        this.audit = audit;
        this.sql = sql;
    }

    @Get
    public HttpResponse<?> occasions(String code, @Nullable @QueryValue("klart") String done, Authentication caller) {
        long person = Learner.personOf(caller);
        requireSessionModule(person, code);
        return HttpResponse.ok(new ModelAndView<>("signup-occasions", model(person, code, done, null)));
    }

    @Post(value = "/{id}/anmal", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> signUp(String code, long id, @Body @Nullable String body, HttpRequest<?> request,
                                  Authentication caller) {
        csrf.verify(request, FormBody.parse(body).first(CsrfTokens.FIELD));
        long person = Learner.personOf(caller);
        requireSessionModule(person, code);
        try {
            // Two sign-ups of the same person at once through two Galera nodes meet as a certification conflict (1213),
            // not at the person's row lock: the loser is run again and then finds the place taken (one place, no 500).
            Signups.Status status = se.kompetensmal.sql.Retried.whenRolledBack(3,
                    () -> signups.signUp(person, code, id, LocalDateTime.now(SwedishTime.ZONE)));
            audit.record(caller.getName(), SIGNED_UP, "tillfälle " + id + " " + status, request);
            return HttpResponse.seeOther(URI.create("/utbildning/" + code + "/tillfallen?klart="
                    + (status == Signups.Status.BOOKED ? "anmald" : "ko")));
        } catch (Signups.Refused refused) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("signup-occasions", model(person, code, null, refused.getMessage())));
        }
    }

    @Post(value = "/{id}/avboka", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> cancel(String code, long id, @Body @Nullable String body, HttpRequest<?> request,
                                  Authentication caller) {
        csrf.verify(request, FormBody.parse(body).first(CsrfTokens.FIELD));
        long person = Learner.personOf(caller);
        requireSessionModule(person, code);
        try {
            se.kompetensmal.sql.Retried.whenRolledBack(3, () -> {
                signups.cancel(person, code, id, LocalDate.now(SwedishTime.ZONE));
                return null;
            });
            audit.record(caller.getName(), SIGNUP_CANCELLED, "tillfälle " + id, request);
            return HttpResponse.seeOther(URI.create("/utbildning/" + code + "/tillfallen?klart=avbokad"));
        } catch (Signups.Refused refused) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("signup-occasions", model(person, code, null, refused.getMessage())));
        }
    }

    @Get("/{id}/kalender.ics")
    @Produces("text/calendar")
    public HttpResponse<String> calendarFile(String code, long id, Authentication caller) {
        long person = Learner.personOf(caller);
        requireSessionModule(person, code);
        Signups.Occasion occasion = signups.reachable(person, code, id).orElseThrow(SignupPages::noSuchOccasion);
        return HttpResponse.ok(calendar.of(occasion, Instant.now()))
                .contentType("text/calendar; charset=utf-8")
                .header("Content-Disposition", FileNames.attachment(
                        FileNames.of("utbildning", occasion.title(), occasion.startsAt().toLocalDate(), "ics")));
    }

    private Map<String, Object> model(long person, String code, @Nullable String done, @Nullable String error) {
        LocalDateTime now = LocalDateTime.now(SwedishTime.ZONE);
        Map<String, Object> model = new HashMap<>();
        String title = sql.one("SELECT title FROM module_version WHERE module_code = :code ORDER BY version DESC LIMIT 1",
                NamedSql.with("code", code), row -> row.string("title")).orElseThrow(SignupPages::noSuchModule);
        Optional<Signups.Mine> mine = signups.mine(person, code);
        model.put("title", title);
        model.put("code", code);
        model.put("mine", mine.orElse(null));
        model.put("mayCancel", mine.map(m -> m.occasion().openOn(now.toLocalDate())).orElse(false));
        model.put("due", sql.number("SELECT COUNT(*) FROM assignment a WHERE a.person_id = :person AND a.module_code = :code AND "
                + Standing.STILL_TO_DO, NamedSql.with("person", person).and("code", code)) > 0);
        model.put("occasions", signups.upcoming(person, code, now).stream()
                .map(o -> new Row(o, o.openOn(now.toLocalDate()), mine.map(m -> m.occasion().id() == o.id()).orElse(false)))
                .toList());
        model.put("doneBooked", "anmald".equals(done));
        model.put("doneWaiting", "ko".equals(done));
        model.put("doneCancelled", "avbokad".equals(done));
        model.put("error", error);
        return model;
    }

    /** One occasion in the list: whether signing up is still open, and whether it is the learner's own. */
    public record Row(Signups.Occasion occasion, boolean open, boolean mine) {
    }

    /** Only a session module the learner may take has occasions; anything else is answered as unknown. */
    private void requireSessionModule(long person, String code) {
        boolean session = reach.owner(code).map(o -> "SESSION".equals(o.source())).orElse(false);
        if (!session || !reach.takeableBy(person, code)) {
            throw noSuchModule();
        }
    }

    private static HttpStatusException noSuchModule() {
        return new HttpStatusException(HttpStatus.NOT_FOUND, "Modulen finns inte.");
    }

    private static HttpStatusException noSuchOccasion() {
        return new HttpStatusException(HttpStatus.NOT_FOUND, "Tillfället finns inte.");
    }
}
