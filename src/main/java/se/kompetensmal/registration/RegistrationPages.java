package se.kompetensmal.registration;

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
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import io.netty.handler.codec.http.multipart.FileUpload;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.packages.MultipartForm;
import se.kompetensmal.packages.PackageRefused;
import se.kompetensmal.people.ActingOnPeople;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonView;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.FileNames;
import se.kompetensmal.sql.Retried;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Registering a completion done elsewhere from the person page (module, day, where, score, evidence file), the evidence
 * downloaded, and a registered or imported completion voided with a reason. Coordinators and administrators within
 * their subtree; anyone else gets the refusal before the form is read (another organisation's person as unknown).
 */
@Controller("/personer/{id}/genomforanden")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RegistrationPages {

    public static final String REGISTERED = "COMPLETION_REGISTERED";
    public static final String EVIDENCE_ADDED = "COMPLETION_EVIDENCE_ADDED";
    public static final String VOIDED = "COMPLETION_VOIDED";

    /** Room for the form's fields around the file. */
    private static final long FORM_MARGIN = 64 * 1024;

    private final Registrations registrations;
    private final PersonQueries people;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final CsrfTokens csrf;
    private final AuditLog audit;

    private final ActingOnPeople acting;

    public RegistrationPages(Registrations registrations, PersonQueries people, OrgNodeRepository nodes, Access access,
                             CsrfTokens csrf, AuditLog audit, ActingOnPeople acting) {
        this.acting = acting;
        this.registrations = registrations;
        this.people = people;
        this.nodes = nodes;
        this.access = access;
        this.csrf = csrf;
        this.audit = audit;
    }

    /** A module in the select, marked when chosen. */
    public record ModuleOption(String code, String title, boolean selected) {
    }

    @Serdeable
    public record VoidForm(@Nullable String reason, @Nullable String csrfToken) {
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Produces(MediaType.TEXT_HTML)
    @Get("/ny")
    public ModelAndView<Map<String, Object>> form(long id, Authentication caller) {
        PersonView person = acting.actable(id, caller, "inget kan registreras");
        return new ModelAndView<>("registration-form", formModel(person, caller,
                new Registrations.Request(null, null, null, null), Map.of()));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Produces(MediaType.TEXT_HTML)
    @Post(value = "/ny", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<?> register(long id, @Body InputStream body, HttpRequest<?> request, Authentication caller)
            throws IOException {
        PersonView person = acting.actable(id, caller, "inget kan registreras");
        Registrations.Request typed = new Registrations.Request(null, null, null, null);
        try (MultipartForm form = read(request, body)) {
            csrf.verify(request, form.value(CsrfTokens.FIELD));
            typed = new Registrations.Request(form.value("module"), form.value("completedOn"), form.value("doneWhere"),
                    form.value("score"));
            FileUpload file = form.file("evidence");
            if (file == null) {
                return again(person, caller, typed, Map.of("evidence", "Välj filen med underlaget (PDF eller bild)."));
            }
            EvidenceFile evidence;
            try (InputStream content = MultipartForm.content(file)) {
                evidence = EvidenceFile.of(file.getFilename(), content.readNBytes(EvidenceFile.MAX_BYTES + 1));
            }
            // Retried when rolled back (1213): beside a recomputation of the same person, a registration deadlocked (SummariesTest).
            Registrations.Request asked = typed;
            EvidenceFile underlag = evidence;
            long completion = Retried.whenRolledBack(3, () -> registrations.register(person, asked, underlag,
                    Caller.of(caller).accountId(), today()));
            audit.record(caller.getName(), REGISTERED, target(person, completion), request);
            return HttpResponse.seeOther(URI.create("/personer/" + id + "?registrerad=" + completion + "#historik"));
        } catch (RegistrationInvalid e) {
            return again(person, caller, typed, e.byField());
        } catch (PackageRefused e) {
            return again(person, caller, typed, Map.of("evidence", e.getMessage()));
        }
    }

    @Produces(MediaType.ALL)
    @Get("/{completion}/underlag")
    public HttpResponse<byte[]> evidence(long id, long completion, Authentication caller) {
        PersonView person = people.byId(id).orElseThrow(Access::notFound);
        // Evidence is personal data beyond the name: those who act for the person, not leaders.
        acting.remitNode(caller, person, Role.COORDINATOR, Role.ADMINISTRATOR);
        Registrations.Evidence evidence = registrations.evidence(id, completion).orElseThrow(Access::notFound);
        return HttpResponse.ok(evidence.content()).contentType(evidence.kind().contentType())
                .header("Content-Disposition", FileNames.attachment(evidence.downloadName()));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Produces(MediaType.TEXT_HTML)
    @Get("/{completion}/ogiltigforklara")
    public ModelAndView<Map<String, Object>> voidForm(long id, long completion, Authentication caller) {
        PersonView person = acting.actable(id, caller, "inget kan registreras");
        Registrations.Registered registered = registrations.completion(id, completion).orElseThrow(Access::notFound);
        return new ModelAndView<>("registration-void", voidModel(person, caller, registered, null, null));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Produces(MediaType.TEXT_HTML)
    @Post(value = "/{completion}/ogiltigforklara", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> voidCompletion(long id, long completion, @Body VoidForm form, HttpRequest<?> request,
                                          Authentication caller) {
        csrf.verify(request, form.csrfToken());
        PersonView person = acting.actable(id, caller, "inget kan registreras");
        Registrations.Registered registered = registrations.completion(id, completion).orElseThrow(Access::notFound);
        try {
            Retried.whenRolledBack(3, () -> {
                registrations.voidCompletion(id, completion, form.reason(), Caller.of(caller).accountId());
                return null;
            });
        } catch (RegistrationInvalid e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("registration-void",
                    voidModel(person, caller, registered, form.reason(), e.getMessage())));
        } catch (HttpStatusException e) {
            if (e.getStatus() != HttpStatus.CONFLICT) {
                throw e;
            }
            return HttpResponse.status(HttpStatus.CONFLICT).body(new ModelAndView<>("registration-void",
                    voidModel(person, caller, registered, form.reason(), e.getMessage())));
        }
        audit.record(caller.getName(), VOIDED, target(person, completion) + ": " + form.reason().strip(), request);
        return HttpResponse.seeOther(URI.create("/personer/" + id + "?ogiltigforklarad=" + completion + "#historik"));
    }

    private HttpResponse<?> again(PersonView person, Authentication caller, Registrations.Request typed,
                                  Map<String, String> errors) {
        return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                .body(new ModelAndView<>("registration-form", formModel(person, caller, typed, errors)));
    }

    private Map<String, Object> formModel(PersonView person, Authentication caller, Registrations.Request typed,
                                          Map<String, String> errors) {
        Map<String, Object> model = base(person, caller, "Registrera genomförande – " + person.name());
        model.put("modules", registrations.modulesFor(person).entrySet().stream()
                .map(e -> new ModuleOption(e.getKey(), e.getValue(), e.getKey().equals(typed.module()))).toList());
        model.put("form", typed);
        model.put("errors", errors);
        model.put("hasErrors", !errors.isEmpty());
        model.put("today", today().toString());
        model.put("earliest", Registrations.EARLIEST.toString());
        model.put("whereLength", Registrations.WHERE_LENGTH);
        return model;
    }

    private Map<String, Object> voidModel(PersonView person, Authentication caller, Registrations.Registered registered,
                                          @Nullable String reason, @Nullable String error) {
        Map<String, Object> model = base(person, caller, "Ogiltigförklara genomförande – " + person.name());
        model.put("c", registered);
        model.put("reason", reason);
        model.put("error", error);
        model.put("reasonLength", se.kompetensmal.learning.Completions.VOID_REASON_LENGTH);
        return model;
    }

    private Map<String, Object> base(PersonView person, Authentication caller, String title) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("name", person.name());
        model.put("person", person);
        model.put("path", nodes.findPathTo(person.organisationId()).stream()
                .filter(n -> access.holdsOn(caller, n.id(), Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR)).toList());
        return model;
    }

    /** The form, streamed to a temporary folder of its own; a body past the evidence limit (and a margin) is refused. */
    private MultipartForm read(HttpRequest<?> request, InputStream body) {
        String type = request.getHeaders().get("Content-Type");
        return MultipartForm.read(type == null ? "" : type, body,
                Path.of(System.getProperty("java.io.tmpdir"), "kompetensmal-underlag"), EvidenceFile.MAX_BYTES + FORM_MARGIN,
                "Underlaget får vara högst 5 MB. Inget sparades.", (field, value) -> {
                    // The token comes first in the form: a request without the right one is refused before its file.
                    if (CsrfTokens.FIELD.equals(field)) {
                        csrf.verify(request, value);
                    }
                });
    }

    static String target(PersonView person, long completion) {
        return "genomförande " + completion + " för " + person.hsaId();
    }

    private static LocalDate today() {
        return LocalDate.now(SwedishTime.ZONE);
    }
}
