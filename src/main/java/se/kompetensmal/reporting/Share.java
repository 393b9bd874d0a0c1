package se.kompetensmal.reporting;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A share of a group, with what was counted (numerator of denominator) so that the figure can be checked. A group of one
 * to four people is shown only as "fewer than 5", without its figures, so that nobody can be singled out.
 */
@Serdeable
public record Share(@Nullable Long numerator, @Nullable Long denominator, @Nullable Integer percent, boolean fewerThanFive) {

    public static final int SMALLEST_GROUP = 5;

    public static Share of(long numerator, long denominator) {
        if (denominator > 0 && denominator < SMALLEST_GROUP) {
            return new Share(null, null, null, true);
        }
        return new Share(numerator, denominator, denominator == 0 ? null : (int) Math.round(100.0 * numerator / denominator), false);
    }

    /** A headcount: the number itself, or only "fewer than 5". */
    public static Share count(long people) {
        return people > 0 && people < SMALLEST_GROUP ? new Share(null, null, null, true) : new Share(people, null, null, false);
    }

    /** The figure as a page or export shows it. */
    public String shown() {
        if (fewerThanFive) {
            return "färre än 5";
        }
        if (denominator == null) {
            return String.valueOf(numerator);
        }
        return percent == null ? "–" : percent + " %";
    }

    /** What was counted, for the hover text and the table: "12 av 15". */
    public String counted() {
        return fewerThanFive || denominator == null || denominator == 0 ? "" : numerator + " av " + denominator;
    }
}
