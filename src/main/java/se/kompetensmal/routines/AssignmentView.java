package se.kompetensmal.routines;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;

/** One thing a person must complete, by when, and why (which routine, or who assigned it). */
@Serdeable
@Introspected
public record AssignmentView(String moduleCode, int cycle, LocalDate dueDate, String source, @Nullable String routineName,
                             @Nullable String assignedBy) {
}
