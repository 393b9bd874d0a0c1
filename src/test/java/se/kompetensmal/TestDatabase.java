package se.kompetensmal;

import io.micronaut.test.support.TestPropertyProvider;

import java.nio.file.Path;
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
                EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, false);
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

        public static String user() {
            return USER;
        }

        public static String password() {
            return PASSWORD;
        }
    }
}
