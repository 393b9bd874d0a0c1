package se.kompetensmal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as Swedish users read them: Stockholm time, YYYY-MM-DD HH:MM. */
public final class SwedishTime {

    public static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZONE);

    private SwedishTime() {
    }

    /**
     * The Swedish day of a moment: what a page says "registered on" means. Not SQL's {@code DATE()} of a TIMESTAMP,
     * which is the day in the database session's zone (UTC on our servers): from midnight to one or two in the morning
     * that was yesterday (CI, 00:20 Swedish time, 2026-12-04: "registrerad 3 december"). Null stays null.
     */
    public static java.time.LocalDate day(Instant instant) {
        return instant == null ? null : instant.atZone(ZONE).toLocalDate();
    }

    /** The same of a TIMESTAMP read by plain JDBC. */
    public static java.time.LocalDate day(java.sql.Timestamp time) {
        return time == null ? null : day(time.toInstant());
    }

    public static String format(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant);
    }
}
