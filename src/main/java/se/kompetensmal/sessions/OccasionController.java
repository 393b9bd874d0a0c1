package se.kompetensmal.sessions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * The API of session modules and their occasions: thin, every rule (scope included) is {@link Occasions}',
 * {@link Attendance}'s and {@link SessionModules}'. Bad input answers an RFC 9457 problem with a Swedish message.
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OccasionController {

    private final Occasions occasions;
    private final Attendance attendance;
    private final SessionModules modules;

    public OccasionController(Occasions occasions, Attendance attendance, SessionModules modules) {
        this.occasions = occasions;
        this.attendance = attendance;
        this.modules = modules;
    }

    /** A new occasion at a node. */
    @Serdeable
    public record NewOccasionBody(@Nullable Long node, @Nullable String moduleCode, @Nullable LocalDate day,
                                  @Nullable String start, @Nullable Integer durationMinutes, @Nullable String place,
                                  @Nullable String videoUrl, @Nullable Long trainerAccountId, @Nullable Integer capacity,
                                  @Nullable LocalDate signupDeadline) {
    }

    /** An occasion with who is on its list. */
    @Serdeable
    public record OccasionDetail(Occasions.Occasion occasion, List<Occasions.Signup> signups) {
    }

    /** The people present (person ids); everyone else booked is absent. */
    @Serdeable
    public record Presence(@Nullable List<Long> present) {
    }

    @Serdeable
    public record Cancellation(@Nullable String reason) {
    }

    @Serdeable
    public record NewSessionModuleBody(@Nullable Long owner, @Nullable String title, @Nullable String summary,
                                       @Nullable Integer estimatedMinutes, @Nullable List<String> audiences,
                                       @Nullable List<String> goals) {
    }

    @Serdeable
    public record Created(String code) {
    }

    @Operation(summary = "Occasions of a month (month=YYYY-MM, default this month) at a node and below, with fill rate and "
            + "no-shows (coordinators); without node: the caller's own occasions as trainer")
    @Get("/api/occasions{?node,month}")
    public Object list(@Nullable @QueryValue Long node, @Nullable @QueryValue String month, Authentication caller) {
        if (node == null) {
            return occasions.ofTrainer(caller);
        }
        return occasions.month(caller, node, Occasions.month(month));
    }

    @Operation(summary = "Create an occasion of a session module usable at the node (coordinators of the node or above)")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post("/api/occasions")
    public HttpResponse<Occasions.Occasion> create(@Body NewOccasionBody body, HttpRequest<?> request,
                                                   Authentication caller) {
        if (body.node() == null) {
            throw new OccasionRefused("node: ange noden som håller tillfället.");
        }
        Occasions.Occasion created = occasions.create(caller, body.node(), new Occasions.NewOccasion(body.moduleCode(),
                body.day(), Occasions.time(body.start()), body.durationMinutes(), body.place(), body.videoUrl(),
                body.trainerAccountId(), body.capacity(), body.signupDeadline()), request);
        return HttpResponse.created(created, URI.create("/api/occasions/" + created.id()));
    }

    @Operation(summary = "One occasion with the people booked (in order) and waiting (coordinators and its own trainer)")
    @Get("/api/occasions/{id}")
    public OccasionDetail occasion(long id, Authentication caller) {
        return new OccasionDetail(occasions.readable(caller, id), occasions.signups(id));
    }

    @Operation(summary = "Mark attendance from the start onwards: the people present attend, everyone else booked is absent; "
            + "a completion is recorded once per attended place")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR, Role.TRAINER}, on = Needs.On.ANYWHERE)
    @Post("/api/occasions/{id}/attendance")
    public Attendance.Marked attendance(long id, @Body Presence body, HttpRequest<?> request, Authentication caller) {
        return attendance.mark(caller, id, Set.copyOf(body.present() == null ? List.of() : body.present()), request);
    }

    @Operation(summary = "Cancel the occasion with a reason; everyone booked or waiting is told by mail")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post("/api/occasions/{id}/cancel")
    public Occasions.Occasion cancel(long id, @Body Cancellation body, HttpRequest<?> request, Authentication caller) {
        return occasions.cancel(caller, id, body.reason(), request);
    }

    @Operation(summary = "Create a session module (no pages or assessment; taken at occasions); the code is made from the title")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post("/api/session-modules")
    public HttpResponse<Created> createModule(@Body NewSessionModuleBody body, HttpRequest<?> request,
                                              Authentication caller) {
        String code = modules.create(caller, new SessionModules.NewSessionModule(body.owner(), body.title(),
                body.summary(), body.estimatedMinutes(), body.audiences() == null ? List.of() : body.audiences(),
                body.goals() == null ? List.of() : body.goals()), request);
        return HttpResponse.created(new Created(code));
    }
}
