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
import jakarta.validation.ConstraintViolationException;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.InputProblems;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A coordinator assigns a module to a group under a node, or exempts the group from it: everyone there, one unit below
 * it, one audience, or an audience in a unit. The page first shows how many people that reaches, and acts only when
 * confirmed. An assignment is then made in the background (a region is many people): the page says it is being made,
 * and lists the node's latest assignments with how far each has come. An exemption of a group carries one reason and
 * evidence for all (a unit that did the training on site).
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer/{id}/tilldela")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class GroupAssignmentPages {

    /** The step that saves; any other submit previews. */
    static final String SAVE = "spara";
    static final int DEFAULT_DUE_DAYS = 30;
    /** How many of the node's latest assignments the page lists. */
    static final int LATEST = 5;

    private final ManualAssignments manual;
    private final ModuleTitles titles;
    private final Audiences audiences;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final CsrfTokens csrf;
    private final ManualAssignmentJobs jobs;

    public GroupAssignmentPages(ManualAssignments manual, ModuleTitles titles, Audiences audiences, OrgNodeRepository nodes,
                                Access access, CsrfTokens csrf, ManualAssignmentJobs jobs) {
        this.jobs = jobs;
        this.manual = manual;
        this.titles = titles;
        this.audiences = audiences;
        this.nodes = nodes;
        this.access = access;
        this.csrf = csrf;
    }

    @Serdeable
    public record GroupForm(@Nullable String module, @Nullable String dueDate, @Nullable String unit,
                            @Nullable String audience, @Nullable String step, @Nullable String csrfToken,
                            @Nullable String action, @Nullable String reason, @Nullable String evidence) {

        GroupForm(String module, String dueDate, String unit, String audience, String step, String csrfToken) {
            this(module, dueDate, unit, audience, step, csrfToken, ASSIGN, null, null);
        }

        /** Exempting instead of assigning: chosen on the form, assigning unless said otherwise. */
        public boolean exempting() {
            return EXEMPT.equals(action);
        }
    }

    static final String ASSIGN = "tilldela";
    static final String EXEMPT = "undanta";

    public record Option(String value, String label, boolean selected) {
    }

    /** One assignment asked for at the node, as the page lists it. */
    public record Requested(String asked, String status) {
    }

    /**
     * The form; after a group's assignment was asked for ({@code tilldelning}, its id), what became of it: it is made in
     * the background, so the page says how far it has come and refreshes itself until it is done.
     */
    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Get("{?tilldelning,undantagna,modul}")
    public ModelAndView<Map<String, Object>> form(long id, @Nullable Long tilldelning, @Nullable Long undantagna,
                                                  @Nullable String modul, Authentication caller) {
        OrgNode node = node(id, caller);
        Map<String, Object> model = model(node, new GroupForm(null, today().plusDays(DEFAULT_DUE_DAYS).toString(), null, null,
                null, null));
        // The module named in the address is shown by title only if it may be used here: an address can name any code.
        Map<String, String> usable = titles.usableAt(node.id());
        java.util.function.Function<ManualAssignmentJob, String> title = job -> usable.getOrDefault(job.module(), job.module());
        // Only this node's own assignment: an address can name any id.
        java.util.Optional.ofNullable(tilldelning).flatMap(jobs::find).filter(job -> job.nodeId() == node.id())
                .ifPresent(job -> {
                    model.put("notice", job.statusSv(title.apply(job)));
                    if (!job.finished()) {
                        model.put("refreshSeconds", 2);
                    }
                });
        model.put("requested", jobs.latestAt(node.id(), LATEST).stream().map(job -> new Requested(title.apply(job)
                + ", klar senast " + job.dueDate() + " (" + job.requestedBy() + ", " + SwedishTime.format(job.createdAt()) + ")",
                job.statusSv(title.apply(job)))).toList());
        if (undantagna != null && modul != null) {
            model.put("notice", people(undantagna) + " är undantagna från modulen " + usable.getOrDefault(modul, modul) + ".");
        }
        return new ModelAndView<>("group-assign", model);
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> submit(long id, @Body GroupForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = node(id, caller);
        try {
            ManualAssignments.Reach reach = reach(node, form);
            String module = ManualAssignments.chosenModule(form.module());
            if (form.exempting()) {
                return exempt(node, form, reach, module, caller);
            }
            LocalDate due = ManualAssignments.typedDueDate(form.dueDate());
            if (SAVE.equals(form.step())) {
                ManualAssignmentJob asked = manual.requestFromPage(reach, module, due, today(), caller.getName());
                return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/tilldela?tilldelning=" + asked.id()));
            }
            ManualAssignments.requireDueDate(due, today());
            ManualAssignments.Preview preview = manual.preview(reach, module);
            Map<String, Object> model = model(node, form);
            model.put("preview", preview);
            model.put("moduleTitle", titles.of(module));
            model.put("whom", whom(node, reach));
            model.put("reachedText", people(preview.reached()));
            return HttpResponse.ok(new ModelAndView<>("group-assign", model));
        } catch (HttpStatusException e) {
            return again(node, form, e.getStatus(), e.getMessage());
        } catch (ConstraintViolationException e) {
            return again(node, form, HttpStatus.UNPROCESSABLE_ENTITY, InputProblems.sentence(e));
        }
    }

    private HttpResponse<?> exempt(OrgNode node, GroupForm form, ManualAssignments.Reach reach, String module,
                                   Authentication caller) {
        String reason = bounded(form.reason(), "Skäl");
        String evidence = bounded(form.evidence(), "Underlag");
        if (reason == null) {
            throw new AssignmentRefused("Skriv skälet till undantaget i fältet 'Skäl'.");
        }
        if (SAVE.equals(form.step())) {
            ManualAssignments.Preview done = manual.exemptFromPage(reach, module, reason, evidence, caller.getName());
            return HttpResponse.seeOther(URI.create("/organisationer/" + node.id() + "/tilldela?undantagna=" + done.reached()
                    + "&modul=" + URLEncoder.encode(module, StandardCharsets.UTF_8)));
        }
        ManualAssignments.Preview preview = manual.previewExemption(reach, module);
        Map<String, Object> model = model(node, form);
        model.put("preview", preview);
        model.put("moduleTitle", titles.of(module));
        model.put("whom", whom(node, reach));
        model.put("reachedText", people(preview.reached()));
        return HttpResponse.ok(new ModelAndView<>("group-assign", model));
    }

    /** Free text as typed, stripped; null when empty; refused past 500 characters, the column's size. */
    private static @Nullable String bounded(@Nullable String text, String label) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.strip().length() > 500) {
            throw new AssignmentRefused("Fältet '" + label + "' får vara högst 500 tecken.");
        }
        return text.strip();
    }

    private HttpResponse<?> again(OrgNode node, GroupForm form, HttpStatus status, String error) {
        Map<String, Object> model = model(node, form);
        model.put("error", error);
        return HttpResponse.status(status).body(new ModelAndView<>("group-assign", model));
    }

    private Map<String, Object> model(OrgNode node, GroupForm form) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Tilldela eller undanta – " + node.name());
        model.put("node", node);
        model.put("form", form);
        model.put("today", today().toString());
        // Only what may be assigned here now: an own module of another part of the tree, or a withdrawn one, is not offered.
        model.put("modules", titles.assignableAt(node.id()).entrySet().stream()
                .map(e -> new Option(e.getKey(), e.getValue(), e.getKey().equals(form.module()))).toList());
        model.put("units", nodes.findSubtree(node.id()).stream().filter(n -> !n.id().equals(node.id()))
                .map(n -> new Option(n.id().toString(), n.name() + " (" + n.kindSv().toLowerCase() + ")",
                        n.id().toString().equals(form.unit()))).toList());
        model.put("audiences", audiences.usableUnder(node.id()).stream()
                .map(a -> new Option(a.code(), a.nameSv(), a.code().equals(form.audience()))).toList());
        return model;
    }

    /** Whom the choice reaches, in words: "alla i X", "målgruppen Y i enheten Z". */
    private String whom(OrgNode node, ManualAssignments.Reach reach) {
        String where = reach.unitId() == null ? node.name() : nodes.require(reach.unitId()).name();
        if (reach.audience() == null) {
            return "alla aktiva i " + where + " med underliggande enheter";
        }
        String audience = audiences.usableUnder(reach.audience(), node.id()).map(Audience::nameSv).orElse(reach.audience());
        return "målgruppen " + audience + " i " + where + " med underliggande enheter";
    }

    private ManualAssignments.Reach reach(OrgNode node, GroupForm form) {
        Long unit = null;
        if (form.unit() != null && !form.unit().isBlank()) {
            try {
                unit = Long.valueOf(form.unit().strip());
            } catch (NumberFormatException e) {
                throw new AssignmentRefused("Välj en enhet i listan.");
            }
            if (!nodes.isWithin(unit, node.id())) {
                throw new AssignmentRefused("Enheten finns inte under " + node.name() + ".");
            }
        }
        String audience = form.audience() == null || form.audience().isBlank() ? null : form.audience().strip();
        if (audience != null && audience.length() > 40) {
            throw new AssignmentRefused("Målgruppen finns inte.");
        }
        return new ManualAssignments.Reach(node.id(), unit, audience, null);
    }

    private OrgNode node(long id, Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.ADMINISTRATOR);
        return node;
    }

    private static String people(long count) {
        return count + (count == 1 ? " person" : " personer");
    }

    private static LocalDate today() {
        return LocalDate.now(SwedishTime.ZONE);
    }
}
