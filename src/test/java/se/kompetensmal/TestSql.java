package se.kompetensmal;

import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Plain SQL for tests that check what the service wrote by counting rows themselves. */
@Singleton
@Connectable
public class TestSql {

    private final JdbcOperations jdbc;

    public TestSql(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public long number(String sql, Object... parameters) {
        List<String> values = strings(sql, parameters);
        return Long.parseLong(values.get(0));
    }

    public int update(String sql, Object... parameters) {
        return jdbc.prepareStatement(sql, statement -> {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        });
    }

    /** Waits until no assignment recomputation is queued or running. */
    public void awaitRecomputations() {
        awaitRecomputations(java.time.Duration.ofSeconds(60));
    }

    public void awaitRecomputations(java.time.Duration limit) {
        Waiting.until(() -> number("SELECT COUNT(*) FROM recompute_job WHERE status IN ('QUEUED', 'RUNNING')"), n -> n == 0,
                limit, "assignment recomputation");
    }

    /**
     * Waits until a roster import has ended and says how: imports run one at a time in the {@code roster-import} job, so a
     * small one waits behind whatever another test class of the same JVM queued (30 s was too little in a clean CI run).
     */
    public String awaitImport(long id) {
        return Waiting.until(() -> strings("SELECT status FROM roster_import WHERE id = ?", id).get(0),
                s -> s.equals("SUCCEEDED") || s.equals("REJECTED") || s.equals("FAILED"), java.time.Duration.ofMinutes(2),
                "import " + id);
    }

    /** Waits until every group assignment asked for has been made (the background job {@code manual-assignment}). */
    public void awaitManualAssignments() {
        Waiting.until(() -> number("SELECT COUNT(*) FROM manual_assignment_job WHERE status IN ('QUEUED', 'RUNNING')"),
                n -> n == 0, java.time.Duration.ofSeconds(60), "manual assignment");
    }

    /** The first column of every row, as text. */
    public List<String> strings(String sql, Object... parameters) {
        return jdbc.prepareStatement(sql, statement -> {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        });
    }

    /** The first column of every row, as numbers. */
    public List<Long> numbers(String sql, Object... parameters) {
        return strings(sql, parameters).stream().map(Long::valueOf).toList();
    }
}
