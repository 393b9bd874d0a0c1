package se.kompetensmal.player;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default rollup: completed when every SCO is, passed unless one failed, the mean scaled score as 0-100. */
class RollupTest {

    private static Rollup.Sco sco(String completion, String success, String scaled, int seconds) {
        return new Rollup.Sco(completion, success, scaled == null ? null : new BigDecimal(scaled), seconds);
    }

    @Test
    void completedOnlyWhenEveryScoIs() {
        assertFalse(Rollup.of(List.of(sco("completed", "passed", null, 10), sco("incomplete", "unknown", null, 5))).completed());
        assertFalse(Rollup.of(List.of(sco("completed", "unknown", null, 0), sco("not attempted", "unknown", null, 0))).completed());
        assertFalse(Rollup.of(List.of()).completed(), "a package without SCOs is never completed by its SCOs");
        Rollup all = Rollup.of(List.of(sco("completed", "unknown", null, 10), sco("completed", "passed", null, 5)));
        assertTrue(all.completed());
        assertFalse(all.failed(), "unknown success is not a failure");
        assertEquals(15, all.seconds());
        assertNull(all.score(), "no SCO reported a score");
    }

    @Test
    void oneFailedScoFailsTheModule() {
        Rollup failed = Rollup.of(List.of(sco("completed", "passed", "1", 0), sco("completed", "failed", "0.2", 0)));
        assertTrue(failed.completed());
        assertTrue(failed.failed());
        assertEquals(60, failed.score());
    }

    @Test
    void theScoreIsTheMeanOfTheScoresGivenAsAPercentage() {
        assertEquals(67, Rollup.of(List.of(sco("completed", "passed", "0.5", 0), sco("completed", "passed", "0.833", 0),
                sco("completed", "unknown", null, 0))).score(), "(50 + 83.3) / 2, the SCO without a score not counted");
        assertEquals(0, Rollup.of(List.of(sco("completed", "passed", "-0.5", 0))).score(), "a negative scaled score is 0");
    }
}
