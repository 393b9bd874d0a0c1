package se.kompetensmal.roster;

import java.util.Set;

/**
 * Published after commit when people were created, changed, placed, had a placement ended or left: what follows from
 * where they work (assignments, follow-up) is out of date for them. {@code reason} says why, for logs and job records.
 */
public record PeopleChanged(Set<Long> personIds, String reason) {
}
