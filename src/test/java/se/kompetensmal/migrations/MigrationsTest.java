package se.kompetensmal.migrations;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import se.kompetensmal.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationsTest {

    @Test
    void migrationsApplyToAnEmptyDatabaseAndSeedTheEightAudiences() throws SQLException {
        String database = "km_empty_" + System.nanoTime();
        try (Connection admin = connect(TestDatabase.Server.urlFor("mysql")); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + database);
            try {
                String url = TestDatabase.Server.urlFor(database);
                MigrateResult result = Flyway.configure()
                        .dataSource(url, TestDatabase.Server.user(), TestDatabase.Server.password())
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
                assertTrue(result.success);
                assertTrue(result.migrationsExecuted >= 1);
                try (Connection db = connect(url); Statement query = db.createStatement()) {
                    List<String> tables = new ArrayList<>();
                    try (ResultSet rs = query.executeQuery("SHOW TABLES")) {
                        while (rs.next()) {
                            tables.add(rs.getString(1));
                        }
                    }
                    assertTrue(tables.containsAll(List.of("org_node", "org_closure", "audience", "person", "person_audience",
                            "competence_goal", "module_version", "module_page", "assessment_question", "question_option",
                            "roster_import", "roster_import_error")), "tables: " + tables);
                    try (ResultSet rs = query.executeQuery("SELECT code FROM audience ORDER BY sort_order")) {
                        List<String> codes = new ArrayList<>();
                        while (rs.next()) {
                            codes.add(rs.getString(1));
                        }
                        assertEquals(List.of("LICENSED", "NON_LICENSED", "FRONTLINE_MANAGER", "STRATEGIC_LEADER", "POLITICIAN",
                                "PATIENT_SAFETY_FUNCTION", "LOCAL_SUPPORT", "CENTRAL_SUPPORT"), codes);
                    }
                }
                MigrateResult again = Flyway.configure()
                        .dataSource(url, TestDatabase.Server.user(), TestDatabase.Server.password())
                        .locations("classpath:db/migration").load().migrate();
                assertEquals(0, again.migrationsExecuted, "a second run has nothing left to apply");
            } finally {
                st.execute("DROP DATABASE " + database);
            }
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, TestDatabase.Server.user(), TestDatabase.Server.password());
    }
}
