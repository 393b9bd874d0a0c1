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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The coordinator's pages: the routines in force at a node, a form for a new one, and who is behind. */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer/{id}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RoutinePages {

    private final RoutineService routines;
    private final FollowUp followUp;
    private final GoalCoverage coverage;
    private final OrgNodeRepository nodes;
    private final Audiences audiences;
    private final CatalogueQueries catalogue;
    private final Access access;
    private final CsrfTokens csrf;

    public RoutinePages(RoutineService routines, FollowUp followUp, OrgNodeRepository nodes, Audiences audiences,
                        CatalogueQueries catalogue, Access access, CsrfTokens csrf, GoalCoverage coverage) {
        this.routines = routines;
        this.followUp = followUp;
        this.coverage = coverage;
        this.nodes = nodes;
        this.audiences = audiences;
        this.catalogue = catalogue;
        this.access = access;
        this.csrf = csrf;
    }

    /** The routine form as a browser posts it: every field text, modules repeated. */
    @Serdeable
    public record RoutinePageForm(@Nullable String name, @Nullable String kind, @Nullable String audience,
                                  @Nullable List<String> modules, @Nullable String dueDays, @Nullable String countsFrom,
                                  @Nullable String intervalMonths, @Nullable String renewalWindowDays, @Nullable String startsOn,
                                  @Nullable String documentation, @Nullable String governingDocument,
                                  @Nullable String approvedBy, @Nullable String approvedOn, @Nullable String csrfToken) {
    }

    public record Option(String value, String label) {
    }

    @View("routines")
    @Get("/rutiner{?sparad}")
    public Map<String, Object> list(long id, @Nullable String sparad, Authentication caller) {
        Map<String, Object> model = model(node(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR), caller, null);
        model.put("saved", sparad != null);
        return model;
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(value = "/rutiner", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> create(long id, @Body RoutinePageForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = node(id, caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        try {
            routines.create(id, toForm(form), caller.getName());
            return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/rutiner?sparad=1"));
        } catch (HttpStatusException e) {
            return again(node, caller, form, e.getStatus(), e.getMessage());
        } catch (ConstraintViolationException e) {
            return again(node, caller, form, HttpStatus.UNPROCESSABLE_ENTITY, "Rutinen kunde inte sparas. " + InputProblems.sentence(e));
        }
    }

    /** The page again with what was wrong and what the coordinator wrote, so that nothing has to be typed twice. */
    private HttpResponse<?> again(OrgNode node, Authentication caller, RoutinePageForm form, HttpStatus status, String error) {
        Map<String, Object> model = model(node, caller, error);
        model.put("form", form);
        return HttpResponse.status(status).body(new ModelAndView<>("routines", model));
    }

    @View("follow-up")
    @Get("/uppfoljning{?dagar}")
    public Map<String, Object> followUp(long id, @Nullable Integer dagar, Authentication caller) {
        OrgNode node = node(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        access.requireNames(caller, id);
        int within = dagar == null ? 14 : dagar;
        List<FollowUp.Row> rows = followUp.openUnder(id, new FollowUp.Filter(null, null, null, null, within),
                LocalDate.now(SwedishTime.ZONE));
        return Map.of("title", "Uppföljning – " + node.name(), "node", node, "rows", rows, "within", within,
                "overdue", rows.stream().filter(FollowUp.Row::overdue).count());
    }

    private Map<String, Object> model(OrgNode node, Authentication caller, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Rutiner – " + node.name());
        model.put("node", node);
        List<RoutineView> inForce = routines.inForceAt(node.id());
        model.put("routines", inForce);
        model.put("coverage", coverage.of(inForce));
        model.put("mayEdit", access.holdsOn(caller, node.id(), Role.COORDINATOR, Role.ADMINISTRATOR));
        // The follow-up lists names: no link to it for a leader who may not see them (it would answer 403).
        model.put("maySeeNames", access.maySeeNames(caller, node.id()));
        model.put("audiences", audiences.usableUnder(node.id()));
        model.put("modules", catalogue.modules());
        model.put("documentationLevels", Arrays.stream(DocumentationLevel.values()).map(d -> new Option(d.name(), d.labelSv())).toList());
        model.put("error", error);
        return model;
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
                : choice(CountsFrom.class, form.countsFrom(), "countsFrom"), number(form.intervalMonths(), "intervalMonths"),
                number(form.renewalWindowDays(), "renewalWindowDays"), date(form.startsOn(), "startsOn"),
                choice(DocumentationLevel.class, text(form.documentation(), "documentation"), "documentation"),
                blankToNull(form.governingDocument()), blankToNull(form.approvedBy()), date(form.approvedOn(), "approvedOn"));
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
