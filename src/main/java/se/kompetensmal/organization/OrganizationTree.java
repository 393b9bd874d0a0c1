package se.kompetensmal.organization;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.util.Objects;

/** Keeps the organisation tree and its closure table in step: every change to a parent goes through here. */
@Singleton
public class OrganizationTree {

    private final OrgNodeRepository nodes;
    private final NamedSql sql;

    public OrganizationTree(OrgNodeRepository nodes, NamedSql sql) {
        this.nodes = nodes;
        this.sql = sql;
    }

    @Transactional
    public OrgNode add(String code, String name, OrgNodeKind kind, Long parentId) {
        // Written with the huvudman its code is unique within from the start (the parent's huvudman, whether the new
        // node is a huvudman itself or not), so that the unique key on (code_scope_id, code) holds at every step.
        long id = sql.insert("""
                INSERT INTO org_node (code, name, kind, parent_id, code_scope_id)
                VALUES (:code, :name, :kind, :parent, COALESCE((SELECT p.huvudman_id FROM org_node p WHERE p.id = :parent), 0))""",
                NamedSql.with("code", code).and("name", name).and("kind", kind).and("parent", parentId));
        OrgNode node = new OrgNode(id, code, name, kind, parentId);
        if (parentId == null) {
            nodes.insertRootClosure(node.id());
        } else {
            nodes.insertClosure(node.id(), parentId);
        }
        nodes.deriveHuvudman(node.id());
        return node;
    }

    /** Renames, re-kinds or moves a node; a move takes its whole subtree along. The caller has ruled out cycles. */
    @Transactional
    public OrgNode change(OrgNode node, String name, OrgNodeKind kind, Long parentId) {
        OrgNode changed = nodes.update(new OrgNode(node.id(), node.code(), name, kind, parentId));
        if (!Objects.equals(node.parentId(), parentId)) {
            nodes.detachSubtree(node.id());
            if (parentId != null) {
                nodes.attachSubtree(node.id(), parentId);
            }
        }
        if (!Objects.equals(node.parentId(), parentId) || node.kind() != kind) {
            // A move or a change of kind can change which huvudman the node and its subtree belong to.
            nodes.deriveHuvudman(node.id());
        }
        return changed;
    }
}
