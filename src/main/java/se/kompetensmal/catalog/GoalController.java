package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.util.List;

/** An organisation's own competence goals over the API; the rules are {@link Goals}'. */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class GoalController {

    private final Goals goals;
    private final CatalogueQueries catalogue;
    private final OrgNodeRepository nodes;
    private final Access access;

    public GoalController(Goals goals, CatalogueQueries catalogue, OrgNodeRepository nodes, Access access) {
        this.goals = goals;
        this.catalogue = catalogue;
        this.nodes = nodes;
        this.access = access;
    }

    /** An own goal as a client writes it. Every field is checked by {@link Goals}, which names the one at fault. */
    @Serdeable
    public record GoalBody(@Nullable String code, @Nullable List<String> audiences, @Nullable String area,
                           @Nullable String kind, @Nullable String textSv, @Nullable String textEn) {
        Goals.Input input() {
            return new Goals.Input(code, audiences, area, kind, textSv, textEn);
        }
    }

    @Operation(summary = "The competence goals that apply at a node (the national ones and those owned there or above), "
            + "and those owned by nodes under it")
    @Get("/organisations/{id}/goals")
    public List<CatalogueQueries.GoalView> atNode(long id, Authentication caller) {
        nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        return catalogue.goalsShownAt(id);
    }

    @Operation(summary = "Add a competence goal owned by the node (coordinators and administrators of the node itself)")
    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post("/organisations/{id}/goals")
    public HttpResponse<CatalogueQueries.GoalView> create(long id, @Body GoalBody body, Authentication caller,
                                                          HttpRequest<?> request) {
        nodes.require(id);
        String code = goals.create(caller, id, body.input(), request);
        return HttpResponse.created(catalogue.goalVisibleTo(caller, code).orElseThrow(), URI.create("/api/goals/" + code));
    }

    @Operation(summary = "Change an own competence goal (not its code); national goals are changed in the course content")
    @Put("/goals/{code}")
    public CatalogueQueries.GoalView change(String code, @Body GoalBody body, Authentication caller, HttpRequest<?> request) {
        goals.change(caller, code, body.input(), request);
        return catalogue.goalVisibleTo(caller, code).orElseThrow();
    }
}
