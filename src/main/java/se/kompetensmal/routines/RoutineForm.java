package se.kompetensmal.routines;

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
 * years, intervals to ten years; the service validates it after the caller's rights are checked.
 */
@Serdeable
public record RoutineForm(
        @NotBlank @Size(max = 200) String name,
        @NotNull RoutineKind kind,
        @NotBlank @Size(max = 40) String audience,
        @NotEmpty @Size(max = 100) List<@NotBlank @Size(max = 80) String> modules,
        @Nullable @Min(0) @Max(3650) Integer dueDays,
        @Nullable CountsFrom countsFrom,
        @Nullable @Min(1) @Max(120) Integer intervalMonths,
        @Nullable @Min(0) @Max(365) Integer renewalWindowDays,
        @Nullable @ReasonableDate LocalDate startsOn,
        @NotNull DocumentationLevel documentation,
        @Nullable @Size(max = 300) String governingDocument,
        @Nullable @Size(max = 200) String approvedBy,
        @Nullable @ReasonableDate LocalDate approvedOn) {
}
