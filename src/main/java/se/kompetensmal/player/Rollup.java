package se.kompetensmal.player;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The module's outcome from its SCOs by the default rollup rules: completed when every SCO is completed; passed unless a
 * SCO is failed; the score the mean of the SCOs' scaled scores (those that have one) as 0-100; the time the SCOs' total.
 */
record Rollup(boolean completed, boolean failed, @Nullable Integer score, int seconds) {

    /** One SCO's figures as stored in scorm_sco_state (or the defaults for a SCO never run). */
    record Sco(String completion, String success, @Nullable BigDecimal scaledScore, int seconds) {
    }

    static Rollup of(List<Sco> scos) {
        boolean completed = !scos.isEmpty() && scos.stream().allMatch(s -> "completed".equals(s.completion()));
        boolean failed = scos.stream().anyMatch(s -> "failed".equals(s.success()));
        List<BigDecimal> scores = scos.stream().map(Sco::scaledScore).filter(java.util.Objects::nonNull).toList();
        Integer score = null;
        if (!scores.isEmpty()) {
            BigDecimal mean = scores.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                    .divide(BigDecimal.valueOf(scores.size()), 7, RoundingMode.HALF_UP);
            // A scaled score may be negative (-1..1); the module's score is a percentage.
            score = Math.max(0, Math.min(100, mean.movePointRight(2).setScale(0, RoundingMode.HALF_UP).intValue()));
        }
        long seconds = scos.stream().mapToLong(Sco::seconds).sum();
        return new Rollup(completed, failed, score, (int) Math.min(Integer.MAX_VALUE, seconds));
    }

    /** The attempt is over: every SCO completed, and so passed or failed. */
    boolean ended() {
        return completed;
    }
}
