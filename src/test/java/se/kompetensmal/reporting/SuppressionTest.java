package se.kompetensmal.reporting;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The breakdown rule on its own, for the shapes the report's tests do not all build: people on the node itself, two small
 * parts that together make five, and a part with fewer people on an introduction than in it.
 */
class SuppressionTest {

    private static final EnumSet<Suppression.Base> SHOWN = EnumSet.noneOf(Suppression.Base.class);
    /** Hidden, people and introduction alike (the parts built here have nobody on continuing education). */
    private static final EnumSet<Suppression.Base> HIDDEN = EnumSet.of(Suppression.Base.PEOPLE, Suppression.Base.INTRODUCTION);

    @Test
    void theNextSmallestSiblingIsHiddenBesideASmallOne() {
        assertEquals(List.of(SHOWN, HIDDEN, HIDDEN), hidden(16, 7, 6, 3), "16 − 7 = 9, not the 3");
    }

    @Test
    void peopleOnTheNodeItselfAreNotLeftToSubtraction() {
        assertEquals(List.of(HIDDEN), hidden(10, 8), "10 − 8 would give the 2 placed on the node itself");
        assertEquals(List.of(HIDDEN, HIDDEN), hidden(12, 7, 3), "12 − 7 = 5, but the 3 would be the only part hidden");
        assertEquals(List.of(SHOWN, SHOWN), hidden(12, 7, 5), "all parts shown, nobody on the node itself");
    }

    @Test
    void smallPartsThatTogetherMakeFiveNeedNoMoreHidden() {
        assertEquals(List.of(SHOWN, HIDDEN, HIDDEN), hidden(15, 10, 2, 3));
    }

    @Test
    void eachDenominatorIsProtectedOnItsOwn() {
        // Everyone in the parts, but two of the second part's six without an introduction routine: 8 + 4 with one.
        Statistics.Counts whole = counts(14, 12);
        List<EnumSet<Suppression.Base>> hidden = Suppression.hidden(whole, List.of(counts(8, 8), counts(6, 4)));
        assertEquals(EnumSet.of(Suppression.Base.INTRODUCTION), hidden.get(0), "the 4 with an introduction would be the only ones hidden");
        assertEquals(EnumSet.of(Suppression.Base.INTRODUCTION), hidden.get(1), "the 4 are fewer than five");
    }

    private static List<EnumSet<Suppression.Base>> hidden(long whole, long... parts) {
        return Suppression.hidden(counts(whole, whole), Arrays.stream(parts).mapToObj(p -> counts(p, p)).toList());
    }

    private static Statistics.Counts counts(long people, long withIntroduction) {
        return new Statistics.Counts(1, 0, people, withIntroduction, 0, 0, 0, 0, 0);
    }
}
