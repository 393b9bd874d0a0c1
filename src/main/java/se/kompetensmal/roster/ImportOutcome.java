package se.kompetensmal.roster;

import java.util.List;

/**
 * How an import ended: written, with counts, or rejected with its bad rows ({@code errors} the first of them,
 * {@code errorCount} all). {@code awaitingConfirmation} is a full import held because it would mark many people as left.
 */
record ImportOutcome(List<RowError> errors, int errorCount, int created, int updated, int left, String question) {

    static ImportOutcome rejected(List<RowError> errors) {
        return new ImportOutcome(errors, errors.size(), 0, 0, 0, null);
    }

    static ImportOutcome rejected(RowErrors errors) {
        return new ImportOutcome(errors.kept(), errors.count(), 0, 0, 0, null);
    }

    static ImportOutcome written(int created, int updated, int left) {
        return new ImportOutcome(List.of(), 0, created, updated, left, null);
    }

    static ImportOutcome held(String question) {
        return new ImportOutcome(List.of(), 0, 0, 0, 0, question);
    }

    boolean accepted() {
        return errorCount == 0 && question == null;
    }

    boolean held() {
        return question != null;
    }
}
