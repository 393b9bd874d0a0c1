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

    /** The children of a node. */
    public List<NodeWithHeadcount> childrenOf(long nodeId) {
        Map<Long, Long> counts = people.headcountsOfChildren(nodeId);
        return nodes.findByParentIdOrderByName(nodeId).stream()
                .map(n -> new NodeWithHeadcount(n, counts.getOrDefault(n.id(), 0L))).toList();
    }

    /** Any set of nodes, each with the active people in its subtree, counted in one query. */
    public List<NodeWithHeadcount> withHeadcounts(List<OrgNode> nodeList) {
        Map<Long, Long> counts = people.headcountsOf(nodeList.stream().map(OrgNode::id).toList());
        return nodeList.stream().map(n -> new NodeWithHeadcount(n, counts.getOrDefault(n.id(), 0L))).toList();
    }
}
