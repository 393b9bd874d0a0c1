package se.kompetensmal.catalog;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.View;
import se.kompetensmal.SwedishTime;

import java.util.List;
import java.util.Map;

/** Pages showing the competence-goal catalogue per audience and the modules. */
@Produces(MediaType.TEXT_HTML)
@Controller("/katalog")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CataloguePages {

    private final CatalogueQueries catalogue;
    private final Audiences audiences;
    private final CatalogueLoader loader;

    public CataloguePages(CatalogueQueries catalogue, Audiences audiences, CatalogueLoader loader) {
        this.catalogue = catalogue;
        this.audiences = audiences;
        this.loader = loader;
    }

    public record AudienceGoals(Audience audience, List<CatalogueQueries.GoalView> goals) {
    }

    @View("catalogue")
    @Get
    public Map<String, Object> catalogue(Authentication caller) {
        List<CatalogueQueries.GoalView> goals = catalogue.goals(null);
        List<AudienceGoals> perAudience = audiences.visibleTo(caller).stream()
                .map(a -> new AudienceGoals(a, goals.stream().filter(g -> g.audiences().contains(a.code())).toList()))
                .toList();
        return Map.of(
                "title", "Kompetensmål och moduler",
                "catalogue", loader.state(),
                "loadedAt", SwedishTime.format(loader.state().loadedAt()),
                "modules", catalogue.modules(),
                "audiences", perAudience);
    }

    @View("module")
    @Get("/moduler/{code}")
    public Map<String, Object> module(String code) {
        CatalogueQueries.ModuleDetail detail = catalogue.module(code, null)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Modulen finns inte."));
        return Map.of("title", detail.module().title(), "detail", detail);
    }
}
