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
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.CatalogueQueries;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

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
            return HttpResponse.status(e.getStatus()).body(new ModelAndView<>("routines", model(node, caller, e.getMessage())));
        }
    }

    @View("follow-up")
    @Get("/uppfoljning{?dagar}")
    public Map<String, Object> followUp(long id, @Nullable Integer dagar, Authentication caller) {
        OrgNode node = node(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        access.requireNames(caller, id);
        int within = dagar == null ? 14 : Math.max(0, dagar);
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
        try {
            return new RoutineForm(text(form.name(), "namn"), RoutineKind.valueOf(text(form.kind(), "slag")),
                    text(form.audience(), "målgrupp"), form.modules() == null ? List.of() : form.modules(),
                    number(form.dueDays()), form.countsFrom() == null || form.countsFrom().isBlank() ? null
                    : CountsFrom.valueOf(form.countsFrom()), number(form.intervalMonths()), number(form.renewalWindowDays()), date(form.startsOn()),
                    DocumentationLevel.valueOf(text(form.documentation(), "dokumentation")), blankToNull(form.governingDocument()),
                    blankToNull(form.approvedBy()), date(form.approvedOn()));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Rutinen kunde inte sparas: " + e.getMessage());
        }
    }

    private static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("fältet " + field + " saknas");
        }
        return value.strip();
    }

    private static LocalDate date(String value) {
        return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
    }

    private static Integer number(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' är inget heltal");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
