package se.kompetensmal.routines;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import se.kompetensmal.web.ReasonableDate;

import java.time.LocalDate;
import java.util.List;

/**
 * What a coordinator fills in to set up or change a routine. Every field is bounded: texts by their columns, days to ten
 * years, intervals to ten years; the service validates it after the caller's rights are checked. An introduction says
 * from when it applies ({@code appliesFrom}, required for a new one) and, optionally, the one due date for staff who had
 * started before ({@code catchUpDue}; without it they are left out).
 */
@Serdeable
public record RoutineForm(
        @NotBlank @Size(max = 200) String name,
        @NotNull RoutineKind kind,
        @NotBlank @Size(max = 40) String audience,
        @NotEmpty @Size(max = 100) List<@NotBlank @Size(max = 80) String> modules,
        @Nullable @Min(0) @Max(3650) Integer dueDays,
        @Nullable CountsFrom countsFrom,
        @Nullable @ReasonableDate LocalDate appliesFrom,
        @Nullable @ReasonableDate LocalDate catchUpDue,
        @Nullable @Min(1) @Max(120) Integer intervalMonths,
        @Nullable @Min(0) @Max(365) Integer renewalWindowDays,
        @Nullable @ReasonableDate LocalDate startsOn,
        @NotNull DocumentationLevel documentation,
        @Nullable @Size(max = 300) String governingDocument,
        @Nullable @Size(max = 200) String approvedBy,
        @Nullable @ReasonableDate LocalDate approvedOn) {

    @Creator
    public RoutineForm {
    }

    /**
     * A routine as callers wrote it before routines had a date they apply from (tests, the benchmark's data set): it
     * applies from 1900-01-01, that is to everyone's start, which is what such a routine meant then. Forms from people and
     * the API say when a new introduction applies from.
     */
    public RoutineForm(String name, RoutineKind kind, String audience, List<String> modules, Integer dueDays,
                       CountsFrom countsFrom, Integer intervalMonths, Integer renewalWindowDays, LocalDate startsOn,
                       DocumentationLevel documentation, String governingDocument, String approvedBy, LocalDate approvedOn) {
        this(name, kind, audience, modules, dueDays, countsFrom, kind == RoutineKind.INTRODUCTION ? FROM_EVERYONES_START : null,
                null, intervalMonths, renewalWindowDays, startsOn, documentation, governingDocument, approvedBy, approvedOn);
    }

    /** Before anyone's start: the earliest date a form accepts. */
    public static final LocalDate FROM_EVERYONES_START = LocalDate.of(1900, 1, 1);
}
