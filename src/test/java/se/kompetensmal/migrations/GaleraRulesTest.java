package se.kompetensmal.migrations;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.TestDatabase;
import se.kompetensmal.ops.Migrations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Galera's rules, checked on every change on plain MariaDB so that nobody needs a cluster to catch a breach:
 * replication applies rows by primary key (a table without one is replicated row by row with full scans, and its
 * deletes can diverge); only InnoDB is replicated (MyISAM and Aria tables are not); and table locks and named locks
 * hold on one node only, so they do not exclude another instance on another node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GaleraRulesTest {

    private static final Pattern NODE_LOCAL_LOCKS = Pattern.compile("GET_LOCK|RELEASE_LOCK|RELEASE_ALL_LOCKS|IS_FREE_LOCK"
            + "|IS_USED_LOCK|LOCK\\s+TABLES?\\b|UNLOCK\\s+TABLES|FLUSH\\s+TABLES\\s+WITH\\s+READ\\s+LOCK", Pattern.CASE_INSENSITIVE);

    private final String database = "km_galera_" + System.nanoTime();
    private final String url = TestDatabase.Server.urlFor(database);

    @BeforeAll
    void migrateAFreshDatabase() throws SQLException {
        execute(TestDatabase.Server.urlFor("mysql"), "CREATE DATABASE " + database);
        assertTrue(Migrations.flyway(url, TestDatabase.Server.user(), TestDatabase.Server.password()).migrate().success);
    }

    @AfterAll
    void drop() throws SQLException {
        execute(TestDatabase.Server.urlFor("mysql"), "DROP DATABASE IF EXISTS " + database);
    }

    @Test
    void everyTableHasAPrimaryKey() throws SQLException {
        List<String> without = strings("""
                SELECT t.table_name FROM information_schema.tables t
                WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'
                  AND NOT EXISTS (SELECT 1 FROM information_schema.table_constraints c
                                  WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
                                    AND c.constraint_type = 'PRIMARY KEY')
                ORDER BY t.table_name""");
        assertEquals(List.of(), without, "tables without a primary key");
        assertTrue(strings("SHOW TABLES").size() > 40, "the whole schema was looked at");
    }

    @Test
    void everyTableIsInnoDb() throws SQLException {
        List<String> other = strings("""
                SELECT CONCAT(table_name, ' ', engine) FROM information_schema.tables
                WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' AND engine <> 'InnoDB'
                ORDER BY table_name""");
        assertEquals(List.of(), other, "tables Galera does not replicate (MyISAM, Aria, MEMORY ...)");
    }

    @Test
    void noTableLocksOrNamedLocksInTheCodeOrTheMigrations() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main"), Path.of("migrations"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".sql")
                        || f.toString().endsWith(".yml")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (NODE_LOCAL_LOCKS.matcher(lines.get(i)).find()) {
                            found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "locks that hold on one Galera node only");
        assertTrue(NODE_LOCAL_LOCKS.matcher("SELECT get_lock('x', 1)").find() && NODE_LOCAL_LOCKS.matcher("lock tables a write")
                .find(), "the scan recognises what it looks for");
    }

    private List<String> strings(String query) throws SQLException {
        try (Connection db = connect(url); Statement st = db.createStatement(); ResultSet rs = st.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
            return values;
        }
    }

    private static void execute(String url, String statement) throws SQLException {
        try (Connection db = connect(url); Statement st = db.createStatement()) {
            st.execute(statement);
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, TestDatabase.Server.user(), TestDatabase.Server.password());
    }
}
