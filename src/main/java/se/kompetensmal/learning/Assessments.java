package se.kompetensmal.learning;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.xapi.LearningRecords;
import se.kompetensmal.SwedishTime;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A module's assessment as the learner takes it. Answers are saved as they are ticked and checked only on the server;
 * the right answers and their explanations reach the learner only after submitting. Submitting is exactly-once: the
 * attempt row is locked, and a passed attempt writes its completion in the same transaction, so a double click or a
 * resent form finds the attempt already submitted and earns nothing more.
 */
@Singleton
public class Assessments {

    private final JdbcOperations jdbc;
    private final ModuleProgress progress;
    private final Completions completions;
    private final LearningRecords records;

    public Assessments(JdbcOperations jdbc, ModuleProgress progress, Completions completions, LearningRecords records) {
        this.jdbc = jdbc;
        this.progress = progress;
        this.completions = completions;
        this.records = records;
    }

    /** An option as shown before submitting: whether it is right is not part of it. */
    @Serdeable
    public record Choice(long id, String text, boolean chosen) {
    }

    @Serdeable
    public record AskedQuestion(long id, int number, String text, List<Choice> options) {
    }

    @Serdeable
    public record OpenAttempt(long id, long moduleVersionId, List<AskedQuestion> questions) {
    }

    /** An option after submitting: the explanation of each chosen one; which are right only once the test is passed. */
    @Serdeable
    public record MarkedOption(String text, boolean chosen, @Nullable Boolean right, @Nullable String feedback) {
    }

    @Serdeable
    public record MarkedQuestion(int number, String text, boolean answeredRight, List<MarkedOption> options) {
    }

    @Serdeable
    public record Result(long attemptId, long moduleVersionId, String submittedAt, int correctAnswers, int questions,
                         int score, int passMark, boolean passed, int secondsSpent, @Nullable Long completionId,
                         List<MarkedQuestion> marked) {
        public int minutesSpent() {
            return LearningHistory.minutes(secondsSpent);
        }
    }

    /** What submitting gave: a result, or the numbers of the questions still unanswered (nothing was submitted). */
    public record Submission(@Nullable Result result, List<Integer> unanswered) {
    }

    private record Option(long id, String text, boolean correct, String feedback, boolean chosen) {
    }

    private record Question(long id, String code, int number, String text, List<Option> options) {
        boolean answered() {
            return options.stream().anyMatch(Option::chosen);
        }

        boolean answeredRight() {
            return options.stream().allMatch(o -> o.correct() == o.chosen());
        }
    }

    private record Attempt(long moduleVersionId, boolean submitted) {
    }

    /** The learner's open attempt at the version they are taking, opened now if they have none. */
    @Transactional
    public OpenAttempt open(long personId, long moduleVersionId) {
        // The progress row serialises two tabs opening the assessment at once, so that only one attempt is opened.
        boolean taking = jdbc.prepareStatement(
                "SELECT 1 FROM module_progress WHERE person_id = ? AND module_version_id = ? FOR UPDATE", statement -> {
                    statement.setLong(1, personId);
                    statement.setLong(2, moduleVersionId);
                    try (ResultSet rs = statement.executeQuery()) {
                        return rs.next();
                    }
                });
        if (!taking) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Börja modulen från början.");
        }
        // A session module (lärarledd) is completed by attendance at an occasion only: it has no assessment to pass here.
        boolean session = jdbc.prepareStatement("""
                SELECT 1 FROM module_version mv JOIN catalogue_module cm ON cm.code = mv.module_code
                WHERE mv.id = ? AND cm.source = 'SESSION'""", statement -> {
            statement.setLong(1, moduleVersionId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        });
        if (session) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Modulen är lärarledd: den genomförs vid ett tillfälle, "
                    + "inte med ett prov här.");
        }
        long id = jdbc.prepareStatement("""
                SELECT id FROM assessment_attempt WHERE person_id = ? AND module_version_id = ? AND submitted_at IS NULL
                ORDER BY id LIMIT 1""", statement -> {
            statement.setLong(1, personId);
            statement.setLong(2, moduleVersionId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : insertAttempt(personId, moduleVersionId);
            }
        });
        List<AskedQuestion> asked = questions(id, moduleVersionId).stream()
                .map(q -> new AskedQuestion(q.id(), q.number(), q.text(),
                        q.options().stream().map(o -> new Choice(o.id(), o.text(), o.chosen())).toList()))
                .toList();
        return new OpenAttempt(id, moduleVersionId, asked);
    }

    /** Saves the options ticked for one question of an open attempt, replacing what was ticked before. */
    @Transactional(isolation = TransactionDefinition.Isolation.READ_COMMITTED)
    public void saveAnswer(long personId, long attemptId, long questionId, Set<Long> optionIds) {
        Attempt attempt = lock(personId, attemptId);
        if (attempt.submitted()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Provet är redan inlämnat.");
        }
        replaceAnswer(attemptId, attempt.moduleVersionId(), questionId, optionIds);
        progress.countTime(personId, attempt.moduleVersionId());
    }

    /**
     * Submits the attempt with the answers posted (question id to ticked option ids; questions not posted keep what
     * was saved). Submitting an attempt already submitted gives its result and changes nothing. Read committed: the
     * attempt's row lock is what serialises submissions, and replacing answers then takes no gap locks that would let
     * two learners' submissions deadlock.
     */
    @Transactional(isolation = TransactionDefinition.Isolation.READ_COMMITTED)
    public Submission submit(long personId, long attemptId, Map<Long, Set<Long>> answers) {
        Attempt attempt = lock(personId, attemptId);
        if (attempt.submitted()) {
            return new Submission(result(personId, attemptId), List.of());
        }
        answers.forEach((question, options) -> replaceAnswer(attemptId, attempt.moduleVersionId(), question, options));
        List<Question> questions = questions(attemptId, attempt.moduleVersionId());
        List<Integer> unanswered = questions.stream().filter(q -> !q.answered()).map(Question::number).toList();
        if (!unanswered.isEmpty()) {
            return new Submission(null, unanswered);
        }
        int right = (int) questions.stream().filter(Question::answeredRight).count();
        int passMark = passMark(attempt.moduleVersionId());
        boolean passed = right * 100 >= passMark * questions.size();
        int score = right * 100 / questions.size();
        int seconds = progress.countTime(personId, attempt.moduleVersionId());
        jdbc.prepareStatement("""
                UPDATE assessment_attempt SET submitted_at = CURRENT_TIMESTAMP, correct_answers = ?, questions = ?, score = ?,
                       passed = ?, seconds_spent = ? WHERE id = ?""", statement -> {
            statement.setInt(1, right);
            statement.setInt(2, questions.size());
            statement.setInt(3, score);
            statement.setBoolean(4, passed);
            statement.setInt(5, seconds);
            statement.setLong(6, attemptId);
            return statement.executeUpdate();
        });
        records.assessed(personId, attempt.moduleVersionId(), questions.stream().map(q -> new LearningRecords.Answer(q.code(),
                q.text(), q.answeredRight(), q.options().stream().filter(Option::chosen).map(Option::text)
                        .collect(Collectors.joining("[,]")))).toList(), passed, right, seconds);
        if (passed) {
            long completion = completions.record(personId, attempt.moduleVersionId(), LocalDate.now(SwedishTime.ZONE), score,
                    seconds, Completions.Source.INTERNAL);
            jdbc.prepareStatement("UPDATE assessment_attempt SET completion_id = ? WHERE id = ?", statement -> {
                statement.setLong(1, completion);
                statement.setLong(2, attemptId);
                return statement.executeUpdate();
            });
            progress.finish(personId, attempt.moduleVersionId());
        }
        return new Submission(result(personId, attemptId), List.of());
    }

    /** The result of one of the learner's submitted attempts, or null if there is no such attempt of theirs. */
    @Transactional(readOnly = true)
    public @Nullable Result result(long personId, long attemptId) {
        return jdbc.prepareStatement("""
                SELECT a.module_version_id, a.submitted_at, a.correct_answers, a.questions, a.score, m.pass_mark, a.passed,
                       a.seconds_spent, a.completion_id
                FROM assessment_attempt a JOIN module_version m ON m.id = a.module_version_id
                WHERE a.id = ? AND a.person_id = ? AND a.submitted_at IS NOT NULL""", statement -> {
            statement.setLong(1, attemptId);
            statement.setLong(2, personId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long moduleVersion = rs.getLong(1);
                boolean passed = rs.getBoolean(7);
                List<MarkedQuestion> marked = questions(attemptId, moduleVersion).stream()
                        .map(q -> new MarkedQuestion(q.number(), q.text(), q.answeredRight(), q.options().stream()
                                .map(o -> new MarkedOption(o.text(), o.chosen(), passed ? o.correct() : null,
                                        o.chosen() || passed ? o.feedback() : null))
                                .toList()))
                        .toList();
                return new Result(attemptId, moduleVersion, SwedishTime.format(rs.getTimestamp(2).toInstant()), rs.getInt(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6), passed, rs.getInt(8), (Long) rs.getObject(9, Long.class), marked);
            }
        });
    }

    private Attempt lock(long personId, long attemptId) {
        return jdbc.prepareStatement("""
                SELECT module_version_id, submitted_at IS NOT NULL FROM assessment_attempt WHERE id = ? AND person_id = ?
                FOR UPDATE""", statement -> {
            statement.setLong(1, attemptId);
            statement.setLong(2, personId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new HttpStatusException(HttpStatus.NOT_FOUND, "Provförsöket finns inte.");
                }
                return new Attempt(rs.getLong(1), rs.getBoolean(2));
            }
        });
    }

    private long insertAttempt(long personId, long moduleVersionId) {
        return jdbc.execute(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO assessment_attempt (person_id, module_version_id) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                statement.setLong(1, personId);
                statement.setLong(2, moduleVersionId);
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    private void replaceAnswer(long attemptId, long moduleVersionId, long questionId, Set<Long> optionIds) {
        List<Long> offered = jdbc.prepareStatement("""
                SELECT o.id FROM question_option o JOIN assessment_question q ON q.id = o.question_id
                WHERE q.id = ? AND q.module_version_id = ?""", statement -> {
            statement.setLong(1, questionId);
            statement.setLong(2, moduleVersionId);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
        if (offered.isEmpty() || !offered.containsAll(optionIds)) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Svaret hör inte till någon fråga i provet.");
        }
        jdbc.prepareStatement("DELETE FROM attempt_answer WHERE attempt_id = ? AND question_id = ?", statement -> {
            statement.setLong(1, attemptId);
            statement.setLong(2, questionId);
            return statement.executeUpdate();
        });
        for (long option : optionIds) {
            jdbc.prepareStatement("INSERT INTO attempt_answer (attempt_id, question_id, option_id) VALUES (?, ?, ?)", statement -> {
                statement.setLong(1, attemptId);
                statement.setLong(2, questionId);
                statement.setLong(3, option);
                return statement.executeUpdate();
            });
        }
    }

    private int passMark(long moduleVersionId) {
        return jdbc.prepareStatement("SELECT pass_mark FROM module_version WHERE id = ?", statement -> {
            statement.setLong(1, moduleVersionId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** The questions of the version in order, numbered from 1, with what the attempt has ticked. */
    private List<Question> questions(long attemptId, long moduleVersionId) {
        return jdbc.prepareStatement("""
                SELECT q.id, q.text, o.id, o.text, o.correct, o.feedback, a.option_id IS NOT NULL, q.question_code
                FROM assessment_question q JOIN question_option o ON o.question_id = q.id
                LEFT JOIN attempt_answer a ON a.attempt_id = ? AND a.option_id = o.id
                WHERE q.module_version_id = ? ORDER BY q.position, o.position""", statement -> {
            statement.setLong(1, attemptId);
            statement.setLong(2, moduleVersionId);
            Map<Long, Question> questions = new LinkedHashMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String text = rs.getString(2);
                    String code = rs.getString(8);
                    questions.computeIfAbsent(id, key -> new Question(key, code, questions.size() + 1, text, new ArrayList<>()))
                            .options().add(new Option(rs.getLong(3), rs.getString(4), rs.getBoolean(5), rs.getString(6),
                                    rs.getBoolean(7)));
                }
            }
            return List.copyOf(questions.values());
        });
    }
}
