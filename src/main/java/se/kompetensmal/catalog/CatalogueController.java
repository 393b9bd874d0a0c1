package se.kompetensmal.catalog;

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
import io.swagger.v3.oas.annotations.Operation;

import java.util.List;

@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CatalogueController {

    private final CatalogueQueries catalogue;

    public CatalogueController(CatalogueQueries catalogue) {
        this.catalogue = catalogue;
    }

    @Operation(summary = "Competence goals the caller may see (the national ones and their organisations' own), optionally "
            + "of one audience, with the modules that cover them")
    @Get("/goals")
    public List<CatalogueQueries.GoalView> goals(@QueryValue @Nullable String audience, Authentication caller) {
        return catalogue.goalsVisibleTo(caller, audience);
    }

    // Another organisation's own goal is answered exactly as an unknown code.
    @Operation(summary = "One competence goal by its code")
    @Get("/goals/{code}")
    public CatalogueQueries.GoalView goal(String code, Authentication caller) {
        return catalogue.goalVisibleTo(caller, code)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Kompetensmålet finns inte."));
    }

    @Operation(summary = "The latest version of every module the caller may see and that is not withdrawn")
    @Get("/modules")
    public List<CatalogueQueries.ModuleView> modules(Authentication caller) {
        return catalogue.modules(caller);
    }

    @Operation(summary = "A module at its latest version, with its pages and the list of its versions")
    @Get("/modules/{code}")
    public CatalogueQueries.ModuleDetail module(String code, Authentication caller) {
        return module(code, null, caller);
    }

    @Operation(summary = "A module at a given version")
    @Get("/modules/{code}/versions/{version}")
    public CatalogueQueries.ModuleDetail module(String code, @Nullable Integer version, Authentication caller) {
        // A module the caller may not see is answered as an unknown code, so that nothing is told about it.
        return catalogue.module(code, version, caller).orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND,
                "Modulen " + code + (version == null ? "" : " version " + version) + " finns inte."));
    }
}
