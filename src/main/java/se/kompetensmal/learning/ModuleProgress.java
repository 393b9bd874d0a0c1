package se.kompetensmal.learning;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.xapi.LearningRecords;

import java.sql.ResultSet;
import java.util.Optional;

/**
 * Where a learner is in a module, kept in the database so that they continue where they left off after signing out. A
 * module is taken in the version it was started in, until it is passed. Time spent is counted from one step to the next,
 * with pauses longer than {@link #LONGEST_PAUSE_SECONDS} counted as that long (the learner was away).
 */
@Singleton
public class ModuleProgress {

    static final int LONGEST_PAUSE_SECONDS = 300;
    private static final String COUNT_TIME = """
            seconds_spent = seconds_spent + LEAST(GREATEST(TIMESTAMPDIFF(SECOND, last_seen_at, CURRENT_TIMESTAMP), 0), %d),
            last_seen_at = CURRENT_TIMESTAMP""".formatted(LONGEST_PAUSE_SECONDS);

    private final JdbcOperations jdbc;
    private final LearningRecords records;

    public ModuleProgress(JdbcOperations jdbc, LearningRecords records) {
        this.jdbc = jdbc;
        this.records = records;
    }

    /** The module version being taken, the step reached (pages, then the assessment at pages + 1), and time so far. */
    public record Position(long moduleVersionId, int step, int secondsSpent) {
    }

    @Transactional(readOnly = true)
    public Optional<Position> of(long personId, String moduleCode) {
        return jdbc.prepareStatement("""
                SELECT module_version_id, page_position, seconds_spent FROM module_progress
                WHERE person_id = ? AND module_code = ?""", statement -> {
            statement.setLong(1, personId);
            statement.setString(2, moduleCode);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new Position(rs.getLong(1), rs.getInt(2), rs.getInt(3))) : Optional.empty();
            }
        });
    }

    /**
     * The learner's position, starting the module's latest version at the first page if they had not started it (which
     * is recorded as the module launched).
     */
    @Transactional
    public Position start(long personId, String moduleCode) {
        int started = jdbc.prepareStatement("""
                INSERT IGNORE INTO module_progress (person_id, module_code, module_version_id, page_position)
                SELECT ?, module_code, id, 1 FROM module_version WHERE module_code = ? ORDER BY version DESC LIMIT 1""",
                statement -> {
                    statement.setLong(1, personId);
                    statement.setString(2, moduleCode);
                    return statement.executeUpdate();
                });
        Position position = of(personId, moduleCode)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Modulen finns inte."));
        if (started == 1) {
            records.launched(personId, position.moduleVersionId());
        }
        return position;
    }

    /** The learner has opened a page of the version they are taking: remember it, and record the page experienced. */
    @Transactional
    public void read(long personId, String moduleCode, long moduleVersionId, int page, String title) {
        moveTo(personId, moduleCode, page);
        records.experienced(personId, moduleVersionId, page, title);
    }

    /** The learner has come to a step: remember it, and count the time since their last step. */
    @Transactional
    public void moveTo(long personId, String moduleCode, int step) {
        jdbc.prepareStatement("UPDATE module_progress SET " + COUNT_TIME + ", page_position = ? WHERE person_id = ? AND module_code = ?",
                statement -> {
                    statement.setInt(1, step);
                    statement.setLong(2, personId);
                    statement.setString(3, moduleCode);
                    return statement.executeUpdate();
                });
    }

    /** The learner did something on the current step (answered a question): count the time, stay where they are. */
    @Transactional
    public int countTime(long personId, long moduleVersionId) {
        jdbc.prepareStatement("UPDATE module_progress SET " + COUNT_TIME + " WHERE person_id = ? AND module_version_id = ?",
                statement -> {
                    statement.setLong(1, personId);
                    statement.setLong(2, moduleVersionId);
                    return statement.executeUpdate();
                });
        return jdbc.prepareStatement("SELECT seconds_spent FROM module_progress WHERE person_id = ? AND module_version_id = ?",
                statement -> {
                    statement.setLong(1, personId);
                    statement.setLong(2, moduleVersionId);
                    try (ResultSet rs = statement.executeQuery()) {
                        return rs.next() ? rs.getInt(1) : 0;
                    }
                });
    }

    /** The module is passed: the next time it is taken (the next cycle), it starts afresh on its latest version. */
    @Transactional
    public void finish(long personId, long moduleVersionId) {
        jdbc.prepareStatement("DELETE FROM module_progress WHERE person_id = ? AND module_version_id = ?", statement -> {
            statement.setLong(1, personId);
            statement.setLong(2, moduleVersionId);
            return statement.executeUpdate();
        });
    }
}
