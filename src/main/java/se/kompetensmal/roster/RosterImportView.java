package se.kompetensmal.roster;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** An import with the first rows of its report, as the API and the progress page show it. */
@Serdeable
public record RosterImportView(RosterImport rosterImport, long errorCount, List<RowError> errors) {
}
