package se.kompetensmal.people;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Caller;

@Controller("/api/people")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PeopleController {

    private final PersonQueries people;
    private final ActingOnPeople acting;

    public PeopleController(PersonQueries people, ActingOnPeople acting) {
        this.people = people;
        this.acting = acting;
    }

    @Operation(summary = "A person by HSA-id")
    @Get
    public PersonView byHsaId(@QueryValue String hsaId, Authentication caller) {
        return visible(people.byHsaId(hsaId)
                .orElseThrow(() -> Access.notFound()), caller);
    }

    @Operation(summary = "A person by id")
    @Get("/{id}")
    public PersonView get(long id, Authentication caller) {
        return visible(people.byId(id)
                .orElseThrow(() -> Access.notFound()), caller);
    }

    /** A person is visible to themselves and to those who may see names in their unit. */
    private PersonView visible(PersonView person, Authentication caller) {
        if (!Long.valueOf(person.id()).equals(Caller.of(caller).personId())) {
            acting.requireNames(caller, person);
        }
        return person;
    }
}
