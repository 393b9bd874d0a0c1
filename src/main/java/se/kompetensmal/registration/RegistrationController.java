package se.kompetensmal.registration;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.people.ActingOnPeople;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonStatus;
import se.kompetensmal.people.PersonView;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.sql.Retried;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.LocalDate;

/**
 * Registered completions over the API: register one (JSON), add its evidence (the file as the raw body, checked by its
 * content), void a registered or imported one with a reason. Bad input is answered with a problem naming each field.
 */
@Controller("/api/people/{id}/completions")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RegistrationController {

    private final Registrations registrations;
    private final PersonQueries people;
    private final Access access;
    private final AuditLog audit;
    private final ActingOnPeople acting;

    public RegistrationController(Registrations registrations, PersonQueries people, Access access, AuditLog audit,
                                  ActingOnPeople acting) {
        this.acting = acting;
        this.registrations = registrations;
        this.people = people;
        this.access = access;
        this.audit = audit;
    }

    /** A completion done elsewhere: the module's code, the day (YYYY-MM-DD), where, and the score 0-100 if there is one. */
    @Serdeable
    public record Registration(@Nullable String module, @Nullable String completedOn, @Nullable String doneWhere,
                               @Nullable Integer score) {
    }

    @Serdeable
    public record Voiding(@Nullable String reason) {
    }

    /** A completion of the person as the API shows it. */
    @Serdeable
    public record CompletionView(long id, String module, String title, LocalDate completedOn, @Nullable Integer score,
                                 String source, @Nullable String kind, boolean voided, @Nullable String voidReason,
                                 boolean evidence) {
        static CompletionView of(Registrations.Registered r) {
            return new CompletionView(r.id(), r.moduleCode(), r.title(), r.completedOn(), r.score(), r.source(), r.kind(),
                    r.voided(), r.voidReason(), r.evidence());
        }
    }

    @Operation(summary = "Register that the person completed a module elsewhere (the evidence is added with PUT …/evidence)")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Post
    public HttpResponse<CompletionView> register(long id, @Body Registration body, HttpRequest<?> request,
                                                 Authentication caller) {
        PersonView person = actable(id, caller);
        // Retried when rolled back (1213): beside a recomputation of the same person, a registration deadlocked (SummariesTest).
        long completion = Retried.whenRolledBack(3, () -> registrations.register(person, new Registrations.Request(body.module(),
                        body.completedOn(), body.doneWhere(), body.score() == null ? null : body.score().toString()), null,
                Caller.of(caller).accountId(), LocalDate.now(SwedishTime.ZONE)));
        audit.record(caller.getName(), RegistrationPages.REGISTERED, RegistrationPages.target(person, completion), request);
        return HttpResponse.created(view(id, completion), URI.create("/api/people/" + id + "/completions/" + completion));
    }

    @Operation(summary = "A completion of the person, voided ones too")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Get("/{completion}")
    public CompletionView get(long id, long completion, Authentication caller) {
        visible(id, caller);
        return view(id, completion);
    }

    @Operation(summary = "Add the evidence of a registered completion: a PDF, PNG, JPEG or WebP of at most 5 MB as the body, "
            + "checked by its content; once only")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Put(value = "/{completion}/evidence{?fileName}", consumes = MediaType.ALL)
    public HttpResponse<CompletionView> evidence(long id, long completion, @QueryValue @Nullable String fileName,
                                                 @Body InputStream body,
                                                 HttpRequest<?> request, Authentication caller) throws IOException {
        PersonView person = actable(id, caller);
        EvidenceFile file = EvidenceFile.of(fileName == null ? "underlag" : fileName,
                body.readNBytes(EvidenceFile.MAX_BYTES + 1));
        registrations.attachEvidence(id, completion, file, Caller.of(caller).accountId());
        audit.record(caller.getName(), RegistrationPages.EVIDENCE_ADDED, RegistrationPages.target(person, completion), request);
        return HttpResponse.ok(view(id, completion));
    }

    @Operation(summary = "Void a registered or imported completion with a reason (at most 500 characters); never deleted")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Post("/{completion}/void")
    public CompletionView voidCompletion(long id, long completion, @Body Voiding body, HttpRequest<?> request,
                                         Authentication caller) {
        PersonView person = actable(id, caller);
        Retried.whenRolledBack(3, () -> {
            registrations.voidCompletion(id, completion, body.reason(), Caller.of(caller).accountId());
            return null;
        });
        audit.record(caller.getName(), RegistrationPages.VOIDED, RegistrationPages.target(person, completion) + ": "
                + body.reason().strip(), request);
        return view(id, completion);
    }

    private CompletionView view(long id, long completion) {
        return CompletionView.of(registrations.completion(id, completion).orElseThrow(Access::notFound));
    }

    private PersonView visible(long id, Authentication caller) {
        PersonView person = people.byId(id).orElseThrow(Access::notFound);
        acting.remitNode(caller, person, Role.COORDINATOR, Role.ADMINISTRATOR);
        return person;
    }

    private PersonView actable(long id, Authentication caller) {
        PersonView person = visible(id, caller);
        if (person.status() != PersonStatus.ACTIVE) {
            throw new io.micronaut.http.exceptions.HttpStatusException(io.micronaut.http.HttpStatus.CONFLICT,
                    person.givenName() + " " + person.familyName() + " har slutat; inget kan registreras.");
        }
        return person;
    }
}
