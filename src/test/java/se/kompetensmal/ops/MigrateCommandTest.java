package se.kompetensmal.ops;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import se.kompetensmal.RefusedStart;
import se.kompetensmal.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several instances migrate by a separate step: {@code java -jar kompetensmal.jar migrate} with the service's settings,
 * then every instance starts with KOMPETENSMAL_MIGRATE_AT_START=false, and an instance on a database without the
 * migrations refuses to start and says to run migrate.
 */
class MigrateCommandTest {

    @Test
    void migrateAppliesEveryMigrationToAFreshDatabaseAndASecondRunHasNothingToDo() throws Exception {
        try (FreshDatabase db = new FreshDatabase()) {
            Run first = migrate(db.url);
            assertEquals(0, first.exitCode, first.err);
            assertTrue(first.out.contains("är uppgraderad: " + migrationFiles().size() + " migreringar körda"), first.out);
            assertEquals(migrationFiles(), db.appliedVersions(), "flyway_schema_history names every file in migrations/");

            Run second = migrate(db.url);
            assertEquals(0, second.exitCode, second.err);
            assertTrue(second.out.contains("redan uppgraderad"), second.out);
        }
    }

    @Test
    void migrateAgainstADatabaseItCannotUseEndsWithOneAndSaysWhy() {
        Run run = migrate(TestDatabase.Server.urlFor("km_missing_" + System.nanoTime()));
        assertEquals(1, run.exitCode);
        assertTrue(run.err.startsWith("Migreringen misslyckades mot jdbc:mariadb:"), run.err);
        assertTrue(run.err.contains("Unknown database"), run.err);
    }

    @Test
    void withStartUpMigrationOffAStartStopsOnADatabaseWithoutTheMigrationsAndStartsOnceMigrated() throws Exception {
        try (FreshDatabase db = new FreshDatabase()) {
            Map<String, Object> properties = new HashMap<>(Map.of(
                    "datasources.default.url", db.url,
                    "datasources.default.username", TestDatabase.Server.user(),
                    "datasources.default.password", TestDatabase.Server.password(),
                    "flyway.datasources.default.enabled", "false",
                    "kompetensmal.jobs.enabled", "false"));
            Exception failure = RefusedStart.expect(Exception.class, properties, "test");
            String messages = messages(failure);
            assertTrue(messages.contains("Databasens schema är inte uppgraderat: " + migrationFiles().size() + " migreringar har inte körts"),
                    messages);
            assertTrue(messages.contains("kör först java -jar kompetensmal.jar migrate"), messages);
            assertEquals(List.of(), db.tables(), "nothing was created: the start did not migrate");

            assertEquals(0, migrate(db.url).exitCode);
            try (ApplicationContext started = ApplicationContext.run(properties, "test")) {
                assertTrue(started.isRunning());
            }
        }
    }

    private static Run migrate(String url) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("--datasources.default.url=" + url,
                "--datasources.default.username=" + TestDatabase.Server.user()));
        if (!TestDatabase.Server.password().isEmpty()) {
            args.add("--datasources.default.password=" + TestDatabase.Server.password());
        }
        int code = MigrateCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String out, String err) {
    }

    /** The versions of migrations/ (V1, V2, ...), in order. */
    static List<String> migrationFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("migrations"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))).sorted((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))
                    .toList();
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    /** An empty database of its own on the test server, dropped afterwards. */
    static final class FreshDatabase implements AutoCloseable {
        final String name = "km_fresh_" + System.nanoTime();
        final String url = TestDatabase.Server.urlFor(name);

        FreshDatabase() throws SQLException {
            try (Connection admin = connect(TestDatabase.Server.urlFor("mysql")); Statement st = admin.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
        }

        List<String> appliedVersions() throws SQLException {
            return strings("SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL ORDER BY installed_rank");
        }

        List<String> tables() throws SQLException {
            return strings("SHOW TABLES");
        }

        private List<String> strings(String query) throws SQLException {
            try (Connection db = connect(url); Statement st = db.createStatement(); ResultSet rs = st.executeQuery(query)) {
                List<String> values = new ArrayList<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return values;
            }
        }

        @Override
        public void close() throws SQLException {
            try (Connection admin = connect(TestDatabase.Server.urlFor("mysql")); Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name);
            }
        }

        static Connection connect(String url) throws SQLException {
            return DriverManager.getConnection(url, TestDatabase.Server.user(), TestDatabase.Server.password());
        }
    }
}
