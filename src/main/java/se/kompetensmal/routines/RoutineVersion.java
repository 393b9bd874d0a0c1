package se.kompetensmal.routines;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** A routine as it was after one change, with who made it and when. */
@Serdeable
@Introspected
public record RoutineVersion(int version, String changedBy, Instant changedAt, String snapshot) {

    /** When, in Swedish time to the minute, for pages. */
    public String changedAtText() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(se.kompetensmal.SwedishTime.ZONE)
                .format(changedAt);
    }
}
