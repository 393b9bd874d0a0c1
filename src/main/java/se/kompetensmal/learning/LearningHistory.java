package se.kompetensmal.learning;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.web.Texts;

import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a learner has done, newest first: every completion, including those of earlier cycles of a recurring module
 * and those done elsewhere (reported by the LRS, attended at an occasion, registered by a coordinator, imported), and
 * every assessment attempt, passed or failed. One of the two readings of the completion table itself rather than the view
 * counted_completion: a voided completion is shown too, struck through with its reason, and counts for nothing.
 */
@Singleton
@Connectable
public class LearningHistory {

    private final JdbcOperations jdbc;
    private final Texts texts;

    public LearningHistory(JdbcOperations jdbc, Texts texts) {
        this.jdbc = jdbc;
        this.texts = texts;
    }

    /**
     * A completion; the cycle and validity are those of the assignment it fulfilled, if it fulfilled one. {@code kind}
     * says where it came from in words ({@link CompletionKinds}), null for one taken here. A voided one has its reason and
     * day; {@code voidable}: registered or imported and not voided yet; {@code evidence}: a registered one's file exists.
     */
    @Serdeable
    public record CompletionEntry(long id, String moduleCode, String title, int version, LocalDate completedOn,
                                  @Nullable Integer score, @Nullable Integer minutesSpent, boolean external,
                                  @Nullable Integer cycle, @Nullable LocalDate validUntil, boolean expired,
                                  String source, @Nullable String kind, boolean voided, @Nullable String voidReason,
                                  @Nullable LocalDate voidedOn, boolean voidable, boolean evidence) {
    }

    @Serdeable
    public record AttemptEntry(long id, String moduleCode, String title, int version, String submittedAt, int score,
                               int correctAnswers, int questions, boolean passed, int minutesSpent) {
    }

    @Serdeable
    public record History(List<CompletionEntry> completions, List<AttemptEntry> attempts) {
    }

    /** The history in Swedish, as staff pages show it. */
    public History of(long personId, @Nullable String moduleCode, LocalDate today) {
        return of(personId, moduleCode, today, Texts.SWEDISH);
    }

    /** The history with the kinds of completion in the language given (the learner's own pages). */
    public History of(long personId, @Nullable String moduleCode, LocalDate today, String language) {
        return new History(completions(personId, moduleCode, today, texts.in(language)), attempts(personId, moduleCode));
    }

    private List<CompletionEntry> completions(long personId, @Nullable String moduleCode, LocalDate today,
                                              Map<String, String> t) {
        return jdbc.prepareStatement("""
                SELECT c.id, m.module_code, m.title, m.version, c.completed_on, c.score, c.seconds_spent, c.source,
                       a.cycle, a.valid_until, c.void_reason, c.voided_at,
                       EXISTS (SELECT 1 FROM completion_evidence ev WHERE ev.completion_id = c.id) AS has_evidence,
                       %s
                FROM visible_completion c JOIN module_version m ON m.id = c.module_version_id
                LEFT JOIN assignment a ON a.completion_id = c.id
                WHERE c.person_id = ? AND (? IS NULL OR m.module_code = ?)
                ORDER BY c.completed_on DESC, c.id DESC""".formatted(CompletionKinds.COLUMNS), statement -> {
            statement.setLong(1, personId);
            statement.setString(2, moduleCode);
            statement.setString(3, moduleCode);
            List<CompletionEntry> entries = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    LocalDate validUntil = rs.getObject(10, LocalDate.class);
                    String source = rs.getString(8);
                    boolean voided = rs.getString("void_reason") != null;
                    entries.add(new CompletionEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getObject(5, LocalDate.class), rs.getObject(6, Integer.class), minutes(rs.getObject(7, Integer.class)),
                            "EXTERNAL".equals(source), rs.getObject(9, Integer.class), validUntil,
                            validUntil != null && validUntil.isBefore(today), source,
                            CompletionKinds.describe(CompletionKinds.read(rs), t), voided, rs.getString("void_reason"),
                            se.kompetensmal.SwedishTime.day(rs.getTimestamp("voided_at")),
                            !voided && ("REGISTERED".equals(source) || "IMPORTED".equals(source)), rs.getBoolean("has_evidence")));
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
