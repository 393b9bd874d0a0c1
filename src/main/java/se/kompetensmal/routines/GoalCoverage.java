package se.kompetensmal.routines;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.catalog.AudienceRepository;
import se.kompetensmal.catalog.CatalogueQueries;
import se.kompetensmal.catalog.ModuleTitles;

import java.util.List;
import java.util.Map;

/**
 * Which of an audience's competence goals the routines in force at a node reach: a goal is covered when a routine for the
 * audience includes a module that covers it. The goals nobody covers are what a coordinator needs to see.
 */
@Singleton
public class GoalCoverage {

    private final CatalogueQueries catalogue;
    private final AudienceRepository audiences;
    private final ModuleTitles titles;

    public GoalCoverage(CatalogueQueries catalogue, AudienceRepository audiences, ModuleTitles titles) {
        this.titles = titles;
        this.catalogue = catalogue;
        this.audiences = audiences;
    }

    /** One goal: the modules in the catalogue that cover it, and the routines here that reach it (none: uncovered). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Goal(String code, String textSv, List<String> modules, List<String> coveredBy,
                       List<RoutineView.Module> titledModules) {
        public boolean covered() {
            return !coveredBy.isEmpty();
        }
    }

    @Serdeable
    public record Audience(String code, String nameSv, int covered, int total, List<Goal> goals) {
    }

    /**
     * The coverage given by the routines in force at a node (as {@link RoutineService#inForceAt} lists them), with the
     * modules that could cover each goal there: those assignable at the node.
     */
    public List<Audience> of(long nodeId, List<RoutineView> inForce) {
        List<CatalogueQueries.GoalView> goals = catalogue.goalsAt(null, nodeId);
        Map<String, String> titled = titles.all();
        return audiences.listOrderBySortOrderAndCode().stream().map(audience -> {
            List<RoutineView> forAudience = inForce.stream().filter(r -> r.audience().equals(audience.code())).toList();
            List<Goal> rows = goals.stream().filter(g -> g.audiences().contains(audience.code()))
                    .map(g -> new Goal(g.code(), g.textSv(), g.modules(), forAudience.stream()
                            .filter(r -> r.modules().stream().anyMatch(g.modules()::contains))
                            .map(r -> r.routine().name()).toList(),
                            g.modules().stream().map(m -> new RoutineView.Module(m, titled.getOrDefault(m, m))).toList()))
                    .toList();
            return new Audience(audience.code(), audience.nameSv(), (int) rows.stream().filter(Goal::covered).count(),
                    rows.size(), rows);
        }).toList();
    }
}
