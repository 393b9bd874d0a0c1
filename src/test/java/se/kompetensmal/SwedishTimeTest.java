package se.kompetensmal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The Swedish day of a moment: one hour ahead of UTC in winter, two in summer, so late UTC evenings are the next day. */
class SwedishTimeTest {

    @Test
    void theDayIsTheOneInSwedenNotInUtc() {
        assertEquals(LocalDate.of(2026, 12, 3), SwedishTime.day(Instant.parse("2026-12-03T22:59:59Z")));
        assertEquals(LocalDate.of(2026, 12, 4), SwedishTime.day(Instant.parse("2026-12-03T23:00:00Z")), "midnight in winter");
        assertEquals(LocalDate.of(2026, 6, 30), SwedishTime.day(Instant.parse("2026-06-30T21:59:59Z")));
        assertEquals(LocalDate.of(2026, 7, 1), SwedishTime.day(Instant.parse("2026-06-30T22:00:00Z")), "midnight in summer");
        assertNull(SwedishTime.day((Instant) null));
    }
}
