package se.kompetensmal.routines;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * Brings the routine-derived assignments of everyone under a node in line with the introduction routines in force, in a
 * few set-based statements whatever the number of people. Running it twice changes nothing the second time.
 */
@Singleton
public class AssignmentRecompute {

    /**
     * For every active person under the scope, every audience they belong to and every module of the introduction routine
     * in force at their unit for that audience (nearest node up the tree): the due date counted from the start date the
     * routine names. A module reached through several audiences is due at the earliest of its dates.
     */
    private static final String DESIRED = """
            SELECT p.id AS person_id, rm.module_code, MIN(r.id) AS routine_id,
                   MIN(DATE_ADD(CASE r.counts_from WHEN 'ROLE_START' THEN p.role_start_date ELSE p.org_start_date END,
                                INTERVAL r.due_days DAY)) AS due_date
            FROM person p
            JOIN org_closure scope ON scope.descendant_id = p.org_node_id AND scope.ancestor_id = ?
            JOIN person_audience pa ON pa.person_id = p.id
            JOIN org_closure up ON up.descendant_id = p.org_node_id
            JOIN routine r ON r.org_node_id = up.ancestor_id AND r.audience_id = pa.audience_id AND r.kind = 'INTRODUCTION'
            JOIN routine_module rm ON rm.routine_id = r.id
            WHERE p.status = 'ACTIVE' AND p.id BETWEEN ? AND ?
              AND up.depth = (SELECT MIN(up2.depth) FROM routine r2
                              JOIN org_closure up2 ON up2.ancestor_id = r2.org_node_id AND up2.descendant_id = p.org_node_id
                              WHERE r2.kind = 'INTRODUCTION' AND r2.audience_id = pa.audience_id)
            GROUP BY p.id, rm.module_code""";

    private final JdbcOperations jdbc;

    public AssignmentRecompute(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Rows set from the routines (added or confirmed), and rows withdrawn because no routine asks for them any more. */
    @Serdeable
    public record Result(int upserted, int withdrawn) {
    }

    @Transactional
    public Result recompute(long scopeNodeId) {
        return recompute(scopeNodeId, 0, Long.MAX_VALUE);
    }

    /** The same for the people under the node whose ids lie in the range: one slice of a large recomputation. */
    @Transactional
    public Result recompute(long scopeNodeId, long fromPersonId, long toPersonId) {
        int upserted = jdbc.prepareStatement("""
                INSERT INTO assignment (person_id, module_code, cycle, routine_id, source, due_date)
                SELECT d.person_id, d.module_code, 1, d.routine_id, 'ROUTINE', d.due_date FROM (%s) d
                ON DUPLICATE KEY UPDATE
                    assignment.due_date = IF(assignment.source = 'ROUTINE', VALUES(due_date), assignment.due_date),
                    assignment.routine_id = IF(assignment.source = 'ROUTINE', VALUES(routine_id), assignment.routine_id),
                    assignment.withdrawn_at = IF(assignment.source = 'ROUTINE', NULL, assignment.withdrawn_at)""".formatted(DESIRED), statement -> {
            statement.setLong(1, scopeNodeId);
            statement.setLong(2, fromPersonId);
            statement.setLong(3, toPersonId);
            return statement.executeUpdate();
        });
        int withdrawn = jdbc.prepareStatement("""
                UPDATE assignment a
                JOIN person p ON p.id = a.person_id
                JOIN org_closure scope ON scope.descendant_id = p.org_node_id AND scope.ancestor_id = ?
                LEFT JOIN (%s) d ON d.person_id = a.person_id AND d.module_code = a.module_code
                SET a.withdrawn_at = CURRENT_TIMESTAMP
                WHERE a.source = 'ROUTINE' AND a.cycle = 1 AND a.withdrawn_at IS NULL AND d.person_id IS NULL
                  AND p.id BETWEEN ? AND ?"""
                .formatted(DESIRED), statement -> {
            statement.setLong(1, scopeNodeId);
            statement.setLong(2, scopeNodeId);
            statement.setLong(3, fromPersonId);
            statement.setLong(4, toPersonId);
            statement.setLong(5, fromPersonId);
            statement.setLong(6, toPersonId);
            return statement.executeUpdate();
        });
        return new Result(upserted, withdrawn);
    }
}
