package se.kompetensmal.reporting;

import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.Date;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures leaders see, counted set-based over the organisation tree in a few statements whatever the size: per
 * audience and per sub-unit, the people counted (active people only, each in every audience they belong to), who has
 * completed their introduction and on time, who is current on continuing education, who is overdue; the trend per month;
 * and per competence goal who holds a valid completion of a module covering it.
 */
@Singleton
@Connectable
public class Statistics {

    /** Stands for "all audiences together" where a query groups by audience. */
    static final long ALL_AUDIENCES = 0;

    private static final String PEOPLE = """
            people AS (SELECT p.id, p.org_node_id FROM org_closure sc JOIN person p ON p.org_node_id = sc.descendant_id
                       WHERE sc.ancestor_id = ? AND p.status = 'ACTIVE')""";

    private final JdbcOperations jdbc;

    public Statistics(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The raw counts of one group (a node and everything under it) and audience. */
    @Serdeable
    public record Counts(long groupId, long audienceId, long headcount, long withIntroduction, long introductionDone,
                         long introductionOnTime, long withContinuing, long continuingCurrent, long overdue) {
        /** A group with nobody in it: the query returns no row for it. */
        static Counts nobody(long groupId) {
            return new Counts(groupId, ALL_AUDIENCES, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    @Serdeable
    public record Month(LocalDate monthEnd, long completions, long withIntroduction, long introductionDone) {
    }

    /**
     * Counts for the node and each of its direct sub-units, per audience and for all audiences together
     * ({@link #ALL_AUDIENCES}). Groups without people are absent.
     */
    public List<Counts> counts(long nodeId, LocalDate today) {
        String sql = "WITH " + PEOPLE + """
                , memberships AS (
                    SELECT pe.id AS person_id, pe.org_node_id, pa.audience_id FROM people pe JOIN person_audience pa ON pa.person_id = pe.id
                    UNION ALL
                    SELECT pe.id, pe.org_node_id, 0 FROM people pe),
                duties AS (
                    SELECT m.person_id, m.audience_id, a.module_code, r.kind,
                           (a.completion_id IS NOT NULL OR e.person_id IS NOT NULL) AS fulfilled,
                           (e.person_id IS NOT NULL OR COALESCE(c.completed_on <= a.due_date, FALSE)) AS on_time,
                           (e.person_id IS NOT NULL OR (a.completion_id IS NOT NULL AND COALESCE(a.valid_until >= ?, TRUE))) AS holds,
                           (a.completion_id IS NULL AND e.person_id IS NULL AND a.due_date < ?) AS late
                    FROM memberships m
                    JOIN assignment a ON a.person_id = m.person_id AND a.withdrawn_at IS NULL
                    LEFT JOIN routine r ON r.id = a.routine_id
                    LEFT JOIN completion c ON c.id = a.completion_id
                    LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                    WHERE m.audience_id = 0 OR r.audience_id = m.audience_id OR a.routine_id IS NULL),
                per_person AS (
                    SELECT person_id, audience_id,
                           MAX(kind = 'INTRODUCTION') AS has_intro,
                           MIN(CASE WHEN kind = 'INTRODUCTION' THEN fulfilled END) AS intro_done,
                           MIN(CASE WHEN kind = 'INTRODUCTION' THEN on_time END) AS intro_on_time,
                           COUNT(DISTINCT CASE WHEN kind = 'CONTINUING' THEN module_code END) AS continuing,
                           COUNT(DISTINCT CASE WHEN kind = 'CONTINUING' AND holds THEN module_code END) AS continuing_held,
                           MAX(late) AS late
                    FROM duties GROUP BY person_id, audience_id),
                grp AS (SELECT id FROM org_node WHERE id = ? OR parent_id = ?)
                SELECT g.id, m.audience_id, COUNT(*),
                       SUM(COALESCE(f.has_intro, 0)),
                       SUM(COALESCE(f.has_intro AND f.intro_done, 0)),
                       SUM(COALESCE(f.has_intro AND f.intro_on_time, 0)),
                       SUM(COALESCE(f.continuing > 0, 0)),
                       SUM(COALESCE(f.continuing > 0 AND f.continuing_held = f.continuing, 0)),
                       SUM(COALESCE(f.late, 0))
                FROM grp g JOIN org_closure gc ON gc.ancestor_id = g.id
                JOIN memberships m ON m.org_node_id = gc.descendant_id
                LEFT JOIN per_person f ON f.person_id = m.person_id AND f.audience_id = m.audience_id
                GROUP BY g.id, m.audience_id""";
        return jdbc.prepareStatement(sql, statement -> {
            statement.setLong(1, nodeId);
            statement.setDate(2, Date.valueOf(today));
            statement.setDate(3, Date.valueOf(today));
            statement.setLong(4, nodeId);
            statement.setLong(5, nodeId);
            List<Counts> counts = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    counts.add(new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7), rs.getLong(8), rs.getLong(9)));
                }
            }
            return counts;
        });
    }

    /**
     * The last 24 months, each with the completions taken in it and how many of the people with an introduction had
     * completed all of it by the month's end.
     */
    public List<Month> trend(long nodeId, LocalDate today) {
        String sql = "WITH RECURSIVE months AS (SELECT LAST_DAY(? - INTERVAL 23 MONTH) AS month_end UNION ALL "
                + "SELECT LAST_DAY(month_end + INTERVAL 1 DAY) FROM months WHERE month_end < LAST_DAY(?)), " + PEOPLE + """
                , introductions AS (
                    SELECT a.person_id, MIN(a.completion_id IS NOT NULL OR e.person_id IS NOT NULL) AS all_done,
                           MAX(CASE WHEN e.person_id IS NULL THEN c.completed_on END) AS done_on
                    FROM people pe JOIN assignment a ON a.person_id = pe.id AND a.withdrawn_at IS NULL
                    JOIN routine r ON r.id = a.routine_id AND r.kind = 'INTRODUCTION'
                    LEFT JOIN completion c ON c.id = a.completion_id
                    LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                    GROUP BY a.person_id),
                monthly AS (
                    SELECT LAST_DAY(c.completed_on) AS month_end, COUNT(*) AS completions
                    FROM people pe JOIN completion c ON c.person_id = pe.id
                    WHERE c.completed_on > LAST_DAY(? - INTERVAL 24 MONTH) GROUP BY LAST_DAY(c.completed_on))
                SELECT m.month_end, COALESCE(mo.completions, 0),
                       (SELECT COUNT(*) FROM introductions),
                       (SELECT COUNT(*) FROM introductions i WHERE i.all_done AND COALESCE(i.done_on, '1900-01-01') <= m.month_end)
                FROM months m LEFT JOIN monthly mo ON mo.month_end = m.month_end ORDER BY m.month_end""";
        return jdbc.prepareStatement(sql, statement -> {
            statement.setDate(1, Date.valueOf(today));
            statement.setDate(2, Date.valueOf(today));
            statement.setLong(3, nodeId);
            statement.setDate(4, Date.valueOf(today));
            List<Month> months = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    months.add(new Month(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return months;
        });
    }

    /**
     * Per audience and goal of the audience, the people of the audience under the node who hold a completion of a module
     * covering the goal that has not expired (a completion of a recurring cycle expires; one without a cycle does not).
     */
    public Map<Long, Map<String, Long>> goalHolders(long nodeId, LocalDate today) {
        String sql = "WITH " + PEOPLE + """
                SELECT pa.audience_id, g.code, COUNT(DISTINCT pe.id)
                FROM people pe JOIN person_audience pa ON pa.person_id = pe.id
                JOIN competence_goal_audience ga ON ga.audience_id = pa.audience_id
                JOIN competence_goal g ON g.id = ga.goal_id
                JOIN module_version_goal mg ON mg.goal_id = ga.goal_id
                JOIN completion c ON c.person_id = pe.id AND c.module_version_id = mg.module_version_id
                WHERE NOT EXISTS (SELECT 1 FROM assignment x WHERE x.completion_id = c.id AND x.valid_until < ?)
                GROUP BY pa.audience_id, g.code""";
        return jdbc.prepareStatement(sql, statement -> {
            statement.setLong(1, nodeId);
            statement.setDate(2, Date.valueOf(today));
            Map<Long, Map<String, Long>> holders = new LinkedHashMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    holders.computeIfAbsent(rs.getLong(1), key -> new LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
            return holders;
        });
    }
}
