package se.kompetensmal.ops;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
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
 * instance wrote through one node is seen by another instance reading through another node.
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
                String synced = withSyncWait(url);
                config.setUrl(synced);
                config.setJdbcUrl(synced);
                LOG.info("Galera cluster: every connection of the pool [{}] uses wsrep_sync_wait={}", config.getName(),
                        DatabaseServer.SYNC_WAIT);
            }
        } catch (SQLException e) {
            // Not started without knowing: on a Galera node a pool without the wait would serve stale reads.
            throw new IllegalStateException("Databasen " + url + " kunde inte nås vid start: " + e.getMessage(), e);
        }
        return config;
    }

    /** The URL with {@code wsrep_sync_wait} among its session variables. */
    static String withSyncWait(String url) {
        String setting = "wsrep_sync_wait=" + DatabaseServer.SYNC_WAIT;
        var existing = SESSION_VARIABLES.matcher(url);
        if (existing.find()) {
            return url.substring(0, existing.end()) + setting + "," + url.substring(existing.end());
        }
        return url + (url.contains("?") ? "&" : "?") + "sessionVariables=" + setting;
    }
}
