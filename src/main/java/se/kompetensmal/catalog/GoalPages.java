package se.kompetensmal.catalog;

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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.routines.GoalCoverage;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.FieldProblem;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The competence goals of a node as pages: those that apply there (national and the organisation's own) and those its
 * units have added, and the form where a coordinator or administrator of the node adds and changes the node's own goals.
 * Who may see and change what is {@link Goals}'.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer/{id}/mal")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class GoalPages {

    private final Goals goals;
    private final CatalogueQueries catalogue;
    private final Audiences audiences;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final CsrfTokens csrf;

    public GoalPages(Goals goals, CatalogueQueries catalogue, Audiences audiences, OrgNodeRepository nodes, Access access,
                     CsrfTokens csrf) {
        this.goals = goals;
        this.catalogue = catalogue;
        this.audiences = audiences;
        this.nodes = nodes;
        this.access = access;
        this.csrf = csrf;
    }

    /** The form as a browser posts it: unchecked audiences are missing; on a change the code is not posted. */
    @Serdeable
    public record GoalPageForm(@Nullable String code, @Nullable List<String> audiences, @Nullable String area,
                               @Nullable String kind, @Nullable String textSv, @Nullable String textEn,
                               @Nullable String csrfToken) {
        Goals.Input input() {
            return new Goals.Input(code, audiences, area, kind, textSv, textEn);
        }

        static GoalPageForm of(CatalogueQueries.GoalView goal) {
            return new GoalPageForm(goal.code(), goal.audiences(), goal.area().name(), goal.kind().name(), goal.textSv(),
                    goal.textEn(), null);
        }

        static GoalPageForm empty() {
            return new GoalPageForm("", List.of(), null, null, "", "", null);
        }
    }

    /** A goal in the list: its owner said as "Egen (Region X)" or "Eget mål för Enhet X", null for a national goal. */
    public record Listed(String code, String textSv, String areaSv, String kindSv, @Nullable String owner,
                         List<String> audienceNames, @Nullable String href) {
    }

    public record Group(String heading, String id, List<Listed> goals) {
    }

    public record Option(String value, String label, boolean selected) {
    }

    @Get("{?per,sparat}")
    public ModelAndView<Map<String, Object>> list(long id, @Nullable String per, @Nullable String sparat,
                                                  Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        boolean byArea = "omrade".equals(per);
        Set<String> applying = goals.usableAt(id);
        Map<String, String> audienceNames = new LinkedHashMap<>();
        audiences.visibleTo(caller).forEach(a -> audienceNames.put(a.code(), a.nameSv()));
        List<Listed> listed = catalogue.goalsShownAt(id).stream()
                .map(g -> new Listed(g.code(), g.textSv(), g.areaSv(), g.kindSv(),
                        GoalCoverage.ownerLabel(g, !applying.contains(g.code())),
                        g.audiences().stream().map(a -> audienceNames.getOrDefault(a, a)).toList(),
                        // The list says all there is of a national goal; an own goal's page is where it is changed.
                        g.own() ? "/organisationer/" + id + "/mal/" + URLEncoder.encode(g.code(), StandardCharsets.UTF_8) : null))
                .toList();
        List<Group> groups = new ArrayList<>();
        if (byArea) {
            for (GoalArea area : GoalArea.values()) {
                List<Listed> in = listed.stream().filter(g -> g.areaSv().equals(area.labelSv())).toList();
                if (!in.isEmpty()) {
                    groups.add(new Group(area.labelSv(), "omrade-" + area.name().toLowerCase(Locale.ROOT), in));
                }
            }
        } else {
            audienceNames.forEach((code, name) -> {
                List<Listed> in = listed.stream().filter(g -> g.audienceNames().contains(name)).toList();
                if (!in.isEmpty()) {
                    groups.add(new Group(name, "malgrupp-" + code.toLowerCase(Locale.ROOT), in));
                }
            });
        }
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Kompetensmål – " + node.name());
        model.put("node", node);
        model.put("groups", groups);
        model.put("byArea", byArea);
        model.put("count", listed.size());
        model.put("ownCount", listed.stream().filter(g -> g.owner() != null).count());
        model.put("mayAdd", goals.mayOwnAt(caller, id));
        if (sparat != null && sparat.length() <= 40) {
            listed.stream().filter(g -> g.code().equals(sparat)).findFirst().ifPresent(g -> model.put("saved", g));
        }
        return new ModelAndView<>("goals", model);
    }

    @Get("/ny")
    public ModelAndView<Map<String, Object>> newGoal(long id, Authentication caller) {
        OrgNode node = owningNode(id, caller);
        return new ModelAndView<>("goals-form", formModel(node, null, GoalPageForm.empty(), Map.of(), true));
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> create(long id, @Body GoalPageForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = owningNode(id, caller);
        try {
            String code = goals.create(caller, id, form.input(), request);
            return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/mal?sparat="
                    + URLEncoder.encode(code, StandardCharsets.UTF_8)));
        } catch (GoalInvalid e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("goals-form", formModel(node, null, form, e.byField(), true)));
        }
    }

    @Get("/{code}")
    public ModelAndView<Map<String, Object>> goal(long id, String code, Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        CatalogueQueries.GoalView goal = shown(id, code, caller);
        return new ModelAndView<>("goals-form", formModel(node, goal, GoalPageForm.of(goal), Map.of(),
                goals.editableBy(caller, goal.code())));
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(value = "/{code}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> change(long id, String code, @Body GoalPageForm form, HttpRequest<?> request,
                                  Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        CatalogueQueries.GoalView goal = shown(id, code, caller);
        // The code is the goal's and stays: what was posted as code is not read.
        GoalPageForm kept = new GoalPageForm(goal.code(), form.audiences(), form.area(), form.kind(), form.textSv(),
                form.textEn(), form.csrfToken());
        try {
            goals.change(caller, goal.code(), kept.input(), request);
            return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/mal?sparat="
                    + URLEncoder.encode(goal.code(), StandardCharsets.UTF_8)));
        } catch (GoalInvalid e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("goals-form", formModel(node, goal, kept, e.byField(), true)));
        }
    }

    /** The node, if the caller may own goals there; refused as {@link Access#refusal} says otherwise. */
    private OrgNode owningNode(long id, Authentication caller) {
        OrgNode node = nodes.require(id);
        if (!goals.mayOwnAt(caller, id)) {
            throw access.refusal(caller, id);
        }
        return node;
    }

    /** A goal shown at the node and visible to the caller; anything else as an unknown code. */
    private CatalogueQueries.GoalView shown(long nodeId, String code, Authentication caller) {
        if (code.length() > 40 || !goals.shownAt(code, nodeId)) {
            throw Access.notFound();
        }
        return catalogue.goalVisibleTo(caller, code).orElseThrow(Access::notFound);
    }

    private Map<String, Object> formModel(OrgNode node, @Nullable CatalogueQueries.GoalView goal, GoalPageForm form,
                                          Map<String, String> errors, boolean mayEdit) {
        Map<String, Object> model = new HashMap<>();
        boolean creating = goal == null;
        model.put("title", (creating ? "Nytt kompetensmål" : "Kompetensmål " + goal.code()) + " – " + node.name());
        model.put("node", node);
        model.put("creating", creating);
        model.put("goal", goal);
        model.put("mayEdit", mayEdit);
        model.put("national", goal != null && !goal.own());
        model.put("form", form);
        model.put("formAction", "/organisationer/" + node.id() + "/mal" + (creating ? "" : "/"
                + URLEncoder.encode(goal.code(), StandardCharsets.UTF_8)));
        model.put("errors", errors);
        model.put("errorList", errors.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparingInt(FIELDS::indexOf)))
                .map(e -> new FieldProblem(e.getKey(), e.getValue())).toList());
        if (goal != null && goal.own()) {
            model.put("owner", goal.ownerName());
        }
        long ownerNode = goal != null && goal.own() ? goal.ownerOrgId() : node.id();
        List<String> chosen = form.audiences() == null ? List.of() : form.audiences();
        model.put("audienceOptions", audiences.usableUnder(ownerNode).stream()
                .map(a -> new Option(a.code(), a.nameSv(), chosen.contains(a.code()))).toList());
        model.put("audienceNames", goal == null ? List.of() : audiences.usableUnder(ownerNode).stream()
                .filter(a -> goal.audiences().contains(a.code())).map(Audience::nameSv).toList());
        model.put("areaOptions", Arrays.stream(GoalArea.values())
                .map(a -> new Option(a.name(), a.labelSv(), a.name().equals(form.area()))).toList());
        model.put("kindOptions", Arrays.stream(GoalKind.values())
                .map(k -> new Option(k.name(), k.labelSv(), k.name().equals(form.kind()))).toList());
        return model;
    }

    /** The form's fields in the order the page shows them, for the summary of problems above it. */
    private static final List<String> FIELDS = List.of("code", "audiences", "area", "kind", "textSv", "textEn");
}
