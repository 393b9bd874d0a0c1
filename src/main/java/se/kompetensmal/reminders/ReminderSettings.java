package se.kompetensmal.reminders;

import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import jakarta.validation.Valid;

import java.sql.ResultSet;

/** Reads and changes an organisation's reminder settings; a node without its own follows the nearest one above it. */
@Singleton
@Connectable
public class ReminderSettings {

    /**
     * The setting in force at every node, as a derived table with the columns of {@code reminder_setting}: the nearest row
     * up the tree, or the defaults.
     */
    static final String IN_FORCE = """
            SELECT n.id AS node_id, COALESCE(s.enabled, %b) AS enabled, COALESCE(s.days_before, %d) AS days_before,
                   COALESCE(s.when_overdue, %b) AS when_overdue, COALESCE(s.weekly_digest, %b) AS weekly_digest
            FROM org_node n
            LEFT JOIN reminder_setting s ON s.org_node_id = (
                SELECT up.ancestor_id FROM org_closure up JOIN reminder_setting own ON own.org_node_id = up.ancestor_id
                WHERE up.descendant_id = n.id ORDER BY up.depth LIMIT 1)""".formatted(ReminderSetting.DEFAULT.enabled(),
            ReminderSetting.DEFAULT.daysBefore(), ReminderSetting.DEFAULT.whenOverdue(), ReminderSetting.DEFAULT.weeklyDigest());

    private final JdbcOperations jdbc;

    public ReminderSettings(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public ReminderSetting inForceAt(long nodeId) {
        return jdbc.prepareStatement("""
                SELECT s.enabled, s.days_before, s.when_overdue, s.weekly_digest, n.name FROM org_closure up
                JOIN reminder_setting s ON s.org_node_id = up.ancestor_id JOIN org_node n ON n.id = up.ancestor_id
                WHERE up.descendant_id = ? ORDER BY up.depth LIMIT 1""", statement -> {
            statement.setLong(1, nodeId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next()
                        ? new ReminderSetting(rs.getBoolean(1), rs.getInt(2), rs.getBoolean(3), rs.getBoolean(4), rs.getString(5))
                        : ReminderSetting.DEFAULT;
            }
        });
    }

    @Transactional
    public void set(long nodeId, @Valid ReminderSetting setting, String changedBy) {
        jdbc.prepareStatement("""
                INSERT INTO reminder_setting (org_node_id, enabled, days_before, when_overdue, weekly_digest, changed_by)
                VALUES (?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), days_before = VALUES(days_before),
                    when_overdue = VALUES(when_overdue), weekly_digest = VALUES(weekly_digest), changed_by = VALUES(changed_by)""",
                statement -> {
                    statement.setLong(1, nodeId);
                    statement.setBoolean(2, setting.enabled());
                    statement.setInt(3, setting.daysBefore());
                    statement.setBoolean(4, setting.whenOverdue());
                    statement.setBoolean(5, setting.weeklyDigest());
                    statement.setString(6, changedBy);
                    return statement.executeUpdate();
                });
    }
}
