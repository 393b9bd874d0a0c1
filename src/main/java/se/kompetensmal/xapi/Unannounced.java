package se.kompetensmal.xapi;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.sql.Retried;

import java.sql.Connection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The one way what is still unannounced (assignment cycles, exemptions) gets its statements: in order of id, a chunk per
 * transaction of its own (every write set small, for Galera), each retried when the database rolls it back; the chunk's
 * statements are written and exactly its rows marked {@code announced} in the same transaction.
 *
 * @param query  the chunk's rows: unannounced, {@code id > :after}, {@code %s} for the condition that selects them,
 *               ordered by id, {@code LIMIT :chunk}
 * @param table  the table whose {@code announced} flag is set
 * @param mapper a row as the statements need it
 * @param id     its id
 * @param write  writes the chunk's statements (each once, by a derived statement id)
 */
record Unannounced<T>(String query, String table, NamedSql.RowMapper<T> mapper, ToLongFunction<T> id, Consumer<List<T>> write) {

    /** Rows per transaction. */
    static final int CHUNK = 500;

    /** Announces the unannounced rows the condition selects; answers how many. */
    long announce(NamedSql sql, TransactionOperations<Connection> transactions, String condition, NamedSql.Params params) {
        long after = 0;
        long total = 0;
        while (true) {
            long from = after;
            List<T> done = Retried.whenRolledBack(5, () -> transactions.execute(
                    TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW),
                    status -> chunk(sql, condition, params, from)));
            if (done.isEmpty()) {
                return total;
            }
            total += done.size();
            after = id.applyAsLong(done.get(done.size() - 1));
        }
    }

    private List<T> chunk(NamedSql sql, String condition, NamedSql.Params params, long after) {
        NamedSql.Params all = new NamedSql.Params();
        all.putAll(params);
        all.and("after", after).and("chunk", CHUNK);
        List<T> chunk = sql.list(query.formatted(condition), all, mapper);
        if (chunk.isEmpty()) {
            return chunk;
        }
        write.accept(chunk);
        // Exactly the rows announced: one made after the query above is announced by its own change, not marked here.
        sql.update("""
                UPDATE %s SET announced = TRUE WHERE announced = FALSE
                  AND id IN (SELECT chunk_ids.id FROM JSON_TABLE(:ids, '$[*]' COLUMNS (id BIGINT PATH '$')) chunk_ids)"""
                        .formatted(table),
                NamedSql.with("ids", ids(chunk.stream().map(id::applyAsLong).toList())));
        return chunk;
    }

    /** Ids as one JSON array, for JSON_TABLE. */
    static String ids(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }
}
