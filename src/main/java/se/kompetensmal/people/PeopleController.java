package se.kompetensmal.people;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;

@Controller("/api/people")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PeopleController {

    private final PersonQueries people;

    public PeopleController(PersonQueries people) {
        this.people = people;
    }

    @Operation(summary = "A person by HSA-id")
    @Get
    public PersonView byHsaId(@QueryValue String hsaId) {
        return people.byHsaId(hsaId)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Ingen person har HSA-id " + hsaId + "."));
    }

    @Operation(summary = "A person by id")
    @Get("/{id}")
    public PersonView get(long id) {
        return people.byId(id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Personen " + id + " finns inte."));
    }
}
