package se.kompetensmal.xapi;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import se.kompetensmal.sql.Retried;

import java.sql.Connection;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * Works through rows in order of id, a chunk per transaction of its own (every write set small, for Galera), each
 * retried when the database rolls it back; the next chunk starts after the last id of the one before. For writing
 * statements of what is still unannounced: assignment cycles and exemptions.
 */
final class InChunks {

    private InChunks() {
    }

    /** Runs {@code chunk} (given the id to start after) until it answers nothing; answers how many rows it did. */
    static <T> long run(TransactionOperations<Connection> transactions, LongFunction<List<T>> chunk, ToLongFunction<T> id) {
        long after = 0;
        long total = 0;
        while (true) {
            long from = after;
            List<T> done = Retried.whenRolledBack(5, () -> transactions.execute(
                    TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW), status -> chunk.apply(from)));
            if (done.isEmpty()) {
                return total;
            }
            total += done.size();
            after = id.applyAsLong(done.get(done.size() - 1));
        }
    }
}
