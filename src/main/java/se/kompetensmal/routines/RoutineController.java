package se.kompetensmal.routines;

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
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.catalog.CatalogueQueries;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.util.List;

/** Routines over the API: coordinators set them up on their nodes; leaders may read them. */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RoutineController {

    private final RoutineService service;
    private final RoutineRepository routines;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final GoalCoverage coverage;
    private final CatalogueQueries catalogue;

    public RoutineController(RoutineService service, RoutineRepository routines, OrgNodeRepository nodes, Access access,
                             GoalCoverage coverage, CatalogueQueries catalogue) {
        this.catalogue = catalogue;
        this.coverage = coverage;
        this.service = service;
        this.routines = routines;
        this.nodes = nodes;
        this.access = access;
    }

    @Operation(summary = "The routines in force at a node, its own and those inherited from above")
    @Get("/organisations/{id}/routines")
    public List<RoutineView> inForce(long id, Authentication caller) {
        requireNode(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        return service.inForceAt(id);
    }

    @Operation(summary = "Per audience, its competence goals and whether the routines in force at the node cover them")
    @Get("/organisations/{id}/goal-coverage")
    public List<GoalCoverage.Audience> goalCoverage(long id, Authentication caller) {
        requireNode(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        return coverage.at(id, service.inForceAt(id));
    }

    @Operation(summary = "The modules that may be put in a routine or assigned at the node now, by title: its own organisation's modules and those for everyone, none withdrawn")
    @Get("/organisations/{id}/assignable-modules")
    public List<CatalogueQueries.ModuleView> assignableModules(long id, Authentication caller) {
        requireNode(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        return catalogue.assignableAt(id);
    }

    // The form is validated by the service, after the caller's rights: someone without them learns nothing from a 422.
    @Operation(summary = "Set up a routine on a node; it holds for the subtree and overrides one for the same kind and audience above")
    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post("/organisations/{id}/routines")
    public HttpResponse<Routine> create(long id, @Body RoutineForm form, Authentication caller) {
        requireNode(id, caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        Routine created = service.create(id, form, caller.getName());
        return HttpResponse.created(created, URI.create("/api/routines/" + created.id()));
    }

    @Operation(summary = "Change a routine; the previous version is kept")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ROUTINE)
    @Put("/routines/{id}")
    public Routine update(long id, @Body RoutineForm form, Authentication caller) {
        Routine existing = find(id, caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        return service.update(existing, form, caller.getName());
    }

    @Operation(summary = "Retire a routine: it asks for nothing from now on, its open assignments are withdrawn, completed ones and its versions are kept")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ROUTINE)
    @Post("/routines/{id}/retire")
    public Routine retire(long id, Authentication caller) {
        Routine existing = find(id, caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        return service.retire(existing, caller.getName());
    }

    @Operation(summary = "Every version of a routine, with who changed it and when")
    @Get("/routines/{id}/versions")
    public List<RoutineVersion> versions(long id, Authentication caller) {
        find(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        return routines.findVersions(id);
    }

    private Routine find(long id, Authentication caller, Role... roles) {
        Routine routine = routines.findById(id)
                .orElseThrow(() -> Access.notFound());
        access.requireOn(caller, routine.orgNodeId(), roles);
        return routine;
    }

    private void requireNode(long id, Authentication caller, Role... roles) {
        if (nodes.findById(id).isEmpty()) {
            throw Access.notFound();
        }
        access.requireOn(caller, id, roles);
    }
}
