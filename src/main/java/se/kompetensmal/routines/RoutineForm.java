package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;
import java.util.List;

/** What a coordinator fills in to set up or change a routine. */
@Serdeable
public record RoutineForm(
        @NotBlank @Size(max = 200) String name,
        @NotNull RoutineKind kind,
        @NotBlank String audience,
        @NotEmpty List<String> modules,
        @Nullable @Min(0) Integer dueDays,
        @Nullable CountsFrom countsFrom,
        @Nullable @Min(1) Integer intervalMonths,
        @Nullable @Min(0) Integer renewalWindowDays,
        @Nullable LocalDate startsOn,
        @NotNull DocumentationLevel documentation,
        @Nullable @Size(max = 300) String governingDocument,
        @Nullable @Size(max = 200) String approvedBy,
        @Nullable LocalDate approvedOn) {
}
