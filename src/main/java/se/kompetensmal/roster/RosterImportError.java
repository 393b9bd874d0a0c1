package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** One line of a rejected import's report. */
@MappedEntity("roster_import_error")
record RosterImportError(@Id @GeneratedValue @Nullable Long id, long importId, int rowNo, @Nullable String columnName,
                         String reason) {

    static RosterImportError of(long importId, RowError error) {
        String reason = error.reason().length() > 500 ? error.reason().substring(0, 500) : error.reason();
        return new RosterImportError(null, importId, error.row(), RosterFile.displayName(error.column()), reason);
    }
}
