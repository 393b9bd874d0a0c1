package se.kompetensmal.organization;

import jakarta.inject.Singleton;
import se.kompetensmal.people.PersonQueries;

import java.util.List;
import java.util.Map;

/** The levels directly under a node with their active headcounts, counted in one query. */
@Singleton
public class OrganizationOverview {

    private final OrgNodeRepository nodes;
    private final PersonQueries people;

    public OrganizationOverview(OrgNodeRepository nodes, PersonQueries people) {
        this.nodes = nodes;
        this.people = people;
    }

    public record NodeWithHeadcount(OrgNode node, long people) {
    }

    /** The children of a node, or the huvudmän when the node is null. */
    public List<NodeWithHeadcount> childrenOf(Long nodeId) {
        Map<Long, Long> counts = people.headcountsOfChildren(nodeId);
        List<OrgNode> children = nodeId == null ? nodes.findByParentIdIsNullOrderByName() : nodes.findByParentIdOrderByName(nodeId);
        return children.stream().map(n -> new NodeWithHeadcount(n, counts.getOrDefault(n.id(), 0L))).toList();
    }
}
