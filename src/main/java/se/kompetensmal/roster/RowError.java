package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Why one row of a roster file was refused; {@code row} counts as a spreadsheet does, the header being row 1. */
@Serdeable
@io.micronaut.core.annotation.Introspected
public record RowError(int row, @Nullable String column, String reason) {
}
