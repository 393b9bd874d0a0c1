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
import java.util.Optional;

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
        return insert(personId, moduleVersionId, completedOn, score, secondsSpent, source, null).orElseThrow();
    }

    /**
     * A completion reported by the LRS, once per statement: the same statement read again records nothing (empty).
     */
    @Transactional
    public Optional<Long> recordReported(long personId, long moduleVersionId, LocalDate completedOn, @Nullable Integer score,
                                         String statementId) {
        return insert(personId, moduleVersionId, completedOn, score, null, Source.EXTERNAL, statementId);
    }

    private Optional<Long> insert(long personId, long moduleVersionId, LocalDate completedOn, @Nullable Integer score,
                                  @Nullable Integer secondsSpent, Source source, @Nullable String statementId) {
        if (statementId != null && jdbc.prepareStatement("SELECT COUNT(*) FROM completion WHERE external_statement_id = ?", check -> {
            check.setString(1, statementId);
            try (ResultSet rs = check.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        })) {
            return Optional.empty();
        }
        long id = jdbc.execute(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO completion (person_id, module_version_id, completed_on, score, seconds_spent, source,
                                                   external_statement_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    Statement.RETURN_GENERATED_KEYS)) {
                statement.setLong(1, personId);
                statement.setLong(2, moduleVersionId);
                statement.setDate(3, Date.valueOf(completedOn));
                statement.setObject(4, score);
                statement.setObject(5, secondsSpent);
                statement.setString(6, source.name());
                statement.setString(7, statementId);
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
        return Optional.of(id);
    }
}
