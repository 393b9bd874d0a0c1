package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import se.kompetensmal.routines.RecomputeJob;

import java.util.List;

/**
 * An import with the first rows of its report, as the API and the progress page show it, and for a history import the
 * recomputation of assignments it started.
 */
@Serdeable
public record RosterImportView(RosterImport rosterImport, long errorCount, List<RowError> errors,
                               @Nullable RecomputeJob recompute) {
}
