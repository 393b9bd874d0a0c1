package se.kompetensmal.routines;

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
import io.micronaut.views.View;
import jakarta.validation.ConstraintViolationException;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.CatalogueQueries;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.InputProblems;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The coordinator's pages: the routines in force at a node and a form for a new one. Who is behind: {@link FollowUpPages}. */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer/{id}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RoutinePages {

    private final RoutineService routines;
    private final GoalCoverage coverage;
    private final OrgNodeRepository nodes;
    private final Audiences audiences;
    private final CatalogueQueries catalogue;
    private final Access access;
    private final CsrfTokens csrf;
    private final RoutineRepository repository;
    private final ModuleTitles titles;

    public RoutinePages(RoutineService routines, OrgNodeRepository nodes, Audiences audiences,
                        CatalogueQueries catalogue, Access access, CsrfTokens csrf, GoalCoverage coverage,
                        RoutineRepository repository, ModuleTitles titles) {
        this.repository = repository;
        this.titles = titles;
        this.routines = routines;
        this.coverage = coverage;
        this.nodes = nodes;
        this.audiences = audiences;
        this.catalogue = catalogue;
        this.access = access;
        this.csrf = csrf;
    }

    /**
     * The routine form as a browser posts it: every field text, modules repeated. {@code existingStaff} is LEAVE_OUT or
     * CATCH_UP (then {@code catchUpDue} is the date); {@code action} is "forhandsgranska" for a preview, which saves nothing.
     */
    @Serdeable
    public record RoutinePageForm(@Nullable String name, @Nullable String kind, @Nullable String audience,
                                  @Nullable List<String> modules, @Nullable String dueDays, @Nullable String countsFrom,
                                  @Nullable String appliesFrom, @Nullable String existingStaff, @Nullable String catchUpDue,
                                  @Nullable String intervalMonths, @Nullable String renewalWindowDays, @Nullable String startsOn,
                                  @Nullable String documentation, @Nullable String governingDocument,
                                  @Nullable String approvedBy, @Nullable String approvedOn, @Nullable String action,
                                  @Nullable String csrfToken) {

        boolean previewOnly() {
            return PREVIEW.equals(action);
        }

        /** A new routine's form: applies from today, existing staff left out until the coordinator says otherwise. */
        static RoutinePageForm blank(LocalDate today) {
            return new RoutinePageForm(null, RoutineKind.INTRODUCTION.name(), null, List.of(), null, CountsFrom.ORG_START.name(),
                    today.toString(), LEAVE_OUT, null, null, null, null, DocumentationLevel.EXISTS.name(), null, null, null,
                    null, null);
        }

        /** The form filled in with the routine as it is, to be changed. */
        static RoutinePageForm of(Routine r, List<String> modules) {
            return new RoutinePageForm(r.name(), r.kind().name(), null, modules, text(r.dueDays()), text(r.countsFrom()),
                    text(r.appliesFrom()), r.catchUpDue() == null ? LEAVE_OUT : CATCH_UP, text(r.catchUpDue()),
                    text(r.intervalMonths()), text(r.renewalWindowDays()), text(r.startsOn()), r.documentation().name(),
                    r.governingDocument(), r.approvedBy(), text(r.approvedOn()), null, null);
        }

        private static String text(Object value) {
            return value == null ? null : value instanceof Enum<?> e ? e.name() : value.toString();
        }
    }

    static final String PREVIEW = "forhandsgranska";
    static final String LEAVE_OUT = "LEAVE_OUT";
    static final String CATCH_UP = "CATCH_UP";

    /** A choice in a select, radio group or set of check boxes, and whether it is the one chosen. */
    public record Option(String value, String label, boolean selected) {
    }

    @View("routines")
    @Get("/rutiner{?sparad,avslutad}")
    public Map<String, Object> list(long id, @Nullable String sparad, @Nullable String avslutad, Authentication caller) {
        Map<String, Object> model = model(node(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR), caller, null,
                RoutinePageForm.blank(LocalDate.now(SwedishTime.ZONE)));
        model.put("saved", sparad != null);
        model.put("retiredNow", avslutad != null);
        return model;
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(value = "/rutiner", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> create(long id, @Body RoutinePageForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = node(id, caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        try {
            RoutineForm parsed = toForm(form);
            if (form.previewOnly()) {
                Map<String, Object> model = model(node, caller, null, form);
                model.put("preview", previewModel(routines.preview(id, parsed, null), parsed));
                return HttpResponse.ok(new ModelAndView<>("routines", model));
            }
            Routine created = routines.create(id, parsed, caller.getName());
            return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/rutiner?sparad=1"));
        } catch (HttpStatusException e) {
            return again(node, caller, form, e.getStatus(), e.getMessage());
        } catch (ConstraintViolationException e) {
            return again(node, caller, form, HttpStatus.UNPROCESSABLE_ENTITY, "Rutinen kunde inte sparas. " + InputProblems.sentence(e));
        }
    }

    /** The page again with what was wrong and what the coordinator wrote, so that nothing has to be typed twice. */
    private HttpResponse<?> again(OrgNode node, Authentication caller, RoutinePageForm form, HttpStatus status, String error) {
        return HttpResponse.status(status).body(new ModelAndView<>("routines", model(node, caller, error, form)));
    }

    /** One routine: what it asks, in words, its versions, and for those who may, the form to change or retire it. */
    @View("routine")
    @Get("/rutiner/{routineId}{?sparad}")
    public Map<String, Object> routine(long id, long routineId, @Nullable String sparad, Authentication caller) {
        OrgNode node = node(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        Routine routine = visible(id, routineId);
        Map<String, Object> model = routineModel(node, routine, caller, null,
                RoutinePageForm.of(routine, repository.findModuleCodes(routine.id())));
        model.put("saved", sparad != null);
        return model;
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(value = "/rutiner/{routineId}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> update(long id, long routineId, @Body RoutinePageForm form, HttpRequest<?> request,
                                  Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = node(id, caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        Routine routine = editable(id, routineId, caller);
        // Kind and audience are fixed: the form does not offer them, so they are taken from the routine.
        RoutinePageForm fixed = withKindAndAudience(form, routine, routines.view(id, routine).audience());
        try {
            RoutineForm parsed = toForm(fixed);
            if (form.previewOnly()) {
                Map<String, Object> model = routineModel(node, routine, caller, null, fixed);
                model.put("preview", previewModel(routines.preview(routine.orgNodeId(), parsed, routine), parsed));
                return HttpResponse.ok(new ModelAndView<>("routine", model));
            }
            routines.update(routine, parsed, caller.getName());
            return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/rutiner/" + routineId + "?sparad=1"));
        } catch (HttpStatusException e) {
            return HttpResponse.status(e.getStatus()).body(new ModelAndView<>("routine",
                    routineModel(node, routine, caller, e.getMessage(), fixed)));
        } catch (ConstraintViolationException e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("routine",
                    routineModel(node, routine, caller, "Rutinen kunde inte sparas. " + InputProblems.sentence(e), fixed)));
        }
    }

    /** Retires the routine once the coordinator has ticked that they mean it. */
    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(value = "/rutiner/{routineId}/avsluta", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> retire(long id, long routineId, @Nullable String bekrafta, @Nullable String csrfToken,
                                  HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, csrfToken);
        OrgNode node = node(id, caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        Routine routine = editable(id, routineId, caller);
        if (!"ja".equals(bekrafta)) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("routine", routineModel(node,
                    routine, caller, "Rutinen avslutades inte. Kryssa i att du vill avsluta den och försök igen.",
                    RoutinePageForm.of(routine, repository.findModuleCodes(routine.id())))));
        }
        try {
            routines.retire(routine, caller.getName());
        } catch (HttpStatusException e) {
            return HttpResponse.status(e.getStatus()).body(new ModelAndView<>("routine", routineModel(node, routine, caller,
                    e.getMessage(), RoutinePageForm.of(routine, repository.findModuleCodes(routine.id())))));
        }
        return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/rutiner?avslutad=1"));
    }

    /** A routine set at the node or above it; any other is unknown here. */
    private Routine visible(long nodeId, long routineId) {
        Routine routine = repository.findById(routineId).orElseThrow(Access::notFound);
        if (!repository.isVisibleAt(routineId, nodeId)) {
            throw Access.notFound();
        }
        return routine;
    }

    /** A routine the caller may change: they must hold the role where it is set, not only further down. */
    private Routine editable(long nodeId, long routineId, Authentication caller) {
        Routine routine = visible(nodeId, routineId);
        access.requireOn(caller, routine.orgNodeId(), Role.COORDINATOR, Role.ADMINISTRATOR);
        return routine;
    }

    private static RoutinePageForm withKindAndAudience(RoutinePageForm f, Routine routine, String audience) {
        return new RoutinePageForm(f.name(), routine.kind().name(), audience, f.modules(), f.dueDays(), f.countsFrom(),
                f.appliesFrom(), f.existingStaff(), f.catchUpDue(), f.intervalMonths(), f.renewalWindowDays(), f.startsOn(),
                f.documentation(), f.governingDocument(), f.approvedBy(), f.approvedOn(), f.action(), f.csrfToken());
    }

    private Map<String, Object> routineModel(OrgNode node, Routine routine, Authentication caller, String error,
                                             RoutinePageForm form) {
        RoutineView view = routines.view(node.id(), routine);
        Map<String, Object> model = new HashMap<>();
        model.put("title", routine.name() + " – " + node.name());
        model.put("node", node);
        model.put("view", view);
        model.put("inWords", inWords(routine));
        model.put("versions", repository.findVersions(routine.id()));
        model.put("mayEdit", !routine.retired() && access.holdsOn(caller, routine.orgNodeId(), Role.COORDINATOR, Role.ADMINISTRATOR));
        model.put("error", error);
        // Modules are chosen for where the routine is set, also when it is seen from a unit below.
        putForm(model, routine.orgNodeId(), form);
        model.put("formAction", "/organisationer/" + node.id() + "/rutiner/" + routine.id());
        model.put("showIntroduction", routine.kind() == RoutineKind.INTRODUCTION);
        model.put("showContinuing", routine.kind() == RoutineKind.CONTINUING);
        return model;
    }

    /**
     * What the routine asks, as a sentence: for an introduction, from when it applies and what existing staff must do
     * ("Gäller från 2026-01-15. Befintlig personal: klar senast 2027-03-31.").
     */
    static String inWords(Routine r) {
        if (r.kind() == RoutineKind.CONTINUING) {
            return "Gäller från " + r.startsOn() + ". Giltig i " + r.intervalMonths() + " månader, kan förnyas "
                    + r.renewalWindowDays() + " dagar före utgång.";
        }
        String existing = r.catchUpDue() == null ? "lämnas utanför" : "klar senast " + r.catchUpDue();
        return "Gäller från " + r.appliesFrom() + ". Nyanställda: klar inom " + r.dueDays() + " dagar efter "
                + r.countsFrom().labelSv() + ". Befintlig personal: " + existing + ".";
    }

    private static Map<String, Object> previewModel(AssignmentRecompute.Preview preview, RoutineForm form) {
        Map<String, Object> model = new HashMap<>();
        model.put("people", preview.people());
        model.put("newStarters", preview.newStarters());
        model.put("existingStaff", preview.existingStaff());
        model.put("overdue", preview.overdue());
        model.put("appliesFrom", form.appliesFrom());
        model.put("catchUpDue", form.catchUpDue());
        model.put("today", LocalDate.now(SwedishTime.ZONE));
        return model;
    }

    private Map<String, Object> model(OrgNode node, Authentication caller, String error, RoutinePageForm form) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Rutiner – " + node.name());
        model.put("node", node);
        List<RoutineView> inForce = routines.inForceAt(node.id());
        model.put("routines", inForce);
        model.put("retired", routines.retiredAt(node.id()));
        model.put("coverage", coverage.at(node.id(), inForce));
        model.put("mayEdit", access.holdsOn(caller, node.id(), Role.COORDINATOR, Role.ADMINISTRATOR));
        // The follow-up lists names: no link to it for a leader who may not see them (it would answer 403).
        model.put("maySeeNames", access.maySeeNames(caller, node.id()));
        model.put("error", error);
        putForm(model, node.id(), form);
        model.put("formAction", "/organisationer/" + node.id() + "/rutiner");
        model.put("newRoutine", true);
        model.put("showIntroduction", true);
        model.put("showContinuing", true);
        return model;
    }

    /** The form's values as typed, and every choice with whether it is the one made. */
    private void putForm(Map<String, Object> model, long nodeId, RoutinePageForm form) {
        model.put("form", form);
        model.put("introduction", !RoutineKind.CONTINUING.name().equals(form.kind()));
        model.put("catchUp", CATCH_UP.equals(form.existingStaff()) || form.existingStaff() == null && !blank(form.catchUpDue()));
        model.put("audiences", audiences.usableUnder(nodeId).stream()
                .map(a -> new Option(a.code(), a.nameSv(), a.code().equals(form.audience()))).toList());
        List<String> chosen = form.modules() == null ? List.of() : form.modules();
        List<Option> modules = new ArrayList<>(catalogue.assignableAt(nodeId).stream().map(m -> new Option(m.code(),
                m.title() + " (" + m.estimatedMinutes() + " min)", chosen.contains(m.code()))).toList());
        // A routine that already has a module since withdrawn keeps it: still offered, ticked, and marked so. Only titles
        // of modules usable here are shown; any other code posted is refused by the service, named by its code.
        Map<String, String> usableHere = titles.usableAt(nodeId);
        chosen.stream().distinct().filter(code -> modules.stream().noneMatch(o -> o.value().equals(code)))
                .filter(usableHere::containsKey)
                .forEach(code -> modules.add(new Option(code, usableHere.get(code) + " (tillbakadragen)", true)));
        model.put("modules", modules);
        model.put("countsFromChoices", Arrays.stream(CountsFrom.values())
                .map(c -> new Option(c.name(), c.labelSv(), c.name().equals(form.countsFrom()))).toList());
        model.put("documentationLevels", Arrays.stream(DocumentationLevel.values())
                .map(d -> new Option(d.name(), d.labelSv(), d.name().equals(form.documentation()))).toList());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private OrgNode node(long id, Authentication caller, Role... roles) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, roles);
        return node;
    }

    private static RoutineForm toForm(RoutinePageForm form) {
        return new RoutineForm(text(form.name(), "name"), choice(RoutineKind.class, text(form.kind(), "kind"), "kind"),
                text(form.audience(), "audience"), form.modules() == null ? List.of() : form.modules(),
                number(form.dueDays(), "dueDays"), form.countsFrom() == null || form.countsFrom().isBlank() ? null
                : choice(CountsFrom.class, form.countsFrom(), "countsFrom"), date(form.appliesFrom(), "appliesFrom"),
                catchUpDue(form), number(form.intervalMonths(), "intervalMonths"),
                number(form.renewalWindowDays(), "renewalWindowDays"), date(form.startsOn(), "startsOn"),
                choice(DocumentationLevel.class, text(form.documentation(), "documentation"), "documentation"),
                blankToNull(form.governingDocument()), blankToNull(form.approvedBy()), date(form.approvedOn(), "approvedOn"));
    }

    /** The catch-up date when the coordinator chose one for existing staff; none when they are left out. */
    private static LocalDate catchUpDue(RoutinePageForm form) {
        if (LEAVE_OUT.equals(form.existingStaff())) {
            return null;
        }
        LocalDate date = date(form.catchUpDue(), "catchUpDue");
        if (date == null && CATCH_UP.equals(form.existingStaff())) {
            throw unreadable("Ange datumet då befintlig personal ska vara klar, eller välj att de lämnas utanför.");
        }
        return date;
    }

    private static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw unreadable("Fältet '" + InputProblems.label(field) + "' måste fyllas i.");
        }
        return value.strip();
    }

    private static LocalDate date(String value, String field) {
        try {
            return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw unreadable(InputProblems.notReadable(field, LocalDate.class).message());
        }
    }

    private static Integer number(String value, String field) {
        try {
            return value == null || value.isBlank() ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw unreadable(InputProblems.notReadable(field, Integer.class).message());
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value.strip());
        } catch (IllegalArgumentException e) {
            throw unreadable(InputProblems.notReadable(field, type).message());
        }
    }

    private static HttpStatusException unreadable(String message) {
        return new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Rutinen kunde inte sparas. " + message);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
