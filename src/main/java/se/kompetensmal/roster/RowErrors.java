package se.kompetensmal.roster;

import java.util.ArrayList;
import java.util.List;

/**
 * The bad rows of one import: all are counted, the first {@link #KEPT} are kept for the report. A file of millions of
 * bad rows must not fill the memory or the report table; the first thousand show what is wrong well enough.
 */
final class RowErrors {

    static final int KEPT = 1_000;

    private final List<RowError> kept = new ArrayList<>();
    private int count;

    void add(RowError error) {
        if (kept.size() < KEPT) {
            kept.add(error);
        }
        count++;
    }

    void add(int row, String column, String reason) {
        add(new RowError(row, column, reason));
    }

    /** Every bad row found, kept or not. */
    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    List<RowError> kept() {
        return List.copyOf(kept);
    }
}
