package se.kompetensmal.organization;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.View;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonStatus;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Role;

import java.util.HashMap;
import java.util.Map;

/** Pages for browsing the organisation tree and the people in it. */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OrganizationPages {

    private static final int PAGE_SIZE = 50;

    private final OrgNodeRepository nodes;
    private final PersonQueries people;
    private final OrganizationOverview overview;
    private final Access access;

    public OrganizationPages(OrgNodeRepository nodes, PersonQueries people, OrganizationOverview overview, Access access) {
        this.nodes = nodes;
        this.people = people;
        this.overview = overview;
        this.access = access;
    }

    @View("organisations")
    @Get
    public Map<String, Object> list(Authentication caller) {
        return Map.of("title", "Organisationer",
                "children", overview.withHeadcounts(access.roots(caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR)),
                "childrenCaption", "Organisationer du har behörighet till, med antal aktiva personer.");
    }

    @View("organisation")
    @Get("/{id}")
    public Map<String, Object> show(long id, @QueryValue(defaultValue = "1") int sida, Authentication caller) {
        OrgNode node = nodes.findById(id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Organisationen finns inte."));
        access.requireOn(caller, id, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        Map<String, Object> model = new HashMap<>();
        // Leaders see aggregates only; names are for coordinators and administrators.
        if (access.holdsOn(caller, id, Role.COORDINATOR, Role.ADMINISTRATOR)) {
            int page = Math.max(sida, 1);
            PersonQueries.PeoplePage list = people.inSubtree(id, PersonStatus.ACTIVE, page - 1, PAGE_SIZE);
            long pageCount = Math.max(1, (list.total() + PAGE_SIZE - 1) / PAGE_SIZE);
            model.put("people", list);
            model.put("pageNumber", page);
            model.put("pageCount", pageCount);
            model.put("previousPage", page > 1 ? page - 1 : null);
            model.put("nextPage", page < pageCount ? page + 1 : null);
        }
        model.put("title", node.name());
        model.put("node", node);
        model.put("path", nodes.findPathTo(id).stream().filter(n -> access.holdsOn(caller, n.id(),
                Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR)).toList());
        model.put("children", overview.childrenOf(id));
        model.put("childrenCaption", "Nivåer direkt under " + node.name() + " och antal aktiva personer i var och en.");
        model.put("headcounts", people.headcountsByAudience(id));
        return model;
    }
}
