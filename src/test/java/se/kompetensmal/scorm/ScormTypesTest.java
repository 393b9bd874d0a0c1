package se.kompetensmal.scorm;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data types both books define, as the runtimes check and convert them. */
class ScormTypesTest {

    @Test
    void timeIntervalsAreIso8601Durations() {
        assertEquals(0, ScormTypes.parseDuration("PT0S"));
        assertEquals(150, ScormTypes.parseDuration("PT1.5S"));
        assertEquals(123, ScormTypes.parseDuration("PT1.239S"), "hundredths kept, the rest dropped");
        assertEquals(372_350, ScormTypes.parseDuration("PT1H2M3.5S"));
        assertEquals(24 * 360_000 + 360_000, ScormTypes.parseDuration("P1DT1H"));
        assertEquals(365L * 24 * 360_000, ScormTypes.parseDuration("P1Y"));
        assertEquals(30L * 24 * 360_000, ScormTypes.parseDuration("P1M"));
        assertEquals(60 * 100, ScormTypes.parseDuration("PT1M"));
        for (String bad : new String[]{"", "P", "PT", "P1DT", "PT1.S", "PT-1S", "1H", "pt1h", "P1W", "PT1H1H", "PT.5S"}) {
            assertEquals(-1, ScormTypes.parseDuration(bad), bad);
        }
        assertEquals("PT0H0M0S", ScormTypes.formatDuration(0));
        assertEquals("PT1H2M3.5S", ScormTypes.formatDuration(372_350));
        assertEquals("PT0H0M0.05S", ScormTypes.formatDuration(5));
        assertEquals("PT25H0M0S", ScormTypes.formatDuration(25 * 360_000));
        assertEquals(372_350, ScormTypes.parseDuration(ScormTypes.formatDuration(372_350)));
    }

    @Test
    void cmiTimespansAreHoursMinutesSeconds() {
        assertEquals(0, ScormTypes.parseCmiTimespan("00:00:00"));
        assertEquals(372_350, ScormTypes.parseCmiTimespan("0001:02:03.5"));
        assertEquals(372_351, ScormTypes.parseCmiTimespan("01:02:03.51"));
        assertEquals(9999L * 360_000, ScormTypes.parseCmiTimespan("9999:00:00"));
        for (String bad : new String[]{"", "1:00:00", "00:60:00", "00:00:60", "00:00", "00:00:00.123", "PT1S",
                "12345:00:00"}) {
            assertEquals(-1, ScormTypes.parseCmiTimespan(bad), bad);
        }
        assertEquals("0000:00:00.00", ScormTypes.formatCmiTimespan(0));
        assertEquals("0001:02:03.50", ScormTypes.formatCmiTimespan(372_350));
        assertEquals("12345:00:00.00", ScormTypes.formatCmiTimespan(12345L * 360_000));
    }

    @Test
    void timesAreIso8601From1970To2038() {
        ScormTypes.Check time = ScormTypes.time();
        for (String ok : new String[]{"2026", "2026-12", "2026-12-02", "2026-12-02T01", "2026-12-02T01:15",
                "2026-12-02T01:15:30", "2026-12-02T01:15:30.5", "2026-12-02T01:15:30.123Z", "2026-12-02T01:15:30+01:00",
                "2026-12-02T01:15:30-0530", "2026-12-02T01:15:30+01", "1970-01-01", "2038-01-19T03:14:07"}) {
            assertNull(time.check(ok), ok);
        }
        for (String bad : new String[]{"", "26-12-02", "1969-12-31", "2039-01-01", "2026-00-01", "2026-12-32",
                "2026-12-02T24:00", "2026-12-02 01:15", "2026-12-02T01:15:30+25:00", "2026-12-02T01:15:30Zulu"}) {
            assertNotNull(time.check(bad), bad);
        }
        ScormTypes.Check cmiTime = ScormTypes.cmiTime();
        assertNull(cmiTime.check("23:59:59.99"));
        assertNotNull(cmiTime.check("24:00:00"));
        assertNotNull(cmiTime.check("1:00:00"));
    }

    @Test
    void numbersIdentifiersAndStrings() {
        assertTrue(ScormTypes.isReal("-0.1234567"));
        assertTrue(ScormTypes.isReal(".5"));
        assertTrue(ScormTypes.isReal("5."));
        assertFalse(ScormTypes.isReal("1e3"));
        assertFalse(ScormTypes.isReal("+1"));
        assertFalse(ScormTypes.isReal(""));
        assertFalse(ScormTypes.isReal("1,5"));
        assertTrue(ScormTypes.isCmiDecimal("85.25"));
        assertFalse(ScormTypes.isCmiDecimal("85,25"));
        assertEquals(ScormTypes.Fault.RANGE, ScormTypes.real("-1", "1").check("1.01").fault());
        assertEquals(ScormTypes.Fault.TYPE, ScormTypes.real("-1", "1").check("x").fault());
        assertEquals(ScormTypes.Fault.RANGE, ScormTypes.cmiScore().check("100.5").fault());
        assertNull(ScormTypes.cmiScore().check(""));

        assertTrue(ScormTypes.isIdentifier("urn:kompetensmal:q-1", 4000));
        assertTrue(ScormTypes.isIdentifier("http://example.com/q?id=1", 4000));
        assertTrue(ScormTypes.isIdentifier("fråga_1", 250));
        assertFalse(ScormTypes.isIdentifier("urn:bad", 4000));
        assertFalse(ScormTypes.isIdentifier("two words", 4000));
        assertFalse(ScormTypes.isIdentifier("", 4000));
        assertFalse(ScormTypes.isIdentifier("x".repeat(251), 250));
        assertFalse(ScormTypes.isIdentifier("a[,]b", 250));
        assertNotNull(ScormTypes.cmiIdentifier().check("tab\there"));
        assertNull(ScormTypes.cmiIdentifier().check("Q_1.a"));

        assertNull(ScormTypes.localizedString(5).check("{lang=sv-SE}hejså"), "the delimiter is not counted");
        assertNotNull(ScormTypes.localizedString(5).check("{lang=sv}hejsan!"));
        assertNotNull(ScormTypes.localizedString(5).check("{lang=sv"));
        assertNull(ScormTypes.localizedString(250).check("{lang=x-klingon}Qapla'"));
        assertNull(ScormTypes.language().check("en-GB"));
        assertNull(ScormTypes.language().check("i-navajo"));
        assertNotNull(ScormTypes.language().check("english"));
        assertNotNull(ScormTypes.vocabulary("a", "b").check("A"));

        assertEquals("80", ScormTypes.plain(new BigDecimal("80.0000000")));
        assertEquals("100", ScormTypes.plain(new BigDecimal("1E+2")));
        assertEquals("0.7", ScormTypes.plain(new BigDecimal("0.70")));
    }
}
