package se.kompetensmal.ops;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * On a Galera cluster every connection waits for causality ({@link DatabaseServer#SYNC_WAIT}), so that what one
 * instance wrote through one node is seen by another instance reading through another node; and every transaction is
 * replicated in fragments of at most {@code kompetensmal.galera.fragment-bytes} (Galera 4's streaming replication), so
 * that no write set grows with a file. A people import of 25,000 people is one all-or-nothing transaction of about
 * 15 MB: streamed, it reaches the other nodes a megabyte at a time, each fragment certified as it goes (and then immune
 * to conflicts), and becomes visible everywhere at its commit, a small last fragment. A transaction below one fragment
 * (nearly all of them) is replicated at its commit as before, at no extra cost.
 *
 * <p>It is set in the JDBC URL ({@code sessionVariables=wsrep_sync_wait=3}) rather than as Hikari's connection-init-sql
 * because MariaDB Connector/J applies the URL's session variables to every physical connection it opens, also the one it
 * opens to the next node when a {@code sequential} failover URL loses its node under a pooled connection; Hikari's
 * init SQL runs only when the pool creates a connection, so a failed-over connection would read without the wait. The
 * server is asked once before the pool opens (plain MariaDB gets no setting); a URL that already names
 * {@code wsrep_sync_wait} is left as the operator wrote it.
 */
@Singleton
class GaleraSessions implements BeanCreatedEventListener<DatasourceConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(GaleraSessions.class);
    private static final Pattern SESSION_VARIABLES = Pattern.compile("([?&])sessionVariables=", Pattern.CASE_INSENSITIVE);
    /** The least and most a fragment may be: below 64 KB the fragments' own log costs more than it bounds. */
    static final long MIN_FRAGMENT = 64 * 1024;
    static final long MAX_FRAGMENT = 512L * 1024 * 1024;

    private final long fragmentBytes;

    GaleraSessions(@Value("${kompetensmal.galera.fragment-bytes:1MB}") @ReadableBytes long fragmentBytes) {
        if (fragmentBytes != 0 && (fragmentBytes < MIN_FRAGMENT || fragmentBytes > MAX_FRAGMENT)) {
            throw new IllegalArgumentException("kompetensmal.galera.fragment-bytes måste vara 0 (av) eller mellan 64KB och 512MB, inte "
                    + fragmentBytes);
        }
        this.fragmentBytes = fragmentBytes;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String url = config.getUrl();
        if (url == null || !url.startsWith("jdbc:mariadb:") || url.contains("wsrep_sync_wait")) {
            return config;
        }
        Properties login = new Properties();
        if (config.getUsername() != null) {
            login.setProperty("user", config.getUsername());
        }
        if (config.getPassword() != null) {
            login.setProperty("password", config.getPassword());
        }
        try (Connection connection = DriverManager.getConnection(url, login)) {
            if (DatabaseServer.isGalera(connection)) {
                String synced = withSessionSettings(url, fragmentBytes);
                config.setUrl(synced);
                config.setJdbcUrl(synced);
                LOG.info("Galera cluster: every connection of the pool [{}] uses wsrep_sync_wait={} and {}", config.getName(),
                        DatabaseServer.SYNC_WAIT, fragmentBytes == 0 ? "no streaming replication"
                                : "streaming replication in fragments of " + fragmentBytes + " bytes");
            }
        } catch (SQLException e) {
            // Not started without knowing: on a Galera node a pool without the wait would serve stale reads.
            throw new IllegalStateException("Databasen " + url + " kunde inte nås vid start: " + e.getMessage(), e);
        }
        return config;
    }

    /**
     * The URL with {@code wsrep_sync_wait} among its session variables, and the fragment size of streaming replication
     * (none where {@code fragmentBytes} is 0).
     */
    static String withSessionSettings(String url, long fragmentBytes) {
        String setting = "wsrep_sync_wait=" + DatabaseServer.SYNC_WAIT + (fragmentBytes == 0 ? ""
                : ",wsrep_trx_fragment_unit=bytes,wsrep_trx_fragment_size=" + fragmentBytes);
        var existing = SESSION_VARIABLES.matcher(url);
        if (existing.find()) {
            return url.substring(0, existing.end()) + setting + "," + url.substring(existing.end());
        }
        return url + (url.contains("?") ? "&" : "?") + "sessionVariables=" + setting;
    }
}
