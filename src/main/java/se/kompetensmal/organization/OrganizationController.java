package se.kompetensmal.organization;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonStatus;

import java.util.List;

@Controller("/api/organisations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OrganizationController {

    private final OrgNodeRepository nodes;
    private final PersonQueries people;

    public OrganizationController(OrgNodeRepository nodes, PersonQueries people) {
        this.nodes = nodes;
        this.people = people;
    }

    /** A node with its place in the tree. */
    @Serdeable
    public record OrgNodeDetail(OrgNode node, List<OrgNode> path, List<OrgNode> children) {
    }

    @Operation(summary = "The huvudmän: the top of each organisation tree")
    @Get
    public List<OrgNode> roots() {
        return nodes.findByParentIdIsNullOrderByName();
    }

    @Operation(summary = "One node, the path to it from the top and its children")
    @Get("/{id}")
    public OrgNodeDetail get(long id) {
        OrgNode node = find(id);
        return new OrgNodeDetail(node, nodes.findPathTo(id), nodes.findByParentIdOrderByName(id));
    }

    @Operation(summary = "The node and every node under it, top down")
    @Get("/{id}/subtree")
    public List<OrgNode> subtree(long id) {
        find(id);
        return nodes.findSubtree(id);
    }

    @Operation(summary = "People placed anywhere under the node, by name, a page at a time")
    @Get("/{id}/people")
    public PersonQueries.PeoplePage people(long id, @QueryValue(defaultValue = "ACTIVE") PersonStatus status,
                                           @QueryValue(defaultValue = "0") int page,
                                           @QueryValue(defaultValue = "50") int size) {
        find(id);
        if (page < 0 || size < 1 || size > 500) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "page ska vara 0 eller större och size mellan 1 och 500.");
        }
        return people.inSubtree(id, status, page, size);
    }

    private OrgNode find(long id) {
        return nodes.findById(id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Organisationen " + id + " finns inte."));
    }
}
