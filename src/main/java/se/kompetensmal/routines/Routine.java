package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import se.kompetensmal.SwedishTime;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A training routine for one audience on one organisational node, valid for its subtree unless overridden below. An
 * introduction applies to starts from {@code appliesFrom}; people who started before are existing staff, due on
 * {@code catchUpDue} or, without one, left out.
 */
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
        @Nullable LocalDate appliesFrom,
        @Nullable LocalDate catchUpDue,
        @Nullable Integer intervalMonths,
        @Nullable Integer renewalWindowDays,
        @Nullable LocalDate startsOn,
        DocumentationLevel documentation,
        @Nullable String governingDocument,
        @Nullable String approvedBy,
        @Nullable LocalDate approvedOn,
        int version,
        @Nullable Instant retiredAt,
        @Nullable String retiredBy) {

    /** Retired: asks for nothing any more, kept with its versions as history. */
    public boolean retired() {
        return retiredAt != null;
    }

    /** The day it was retired, in Swedish time, for pages. */
    public LocalDate retiredOn() {
        return retiredAt == null ? null : LocalDate.ofInstant(retiredAt, SwedishTime.ZONE);
    }
}
