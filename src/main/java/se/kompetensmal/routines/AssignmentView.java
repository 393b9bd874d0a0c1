package se.kompetensmal.routines;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;

/**
 * One thing a person must complete (one cycle of a module), by when, from when it may be renewed early, and why (which
 * routine, or who assigned it); once done, when and until when the completion is valid.
 */
@Serdeable
@Introspected
public record AssignmentView(String moduleCode, int cycle, LocalDate dueDate, @Nullable LocalDate opensOn, String source,
                             @Nullable String routineName, @Nullable String assignedBy, @Nullable LocalDate completedOn,
                             @Nullable LocalDate validUntil) {
}
