package se.kompetensmal.ops;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.inject.Singleton;
import io.micronaut.jdbc.DataSourceResolver;
import se.kompetensmal.sql.NamedSql;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one home of a large all-or-nothing transaction on Galera: run inside it, the work is replicated with Galera 4's
 * streaming replication, in fragments of at most {@code kompetensmal.galera.fragment-bytes}, so that its write set never
 * grows with a file. Each fragment is certified as it goes (and then can no longer be aborted by a conflict); readers on
 * every node see nothing of it until its commit, a small last fragment. On plain MariaDB the work just runs.
 *
 * <p>A people import of 25,000 people is one transaction of about 15 MB; streamed, it reaches the other nodes a megabyte
 * at a time. Why only for these transactions and not for every connection: in a streamed transaction MariaDB 10.11 refuses
 * a statement that fills an internal temporary table (a materialised derived table, such as an UPDATE joined to a
 * grouped or windowed subquery) with error 4165, "Galera replication not supported"; the recomputation and the reports
 * are full of those (and MariaDB refuses them the same way in any transaction above wsrep_max_ws_size). The work run here
 * must not use them (PersonHomes does without); GaleraClusterIT runs the imports with fragments of 256 KB and reads the
 * cluster's streaming log while they write.
 */
@Singleton
public class LargeTransactions {

    /** The least and most a fragment may be: below 64 KB the fragments' own log costs more than it bounds. */
    static final long MIN_FRAGMENT = 64 * 1024;
    static final long MAX_FRAGMENT = 512L * 1024 * 1024;

    private final NamedSql sql;
    private final DataSource dataSource;
    private final long fragmentBytes;
    private volatile Boolean galera;

    LargeTransactions(NamedSql sql, DataSource dataSource, DataSourceResolver resolver,
                      @Value("${kompetensmal.galera.fragment-bytes:1MB}") @ReadableBytes long fragmentBytes) {
        if (fragmentBytes != 0 && (fragmentBytes < MIN_FRAGMENT || fragmentBytes > MAX_FRAGMENT)) {
            throw new IllegalArgumentException("kompetensmal.galera.fragment-bytes måste vara 0 (av) eller mellan 64KB och 512MB, inte "
                    + fragmentBytes);
        }
        this.sql = sql;
        // Asked once, on a connection of its own outside the caller's transaction.
        this.dataSource = resolver.resolve(dataSource);
        this.fragmentBytes = fragmentBytes;
    }

    /**
     * Runs the work in the caller's transaction (which must be open) with streaming replication on where the server is a
     * Galera node; the session is put back as it was before the transaction ends, whichever way it ends.
     */
    public <T> T streamed(Supplier<T> work) {
        if (fragmentBytes == 0 || !galera()) {
            return work.get();
        }
        sql.update("SET SESSION wsrep_trx_fragment_unit = 'bytes', wsrep_trx_fragment_size = :size",
                NamedSql.with("size", fragmentBytes));
        try {
            return work.get();
        } finally {
            sql.update("SET SESSION wsrep_trx_fragment_size = 0", Map.of());
        }
    }

    private boolean galera() {
        Boolean known = galera;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = DatabaseServer.isGalera(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("Databasen kunde inte frågas om den är en Galera-nod: " + e.getMessage(), e);
            }
            galera = known;
        }
        return known;
    }
}
