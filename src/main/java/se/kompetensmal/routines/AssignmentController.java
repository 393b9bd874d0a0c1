package se.kompetensmal.routines;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonView;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.Role;

import java.util.List;

@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AssignmentController {

    private final AssignmentRepository assignments;
    private final AssignmentRecompute recompute;
    private final PersonQueries people;
    private final Access access;

    public AssignmentController(AssignmentRepository assignments, AssignmentRecompute recompute, PersonQueries people,
                                Access access) {
        this.assignments = assignments;
        this.recompute = recompute;
        this.people = people;
        this.access = access;
    }

    @Operation(summary = "What a person must complete and by when")
    @Get("/people/{id}/assignments")
    public List<AssignmentView> ofPerson(long id, Authentication caller) {
        PersonView person = people.byId(id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Personen " + id + " finns inte."));
        if (!Long.valueOf(id).equals(Caller.of(caller).personId())) {
            access.requireNames(caller, person.organisationId());
        }
        return assignments.findCurrent(id);
    }

    @Operation(summary = "Bring the routine-derived assignments of everyone under the node up to date")
    @Post("/organisations/{id}/assignments/recompute")
    public AssignmentRecompute.Result recompute(long id, Authentication caller) {
        access.requireOn(caller, id, Role.COORDINATOR, Role.ADMINISTRATOR);
        return recompute.recompute(id);
    }
}
