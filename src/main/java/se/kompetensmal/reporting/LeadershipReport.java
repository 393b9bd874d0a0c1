package se.kompetensmal.reporting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.AudienceRepository;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.routines.GoalCoverage;
import se.kompetensmal.routines.RoutineService;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything a leader's report on a node shows, as figures with what was counted, computed for one day: the overview per
 * audience and per sub-unit, the trend, competence-goal coverage and the routine matrix. Aggregates only: no names, and
 * no figure that reveals a group of fewer than five ({@link Suppression}); every output reads this one report.
 */
@Singleton
public class LeadershipReport {

    private final Statistics statistics;
    private final RoutineMatrix matrix;
    private final GoalCoverage coverage;
    private final RoutineService routines;
    private final AudienceRepository audiences;
    private final OrgNodeRepository nodes;
    private final ModuleTitles moduleTitles;

    public LeadershipReport(Statistics statistics, RoutineMatrix matrix, GoalCoverage coverage, RoutineService routines,
                            AudienceRepository audiences, OrgNodeRepository nodes, ModuleTitles moduleTitles) {
        this.moduleTitles = moduleTitles;
        this.statistics = statistics;
        this.matrix = matrix;
        this.coverage = coverage;
        this.routines = routines;
        this.audiences = audiences;
        this.nodes = nodes;
    }

    /** One group's figures: a whole node or one audience in it. */
    @Serdeable
    public record Figures(String label, @Nullable Long nodeId, @Nullable String audience, Share headcount, Share introduction,
                          Share introductionOnTime, Share continuingCurrent, Share overdue) {
        Figures withLabel(String other) {
            return new Figures(other, nodeId, audience, headcount, introduction, introductionOnTime, continuingCurrent, overdue);
        }
    }

    /**
     * A month: the completions taken in it, the share with their introduction done at its end, and the share of the people
     * with something overdue at its end (withheld as the node's headcount is); {@code estimated}: its shares were counted
     * afterwards with later people, not at its end.
     */
    @Serdeable
    public record TrendPoint(LocalDate monthEnd, Share completions, Share introductionDone, Share overdue, boolean estimated) {
    }

    /** A competence goal: the routines here that reach it, the titles of the modules that cover it, and who holds it. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record GoalRow(String code, String text, List<String> coveredBy, List<String> modules, Share holders,
                          @Nullable String owner) {
        public boolean covered() {
            return !coveredBy.isEmpty();
        }
    }

    @Serdeable
    public record GoalAudience(String audience, String audienceName, Share headcount, int uncovered, List<GoalRow> goals) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Report(long nodeId, String nodeName, LocalDate computedFor, String figuresAt, Figures total, List<Figures> audiences,
                         List<Figures> subUnits, List<TrendPoint> trend, List<GoalAudience> goals, RoutineMatrix.Matrix matrix) {
    }

    /** The time of day the figures are true for, as the page says it ("siffror per 14:02"). */
    private static final java.time.format.DateTimeFormatter FIGURES_AT = java.time.format.DateTimeFormatter.ofPattern("HH:mm")
            .withZone(se.kompetensmal.SwedishTime.ZONE);

    public Report of(OrgNode node, LocalDate today) {
        long id = node.id();
        Map<Long, Audience> byId = audiences.listOrderBySortOrderAndCode().stream().collect(Collectors.toMap(Audience::id, a -> a));
        // Read before the figures: the summaries hold every change made before this moment (or more).
        String figuresAt = FIGURES_AT.format(statistics.figuresAt(today));
        List<Statistics.Counts> counts = statistics.counts(id, today);
        Map<Long, Statistics.Counts> ownByAudience = counts.stream().filter(c -> c.groupId() == id)
                .collect(Collectors.toMap(Statistics.Counts::audienceId, Function.identity()));
        Statistics.Counts whole = ownByAudience.getOrDefault(Statistics.ALL_AUDIENCES, Statistics.Counts.nobody(id));

        Figures total = figures(node.name(), id, null, whole, EnumSet.noneOf(Suppression.Base.class));
        List<Audience> audienceParts = audiences.listOrderBySortOrderAndCode().stream()
                .filter(a -> ownByAudience.containsKey(a.id())).toList();
        List<EnumSet<Suppression.Base>> audiencesHidden = Suppression.hidden(whole,
                audienceParts.stream().map(a -> ownByAudience.get(a.id())).toList());
        List<Figures> perAudience = new ArrayList<>();
        Map<Long, EnumSet<Suppression.Base>> hiddenByAudience = new HashMap<>();
        for (int i = 0; i < audienceParts.size(); i++) {
            Audience a = audienceParts.get(i);
            perAudience.add(figures(a.nameSv(), id, a.code(), ownByAudience.get(a.id()), audiencesHidden.get(i)));
            hiddenByAudience.put(a.id(), audiencesHidden.get(i));
        }
        Map<Long, Statistics.Counts> childTotals = counts.stream()
                .filter(c -> c.groupId() != id && c.audienceId() == Statistics.ALL_AUDIENCES)
                .collect(Collectors.toMap(Statistics.Counts::groupId, Function.identity()));
        List<OrgNode> children = nodes.findByParentIdOrderByName(id);
        List<Statistics.Counts> childCounts = children.stream()
                .map(child -> childTotals.getOrDefault(child.id(), Statistics.Counts.nobody(child.id()))).toList();
        List<EnumSet<Suppression.Base>> childrenHidden = Suppression.hidden(whole, childCounts);
        List<Figures> subUnits = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            subUnits.add(figures(children.get(i).name(), children.get(i).id(), null, childCounts.get(i), childrenHidden.get(i)));
        }
        List<TrendPoint> trend = statistics.trend(id, today).stream()
                .map(m -> new TrendPoint(m.monthEnd(), Suppression.countBy(total.headcount(), m.completions()),
                        Share.of(m.introductionDone(), m.withIntroduction()),
                        Suppression.share(m.overdue(), m.people(), total.headcount().hidden()), m.estimated()))
                .toList();
        return new Report(id, node.name(), today, figuresAt, total, perAudience, subUnits, trend,
                goals(id, today, ownByAudience, hiddenByAudience, byId), matrix.at(id));
    }

    private List<GoalAudience> goals(long nodeId, LocalDate today, Map<Long, Statistics.Counts> headcounts,
                                     Map<Long, EnumSet<Suppression.Base>> hiddenByAudience, Map<Long, Audience> byId) {
        Map<Long, Map<String, Long>> holders = statistics.goalHolders(nodeId, today);
        Map<String, String> titles = moduleTitles.all();
        Map<String, Long> idByCode = byId.values().stream().collect(Collectors.toMap(Audience::code, Audience::id));
        Map<Long, Map<Long, Statistics.Counts>> headcountsOfOwners = new HashMap<>();
        return coverage.at(nodeId, routines.inForceAt(nodeId)).stream().map(audience -> {
            long audienceId = idByCode.get(audience.code());
            long people = headcounts.containsKey(audienceId) ? headcounts.get(audienceId).headcount() : 0;
            // The audience's people as the overview shows them: hidden there, hidden here.
            boolean hidden = hiddenByAudience.getOrDefault(audienceId, EnumSet.noneOf(Suppression.Base.class))
                    .contains(Suppression.Base.PEOPLE);
            Share headcount = Suppression.count(people, hidden);
            Map<String, Long> held = holders.getOrDefault(audienceId, Map.of());
            List<GoalRow> rows = audience.goals().stream().map(goal -> new GoalRow(goal.code(), goal.textSv(), goal.coveredBy(),
                    goal.modules().stream().map(code -> titles.getOrDefault(code, code)).toList(),
                    goal.ownedBelow()
                            ? ownedBelowShare(goal, audienceId, held.getOrDefault(goal.code(), 0L), today, headcountsOfOwners)
                            : Suppression.share(held.getOrDefault(goal.code(), 0L), people, hidden),
                    goal.owner())).toList();
            return new GoalAudience(audience.code(), audience.nameSv(), headcount,
                    (int) rows.stream().filter(r -> !r.covered()).count(), rows);
        }).toList();
    }

    /**
     * The share holding a goal owned by a unit under the node: of the audience's people in the unit's subtree, not of the
     * whole node's. A region leader reading "Eget mål för Enhet X: 40 %" believes 40 % of those the goal is for hold it;
     * a share of the whole region would look like a failure of people the goal never applied to. The unit's group is
     * withheld as the unit's own statistics withhold it (fewer than five).
     */
    private Share ownedBelowShare(GoalCoverage.Goal goal, long audienceId, long held, LocalDate today,
                                  Map<Long, Map<Long, Statistics.Counts>> headcountsOfOwners) {
        long owner = goal.ownerOrgId();
        Map<Long, Statistics.Counts> ofOwner = headcountsOfOwners.computeIfAbsent(owner, id -> statistics.counts(id, today)
                .stream().filter(c -> c.groupId() == id)
                .collect(Collectors.toMap(Statistics.Counts::audienceId, Function.identity())));
        Statistics.Counts counts = ofOwner.get(audienceId);
        return Suppression.share(held, counts == null ? 0 : counts.headcount(), false);
    }

    /** A row's figures, each withheld as its denominator's group is (small, or hidden beside a small sibling). */
    private static Figures figures(String label, long nodeId, @Nullable String audience, Statistics.Counts c,
                                   EnumSet<Suppression.Base> hidden) {
        boolean people = hidden.contains(Suppression.Base.PEOPLE);
        boolean introduction = hidden.contains(Suppression.Base.INTRODUCTION);
        return new Figures(label, nodeId, audience, Suppression.count(c.headcount(), people),
                Suppression.share(c.introductionDone(), c.withIntroduction(), introduction),
                Suppression.share(c.introductionOnTime(), c.withIntroduction(), introduction),
                Suppression.share(c.continuingCurrent(), c.withContinuing(), hidden.contains(Suppression.Base.CONTINUING)),
                Suppression.share(c.overdue(), c.headcount(), people));
    }
}
