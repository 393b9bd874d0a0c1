package se.kompetensmal.roster;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.sql.Connection;
import java.sql.SQLTransactionRollbackException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The database rolling an import's write transaction back in the middle, as Galera does when a replicated write set
 * wins a conflict (a brute-force abort), for the tests that set {@code kompetensmal.test.import-faults}. Once the import
 * has written {@link #AT_ROWS} rows, either the transaction is rolled back on the connection without the import seeing
 * an error (the next statements then run in a new implicit transaction: the field report's loss), or the statement
 * fails with a deadlock (1213, SQLSTATE 40001), as many times as asked for.
 */
@Singleton
@Replaces(ImportWrites.class)
@Requires(property = "kompetensmal.test.import-faults", value = "true")
class FaultyImportWrites extends ImportWrites {

    static final int AT_ROWS = 2_000;
    /** Silent rollbacks still to do. */
    static final AtomicInteger SILENT_ROLLBACKS = new AtomicInteger();
    /** Deadlocks still to report. */
    static final AtomicInteger DEADLOCKS = new AtomicInteger();
    /** Faults done so far. */
    static final AtomicInteger DONE = new AtomicInteger();
    /**
     * Told the import and its rows handled so far whenever the import reports a slice written (a history import: after
     * each chunk has committed), before any fault: the tests' reader, looking at the database meanwhile.
     */
    static volatile BiConsumer<Long, Integer> WHILE_WRITING = (id, rows) -> { };

    private final NamedSql sql;

    FaultyImportWrites(NamedSql sql, TransactionOperations<Connection> transactions) {
        super(sql, transactions);
        this.sql = sql;
    }

    @Override
    void written(long importId, int rows) {
        WHILE_WRITING.accept(importId, rows);
        if (rows != AT_ROWS) {
            return;
        }
        if (SILENT_ROLLBACKS.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            DONE.incrementAndGet();
            sql.update("ROLLBACK", Map.of());
        } else if (DEADLOCKS.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            DONE.incrementAndGet();
            throw new DataAccessException("Deadlock found when trying to get lock; try restarting transaction",
                    new SQLTransactionRollbackException("Deadlock found when trying to get lock", "40001", 1213));
        }
    }
}
