package se.kompetensmal.bench;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import se.kompetensmal.reporting.Statistics;

import java.sql.Date;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The database's floor for the overview: the same figures as {@link Statistics#counts}, written independently as the
 * leanest statement found. Each person's standing per audience is computed once, and the node's and its sub-units' totals
 * come from one ROLLUP, where the product joins the people to the groups a second time. It reads the person's home unit
 * and audiences: the benchmark's dataset places everyone once, so those are their placement's (a ROLLUP could not count
 * a person placed twice once in the total, which the product does).
 */
final class Floor {

    private final JdbcOperations jdbc;

    Floor(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    List<Statistics.Counts> counts(long nodeId, LocalDate today) {
        String sql = """
                WITH people AS (
                    SELECT p.id, COALESCE(child.ancestor_id, -1) AS child_id
                    FROM org_closure sc JOIN person p ON p.org_node_id = sc.descendant_id AND p.status = 'ACTIVE'
                    LEFT JOIN (org_closure child JOIN org_node cn ON cn.id = child.ancestor_id AND cn.parent_id = :node)
                           ON child.descendant_id = p.org_node_id
                    WHERE sc.ancestor_id = :node),
                memberships AS (
                    SELECT pe.id, pe.child_id, pa.audience_id FROM people pe JOIN person_audience pa ON pa.person_id = pe.id
                    UNION ALL SELECT pe.id, pe.child_id, 0 FROM people pe),
                standing AS (
                    SELECT m.child_id, m.audience_id,
                           COALESCE(MAX(r.kind = 'INTRODUCTION'), 0) AS has_intro,
                           COALESCE(MIN(CASE WHEN r.kind = 'INTRODUCTION' THEN a.completion_id IS NOT NULL OR e.person_id IS NOT NULL END), 0) AS intro_done,
                           COALESCE(MIN(CASE WHEN r.kind = 'INTRODUCTION' THEN e.person_id IS NOT NULL OR COALESCE(c.completed_on <= a.due_date, FALSE) END), 0) AS intro_on_time,
                           COUNT(DISTINCT CASE WHEN r.kind = 'CONTINUING' THEN a.module_code END) AS continuing,
                           COUNT(DISTINCT CASE WHEN r.kind = 'CONTINUING' AND (e.person_id IS NOT NULL
                                 OR (a.completion_id IS NOT NULL AND COALESCE(a.valid_until >= :today, TRUE))) THEN a.module_code END) AS held,
                           COALESCE(MAX(a.completion_id IS NULL AND e.person_id IS NULL AND a.due_date < :today), 0) AS late
                    FROM memberships m
                    LEFT JOIN (assignment a LEFT JOIN routine r ON r.id = a.routine_id)
                           ON a.person_id = m.id AND a.withdrawn_at IS NULL
                          AND (m.audience_id = 0 OR r.audience_id = m.audience_id OR a.routine_id IS NULL)
                    LEFT JOIN completion c ON c.id = a.completion_id
                    LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                    GROUP BY m.id, m.child_id, m.audience_id)
                SELECT child_id, audience_id, COUNT(*), SUM(has_intro), SUM(has_intro AND intro_done), SUM(has_intro AND intro_on_time),
                       SUM(continuing > 0), SUM(continuing > 0 AND held = continuing), SUM(late)
                FROM standing GROUP BY audience_id, child_id WITH ROLLUP"""
                .replace(":node", Long.toString(nodeId)).replace(":today", "'" + today + "'");
        return jdbc.prepareStatement(sql, statement -> {
            List<Statistics.Counts> counts = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long child = rs.getLong(1);
                    boolean nodeTotal = rs.wasNull();
                    long audience = rs.getLong(2);
                    if (rs.wasNull() || child == -1) {
                        continue; // the grand total over audiences, or people placed at the node itself
                    }
                    counts.add(new Statistics.Counts(nodeTotal ? nodeId : child, audience, rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
                }
            }
            return counts;
        });
    }

    /** The product's counts and the floor's must be the same figures, or the comparison means nothing. */
    static void requireSame(List<Statistics.Counts> product, List<Statistics.Counts> floor) {
        Comparator<Statistics.Counts> order = Comparator.comparingLong(Statistics.Counts::groupId)
                .thenComparingLong(Statistics.Counts::audienceId);
        List<Statistics.Counts> a = product.stream().sorted(order).toList();
        List<Statistics.Counts> b = floor.stream().sorted(order).toList();
        if (!a.equals(b)) {
            throw new IllegalStateException("the floor's figures differ from the product's:\n" + a + "\n" + b);
        }
    }
}
