package se.kompetensmal.people;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Role;

import java.util.List;
import java.util.Optional;

/**
 * The one rule for a person's remit: a person is within the remit of those who hold a role on ANY of their current
 * placements (or above it), so that the coordinator of each unit a nurse works in can see and act for her. Acting on
 * a person (assigning, exempting, reminding, registering or voiding a completion, ending a placement) also needs the
 * person to be active.
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
        remitNode(caller, person, Role.COORDINATOR, Role.ADMINISTRATOR);
        if (person.status() != PersonStatus.ACTIVE) {
            throw new HttpStatusException(HttpStatus.CONFLICT, person.name() + " har slutat; " + whatCannotBeDone + ".");
        }
        return person;
    }

    /**
     * The unit of one of the person's current placements on which the caller holds one of the roles (the home placement
     * first); else the refusal the home unit answers (404 for another organisation's person, 403 for one's own).
     */
    public long remitNode(Authentication caller, PersonView person, Role... roles) {
        return withRole(caller, person, roles).orElseGet(() -> {
            access.requireOn(caller, person.organisationId(), roles);
            return person.organisationId();
        });
    }

    /** Whether the caller holds one of the roles on any of the person's current placements. */
    public boolean holds(Authentication caller, PersonView person, Role... roles) {
        return withRole(caller, person, roles).isPresent();
    }

    /** Throws unless the caller may see names in one of the units the person is placed in (see Access#requireNames). */
    public void requireNames(Authentication caller, PersonView person) {
        List<Long> units = units(person);
        if (units.stream().anyMatch(unit -> access.maySeeNames(caller, unit))) {
            return;
        }
        units.stream().filter(unit -> access.knowsOf(caller, unit)).findFirst()
                .ifPresentOrElse(unit -> access.requireNames(caller, unit), () -> access.requireNames(caller, person.organisationId()));
    }

    private Optional<Long> withRole(Authentication caller, PersonView person, Role... roles) {
        return units(person).stream().filter(unit -> access.holdsOn(caller, unit, roles)).findFirst();
    }

    private List<Long> units(PersonView person) {
        List<Long> units = people.currentUnits(person.id());
        return units.isEmpty() ? List.of(person.organisationId()) : units;
    }
}
