package se.kompetensmal.security;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.Collection;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface RoleGrantRepository extends CrudRepository<RoleGrant, Long> {

    List<RoleGrant> findByAccountId(long accountId);

    List<RoleGrant> listOrderByAccountIdAndRole();

    /** Whether the account holds one of the roles on the node or above it, or system-wide. */
    @Query("""
            SELECT COUNT(*) > 0 FROM role_grant g
            LEFT JOIN org_closure c ON c.ancestor_id = g.org_node_id AND c.descendant_id = :nodeId
            WHERE g.account_id = :accountId AND g.role IN (:roles) AND (g.org_node_id IS NULL OR c.descendant_id IS NOT NULL)""")
    boolean holdsOn(long accountId, Collection<String> roles, long nodeId);

    /** Whether the account leads the node (or above it) in an organisation that lets leaders see names there. */
    @Query("""
            SELECT COUNT(*) > 0 FROM role_grant g
            JOIN org_closure c ON c.ancestor_id = g.org_node_id AND c.descendant_id = :nodeId
            WHERE g.account_id = :accountId AND g.role = 'LEADER'
              AND EXISTS (SELECT 1 FROM org_closure up JOIN org_node setting ON setting.id = up.ancestor_id
                          WHERE up.descendant_id = :nodeId AND setting.leaders_see_names)""")
    boolean leadsWithNamesAllowed(long accountId, long nodeId);

    @Query("SELECT COUNT(*) > 0 FROM role_grant WHERE account_id = :accountId AND role IN (:roles)")
    boolean holdsAnywhere(long accountId, Collection<String> roles);

    @Query("SELECT COUNT(*) > 0 FROM role_grant WHERE account_id = :accountId AND role IN (:roles) AND org_node_id IS NULL")
    boolean holdsSystemWide(long accountId, Collection<String> roles);

    /**
     * Whether the node lies in an organisation (the tree under a huvudman, or under a national node granted as such)
     * where the account holds any role or the account's person is placed; a system-wide grant covers every node.
     */
    @Query("""
            SELECT COUNT(*) > 0 FROM (
                SELECT g.org_node_id AS anchor FROM role_grant g WHERE g.account_id = :accountId
                UNION ALL
                SELECT p.org_node_id FROM user_account a JOIN person p ON p.id = a.person_id WHERE a.id = :accountId
            ) mine
            LEFT JOIN org_closure up ON up.descendant_id = mine.anchor
            LEFT JOIN org_node top ON top.id = up.ancestor_id
            LEFT JOIN org_closure down ON down.ancestor_id = top.id AND down.descendant_id = :nodeId
            WHERE (mine.anchor IS NULL AND EXISTS (SELECT 1 FROM org_node n WHERE n.id = :nodeId))
               OR (down.descendant_id IS NOT NULL AND (top.kind <> 'NATIONAL' OR up.depth = 0))""")
    boolean sharesOrganisation(long accountId, long nodeId);
}
