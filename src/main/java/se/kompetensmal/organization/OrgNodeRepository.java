package se.kompetensmal.organization;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import se.kompetensmal.security.Access;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface OrgNodeRepository extends CrudRepository<OrgNode, Long> {

    Optional<OrgNode> findByCode(String code);

    /** The node, or the 404 that also answers for another organisation's node (see Access#refusal). */
    default OrgNode require(long id) {
        return findById(id).orElseThrow(Access::notFound);
    }

    List<OrgNode> findByParentIdIsNullOrderByName();

    List<OrgNode> findByParentIdOrderByName(Long parentId);

    /** The node and everything under it, top down. */
    @Query("""
            SELECT n.* FROM org_node n JOIN org_closure c ON c.descendant_id = n.id
            WHERE c.ancestor_id = :nodeId ORDER BY c.depth, n.name""")
    List<OrgNode> findSubtree(long nodeId);

    /** The path from the top of the tree down to the node itself. */
    @Query("""
            SELECT n.* FROM org_node n JOIN org_closure c ON c.ancestor_id = n.id
            WHERE c.descendant_id = :nodeId ORDER BY c.depth DESC""")
    List<OrgNode> findPathTo(long nodeId);

    /**
     * Derives, for the node and everything under it, the huvudman each belongs to (the nearest huvudman at or above it)
     * and the huvudman its code is unique within (for a huvudman the one above it, else 0; for other nodes their own
     * huvudman, see migration V28). Run after every insert and move, which are the only changes that alter either.
     */
    @Query("""
            UPDATE org_node n
            JOIN org_closure sub ON sub.descendant_id = n.id AND sub.ancestor_id = :nodeId
            SET n.huvudman_id = (SELECT c.ancestor_id FROM org_closure c JOIN org_node a ON a.id = c.ancestor_id
                                 WHERE c.descendant_id = n.id
                                   AND a.kind IN ('REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER')
                                 ORDER BY c.depth LIMIT 1),
                n.code_scope_id = CASE WHEN n.kind IN ('NATIONAL', 'REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER')
                    THEN COALESCE((SELECT c.ancestor_id FROM org_closure c JOIN org_node a ON a.id = c.ancestor_id
                                   WHERE c.descendant_id = n.id AND c.depth > 0
                                     AND a.kind IN ('REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER')
                                   ORDER BY c.depth LIMIT 1), 0)
                    ELSE COALESCE((SELECT c.ancestor_id FROM org_closure c JOIN org_node a ON a.id = c.ancestor_id
                                   WHERE c.descendant_id = n.id
                                     AND a.kind IN ('REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER')
                                   ORDER BY c.depth LIMIT 1), 0) END""")
    void deriveHuvudman(long nodeId);

    /** The node with this code within a huvudman (0: the codes of huvudmän themselves, unique across the instance). */
    @Query("SELECT * FROM org_node WHERE code_scope_id = :scopeId AND code = :code")
    Optional<OrgNode> findInScope(long scopeId, String code);

    /** A unit by its own HSA-id. */
    @Query("SELECT * FROM org_node WHERE hsa_id = :hsaId")
    Optional<OrgNode> findByHsaId(String hsaId);

    /** Every node with this code, whichever huvudman it belongs to (a code alone may name several). */
    @Query("SELECT * FROM org_node WHERE code = :code ORDER BY id")
    List<OrgNode> findAllByCode(String code);

    @Query("UPDATE org_node SET leaders_see_names = :allowed WHERE id = :nodeId")
    void updateLeadersSeeNames(long nodeId, boolean allowed);

    @Query("SELECT leaders_see_names FROM org_node WHERE id = :nodeId")
    boolean leadersSeeNames(long nodeId);

    @Query("SELECT COUNT(*) > 0 FROM org_closure WHERE ancestor_id = :ancestorId AND descendant_id = :nodeId")
    boolean isWithin(long nodeId, long ancestorId);

    @Query("""
            INSERT INTO org_closure (ancestor_id, descendant_id, depth)
            SELECT ancestor_id, :nodeId, depth + 1 FROM org_closure WHERE descendant_id = :parentId
            UNION ALL SELECT :nodeId, :nodeId, 0""")
    void insertClosure(long nodeId, long parentId);

    @Query("INSERT INTO org_closure (ancestor_id, descendant_id, depth) VALUES (:nodeId, :nodeId, 0)")
    void insertRootClosure(long nodeId);

    /** Cuts the subtree of the node loose from its old ancestors (the paths inside the subtree stay). */
    @Query("""
            DELETE c FROM org_closure c
            JOIN org_closure sub ON sub.descendant_id = c.descendant_id AND sub.ancestor_id = :nodeId
            LEFT JOIN org_closure inside ON inside.ancestor_id = :nodeId AND inside.descendant_id = c.ancestor_id
            WHERE inside.ancestor_id IS NULL""")
    void detachSubtree(long nodeId);

    /** Hangs the detached subtree of the node under its new parent. */
    @Query("""
            INSERT INTO org_closure (ancestor_id, descendant_id, depth)
            SELECT above.ancestor_id, sub.descendant_id, above.depth + sub.depth + 1
            FROM org_closure above JOIN org_closure sub ON sub.ancestor_id = :nodeId
            WHERE above.descendant_id = :parentId""")
    void attachSubtree(long nodeId, long parentId);
}
