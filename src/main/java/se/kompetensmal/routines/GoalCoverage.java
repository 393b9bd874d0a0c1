package se.kompetensmal.routines;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.catalog.AudienceRepository;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.CatalogueQueries;
import se.kompetensmal.catalog.Goals;
import se.kompetensmal.catalog.ModuleTitles;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of an audience's competence goals the routines in force at a node reach: a goal is covered when a routine for the
 * audience includes a module that covers it. The goals nobody covers are what a coordinator needs to see.
 * <p>
 * The goals are those {@link Goals#SHOWN_AT} the node: the national ones, the organisation's own goals owned at the node
 * or above, and those owned by a node under it. An own goal of a unit is shown at the region above, named "Eget mål för
 * Enhet X" and with the coverage the unit's routines give it (those in force at the unit, the region's included): a
 * region leader reading "inte täckt" would otherwise believe the region must act, or read "täckt" for a goal only the
 * unit's people are meant to reach. Another organisation's goals never appear.
 */
@Singleton
public class GoalCoverage {

    private final CatalogueQueries catalogue;
    private final AudienceRepository audiences;
    private final Audiences usable;
    private final ModuleTitles titles;
    private final Goals goals;
    private final RoutineService routines;

    public GoalCoverage(CatalogueQueries catalogue, AudienceRepository audiences, Audiences usable, ModuleTitles titles,
                        Goals goals, RoutineService routines) {
        this.titles = titles;
        this.catalogue = catalogue;
        this.audiences = audiences;
        this.usable = usable;
        this.goals = goals;
        this.routines = routines;
    }

    /**
     * One goal: the modules in the catalogue that cover it, and the routines that reach it (none: uncovered).
     * {@code owner} is null for a national goal, "Egen (Region X)" for an own goal applying here, "Eget mål för Enhet X"
     * for one owned by a node under this one; {@code ownerOrgId} is the owner node.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Goal(String code, String textSv, List<String> modules, List<String> coveredBy,
                       List<RoutineView.Module> titledModules, @Nullable String owner, @Nullable Long ownerOrgId,
                       boolean ownedBelow) {
        public boolean covered() {
            return !coveredBy.isEmpty();
        }
    }

    @Serdeable
    public record Audience(String code, String nameSv, int covered, int total, List<Goal> goals) {
    }

    /** How an own goal is named beside the national ones at a node: see the class comment. */
    public static @Nullable String ownerLabel(CatalogueQueries.GoalView goal, boolean ownedBelow) {
        if (!goal.own()) {
            return null;
        }
        return ownedBelow ? "Eget mål för " + goal.ownerName() : "Egen (" + goal.ownerName() + ")";
    }

    /** The coverage at a node given by the routines in force there (as {@link RoutineService#inForceAt} lists them). */
    public List<Audience> at(long nodeId, List<RoutineView> inForce) {
        List<CatalogueQueries.GoalView> shown = catalogue.goalsShownAt(nodeId);
        Set<String> applying = goals.usableAt(nodeId);
        Map<String, String> titled = titles.all();
        Map<Long, List<RoutineView>> inForceByOwner = new HashMap<>();
        // The audiences usable here, and an audience of a unit's own that only a unit's own goal uses.
        Set<String> listed = new LinkedHashSet<>();
        usable.usableUnder(nodeId).forEach(a -> listed.add(a.code()));
        shown.forEach(g -> listed.addAll(g.audiences()));
        return audiences.listOrderBySortOrderAndCode().stream().filter(a -> listed.contains(a.code())).map(audience -> {
            List<Goal> rows = shown.stream().filter(g -> g.audiences().contains(audience.code())).map(g -> {
                boolean below = !applying.contains(g.code());
                List<RoutineView> reaching = below
                        ? inForceByOwner.computeIfAbsent(g.ownerOrgId(), routines::inForceAt)
                        : inForce;
                return new Goal(g.code(), g.textSv(), g.modules(), reaching.stream()
                        .filter(r -> r.audience().equals(audience.code()))
                        .filter(r -> r.modules().stream().anyMatch(g.modules()::contains))
                        .map(r -> r.routine().name()).toList(),
                        g.modules().stream().map(m -> new RoutineView.Module(m, titled.getOrDefault(m, m))).toList(),
                        ownerLabel(g, below), g.ownerOrgId(), below);
            }).toList();
            return new Audience(audience.code(), audience.nameSv(), (int) rows.stream().filter(Goal::covered).count(),
                    rows.size(), rows);
        }).toList();
    }
}
