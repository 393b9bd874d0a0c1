package se.kompetensmal.routines;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface RoutineRepository extends CrudRepository<Routine, Long> {

    /**
     * The routines in force at a node: for each kind and audience, the one not retired on the nearest node at or above
     * it. One query over the closure table.
     */
    @Query("""
            SELECT r.* FROM routine r
            JOIN org_closure c ON c.ancestor_id = r.org_node_id AND c.descendant_id = :nodeId
            WHERE r.retired_at IS NULL
              AND c.depth = (SELECT MIN(c2.depth) FROM routine r2
                             JOIN org_closure c2 ON c2.ancestor_id = r2.org_node_id AND c2.descendant_id = :nodeId
                             WHERE r2.kind = r.kind AND r2.audience_id = r.audience_id AND r2.retired_at IS NULL)
            ORDER BY r.kind, r.audience_id""")
    List<Routine> findInForceAt(long nodeId);

    /** The retired routines set at the node or above it, the latest retired first. */
    @Query("""
            SELECT r.* FROM routine r
            JOIN org_closure c ON c.ancestor_id = r.org_node_id AND c.descendant_id = :nodeId
            WHERE r.retired_at IS NOT NULL
            ORDER BY r.retired_at DESC, r.id DESC""")
    List<Routine> findRetiredAt(long nodeId);

    /** Whether the routine is set at the node or above it, so that it may be looked at from the node's pages. */
    @Query("""
            SELECT COUNT(*) > 0 FROM routine r JOIN org_closure c ON c.ancestor_id = r.org_node_id AND c.descendant_id = :nodeId
            WHERE r.id = :routineId""")
    boolean isVisibleAt(long routineId, long nodeId);

    @Query("""
            SELECT COUNT(*) > 0 FROM routine
            WHERE org_node_id = :orgNodeId AND kind = :kind AND audience_id = :audienceId AND retired_at IS NULL""")
    boolean existsInForce(long orgNodeId, String kind, long audienceId);

    @Query("SELECT module_code FROM routine_module WHERE routine_id = :routineId ORDER BY module_code")
    List<String> findModuleCodes(long routineId);

    @Query("DELETE FROM routine_module WHERE routine_id = :routineId")
    void deleteModules(long routineId);

    @Query("INSERT INTO routine_module (routine_id, module_code) VALUES (:routineId, :moduleCode)")
    void addModule(long routineId, String moduleCode);

    @Query("INSERT INTO routine_version (routine_id, version, changed_by, snapshot) VALUES (:routineId, :version, :changedBy, :snapshot)")
    void addVersion(long routineId, int version, String changedBy, String snapshot);

    @Query("SELECT version, changed_by, changed_at, snapshot FROM routine_version WHERE routine_id = :routineId ORDER BY version")
    List<RoutineVersion> findVersions(long routineId);
}
