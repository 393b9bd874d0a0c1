package se.kompetensmal.web;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.View;
import se.kompetensmal.catalog.CatalogueLoader;
import se.kompetensmal.organization.OrganizationOverview;
import se.kompetensmal.people.PersonQueries;

import java.util.List;
import java.util.Map;

/** The start page: what the service holds, at a glance. */
@Produces(MediaType.TEXT_HTML)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class HomePage {

    private final PersonQueries people;
    private final OrganizationOverview overview;
    private final CatalogueLoader catalogue;

    public HomePage(PersonQueries people, OrganizationOverview overview, CatalogueLoader catalogue) {
        this.people = people;
        this.overview = overview;
        this.catalogue = catalogue;
    }

    @View("home")
    @Get
    public Map<String, Object> home() {
        List<PersonQueries.AudienceHeadcount> headcounts = people.headcountsByAudience(null);
        List<OrganizationOverview.NodeWithHeadcount> roots = overview.childrenOf(null);
        return Map.of(
                "title", "Översikt",
                "headcounts", headcounts,
                "children", roots,
                "childrenCaption", "Huvudmän och antal aktiva personer.",
                "huvudman", roots.size(),
                "activePeople", roots.stream().mapToLong(OrganizationOverview.NodeWithHeadcount::people).sum(),
                "catalogue", catalogue.state());
    }
}
