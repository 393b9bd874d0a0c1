package se.kompetensmal;

import io.micronaut.test.support.TestPropertyProvider;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Points a test's application context at a real MariaDB: the server named by {@code KOMPETENSMAL_TEST_DB_URL}
 * (with {@code KOMPETENSMAL_TEST_DB_USER} and {@code KOMPETENSMAL_TEST_DB_PASSWORD}), or else one embedded
 * MariaDB 11.4 started once for the whole test run.
 */
public interface TestDatabase extends TestPropertyProvider {

    @Override
    default Map<String, String> getProperties() {
        return Map.of(
                "datasources.default.url", Server.URL,
                "datasources.default.username", Server.USER,
                "datasources.default.password", Server.PASSWORD);
    }

    final class Server {
        static final String URL;
        static final String USER;
        static final String PASSWORD;

        static {
            String external = System.getenv("KOMPETENSMAL_TEST_DB_URL");
            if (external != null && !external.isBlank()) {
                URL = external;
                USER = System.getenv().getOrDefault("KOMPETENSMAL_TEST_DB_USER", "root");
                PASSWORD = System.getenv().getOrDefault("KOMPETENSMAL_TEST_DB_PASSWORD", "");
            } else {
                // A fresh database for every run, of this run alone (emptied at start, removed at the end).
                Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "kompetensmal-test-" + ProcessHandle.current().pid(), "data");
                // Runs after the shutdown hooks, once the folders inside are removed; also when the server did not start.
                dataDir.getParent().toFile().deleteOnExit();
                // A throwaway server: nothing of it must survive a crash, so no commit waits for the disk (each commit
                // waited for an fsync, and the two test JVMs together used 1.4 of the 2 cores, the rest waiting), and the
                // million-row import's table fits the buffer pool.
                EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, false, "--innodb-flush-log-at-trx-commit=0",
                        "--innodb-doublewrite=0", "--innodb-buffer-pool-size=384M", "--innodb-log-file-size=256M");
                Runtime.getRuntime().addShutdownHook(new Thread(db::stop));
                URL = db.jdbcUrl();
                USER = "root";
                PASSWORD = "";
            }
        }

        private Server() {
        }

        /** The same server, another database on it. */
        public static String urlFor(String database) {
            return URL.replaceFirst("/[^/?]+(\\?.*)?$", "/" + database + "$1");
        }

        /**
         * A database of its own on the test server, made afresh (dropped first when a kept server still has it), as the
         * properties of a service that is to use it: for a class whose data would slow every later class sharing the
         * one test database (the large imports' hundred thousand people and million completions).
         */
        public static Map<String, String> freshDatabase(String database) {
            try (Connection admin = DriverManager.getConnection(urlFor("mysql"), USER, PASSWORD);
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database);
                statement.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("datasources.default.url", urlFor(database), "datasources.default.username", USER,
                    "datasources.default.password", PASSWORD);
        }

        public static String user() {
            return USER;
        }

        public static String password() {
            return PASSWORD;
        }
    }
}
