package se.kompetensmal.catalog;

/**
 * How far something an organisation owns reaches (its own competence goal or module): the one home of that rule, as SQL
 * conditions over the owner column, for {@link Goals} and {@link ModuleReach} to name their own way. No owner: national
 * or for everyone, it reaches everyone. Owned by node O: usable at O and everywhere under it; shown, besides, at the
 * nodes above O, whose leaders answer for it too; visible to an account placed or holding a role at or under O, holding
 * a role above O, or administering the whole system. Each condition's subqueries keep their aliases to themselves, so
 * a goal's and a module's condition can stand in one statement.
 */
public final class OwnedReach {

    private OwnedReach() {
    }

    /** Owned by the node given as an SQL expression ({@code :node}, or a column such as a person's unit) or above it. */
    public static String usableAt(String owner, String node) {
        return """
                (%1$s IS NULL OR EXISTS (SELECT 1 FROM org_closure reach
                                         WHERE reach.ancestor_id = %1$s AND reach.descendant_id = %2$s))""".formatted(owner, node);
    }

    /** {@link #usableAt}, or owned by a node under the node: what the views of a node above the owner show. */
    public static String usableAtOrUnder(String owner, String node) {
        return """
                (%1$s IS NULL OR EXISTS (SELECT 1 FROM org_closure reach
                                         WHERE (reach.ancestor_id = %1$s AND reach.descendant_id = %2$s)
                                            OR (reach.ancestor_id = %2$s AND reach.descendant_id = %1$s)))""".formatted(owner, node);
    }

    /** Visible to the account given as an SQL expression (usually {@code :account}). */
    public static String visibleTo(String owner, String account) {
        return """
                (%1$s IS NULL
                 OR EXISTS (SELECT 1 FROM role_grant sys WHERE sys.account_id = %2$s AND sys.org_node_id IS NULL)
                 OR EXISTS (SELECT 1 FROM org_closure reach
                            JOIN (SELECT mine_g.org_node_id AS node_id FROM role_grant mine_g WHERE mine_g.account_id = %2$s
                                  UNION SELECT mine_p.org_node_id FROM user_account mine_a JOIN person mine_p ON mine_p.id = mine_a.person_id
                                        WHERE mine_a.id = %2$s) mine ON mine.node_id = reach.descendant_id
                            WHERE reach.ancestor_id = %1$s)
                 OR EXISTS (SELECT 1 FROM role_grant above JOIN org_closure below ON below.ancestor_id = above.org_node_id
                            WHERE above.account_id = %2$s AND below.descendant_id = %1$s))""".formatted(owner, account);
    }

    /**
     * The account may own things at the node (an SQL expression: {@code :node} or an owner column): a coordinator or
     * administrator role granted on that node itself, not above it (the region sees its units' things, the unit's own
     * people change them) and not below it; or a system-wide administrator, the only one who owns things for everyone.
     */
    public static String mayOwn(String node, String account) {
        return """
                EXISTS (SELECT 1 FROM role_grant own WHERE own.account_id = %2$s
                        AND ((own.role = 'ADMINISTRATOR' AND own.org_node_id IS NULL)
                             OR (own.role IN ('COORDINATOR', 'ADMINISTRATOR') AND own.org_node_id = %1$s)))""".formatted(node, account);
    }
}
