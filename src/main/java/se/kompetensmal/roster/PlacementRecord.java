package se.kompetensmal.roster;

import java.time.LocalDate;
import java.util.Set;

/** One unit a person is placed in, with that placement's audiences and start dates (in the organisation, in the role). */
public record PlacementRecord(long orgNodeId, Set<Long> audienceIds, LocalDate orgStart, LocalDate roleStart) {
}
