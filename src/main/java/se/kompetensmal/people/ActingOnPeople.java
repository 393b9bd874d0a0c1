package se.kompetensmal.people;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Role;

/**
 * The one rule for acting on a person (assigning, exempting, reminding, registering or voiding a completion): the caller
 * is a coordinator or administrator where the person is placed, and the person is still active.
 */
@Singleton
public class ActingOnPeople {

    private final PersonQueries people;
    private final Access access;

    public ActingOnPeople(PersonQueries people, Access access) {
        this.people = people;
        this.access = access;
    }

    /**
     * The person, or 404 (unknown or outside the caller's organisation), 403 (no such role there), or 409 with
     * "{name} har slutat; {whatCannotBeDone}." for someone who has left.
     */
    public PersonView actable(long id, Authentication caller, String whatCannotBeDone) {
        PersonView person = people.byId(id).orElseThrow(Access::notFound);
        access.requireOn(caller, person.organisationId(), Role.COORDINATOR, Role.ADMINISTRATOR);
        if (person.status() != PersonStatus.ACTIVE) {
            throw new HttpStatusException(HttpStatus.CONFLICT, person.name() + " har slutat; " + whatCannotBeDone + ".");
        }
        return person;
    }
}
