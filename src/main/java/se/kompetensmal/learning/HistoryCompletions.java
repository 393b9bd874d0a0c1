package se.kompetensmal.learning;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.xapi.LearningRecords;

import java.util.function.IntConsumer;

/**
 * Writes the completions of a history import, set-based, from the rows the roster import has staged and checked in
 * {@code history_import_row}: completion rows are written only in this package. All of them in one transaction (all or
 * nothing), a slice of rows per statement so that progress can be shown; a person's record the previous system already
 * gave us (the same person and external id, from an earlier import of the file) is left as it is, which makes importing
 * the same file twice change nothing. Assignments are not recomputed here, row by row, but by one background job
 * afterwards.
 */
@Singleton
public class HistoryCompletions {

    /** Rows per INSERT ... SELECT: large enough to be quick, small enough for the progress to move. */
    static final int SLICE = 50_000;

    private final NamedSql sql;
    private final LearningRecords learningRecords;

    public HistoryCompletions(NamedSql sql, LearningRecords records) {
        this.sql = sql;
        this.learningRecords = records;
    }

    /** What an import wrote: new completions, and those the person already had (the same external id). */
    public record Written(int created, int existing) {
    }

    /**
     * Inserts the staged rows of the import as IMPORTED completions. Every staged row must have passed the import's
     * checks (person found within its organisation, module usable there), so the person is joined by HSA-id alone; a
     * row repeating an earlier one of the file (the same person and external id, the same content: the checks refuse
     * other content) is the same record and written once. {@code progress} is told how many staged rows have been
     * handled after each slice.
     */
    @Transactional
    public Written insertStaged(long importId, IntConsumer progress) {
        NamedSql.Params importParams = NamedSql.with("import", importId);
        long lastRow = sql.number("SELECT COALESCE(MAX(row_no), 0) FROM history_import_row WHERE import_id = :import",
                importParams);
        long records = sql.number("SELECT COUNT(*) FROM history_import_row WHERE import_id = :import", importParams)
                - sql.number("""
                        SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM history_import_row WHERE import_id = :import
                                                             GROUP BY hsa_id, history_id HAVING COUNT(*) > 1) repeated""",
                importParams);
        int created;
        // Without this, the check of completion.import_id would hold a shared lock on the import's row until the
        // transaction ends, and the progress, written beside it in a transaction of its own, would wait for it: no
        // progress until the end, or a lock wait timeout on a large file. The references are sound without the check:
        // person and version come from joins in the statement itself, the import is the one running. For this
        // transaction's connection only, and set back before the connection goes back to the pool.
        sql.update("SET SESSION foreign_key_checks = 0", java.util.Map.of());
        try {
            created = insertSlices(importId, lastRow, progress);
        } finally {
            sql.update("SET SESSION foreign_key_checks = 1", java.util.Map.of());
        }
        // "completed" statements for what this import brought, only where the setting asks for them; in this
        // transaction, so that they exist exactly when the completions do.
        learningRecords.importedHistory(importId);
        return new Written(created, (int) (records - created));
    }

    private int insertSlices(long importId, long lastRow, IntConsumer progress) {
        int created = 0;
        long handled = 0;
        for (long from = 0; from < lastRow; from += SLICE) {
            NamedSql.Params slice = NamedSql.with("import", importId).and("from", from).and("to", from + SLICE)
                    .and("source", Completions.Source.IMPORTED);
            created += sql.update("""
                    INSERT INTO completion (person_id, module_version_id, completed_on, score, source, done_where,
                                            import_id, history_id)
                    SELECT p.id, v.id, s.completed_on, s.score, :source, s.done_where, s.import_id, s.history_id
                    FROM history_import_row s JOIN person p ON p.hsa_id = s.hsa_id
                    JOIN %s v ON v.module_code = s.module_code AND s.completed_on >= v.valid_from AND s.completed_on < v.valid_to
                    WHERE s.import_id = :import AND s.row_no > :from AND s.row_no <= :to
                      AND NOT EXISTS (SELECT 1 FROM history_import_row e WHERE e.import_id = s.import_id AND e.hsa_id = s.hsa_id
                                      AND e.history_id = s.history_id AND e.row_no < s.row_no)
                      AND NOT EXISTS (SELECT 1 FROM completion c WHERE c.person_id = p.id AND c.history_id = s.history_id)
                    """.formatted(VersionInForce.RANGES), slice);
            handled += sql.number("""
                    SELECT COUNT(*) FROM history_import_row WHERE import_id = :import AND row_no > :from AND row_no <= :to""",
                    slice);
            progress.accept((int) handled);
        }
        return created;
    }
}
