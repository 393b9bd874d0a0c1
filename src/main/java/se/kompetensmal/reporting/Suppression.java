package se.kompetensmal.reporting;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The fewer-than-5 rule, in one place: no figure of a leader's report (page, JSON, CSV, Excel or PDF, which all read the
 * same {@link LeadershipReport.Report}) may single out a group of one to four people, neither shown as it is nor worked
 * out from other figures of the report.
 * <ol>
 * <li>A group of one to four people shows no figures, only "färre än 5" ({@link Share#of}, {@link Share#count}).</li>
 * <li>A breakdown shows a whole (the node) beside its parts (its sub-units, or its audiences). The whole minus the parts
 * shown is what the hidden parts hold together, approximately: a person may belong to several audiences, and be placed
 * in several sub-units (counted in each of them, once in the whole). So within a breakdown more parts are hidden
 * ("dold"), the smallest still shown first, while the hidden parts together hold one to four people, or the whole
 * minus the parts shown comes to one to four (people placed on the node itself, or in no audience shown). When every
 * part is hidden only the whole is left, which rule 1 covers.</li>
 * <li>Each denominator a row has is a table of its own and is protected on its own: all people (headcount, overdue),
 * people with an introduction (introduction done, on time) and people with continuing education (current). A share
 * with its denominator reveals that denominator, so it is hidden exactly when its denominator's group is. A part whose
 * people are hidden is hidden whole, since its other groups would bound its headcount.</li>
 * <li>Counts of what a group's people did (the trend's completions per month, goal holders per audience) are shown only
 * when the group's headcount is: a month's completions of a unit of three would otherwise be that unit's.</li>
 * </ol>
 * The numerator of a shown group's share is shown whatever it is (one of twenty overdue): the group it is part of has
 * five or more, as the product has always shown it. The routine matrix counts huvudmän, organisations that answer for
 * their routines, not people, and says nothing about anyone's training: it is shown in full (see {@link RoutineMatrix}).
 * <p>
 * A report covers one node; the report of a sub-unit shows that sub-unit's figures even where its parent's report hides
 * them beside a small sibling. Leaders who may see both can subtract across the two reports; this rule protects what one
 * report shows.
 */
final class Suppression {

    /** The smallest group whose figures are shown. */
    static final int SMALLEST_GROUP = 5;

    /** The groups of a row, each the denominator of some of its figures. */
    enum Base {
        PEOPLE(Statistics.Counts::headcount),
        INTRODUCTION(Statistics.Counts::withIntroduction),
        CONTINUING(Statistics.Counts::withContinuing);

        private final ToLongFunction<Statistics.Counts> size;

        Base(ToLongFunction<Statistics.Counts> size) {
            this.size = size;
        }
    }

    private Suppression() {
    }

    /** One to four people: shown only as "färre än 5". */
    static boolean small(long people) {
        return people > 0 && people < SMALLEST_GROUP;
    }

    /**
     * For each part of a breakdown of the whole, the groups of it that must be hidden, whether small themselves or hidden
     * beside a small sibling (rule 2, separately for each {@link Base}).
     */
    static List<EnumSet<Base>> hidden(Statistics.Counts whole, List<Statistics.Counts> parts) {
        Base[] bases = Base.values();
        long[][] sizes = new long[bases.length][];
        boolean[][] hide = new boolean[bases.length][parts.size()];
        for (Base base : bases) {
            sizes[base.ordinal()] = parts.stream().mapToLong(base.size).toArray();
            for (int i = 0; i < parts.size(); i++) {
                hide[base.ordinal()][i] = small(sizes[base.ordinal()][i]);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Base base : bases) {
                changed |= hideFurther(base.size.applyAsLong(whole), sizes[base.ordinal()], hide[base.ordinal()]);
                // A part whose people are hidden is hidden whole: its other groups are some of its people, and shown
                // they would tell how many it has at least. Done before the next base, which then counts it as hidden.
                for (int i = 0; i < parts.size(); i++) {
                    for (Base other : bases) {
                        if (hide[Base.PEOPLE.ordinal()][i] && !hide[other.ordinal()][i] && sizes[other.ordinal()][i] > 0) {
                            hide[other.ordinal()][i] = true;
                            changed = true;
                        }
                    }
                }
            }
        }
        List<EnumSet<Base>> hidden = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            EnumSet<Base> part = EnumSet.noneOf(Base.class);
            for (Base base : bases) {
                if (hide[base.ordinal()][i]) {
                    part.add(base);
                }
            }
            hidden.add(part);
        }
        return hidden;
    }

    /** Hides the smallest part still shown while rule 2 is broken; whether it hid any. */
    private static boolean hideFurther(long whole, long[] parts, boolean[] hide) {
        boolean changed = false;
        while (true) {
            long hiddenTogether = 0;
            long shown = 0;
            int smallestShown = -1;
            for (int i = 0; i < parts.length; i++) {
                if (hide[i]) {
                    hiddenTogether += parts[i];
                } else if (parts[i] > 0) {
                    shown += parts[i];
                    if (smallestShown < 0 || parts[i] < parts[smallestShown]) {
                        smallestShown = i;
                    }
                }
            }
            if (!small(hiddenTogether) && !small(whole - shown) || smallestShown < 0) {
                return changed;
            }
            hide[smallestShown] = true;
            changed = true;
        }
    }

    /** A headcount, or "färre än 5", or hidden beside a small group. */
    static Share count(long people, boolean hidden) {
        return hidden && !small(people) ? Share.HIDDEN : Share.count(people);
    }

    /** A share of a group, withheld as the group (its denominator) is. */
    static Share share(long numerator, long denominator, boolean hidden) {
        return hidden && !small(denominator) ? Share.HIDDEN : Share.of(numerator, denominator);
    }

    /** A count of what a group's people did, shown only where the group's headcount is (rule 4). */
    static Share countBy(Share group, long count) {
        if (group.withheld()) {
            return group;
        }
        return new Share(count, null, null, false);
    }
}
