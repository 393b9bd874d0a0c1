package se.kompetensmal.roster;

import java.util.Set;

/**
 * People whose record or placements changed (created, moved, a placement ended, left), published after commit by the
 * roster's one writer of people: whatever depends on where someone works brings itself up to date for them.
 */
public record PeopleChanged(Set<Long> personIds, String reason) {
}
