package se.kompetensmal.jobs;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.sql.NamedSql;

import java.time.Instant;
import java.util.Map;

/** A kind's waiting work: how many items, and when the oldest of them was queued (null when none waits). */
public record Backlog(long waiting, @Nullable Instant oldestQueuedAt) {

    public static final Backlog NONE = new Backlog(0, null);

    /**
     * The one way a kind reads its backlog from its queue table: {@code query} answers one row with {@code waiting} (a
     * count) and {@code oldest} (the queued time of the oldest waiting item, a TIMESTAMP; NULL when none waits).
     */
    public static Backlog read(NamedSql sql, String query, Map<String, ?> parameters) {
        return sql.one(query, parameters, row -> new Backlog(row.number("waiting"), row.instant("oldest")))
                .orElse(NONE);
    }
}
