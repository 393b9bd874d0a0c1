package se.kompetensmal.reporting;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A share of a group, with what was counted (numerator of denominator) so that the figure can be checked. A group of one
 * to four people is shown only as "fewer than 5", without its figures, so that nobody can be singled out; a larger group
 * whose figures would reveal a small one's is {@code hidden} ("dold"). {@link Suppression} says when.
 */
@Serdeable
public record Share(@Nullable Long numerator, @Nullable Long denominator, @Nullable Integer percent, boolean fewerThanFive,
                    boolean hidden) {

    /** Hidden beside a small group: neither figures nor size. */
    static final Share HIDDEN = new Share(null, null, null, false, true);

    private static final Share FEWER_THAN_FIVE = new Share(null, null, null, true, false);

    @Creator
    public Share {
    }

    /** A figure shown, or withheld as a group of fewer than five. */
    public Share(@Nullable Long numerator, @Nullable Long denominator, @Nullable Integer percent, boolean fewerThanFive) {
        this(numerator, denominator, percent, fewerThanFive, false);
    }

    public static Share of(long numerator, long denominator) {
        if (Suppression.small(denominator)) {
            return FEWER_THAN_FIVE;
        }
        return new Share(numerator, denominator, denominator == 0 ? null : (int) Math.round(100.0 * numerator / denominator), false);
    }

    /** A headcount: the number itself, or only "fewer than 5". */
    public static Share count(long people) {
        return Suppression.small(people) ? FEWER_THAN_FIVE : new Share(people, null, null, false);
    }

    /** No figure shown: a group of fewer than five, or one hidden beside it. */
    public boolean withheld() {
        return fewerThanFive || hidden;
    }

    /** The figure as a page or export shows it. */
    public String shown() {
        if (fewerThanFive) {
            return "färre än 5";
        }
        if (hidden) {
            return "dold";
        }
        if (denominator == null) {
            return String.valueOf(numerator);
        }
        return percent == null ? "–" : percent + " %";
    }

    /** What was counted, for the hover text and the table: "12 av 15". */
    public String counted() {
        return withheld() || denominator == null || denominator == 0 ? "" : numerator + " av " + denominator;
    }
}
