package se.kompetensmal.learning;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;

import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a learner has done, newest first: every completion, including those of earlier cycles of a recurring module
 * and those reported from elsewhere, and every assessment attempt, passed or failed.
 */
@Singleton
@Connectable
public class LearningHistory {

    private final JdbcOperations jdbc;

    public LearningHistory(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A completion; the cycle and validity are those of the assignment it fulfilled, if it fulfilled one. */
    @Serdeable
    public record CompletionEntry(long id, String moduleCode, String title, int version, LocalDate completedOn,
                                  @Nullable Integer score, @Nullable Integer minutesSpent, boolean external,
                                  @Nullable Integer cycle, @Nullable LocalDate validUntil, boolean expired) {
    }

    @Serdeable
    public record AttemptEntry(long id, String moduleCode, String title, int version, String submittedAt, int score,
                               int correctAnswers, int questions, boolean passed, int minutesSpent) {
    }

    @Serdeable
    public record History(List<CompletionEntry> completions, List<AttemptEntry> attempts) {
    }

    public History of(long personId, @Nullable String moduleCode, LocalDate today) {
        return new History(completions(personId, moduleCode, today), attempts(personId, moduleCode));
    }

    private List<CompletionEntry> completions(long personId, @Nullable String moduleCode, LocalDate today) {
        return jdbc.prepareStatement("""
                SELECT c.id, m.module_code, m.title, m.version, c.completed_on, c.score, c.seconds_spent, c.source,
                       a.cycle, a.valid_until
                FROM completion c JOIN module_version m ON m.id = c.module_version_id
                LEFT JOIN assignment a ON a.completion_id = c.id
                WHERE c.person_id = ? AND (? IS NULL OR m.module_code = ?)
                ORDER BY c.completed_on DESC, c.id DESC""", statement -> {
            statement.setLong(1, personId);
            statement.setString(2, moduleCode);
            statement.setString(3, moduleCode);
            List<CompletionEntry> entries = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    LocalDate validUntil = rs.getObject(10, LocalDate.class);
                    entries.add(new CompletionEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getObject(5, LocalDate.class), rs.getObject(6, Integer.class), minutes(rs.getObject(7, Integer.class)),
                            "EXTERNAL".equals(rs.getString(8)), rs.getObject(9, Integer.class), validUntil,
                            validUntil != null && validUntil.isBefore(today)));
                }
            }
            return entries;
        });
    }

    private List<AttemptEntry> attempts(long personId, @Nullable String moduleCode) {
        return jdbc.prepareStatement("""
                SELECT t.id, m.module_code, m.title, m.version, t.submitted_at, t.score, t.correct_answers, t.questions, t.passed,
                       t.seconds_spent
                FROM assessment_attempt t JOIN module_version m ON m.id = t.module_version_id
                WHERE t.person_id = ? AND t.submitted_at IS NOT NULL AND (? IS NULL OR m.module_code = ?)
                ORDER BY t.submitted_at DESC, t.id DESC""", statement -> {
            statement.setLong(1, personId);
            statement.setString(2, moduleCode);
            statement.setString(3, moduleCode);
            List<AttemptEntry> entries = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    entries.add(new AttemptEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            SwedishTime.format(rs.getTimestamp(5).toInstant()), rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getBoolean(9),
                            minutes(rs.getInt(10))));
                }
            }
            return entries;
        });
    }

    /** Whole minutes, rounded up: a module taken in 20 seconds shows as 1 minute, not 0. */
    static @Nullable Integer minutes(@Nullable Integer seconds) {
        return seconds == null ? null : (seconds + 59) / 60;
    }
}
