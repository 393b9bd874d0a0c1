package se.kompetensmal.organization;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonStatus;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Role;

import jakarta.validation.constraints.Size;

import java.util.List;

@Controller("/api/organisations")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OrganizationController {

    private final OrgNodeRepository nodes;
    private final PersonQueries people;
    private final Access access;
    private final OrgNodeLookup lookup;

    public OrganizationController(OrgNodeRepository nodes, PersonQueries people, Access access, OrgNodeLookup lookup) {
        this.lookup = lookup;
        this.nodes = nodes;
        this.people = people;
        this.access = access;
    }

    /** A node with its place in the tree. */
    @Serdeable
    public record OrgNodeDetail(OrgNode node, List<OrgNode> path, List<OrgNode> children) {
    }

    @Operation(summary = "The tops of the caller's remit: the nodes they hold a role on (every huvudman system-wide)")
    @Get
    public List<OrgNode> roots(Authentication caller) {
        return access.roots(caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
    }

    @Operation(summary = "A node by its HSA-id (hsaId), or by its code within a huvudman (huvudman = the huvudman's code, "
            + "code): unit codes are unique within a huvudman, so a code alone answers 409 when several huvudmän use it")
    @Get("/lookup{?hsaId,huvudman,code}")
    public OrgNodeDetail lookup(@Nullable @Size(max = 64) String hsaId, @Nullable @Size(max = 64) String huvudman,
                                @Nullable @Size(max = 64) String code, Authentication caller) {
        if ((hsaId == null || hsaId.isBlank()) && (code == null || code.isBlank())) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "Ange enhetens HSA-id (hsaId) eller kod (code), gärna med huvudman.");
        }
        OrgNode node = lookup.find(hsaId, huvudman, code, n -> access.knowsOf(caller, n.id())).orElseThrow(Access::notFound);
        return get(node.id(), caller);
    }

    @Operation(summary = "One node, the path to it from the top and its children")
    @Get("/{id}")
    public OrgNodeDetail get(long id, Authentication caller) {
        OrgNode node = find(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        return new OrgNodeDetail(node, nodes.findPathTo(id), nodes.findByParentIdOrderByName(id));
    }

    @Operation(summary = "The node and every node under it, top down")
    @Get("/{id}/subtree")
    public List<OrgNode> subtree(long id, Authentication caller) {
        find(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        return nodes.findSubtree(id);
    }

    @Operation(summary = "People placed anywhere under the node, by name, a page at a time")
    @Get("/{id}/people")
    public PersonQueries.PeoplePage people(long id, @QueryValue(defaultValue = "ACTIVE") PersonStatus status,
                                           @QueryValue(defaultValue = "0") int page,
                                           @QueryValue(defaultValue = "50") int size, Authentication caller) {
        find(id, caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        access.requireNames(caller, id);
        if (page < 0 || size < 1 || size > 500) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "page ska vara 0 eller större och size mellan 1 och 500.");
        }
        return people.inSubtree(id, status, page, size);
    }

    private OrgNode find(long id, Authentication caller, Role... roles) {
        OrgNode node = nodes.findById(id)
                .orElseThrow(() -> Access.notFound());
        access.requireOn(caller, id, roles);
        return node;
    }
}
