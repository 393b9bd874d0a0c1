package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import se.kompetensmal.SwedishTime;

import java.time.Instant;

/** One uploaded roster file and how its import went. */
@Serdeable
@MappedEntity("roster_import")
public record RosterImport(
        @Id @GeneratedValue @Nullable Long id,
        RosterImportKind kind,
        boolean fullImport,
        @Nullable Long scopeOrgId,
        String fileName,
        RosterImportStatus status,
        int totalRows,
        int processedRows,
        int createdCount,
        int updatedCount,
        int leftCount,
        @Nullable String message,
        @DateCreated @Nullable Instant createdAt,
        @Nullable Instant finishedAt,
        /** The recomputation of assignments a history import asked for once its completions were written. */
        @Nullable Long recomputeJobId) {

    public String createdAtSv() {
        return SwedishTime.format(createdAt);
    }

    public String kindSv() {
        return kind.labelSv();
    }

    public String statusSv() {
        return status.labelSv();
    }

    public boolean finished() {
        return status.finished();
    }

    public boolean awaitingConfirmation() {
        return status.awaitingConfirmation();
    }

    /** Progress in whole percent of the current phase. */
    public int percent() {
        return totalRows == 0 ? (finished() ? 100 : 0) : (int) (100L * processedRows / totalRows);
    }
}
