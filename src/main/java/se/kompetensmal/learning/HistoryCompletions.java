package se.kompetensmal.learning;

import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.xapi.LearningRecords;

import java.sql.Connection;
import java.util.function.IntConsumer;

/**
 * Writes the completions of a history import, set-based, from the rows the roster import has staged and checked in
 * {@code history_import_row}: completion rows are written only in this package. A person's record the previous system
 * already gave us (the same person and external id, from an earlier import of the file) is left as it is, which makes
 * importing the same file twice change nothing. Assignments are not recomputed here, row by row, but by one background
 * job afterwards.
 *
 * <p><b>Staged in chunks, made visible in one small transaction</b> (Galera: bounded write sets). The completions are
 * written {@link #chunkRows} staged rows at a time (5,000 by default), each chunk one {@code INSERT ... SELECT}
 * committed by itself, carrying the import's id; they stay invisible (the view {@code visible_completion}, and
 * {@code counted_completion} built on it, show an imported completion only once its import is SUCCEEDED) until the
 * import's final transaction marks it so, which writes a handful of rows whatever the size of the file. Numbers: a
 * completion row with its index entries is about 150 bytes of write set, so a chunk is about 0.75 MB, where the one
 * transaction of before was 1.5 MB per 10,000 rows and 150 MB for a million (LargeHistoryImportTest), and held its row
 * locks for the whole minute of the write. A chunk is a single statement in autocommit: it either committed or threw
 * (a rollback, 1213, is a failed statement), so no chunk can be lost silently the way a multi-statement transaction
 * can carry on after a brute-force abort. Writing a chunk again is harmless: a row whose person already has the
 * external id (from an earlier run of the same import too) is skipped, and the unique key (person, external id) refuses
 * a duplicate anyway. So an import taken over after its holder died, or run again after a rollback, goes on from the
 * chunks already written; what it reports as new is counted in the database, in its final transaction. An import that
 * ends otherwise (rejected, failed) has its written chunks deleted, a chunk at a time ({@link #discardUnseen}).
 */
@Singleton
public class HistoryCompletions {

    private final NamedSql sql;
    private final LearningRecords learningRecords;
    private final TransactionOperations<Connection> transactions;
    private final int chunkRows;

    public HistoryCompletions(NamedSql sql, LearningRecords records, TransactionOperations<Connection> transactions,
                              @Value("${kompetensmal.import.chunk-rows:5000}") int chunkRows) {
        this.sql = sql;
        this.learningRecords = records;
        this.transactions = transactions;
        this.chunkRows = chunkRows;
    }

    /** The most rows one transaction of an import writes. */
    public int chunkRows() {
        return chunkRows;
    }

    /** What an import wrote: new completions, and those the person already had (the same external id). */
    public record Written(int created, int existing) {
    }

    /**
     * Writes the import's staged rows that are not written yet as IMPORTED completions, invisible until the import
     * succeeds, a chunk per transaction. Every staged row must have passed the import's checks (person found within its
     * organisation, module usable there), so the person is joined by HSA-id alone; a row repeating an earlier one of the
     * file (the same person and external id, the same content: the checks refuse other content) is the same record and
     * written once. {@code afterChunk} is told how many staged rows have been handled after each chunk has committed.
     * Must be called outside a transaction: each chunk commits by itself.
     */
    public void writeStaged(long importId, IntConsumer afterChunk) {
        if (transactions.findTransactionStatus().isPresent()) {
            throw new IllegalStateException("History import " + importId + ": chunks must commit by themselves");
        }
        NamedSql.Params importParams = NamedSql.with("import", importId);
        long firstRow = sql.number("SELECT COALESCE(MIN(row_no), 0) FROM history_import_row WHERE import_id = :import",
                importParams);
        long lastRow = sql.number("SELECT COALESCE(MAX(row_no), 0) FROM history_import_row WHERE import_id = :import",
                importParams);
        long handled = 0;
        // Row numbers are the primary key's second part: a range of chunkRows numbers holds at most chunkRows staged
        // rows, so no chunk inserts more.
        for (long from = firstRow - 1; from < lastRow; from += chunkRows) {
            NamedSql.Params chunk = NamedSql.with("import", importId).and("from", from).and("to", from + chunkRows)
                    .and("source", Completions.Source.IMPORTED);
            // The earlier row of the same record is looked up by its key (person, external id), named: with the table's
            // statistics taken while it was empty, the optimizer walked the primary key's rows before this one instead,
            // every earlier row of the import for each row of the chunk (ImportRollbackTest: 2.2 s a chunk of 1,000 rows
            // against 0.1 s, 6 s an attempt, long enough to collide with the recomputation its people import asked for).
            // Without the foreign key checks, for this statement only (SET STATEMENT: still one statement, committed by
            // itself): the references are sound without them, as person and version come from joins in the statement
            // itself and the import is the one running; with them, each row costs three more lookups and shared locks.
            sql.update("""
                    SET STATEMENT foreign_key_checks = 0 FOR
                    INSERT INTO completion (person_id, module_version_id, completed_on, score, source, done_where,
                                            import_id, history_id)
                    SELECT p.id, v.id, s.completed_on, s.score, :source, s.done_where, s.import_id, s.history_id
                    FROM history_import_row s JOIN person p ON p.hsa_id = s.hsa_id
                    JOIN %s v ON v.module_code = s.module_code AND s.completed_on >= v.valid_from AND s.completed_on < v.valid_to
                    WHERE s.import_id = :import AND s.row_no > :from AND s.row_no <= :to
                      AND NOT EXISTS (SELECT 1 FROM history_import_row e FORCE INDEX (ix_history_import_row_key)
                                    WHERE e.import_id = s.import_id AND e.hsa_id = s.hsa_id
                                      AND e.history_id = s.history_id AND e.row_no < s.row_no)
                      AND NOT EXISTS (SELECT 1 FROM completion c WHERE c.person_id = p.id AND c.history_id = s.history_id)
                    """.formatted(VersionInForce.RANGES), chunk);
            handled += sql.number("""
                    SELECT COUNT(*) FROM history_import_row WHERE import_id = :import AND row_no > :from AND row_no <= :to""",
                    chunk);
            afterChunk.accept((int) handled);
        }
    }

    /** The records of the staged file: its rows less those repeating an earlier row (the same person and external id). */
    public long stagedRecords(long importId) {
        NamedSql.Params importParams = NamedSql.with("import", importId);
        return sql.number("SELECT COUNT(*) FROM history_import_row WHERE import_id = :import", importParams)
                - sql.number("""
                        SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM history_import_row WHERE import_id = :import
                                                             GROUP BY hsa_id, history_id HAVING COUNT(*) > 1) repeated""",
                importParams);
    }

    /**
     * In the import's final transaction: what it wrote, as the database holds it. New: the completions carrying the
     * import's id, by every run of it; existing: the file's other records, which a person already had.
     */
    public Written written(long importId, long records) {
        long created = sql.number("SELECT COUNT(*) FROM completion WHERE import_id = :import",
                NamedSql.with("import", importId));
        return new Written((int) created, (int) (records - created));
    }

    /**
     * After the import succeeded: "completed" statements for what it brought, where the setting asks for them, a batch
     * per transaction ({@link LearningRecords#importedHistory}); their ids are derived from the completions, so asking
     * again writes nothing twice.
     */
    public long announce(long importId) {
        return learningRecords.importedHistory(importId);
    }

    /**
     * Deletes the completions an import wrote but never made visible, at most a chunk per statement: only of an import
     * that has ended without succeeding (the condition is in the statement: a SUCCEEDED import's completions are never
     * touched). Answers how many were deleted.
     */
    public long discardUnseen(long importId) {
        NamedSql.Params params = NamedSql.with("import", importId);
        long first = sql.number("SELECT COALESCE(MIN(id), 0) FROM completion WHERE import_id = :import", params);
        long last = sql.number("SELECT COALESCE(MAX(id), 0) FROM completion WHERE import_id = :import", params);
        long deleted = 0;
        // By ranges of ids (a range of chunkRows ids holds at most chunkRows rows), not by LIMIT, which would step over
        // the rows deleted before it on every statement.
        for (long from = first - 1; from < last; from += chunkRows) {
            deleted += sql.update("""
                    DELETE FROM completion WHERE import_id = :import AND id > :from AND id <= :to
                      AND EXISTS (SELECT 1 FROM roster_import i WHERE i.id = :import AND i.status IN ('REJECTED', 'FAILED', 'CANCELLED'))""",
                    NamedSql.with("import", importId).and("from", from).and("to", from + chunkRows));
        }
        return deleted;
    }

    /** Deletes the unseen completions of every import that ended without succeeding (left by a run that stopped). */
    public void discardAllUnseen() {
        sql.list("""
                SELECT i.id FROM roster_import i
                WHERE i.kind = 'HISTORY' AND i.status IN ('REJECTED', 'FAILED', 'CANCELLED')
                  AND EXISTS (SELECT 1 FROM completion c WHERE c.import_id = i.id)""", java.util.Map.of(),
                row -> row.number("id")).forEach(this::discardUnseen);
    }
}
