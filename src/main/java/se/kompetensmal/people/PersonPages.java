package se.kompetensmal.people;

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
import jakarta.validation.ConstraintViolationException;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.learning.CertificatePdf;
import se.kompetensmal.learning.Certificates;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.reminders.ReminderNow;
import se.kompetensmal.roster.PersonRecords;
import se.kompetensmal.roster.RosterRuleViolation;
import se.kompetensmal.routines.ManualAssignments;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.FileNames;
import se.kompetensmal.web.InputProblems;
import se.kompetensmal.web.Texts;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One person's page, for those who may see names on their unit: placement, audiences, what they must do and where each
 * thing stands, history with certificates, exemptions; and for coordinators and administrators the actions assign,
 * exempt and send a reminder now.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/personer/{id}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PersonPages {

    /** The due date the assign form suggests: a month ahead. */
    static final int DEFAULT_DUE_DAYS = 30;

    private final PersonQueries people;
    private final PersonOverview overview;
    private final ModuleTitles titles;
    private final ManualAssignments manual;
    private final ReminderNow reminders;
    private final Certificates certificates;
    private final CertificatePdf pdf;
    private final OrgNodeRepository nodes;
    private final Texts texts;
    private final Access access;
    private final CsrfTokens csrf;

    private final ActingOnPeople acting;
    private final PersonRecords records;

    public PersonPages(PersonQueries people, PersonOverview overview, ModuleTitles titles, ManualAssignments manual,
                       ReminderNow reminders, Certificates certificates, CertificatePdf pdf, OrgNodeRepository nodes, Texts texts,
                       Access access, CsrfTokens csrf, ActingOnPeople acting, PersonRecords records) {
        this.acting = acting;
        this.records = records;
        this.people = people;
        this.overview = overview;
        this.titles = titles;
        this.manual = manual;
        this.reminders = reminders;
        this.certificates = certificates;
        this.pdf = pdf;
        this.nodes = nodes;
        this.texts = texts;
        this.access = access;
        this.csrf = csrf;
    }

    /** The assign form as posted: text, read here so that a wrong date comes back on the page. */
    @Serdeable
    public record AssignForm(@Nullable String module, @Nullable String dueDate, @Nullable String csrfToken) {
    }

    @Serdeable
    public record ExemptForm(@Nullable String module, @Nullable String reason, @Nullable String evidence,
                             @Nullable String csrfToken) {
    }

    @Serdeable
    public record ReminderForm(@Nullable String csrfToken) {
    }

    @Serdeable
    public record EndPlacementForm(@Nullable String csrfToken) {
    }

    /** A placement on the page: whether the caller may end it, and why not when it is the only one. */
    public record PlacementRow(PersonQueries.PlacementView placement, boolean mayEnd, boolean onlyOne) {
    }

    /** A module in a select, marked when it is the one chosen. */
    public record ModuleOption(String code, String title, boolean selected) {
    }

    @Get("{?tilldelad,undantagen,paminnelse,registrerad,ogiltigforklarad,placering}")
    public ModelAndView<Map<String, Object>> show(long id, @Nullable String tilldelad, @Nullable String undantagen,
                                                  @Nullable String paminnelse, @Nullable String registrerad,
                                                  @Nullable String ogiltigforklarad, @Nullable String placering,
                                                  Authentication caller) {
        PersonView person = visible(id, caller);
        Map<String, Object> model = model(person, caller);
        // The module named in the address is shown by title only if it may be used where the person is.
        Map<String, String> usable = titles.usableAt(person.organisationId());
        if (tilldelad != null) {
            model.put("notice", "Modulen " + usable.getOrDefault(tilldelad, tilldelad) + " är tilldelad " + person.name() + ".");
        } else if (undantagen != null) {
            model.put("notice", person.name() + " är undantagen från " + usable.getOrDefault(undantagen, undantagen) + ".");
        } else if ("skickad".equals(paminnelse)) {
            model.put("notice", "En påminnelse har skickats till " + person.email() + ".");
        } else if (registrerad != null) {
            model.put("notice", "Genomförandet är registrerat och räknas nu i rutiner, påminnelser och statistik.");
        } else if (ogiltigforklarad != null) {
            model.put("notice", "Genomförandet är ogiltigförklarat och räknas inte längre. Det syns överstruket i historiken.");
        } else if ("avslutad".equals(placering)) {
            model.put("notice", "Placeringen är avslutad. Uppdrag som kom från den tas bort; genomförda moduler finns kvar.");
        } else if ("koad".equals(paminnelse)) {
            model.put("notice", "E-postservern svarade inte. Påminnelsen till " + person.email()
                    + " ligger kvar och skickas automatiskt så snart servern svarar.");
        }
        return new ModelAndView<>("person", model);
    }

    @Produces("application/pdf")
    @Get("/intyg/{completion}")
    public HttpResponse<byte[]> certificate(long id, long completion, Authentication caller) {
        PersonView person = visible(id, caller);
        Certificates.Certificate certificate = certificates.of(person.id(), completion, Texts.SWEDISH)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Intyget finns inte."));
        return HttpResponse.ok(pdf.render(certificate, texts.in(Texts.SWEDISH)))
                .contentType("application/pdf").header("Content-Disposition", FileNames.attachment(certificate.fileName(true)));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Post(value = "/tilldela", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> assign(long id, @Body AssignForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        PersonView person = acting.actable(id, caller, "inget kan tilldelas eller skickas");
        try {
            String module = ManualAssignments.chosenModule(form.module());
            LocalDate due = ManualAssignments.typedDueDate(form.dueDate());
            manual.assignPerson(person.id(), person.organisationId(), module, due, today(), caller.getName());
            return HttpResponse.seeOther(URI.create("/personer/" + id + "?tilldelad=" + encode(module) + "#tilldelningar"));
        } catch (HttpStatusException e) {
            return again(person, caller, "assign", form, e.getStatus(), e.getMessage());
        } catch (ConstraintViolationException e) {
            return again(person, caller, "assign", form, HttpStatus.UNPROCESSABLE_ENTITY, InputProblems.sentence(e));
        }
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Post(value = "/undanta", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> exempt(long id, @Body ExemptForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        PersonView person = acting.actable(id, caller, "inget kan tilldelas eller skickas");
        try {
            String module = ManualAssignments.chosenModule(form.module());
            manual.exempt(person.id(), module, blankToNull(form.reason()), blankToNull(form.evidence()), caller.getName());
            return HttpResponse.seeOther(URI.create("/personer/" + id + "?undantagen=" + encode(module) + "#undantag"));
        } catch (HttpStatusException e) {
            return again(person, caller, "exempt", form, e.getStatus(), e.getMessage());
        } catch (ConstraintViolationException e) {
            return again(person, caller, "exempt", form, HttpStatus.UNPROCESSABLE_ENTITY, InputProblems.sentence(e));
        }
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Post(value = "/paminn", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> remind(long id, @Body ReminderForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        PersonView person = acting.actable(id, caller, "inget kan tilldelas eller skickas");
        try {
            ReminderNow.Outcome outcome = reminders.send(person.id(), caller.getName(), today());
            return HttpResponse.seeOther(URI.create("/personer/" + id + "?paminnelse=" + (outcome.sent() ? "skickad" : "koad")));
        } catch (HttpStatusException e) {
            return again(person, caller, "reminder", form, e.getStatus(), e.getMessage());
        }
    }

    /**
     * Asks before a placement ends: what ends, and what follows. Only for coordinators and administrators of the
     * placement's unit, and not for the person's only current placement (then the person has left instead).
     */
    @Get("/placeringar/{placement}/avsluta")
    public ModelAndView<Map<String, Object>> confirmEnd(long id, long placement, Authentication caller) {
        PersonView person = visible(id, caller);
        return new ModelAndView<>("placement-end", endModel(person, endable(person, placement, caller), null));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Post(value = "/placeringar/{placement}/avsluta", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> endPlacement(long id, long placement, @Body EndPlacementForm form, HttpRequest<?> request,
                                        Authentication caller) {
        csrf.verify(request, form.csrfToken());
        PersonView person = acting.actable(id, caller, "placeringar kan inte ändras");
        PersonQueries.PlacementView chosen = endable(person, placement, caller);
        try {
            records.endPlacement(chosen.id(), today(), caller.getName());
        } catch (RosterRuleViolation e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("placement-end", endModel(person, chosen, e.getMessage())));
        }
        return HttpResponse.seeOther(URI.create("/personer/" + id + "?placering=avslutad#placeringar"));
    }

    /** The person's current placement, if the caller may end it: 404 for another person's, 403 without the role there. */
    private PersonQueries.PlacementView endable(PersonView person, long placementId, Authentication caller) {
        PersonQueries.PlacementView placement = people.placements(person.id()).stream()
                .filter(p -> p.id() == placementId && !p.ended()).findFirst().orElseThrow(Access::notFound);
        access.requireOn(caller, placement.unitId(), Role.COORDINATOR, Role.ADMINISTRATOR);
        return placement;
    }

    private Map<String, Object> endModel(PersonView person, PersonQueries.PlacementView placement, @Nullable String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Avsluta placering – " + person.name());
        model.put("name", person.name());
        model.put("personId", person.id());
        model.put("placement", placement);
        long current = people.placements(person.id()).stream().filter(p -> !p.ended()).count();
        model.put("onlyOne", current <= 1);
        model.put("error", error);
        return model;
    }

    /** The page again, with what was wrong above the form it concerns and what was typed in it. */
    private HttpResponse<?> again(PersonView person, Authentication caller, String which, Object form, HttpStatus status,
                                  String error) {
        Map<String, Object> model = model(person, caller);
        model.put(which + "Error", error);
        model.put("formProblem", true);
        model.put(which + "Form", form);
        if (form instanceof AssignForm assign) {
            model.put("assignModules", options(titles.assignableAt(person.organisationId()), assign.module()));
            model.put("dueDate", assign.dueDate());
        } else if (form instanceof ExemptForm exempt) {
            model.put("exemptModules", options(titles.usableAt(person.organisationId()), exempt.module()));
        }
        return HttpResponse.status(status).body(new ModelAndView<>("person", model));
    }

    private Map<String, Object> model(PersonView person, Authentication caller) {
        Map<String, Object> model = new HashMap<>();
        PersonOverview.Overview seen = overview.of(person, today());
        model.put("title", person.name());
        model.put("name", person.name());
        model.put("p", seen);
        model.put("path", nodes.findPathTo(person.organisationId()).stream()
                .filter(n -> access.holdsOn(caller, n.id(), Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR)).toList());
        model.put("soonDays", AssignmentStatus.SOON_DAYS);
        boolean mayAct = seen.active() && acting.holds(caller, person, Role.COORDINATOR, Role.ADMINISTRATOR);
        model.put("mayAct", mayAct);
        // A registered completion's evidence is for those who act for the person, not for leaders who may see names.
        model.put("maySeeEvidence", acting.holds(caller, person, Role.COORDINATOR, Role.ADMINISTRATOR));
        List<PersonQueries.PlacementView> placements = people.placements(person.id());
        long current = placements.stream().filter(p -> !p.ended()).count();
        model.put("placements", placements.stream().map(p -> new PlacementRow(p,
                seen.active() && !p.ended() && current > 1 && access.holdsOn(caller, p.unitId(), Role.COORDINATOR, Role.ADMINISTRATOR),
                !p.ended() && current == 1)).toList());
        if (mayAct) {
            // What may be assigned where the person works now; an exemption may also name a withdrawn module.
            model.put("assignModules", options(titles.assignableAt(person.organisationId()), null));
            model.put("exemptModules", options(titles.usableAt(person.organisationId()), null));
            model.put("dueDate", today().plusDays(DEFAULT_DUE_DAYS).toString());
            model.put("today", today().toString());
            model.put("mailConfigured", reminders.mailConfigured());
            int open = seen.open().size();
            model.put("openCount", open);
            model.put("openText", open + (open == 1 ? " modul" : " moduler"));
            model.put("minutesBetween", ReminderNow.MINUTES_BETWEEN);
            reminders.recent(person.id()).ifPresent(recent -> model.put("recentReminder", recent));
        }
        return model;
    }

    private static List<ModuleOption> options(Map<String, String> modules, @Nullable String chosen) {
        return modules.entrySet().stream()
                .map(e -> new ModuleOption(e.getKey(), e.getValue(), e.getKey().equals(chosen))).toList();
    }

    /** The person, if the caller may see names where they are placed: another organisation's as unknown, own as 403. */
    private PersonView visible(long id, Authentication caller) {
        PersonView person = people.byId(id).orElseThrow(Access::notFound);
        acting.requireNames(caller, person);
        return person;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static LocalDate today() {
        return LocalDate.now(SwedishTime.ZONE);
    }
}
