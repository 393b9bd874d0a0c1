package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;

import java.util.Set;

/**
 * Published after commit when assignments were made, changed or withdrawn: what follows from them (their announcement
 * to the LRS, report summaries) is out of date for these people. Either the people are named ({@link #personIds}: a
 * manual assignment, one person's recomputation) or they are everyone placed under {@link #scopeNodeId}, now or before,
 * whose id lies in {@code fromPersonId..toPersonId} (a slice of a recomputation); never "everyone in the database".
 *
 * @param change       what happened
 * @param scopeNodeId  the node the change was made under
 * @param personIds    the people, when named; empty when the slice says who they are
 * @param moduleCode   the module, when the change was about one (a manual assignment); null for a recomputation
 */
public record AssignmentsChanged(Change change, long scopeNodeId, long fromPersonId, long toPersonId, Set<Long> personIds,
                                 @Nullable String moduleCode) {

    public enum Change {
        /** A recomputation brought the slice's routine assignments in line with the routines in force. */
        RECOMPUTED,
        /** A coordinator assigned a module to the named people. */
        ASSIGNED
    }

    public AssignmentsChanged {
        personIds = Set.copyOf(personIds);
    }

    /** A slice of a recomputation: everyone placed under the node with an id in the range. */
    public static AssignmentsChanged recomputed(long scopeNodeId, long fromPersonId, long toPersonId) {
        return new AssignmentsChanged(Change.RECOMPUTED, scopeNodeId, fromPersonId, toPersonId, Set.of(), null);
    }

    /** A manual assignment of a module to the named people. */
    public static AssignmentsChanged assigned(long nodeId, Set<Long> personIds, String moduleCode) {
        long from = personIds.stream().mapToLong(Long::longValue).min().orElse(0);
        long to = personIds.stream().mapToLong(Long::longValue).max().orElse(-1);
        return new AssignmentsChanged(Change.ASSIGNED, nodeId, from, to, personIds, moduleCode);
    }

    /** Whether the people are named (otherwise the slice under the node says who they are). */
    public boolean named() {
        return !personIds.isEmpty() || change == Change.ASSIGNED;
    }
}
