package se.kompetensmal.security;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers what the caller may reach. Every role is checked against the database on each request (not only against the
 * token), so a revoked role stops working at once; a role on a node covers its whole subtree.
 */
@Singleton
public class Access {

    public static final String FORBIDDEN = "Du har inte behörighet till det här.";

    /** What an unknown id and an id of an organisation the caller does not belong to both answer. */
    public static final String NOT_FOUND = "Det du söker finns inte.";

    private final RoleGrantRepository grants;
    private final OrgNodeRepository nodes;

    public Access(RoleGrantRepository grants, OrgNodeRepository nodes) {
        this.grants = grants;
        this.nodes = nodes;
    }

    public boolean holdsOn(Authentication authentication, long nodeId, Role... roles) {
        return grants.holdsOn(Caller.of(authentication).accountId(), names(roles), nodeId);
    }

    public boolean holdsSystemWide(Authentication authentication, Role... roles) {
        return grants.holdsSystemWide(Caller.of(authentication).accountId(), names(roles));
    }

    /**
     * Whether the caller may see individuals' names under the node: coordinators and administrators always, leaders
     * only where their organisation allows it.
     */
    public boolean maySeeNames(Authentication authentication, long nodeId) {
        return holdsOn(authentication, nodeId, Role.COORDINATOR, Role.ADMINISTRATOR)
                || grants.leadsWithNamesAllowed(Caller.of(authentication).accountId(), nodeId);
    }

    public void requireNames(Authentication authentication, long nodeId) {
        if (!maySeeNames(authentication, nodeId)) {
            throw refusal(authentication, nodeId);
        }
    }

    /** Throws unless the caller holds one of the roles on the node (or above it): see {@link #refusal}. */
    public void requireOn(Authentication authentication, long nodeId, Role... roles) {
        if (!holdsOn(authentication, nodeId, roles)) {
            throw refusal(authentication, nodeId);
        }
    }

    /**
     * Whether the caller may know that the node exists: it lies in an organisation (huvudman tree) where they hold any
     * role or are placed themselves, or they are a system-wide administrator.
     */
    public boolean knowsOf(Authentication authentication, long nodeId) {
        return grants.sharesOrganisation(Caller.of(authentication).accountId(), nodeId);
    }

    /**
     * How a node (or anything on it: a person, a routine, an import) the caller may not reach is refused: outside every
     * organisation they belong to exactly as an unknown id (404), so that ids and HSA-ids of other organisations cannot
     * be probed; inside their own organisation, 403.
     */
    public HttpStatusException refusal(Authentication authentication, long nodeId) {
        return knowsOf(authentication, nodeId) ? forbidden() : notFound();
    }

    /** Throws 403 unless the caller holds one of the roles on some node or system-wide. */
    public void requireAnywhere(Authentication authentication, Role... roles) {
        if (!grants.holdsAnywhere(Caller.of(authentication).accountId(), names(roles))) {
            throw forbidden();
        }
    }

    public void requireSystemWide(Authentication authentication, Role... roles) {
        if (!holdsSystemWide(authentication, roles)) {
            throw forbidden();
        }
    }

    /** The tops of the caller's remit for these roles: the nodes they were granted, or every huvudman system-wide. */
    public List<OrgNode> roots(Authentication authentication, Role... roles) {
        if (holdsSystemWide(authentication, roles)) {
            return nodes.findByParentIdIsNullOrderByName();
        }
        Set<String> wanted = names(roles);
        Map<Long, OrgNode> granted = new LinkedHashMap<>();
        grants.findByAccountId(Caller.of(authentication).accountId()).stream()
                .filter(g -> wanted.contains(g.role().name()) && g.orgNodeId() != null)
                .forEach(g -> nodes.findById(g.orgNodeId()).ifPresent(n -> granted.put(n.id(), n)));
        // A node granted under another granted node is already covered by it.
        return granted.values().stream()
                .filter(n -> granted.keySet().stream().noneMatch(other -> !other.equals(n.id()) && nodes.isWithin(n.id(), other)))
                .sorted(java.util.Comparator.comparing(OrgNode::name))
                .toList();
    }

    public static HttpStatusException forbidden() {
        return new HttpStatusException(HttpStatus.FORBIDDEN, FORBIDDEN);
    }

    /** The answer for an unknown id, the same whatever kind of thing was asked for. */
    public static HttpStatusException notFound() {
        return new HttpStatusException(HttpStatus.NOT_FOUND, NOT_FOUND);
    }

    private static Set<String> names(Role... roles) {
        return Set.copyOf(Arrays.stream(roles).map(Role::name).toList());
    }
}
