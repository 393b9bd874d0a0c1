package se.kompetensmal.ops;

import io.micronaut.core.annotation.Nullable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the service needs to know about the database server it talks to before it migrates or opens its pool: whether
 * it is a Galera cluster node, and whether the account may create triggers there.
 *
 * @param galera                 {@code wsrep_on} is ON: the server is a node of a Galera cluster
 * @param binaryLog              {@code log_bin} is ON
 * @param trustsFunctionCreators {@code log_bin_trust_function_creators} is ON
 * @param superUser              the account holds SUPER (or all privileges) on every database
 */
public record DatabaseServer(boolean galera, boolean binaryLog, boolean trustsFunctionCreators, boolean superUser) {

    /**
     * The wsrep_sync_wait every connection to a Galera node uses: 1 (reads and BEGIN) plus 2 (UPDATE and DELETE) wait
     * until the node has applied everything the cluster committed before the statement. Without it a row written
     * through another node a moment ago may not be there yet: a bearer token issued by one instance was refused (401)
     * by another whose node had not applied the session row. INSERTs need no wait: a duplicate key written through
     * another node fails certification (1213) and is retried.
     */
    public static final int SYNC_WAIT = 3;

    /** ER_OPTION_PREVENTS_STATEMENT: SHOW GRANTS on a server without grant tables. */
    private static final int SKIP_GRANT_TABLES = 1290;
    private static final Pattern SUPER_ON_ALL = Pattern.compile("^GRANT (.*\\bSUPER\\b.*|ALL PRIVILEGES) ON \\*\\.\\* TO .*");

    public static DatabaseServer of(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            boolean galera = on(st, "wsrep_on");
            boolean binaryLog = on(st, "log_bin");
            boolean trusts = on(st, "log_bin_trust_function_creators");
            List<String> grants = new ArrayList<>();
            boolean superUser;
            try (ResultSet rs = st.executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    grants.add(rs.getString(1));
                }
                superUser = holdsSuper(grants);
            } catch (SQLException e) {
                if (e.getErrorCode() != SKIP_GRANT_TABLES) {
                    throw e;
                }
                // A server started with --skip-grant-tables (the embedded test server) lets every account do everything.
                superUser = true;
            }
            return new DatabaseServer(galera, binaryLog, trusts, superUser);
        }
    }

    /** Whether the server is a Galera node ({@code wsrep_on} ON). */
    public static boolean isGalera(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            return on(st, "wsrep_on");
        }
    }

    /** Whether SHOW GRANTS lines give SUPER on every database (directly or as ALL PRIVILEGES). */
    static boolean holdsSuper(List<String> grants) {
        return grants.stream().anyMatch(g -> SUPER_ON_ALL.matcher(g.toUpperCase(Locale.ROOT)).matches());
    }

    /** A server variable that is ON; a variable the server does not have (a build without wsrep) counts as OFF. */
    private static boolean on(Statement st, String variable) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + variable + "'")) {
            return rs.next() && ("ON".equalsIgnoreCase(rs.getString(2)) || "1".equals(rs.getString(2)));
        }
    }

    /**
     * Why migrations that create triggers (V2's audit log) would stop with error 1419, or null when they will not.
     * With a binary log, and always on Galera (which emulates one for replication), MariaDB lets only SUPER create a
     * trigger unless {@code log_bin_trust_function_creators} is on.
     */
    public @Nullable String triggerProblem() {
        if (trustsFunctionCreators || superUser || !(galera || binaryLog)) {
            return null;
        }
        String where = galera ? "på varje nod i Galera-klustret" : "på databasservern";
        return "Databasen kan inte uppgraderas: migreringarna skapar triggrar, och med "
                + (galera ? "Galera" : "binärlogg (log_bin=ON)") + " får databaskontot inte göra det (MariaDB-fel 1419)"
                + " utan inställningen log_bin_trust_function_creators=1. Sätt log_bin_trust_function_creators=1 " + where
                + " (i [mysqld] i serverns konfiguration, eller SET GLOBAL log_bin_trust_function_creators=1 på varje nod)"
                + " och kör migreringen igen.";
    }
}
