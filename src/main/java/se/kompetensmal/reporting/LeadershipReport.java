package se.kompetensmal.reporting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.AudienceRepository;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.routines.GoalCoverage;
import se.kompetensmal.routines.RoutineService;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything a leader's report on a node shows, as figures with what was counted, computed for one day: the overview per
 * audience and per sub-unit, the trend, competence-goal coverage and the routine matrix. Aggregates only: no names.
 */
@Singleton
public class LeadershipReport {

    private final Statistics statistics;
    private final RoutineMatrix matrix;
    private final GoalCoverage coverage;
    private final RoutineService routines;
    private final AudienceRepository audiences;
    private final OrgNodeRepository nodes;

    public LeadershipReport(Statistics statistics, RoutineMatrix matrix, GoalCoverage coverage, RoutineService routines,
                            AudienceRepository audiences, OrgNodeRepository nodes) {
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

    @Serdeable
    public record TrendPoint(LocalDate monthEnd, long completions, Share introductionDone) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record GoalRow(String code, String text, List<String> coveredBy, Share holders) {
        public boolean covered() {
            return !coveredBy.isEmpty();
        }
    }

    @Serdeable
    public record GoalAudience(String audience, String audienceName, Share headcount, int uncovered, List<GoalRow> goals) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Report(long nodeId, String nodeName, LocalDate computedFor, Figures total, List<Figures> audiences,
                         List<Figures> subUnits, List<TrendPoint> trend, List<GoalAudience> goals, RoutineMatrix.Matrix matrix) {
    }

    public Report of(OrgNode node, LocalDate today) {
        long id = node.id();
        Map<Long, Audience> byId = audiences.listOrderBySortOrderAndCode().stream().collect(Collectors.toMap(Audience::id, a -> a));
        List<Statistics.Counts> counts = statistics.counts(id, today);
        Map<Long, Statistics.Counts> ownByAudience = counts.stream().filter(c -> c.groupId() == id)
                .collect(Collectors.toMap(Statistics.Counts::audienceId, Function.identity()));

        Figures total = figures(node.name(), id, null, ownByAudience.getOrDefault(Statistics.ALL_AUDIENCES, Statistics.Counts.nobody(id)));
        List<Figures> perAudience = audiences.listOrderBySortOrderAndCode().stream()
                .filter(a -> ownByAudience.containsKey(a.id()))
                .map(a -> figures(a.nameSv(), id, a.code(), ownByAudience.get(a.id()))).toList();
        Map<Long, Statistics.Counts> childTotals = counts.stream()
                .filter(c -> c.groupId() != id && c.audienceId() == Statistics.ALL_AUDIENCES)
                .collect(Collectors.toMap(Statistics.Counts::groupId, Function.identity()));
        List<Figures> subUnits = nodes.findByParentIdOrderByName(id).stream()
                .map(child -> figures(child.name(), child.id(), null, childTotals.getOrDefault(child.id(),
                        Statistics.Counts.nobody(child.id()))))
                .toList();
        List<TrendPoint> trend = statistics.trend(id, today).stream()
                .map(m -> new TrendPoint(m.monthEnd(), m.completions(), Share.of(m.introductionDone(), m.withIntroduction())))
                .toList();
        return new Report(id, node.name(), today, total, perAudience, subUnits, trend,
                goals(id, today, ownByAudience, byId), matrix.at(id));
    }

    private List<GoalAudience> goals(long nodeId, LocalDate today, Map<Long, Statistics.Counts> headcounts, Map<Long, Audience> byId) {
        Map<Long, Map<String, Long>> holders = statistics.goalHolders(nodeId, today);
        Map<String, Long> idByCode = byId.values().stream().collect(Collectors.toMap(Audience::code, Audience::id));
        return coverage.of(routines.inForceAt(nodeId)).stream().map(audience -> {
            long audienceId = idByCode.get(audience.code());
            long people = headcounts.containsKey(audienceId) ? headcounts.get(audienceId).headcount() : 0;
            Map<String, Long> held = holders.getOrDefault(audienceId, Map.of());
            List<GoalRow> rows = audience.goals().stream().map(goal -> new GoalRow(goal.code(), goal.textSv(), goal.coveredBy(),
                    Share.of(held.getOrDefault(goal.code(), 0L), people))).toList();
            return new GoalAudience(audience.code(), audience.nameSv(), Share.count(people),
                    (int) rows.stream().filter(r -> !r.covered()).count(), rows);
        }).toList();
    }

    private static Figures figures(String label, long nodeId, @Nullable String audience, Statistics.Counts c) {
        return new Figures(label, nodeId, audience, Share.count(c.headcount()), Share.of(c.introductionDone(), c.withIntroduction()),
                Share.of(c.introductionOnTime(), c.withIntroduction()), Share.of(c.continuingCurrent(), c.withContinuing()),
                Share.of(c.overdue(), c.headcount()));
    }
}
