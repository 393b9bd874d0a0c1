package se.kompetensmal.roster;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.sql.Connection;
import java.sql.SQLTransactionRollbackException;
import java.util.UUID;

/**
 * The one home of how an import write transaction begins and ends, so that what an import reports is what the database
 * holds: its SUCCEEDED status and counts are written in the same transaction as its rows (a commit makes both visible,
 * or neither), and only after proving that the transaction is still the one that began. A transaction the database
 * rolled back without the statement in hand failing (a Galera brute-force abort between two statements, or the rest of
 * a pipelined JDBC batch run after the failing statement) would otherwise carry on in a new implicit transaction on the
 * same connection and commit only what was written after the rollback, reported as the whole file: the field report of
 * an import "klar: 25000 nya" with its first 12,000 rows missing. The proof is a row in {@code roster_import_write},
 * inserted as the transaction begins and found again, then deleted, before the status is written.
 */
@Singleton
class ImportWrites {

    private final NamedSql sql;
    private final TransactionOperations<Connection> transactions;

    ImportWrites(NamedSql sql, TransactionOperations<Connection> transactions) {
        this.sql = sql;
        this.transactions = transactions;
    }

    /** The import write transaction was rolled back under it: reported as a rollback, so that the import is run again. */
    static final class TransactionLost extends RuntimeException {
        TransactionLost(long importId) {
            super("Roster import " + importId + ": its write transaction was rolled back by the database before it ended",
                    new SQLTransactionRollbackException("The transaction was rolled back unseen", "40000", 1213));
        }
    }

    /** The first statement of an import write transaction; answers the token that proves it at the end. */
    String begin(long importId) {
        requireTransaction();
        String token = UUID.randomUUID().toString();
        NamedSql.Params params = NamedSql.with("import", importId).and("token", token);
        // A row of an earlier attempt cannot be committed (it is deleted before every commit); this is for safety only.
        sql.update("DELETE FROM roster_import_write WHERE import_id = :import", params);
        sql.update("INSERT INTO roster_import_write (import_id, token) VALUES (:import, :token)", params);
        return token;
    }

    /**
     * Called after every slice of rows written: inside the write transaction of an organisation or people import, after
     * each committed chunk of a history import. Nothing here (tests fail an import here, and look at it from outside).
     */
    void written(long importId, int rows) {
    }

    /**
     * The last statements of an import write transaction: the proof that it is still the one that began, and the
     * import's success with its counts. Throws {@link TransactionLost} (a rollback: the import runs again) when the
     * transaction is not the one that began.
     */
    void succeed(long importId, String token, RosterImportKind kind, ImportOutcome outcome, Long recomputeJobId) {
        requireTransaction();
        NamedSql.Params params = NamedSql.with("import", importId).and("token", token);
        if (sql.update("DELETE FROM roster_import_write WHERE import_id = :import AND token = :token", params) != 1) {
            throw new TransactionLost(importId);
        }
        sql.update("""
                UPDATE roster_import SET status = :status, message = :message, created_count = :created,
                       updated_count = :updated, left_count = :left, finished_at = CURRENT_TIMESTAMP,
                       recompute_job_id = COALESCE(:job, recompute_job_id)
                WHERE id = :import""", params.and("status", RosterImportStatus.SUCCEEDED.name()).and("job", recomputeJobId)
                .and("message", successMessage(kind, outcome)).and("created", outcome.created())
                .and("updated", outcome.updated()).and("left", outcome.left()));
    }

    static String successMessage(RosterImportKind kind, ImportOutcome outcome) {
        if (kind == RosterImportKind.HISTORY) {
            return "Importen är klar: " + outcome.created() + " nya, " + outcome.updated() + " fanns redan."
                    + (outcome.created() > 0 ? " Personernas uppdrag räknas om i bakgrunden." : "");
        }
        return "Importen är klar: " + outcome.created() + " nya, " + outcome.updated() + " uppdaterade, " + outcome.left()
                + " markerade som slutat.";
    }

    private void requireTransaction() {
        if (transactions.findTransactionStatus().isEmpty()) {
            throw new IllegalStateException("An import write must run in a transaction");
        }
    }
}
