package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** A recomputation of the assignments under a node, running in the background. */
@Serdeable
@MappedEntity("recompute_job")
public record RecomputeJob(
        @Id @GeneratedValue @Nullable Long id,
        long scopeOrgId,
        String status,
        int totalPeople,
        int donePeople,
        String requestedBy,
        @DateCreated @Nullable Instant createdAt,
        @Nullable Instant finishedAt) {

    public boolean finished() {
        return "DONE".equals(status) || "FAILED".equals(status);
    }

    /** The status as a page shows it (the history import's status page). */
    public String statusSv() {
        return switch (status) {
            case "QUEUED" -> "väntar på sin tur";
            case "RUNNING" -> "pågår, " + donePeople + " av " + totalPeople + " personer klara";
            case "DONE" -> "klar, " + totalPeople + " personer";
            default -> "misslyckades; be en samordnare räkna om uppdragen för organisationen";
        };
    }
}
