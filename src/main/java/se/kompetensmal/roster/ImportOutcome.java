package se.kompetensmal.roster;

import java.util.List;

/** How an import ended: written, with counts, or rejected with every bad row. */
record ImportOutcome(List<RowError> errors, int created, int updated, int left) {

    static ImportOutcome rejected(List<RowError> errors) {
        return new ImportOutcome(errors, 0, 0, 0);
    }

    boolean accepted() {
        return errors.isEmpty();
    }
}
