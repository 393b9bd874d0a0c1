package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;

/** A training routine for one audience on one organisational node, valid for its subtree unless overridden below. */
@Serdeable
@MappedEntity("routine")
public record Routine(
        @Id @GeneratedValue @Nullable Long id,
        long orgNodeId,
        RoutineKind kind,
        long audienceId,
        String name,
        @Nullable Integer dueDays,
        @Nullable CountsFrom countsFrom,
        @Nullable Integer intervalMonths,
        @Nullable Integer renewalWindowDays,
        @Nullable LocalDate startsOn,
        DocumentationLevel documentation,
        @Nullable String governingDocument,
        @Nullable String approvedBy,
        @Nullable LocalDate approvedOn,
        int version) {
}
