package se.kompetensmal.organization;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.Objects;

/** Keeps the organisation tree and its closure table in step: every change to a parent goes through here. */
@Singleton
public class OrganizationTree {

    private final OrgNodeRepository nodes;

    public OrganizationTree(OrgNodeRepository nodes) {
        this.nodes = nodes;
    }

    @Transactional
    public OrgNode add(String code, String name, OrgNodeKind kind, Long parentId) {
        OrgNode node = nodes.save(new OrgNode(null, code, name, kind, parentId));
        if (parentId == null) {
            nodes.insertRootClosure(node.id());
        } else {
            nodes.insertClosure(node.id(), parentId);
        }
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
        return changed;
    }
}
