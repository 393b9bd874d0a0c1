package se.kompetensmal.reminders;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.standing.Standing;

import java.sql.Date;
import java.time.LocalDate;
import java.time.temporal.IsoFields;

/**
 * Writes down, in three set-based statements, every reminder the day calls for: to learners whose module falls due
 * within their organisation's number of days, to learners who are overdue, and (once a week) to each unit's managers
 * who have someone overdue under them. An occasion already written is left alone, so planning again sends nothing twice.
 *
 * <p>Where someone works is where they are placed now: a learner placed in two units is reminded as soon as the setting
 * of either asks (the occasion is the assignment's, so once), a manager gets a digest for each unit they manage (a
 * placement there in the frontline-manager audience), and someone placed under two managers' units is in both digests.
 */
@Singleton
public class ReminderPlanner {

    /** Managers of a unit: the active people placed on it with the frontline-manager audience on that placement. */
    static final String MANAGER_AUDIENCE = "FRONTLINE_MANAGER";

    private static final String LEARNERS = """
            INSERT INTO reminder (occasion, kind, person_id, assignment_id)
            SELECT CONCAT('%1$s:', a.id, ':', a.due_date), '%1$s', p.id, a.id
            FROM assignment a
            JOIN person p ON p.id = a.person_id AND p.status = 'ACTIVE' AND p.email IS NOT NULL
            JOIN current_placement pl ON pl.person_id = p.id
            JOIN (%2$s) s ON s.node_id = pl.org_node_id
            WHERE %3$s AND s.enabled AND %4$s
            ON DUPLICATE KEY UPDATE occasion = reminder.occasion""";

    private final JdbcOperations jdbc;

    public ReminderPlanner(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void plan(LocalDate today) {
        execute(LEARNERS.formatted("DUE_SOON", ReminderSettings.IN_FORCE, Standing.STILL_TO_DO, """
                a.due_date >= ? AND a.due_date <= DATE_ADD(?, INTERVAL s.days_before DAY)
                AND (a.opens_on IS NULL OR a.opens_on <= ?)"""), today, 3);
        execute(LEARNERS.formatted("OVERDUE", ReminderSettings.IN_FORCE, Standing.STILL_TO_DO,
                "s.when_overdue AND a.due_date < ?"), today, 1);
        String week = today.get(IsoFields.WEEK_BASED_YEAR) + "-W" + today.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        execute("""
                INSERT INTO reminder (occasion, kind, person_id, org_node_id)
                SELECT CONCAT('DIGEST:', m.id, ':', mp.org_node_id, ':%s'), 'DIGEST', m.id, mp.org_node_id
                FROM person m
                JOIN current_placement mp ON mp.person_id = m.id
                JOIN placement_audience ma ON ma.placement_id = mp.id
                JOIN audience au ON au.id = ma.audience_id AND au.code = '%s'
                JOIN (%s) s ON s.node_id = mp.org_node_id
                WHERE m.status = 'ACTIVE' AND m.email IS NOT NULL AND s.enabled AND s.weekly_digest
                  AND EXISTS (SELECT 1 FROM assignment a
                              JOIN person p ON p.id = a.person_id AND p.status = 'ACTIVE' AND p.id <> m.id
                              JOIN current_placement pl ON pl.person_id = p.id
                              JOIN org_closure c ON c.descendant_id = pl.org_node_id AND c.ancestor_id = mp.org_node_id
                              WHERE %s AND a.due_date < ?)
                ON DUPLICATE KEY UPDATE occasion = reminder.occasion"""
                .formatted(week, MANAGER_AUDIENCE, ReminderSettings.IN_FORCE, Standing.STILL_TO_DO), today, 1);
    }

    private void execute(String sql, LocalDate today, int times) {
        jdbc.prepareStatement(sql, statement -> {
            for (int i = 1; i <= times; i++) {
                statement.setDate(i, Date.valueOf(today));
            }
            return statement.executeUpdate();
        });
    }
}
