package se.kompetensmal.learning;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.routines.AssignmentRecompute;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;

/**
 * Records that a person completed a module version. The row is never changed afterwards; in the same transaction the
 * person's assignments are brought up to date, so the completion fulfils the open cycle and the next cycle appears.
 */
@Singleton
public class Completions {

    private final JdbcOperations jdbc;
    private final AssignmentRecompute assignments;

    public Completions(JdbcOperations jdbc, AssignmentRecompute assignments) {
        this.jdbc = jdbc;
        this.assignments = assignments;
    }

    /** Where a completion came from: taken here, or reported from elsewhere. */
    public enum Source { INTERNAL, EXTERNAL }

    @Transactional
    public long record(long personId, long moduleVersionId, LocalDate completedOn, @Nullable Integer score,
                       @Nullable Integer secondsSpent, Source source) {
        long id = jdbc.execute(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO completion (person_id, module_version_id, completed_on, score, seconds_spent, source)
                    VALUES (?, ?, ?, ?, ?, ?)""",
                    Statement.RETURN_GENERATED_KEYS)) {
                statement.setLong(1, personId);
                statement.setLong(2, moduleVersionId);
                statement.setDate(3, Date.valueOf(completedOn));
                statement.setObject(4, score);
                statement.setObject(5, secondsSpent);
                statement.setString(6, source.name());
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        long unit = jdbc.prepareStatement("SELECT org_node_id FROM person WHERE id = ?", statement -> {
            statement.setLong(1, personId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assignments.recompute(unit, personId, personId);
        return id;
    }
}
