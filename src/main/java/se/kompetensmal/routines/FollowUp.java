package se.kompetensmal.routines;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import java.sql.Date;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is behind: open assignments under a node that are overdue or due within a number of days, leaving out the exempted
 * and the cycles already completed. One query, whatever the size of the subtree.
 */
@Singleton
@Connectable
public class FollowUp {

    /** An assignment (alias {@code a}) still to be done: current, its cycle not completed, the person not exempted. */
    public static final String STILL_TO_DO = """
            a.withdrawn_at IS NULL AND a.completion_id IS NULL
            AND NOT EXISTS (SELECT 1 FROM exemption e WHERE e.person_id = a.person_id AND e.module_code = a.module_code)""";

    private final JdbcOperations jdbc;

    public FollowUp(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** One open assignment, for the follow-up list. */
    @Serdeable
    public record Row(long personId, String hsaId, String name, String unit, String moduleCode, LocalDate dueDate,
                      boolean overdue, @Nullable String routine) {
    }

    /**
     * Filters; null means any. How far ahead to look is bounded to ten years: beyond that no date is meant, and far
     * beyond it the date overflowed and the list came back silently empty.
     */
    @Introspected
    public record Filter(@Nullable Long unitId, @Nullable @Size(max = 40) String audience, @Nullable @Size(max = 80) String module,
                         @Nullable Long routineId, @Min(0) @Max(3650) int withinDays) {
    }

    public List<Row> openUnder(long nodeId, @Valid Filter filter, LocalDate today) {
        return jdbc.prepareStatement("""
                SELECT p.id, p.hsa_id, CONCAT(p.given_name, ' ', p.family_name), n.name, a.module_code, a.due_date, r.name
                FROM assignment a
                JOIN person p ON p.id = a.person_id AND p.status = 'ACTIVE'
                JOIN org_node n ON n.id = p.org_node_id
                JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = ?
                LEFT JOIN routine r ON r.id = a.routine_id
                WHERE %s AND a.due_date <= ?
                  AND (? IS NULL OR EXISTS (SELECT 1 FROM org_closure u WHERE u.ancestor_id = ? AND u.descendant_id = p.org_node_id))
                  AND (? IS NULL OR EXISTS (SELECT 1 FROM person_audience pa JOIN audience au ON au.id = pa.audience_id
                                            WHERE pa.person_id = p.id AND au.code = ?))
                  AND (? IS NULL OR a.module_code = ?)
                  AND (? IS NULL OR a.routine_id = ?)
                ORDER BY a.due_date, p.family_name, p.given_name, a.module_code""".formatted(STILL_TO_DO), statement -> {
            int i = 1;
            statement.setLong(i++, nodeId);
            statement.setDate(i++, Date.valueOf(today.plusDays(filter.withinDays())));
            statement.setObject(i++, filter.unitId());
            statement.setObject(i++, filter.unitId());
            statement.setString(i++, filter.audience());
            statement.setString(i++, filter.audience());
            statement.setString(i++, filter.module());
            statement.setString(i++, filter.module());
            statement.setObject(i++, filter.routineId());
            statement.setObject(i, filter.routineId());
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    LocalDate due = rs.getObject(6, LocalDate.class);
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), due,
                            due.isBefore(today), rs.getString(7)));
                }
            }
            return rows;
        });
    }
}
