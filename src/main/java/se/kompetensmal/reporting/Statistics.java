package se.kompetensmal.reporting;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.standing.Standing;
import se.kompetensmal.standing.Summaries;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures leaders see, counted set-based over the organisation tree in a few statements whatever the size: per
 * audience and per sub-unit, the people counted (active people only, each in every audience they belong to), who has
 * completed their introduction and on time, who is current on continuing education, who is overdue; the trend per month;
 * and per competence goal who holds a valid completion of a module covering it.
 *
 * <p>Where people are counted is where they are placed now (the current placements): a person placed in two units counts
 * in each of them, and once in every total above (people are counted distinct in a group, never placements); per
 * audience by the audiences of their placements in the group. What they have done or have left is theirs, whichever unit
 * asked for it, so their figures are the same in each group they count in.
 */
@Singleton
public class Statistics {

    /** Stands for "all audiences together" where a query groups by audience. */
    static final long ALL_AUDIENCES = 0;

    /**
     * The current placements under {@code :node} of active people (read through the placement index by unit), and those
     * people, each once.
     */
    private static final String PEOPLE = """
            placed AS (SELECT pl.id AS placement_id, pl.person_id, pl.org_node_id
                       FROM org_closure sc JOIN current_placement pl ON pl.org_node_id = sc.descendant_id
                       JOIN person p ON p.id = pl.person_id AND p.status = 'ACTIVE'
                       WHERE sc.ancestor_id = :node),
            people AS (SELECT DISTINCT person_id AS id FROM placed)""";

    private final NamedSql sql;
    private final Summaries summaries;

    public Statistics(NamedSql sql, Summaries summaries) {
        this.sql = sql;
        this.summaries = summaries;
    }

    /** The raw counts of one group (a node and everything under it) and audience. */
    @Serdeable
    public record Counts(long groupId, long audienceId, long headcount, long withIntroduction, long introductionDone,
                         long introductionOnTime, long withContinuing, long continuingCurrent, long overdue) {
        /** A group with nobody in it: the query returns no row for it. */
        static Counts nobody(long groupId) {
            return new Counts(groupId, ALL_AUDIENCES, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    @Serdeable
    public record Month(LocalDate monthEnd, long completions, long withIntroduction, long introductionDone, long people,
                        long overdue, boolean estimated) {
    }

    /**
     * Counts for the node and each of its direct sub-units, per audience and for all audiences together
     * ({@link #ALL_AUDIENCES}). Groups without people are absent. Read from the summaries where they are kept for the
     * day (a few rows by primary key, whatever the size), else counted live.
     */
    public List<Counts> counts(long nodeId, LocalDate today) {
        if (!summaries.keptFor(today)) {
            return liveCounts(nodeId, today);
        }
        // The node's rows, then its children's, each by key: with OR the national view read every row of the table
        // (13.8 ms at factor 0.05, where 311 children hold some 2,000 rows of about 10,000).
        return sql.list("""
                SELECT t.node_id AS group_id, t.audience_id, t.headcount, t.with_introduction, t.introduction_done,
                       t.introduction_on_time, t.with_continuing, t.continuing_current, t.overdue
                FROM standing_summary t
                WHERE t.node_id = :node AND t.headcount > 0
                UNION ALL
                SELECT t.node_id, t.audience_id, t.headcount, t.with_introduction, t.introduction_done,
                       t.introduction_on_time, t.with_continuing, t.continuing_current, t.overdue
                FROM org_node c JOIN standing_summary t ON t.node_id = c.id
                WHERE c.parent_id = :node AND t.headcount > 0""",
                NamedSql.with("node", nodeId), Statistics::counts);
    }

    /**
     * The same counts, counted now from the base tables with the one definition of a person's standing
     * ({@link Standing}): the oracle the summaries are tested against and the benchmark's floor.
     */
    public List<Counts> liveCounts(long nodeId, LocalDate today) {
        String sql = "WITH " + PEOPLE + """
                , memberships AS (
                    SELECT pd.person_id, pd.org_node_id, pa.audience_id
                    FROM placed pd JOIN placement_audience pa ON pa.placement_id = pd.placement_id
                    UNION ALL
                    SELECT pd.person_id, pd.org_node_id, 0 FROM placed pd),
                person_audiences AS (SELECT DISTINCT person_id, audience_id FROM memberships),
                """ + Standing.OF_PERSON_AUDIENCES + """
                ,
                grp AS (SELECT id FROM org_node WHERE id = :node OR parent_id = :node),
                -- Each person once in a group and audience, however many of their placements lie in it.
                members AS (SELECT DISTINCT g.id AS group_id, m.person_id, m.audience_id
                            FROM grp g JOIN org_closure gc ON gc.ancestor_id = g.id
                            JOIN memberships m ON m.org_node_id = gc.descendant_id)
                SELECT m.group_id, m.audience_id, """ + Standing.SUMS + """

                FROM members m
                LEFT JOIN person_standing s ON s.person_id = m.person_id AND s.audience_id = m.audience_id
                GROUP BY m.group_id, m.audience_id""";
        return this.sql.list(sql, NamedSql.with("node", nodeId).and("today", today), Statistics::counts);
    }

    /** A row of counts by its column names: a group ({@code group_id}), its audience and the sums of {@link Standing#SUMS}. */
    public static Counts counts(NamedSql.Row row) throws java.sql.SQLException {
        return new Counts(row.number("group_id"), row.number("audience_id"), row.number("headcount"),
                row.number("with_introduction"), row.number("introduction_done"), row.number("introduction_on_time"),
                row.number("with_continuing"), row.number("continuing_current"), row.number("overdue"));
    }

    /** The moment the figures are true for: now when counted live, else the oldest change not yet in the summaries. */
    public java.time.Instant figuresAt(LocalDate today) {
        return summaries.figuresAt(today);
    }

    /**
     * The last 24 months of the node: the completions taken in each, and how the node stood at each month end: its people,
     * those with an introduction and those done with it, those with something overdue (for the month not yet over, today,
     * so that its figures are the overview's). Where the sums are kept, a past month is as it stood at its end, with that
     * month's people ({@code estimated}: counted afterwards with the people of the sums' first build); else all months are
     * counted now, with today's people.
     */
    public List<Month> trend(long nodeId, LocalDate today) {
        if (!summaries.keptFor(today)) {
            return liveTrend(nodeId, today);
        }
        return sql.list("WITH RECURSIVE " + Standing.MONTHS + """

                SELECT mo.month_end, COALESCE(cs.completions, 0) AS completions, COALESCE(st.headcount, 0) AS headcount,
                       COALESCE(st.with_introduction, 0) AS with_introduction,
                       COALESCE(st.introduction_done, 0) AS introduction_done, COALESCE(st.overdue, 0) AS overdue,
                       COALESCE(st.estimated, FALSE) AS estimated
                FROM months mo
                LEFT JOIN (SELECT month_end, headcount, with_introduction, introduction_done, overdue, estimated
                           FROM standing_month WHERE node_id = :node AND month_end < :last
                           UNION ALL
                           SELECT :last, headcount, with_introduction, introduction_done, overdue, FALSE
                           FROM standing_summary WHERE node_id = :node AND audience_id = 0) st ON st.month_end = mo.month_end
                LEFT JOIN completion_summary cs ON cs.node_id = :node AND cs.month_end = mo.month_end
                ORDER BY mo.month_end""", trendWindow(nodeId, today), Statistics::month);
    }

    /**
     * The same months counted now from the base tables, with today's people under the node, by the one definition of how
     * a group stood at a month end ({@link Standing#AT_MONTH_ENDS}) and of a month's completions: the oracle.
     */
    public List<Month> liveTrend(long nodeId, LocalDate today) {
        return sql.list("WITH RECURSIVE " + Standing.MONTHS + ",\n" + PEOPLE + """
                ,
                members AS (SELECT :node AS node_id, id AS person_id FROM people),
                """ + Standing.AT_MONTH_ENDS + ",\n" + Standing.COMPLETIONS_BY_MONTH + """

                SELECT mo.month_end, COALESCE(co.completions, 0) AS completions, COALESCE(nm.headcount, 0) AS headcount,
                       COALESCE(nm.with_introduction, 0) AS with_introduction,
                       COALESCE(nm.introduction_done, 0) AS introduction_done, COALESCE(nm.overdue, 0) AS overdue,
                       FALSE AS estimated
                FROM months mo
                LEFT JOIN node_months nm ON nm.month_end = mo.month_end
                LEFT JOIN (SELECT month_end, SUM(completions) AS completions FROM person_months GROUP BY month_end) co
                       ON co.month_end = mo.month_end
                ORDER BY mo.month_end""", trendWindow(nodeId, today), Statistics::month);
    }

    private static NamedSql.Params trendWindow(long nodeId, LocalDate today) {
        LocalDate first = today.minusMonths(23);
        return NamedSql.with("node", nodeId).and("today", today).and("first", first.withDayOfMonth(first.lengthOfMonth()))
                .and("last", today.withDayOfMonth(today.lengthOfMonth()));
    }

    private static Month month(NamedSql.Row row) throws java.sql.SQLException {
        return new Month(row.date("month_end"), row.number("completions"), row.number("with_introduction"),
                row.number("introduction_done"), row.number("headcount"), row.number("overdue"), row.flag("estimated"));
    }

    /**
     * Per audience and goal of the audience, the people of the audience under the node (by the audiences of their
     * placements there) who hold a completion of a module
     * covering the goal that has not expired (a completion of a recurring cycle expires; one without a cycle does not).
     * An organisation's own goal counts only the people placed in its owner's subtree, those it applies to: the goals a caller
     * sees at the node are chosen by {@code GoalCoverage}, and no one outside the owner's subtree is counted for one.
     */
    public Map<Long, Map<String, Long>> goalHolders(long nodeId, LocalDate today) {
        return holders(summaries.keptFor(today) ? GOAL_HOLDERS_KEPT : liveGoalHolders(), nodeId, today);
    }

    /** The goal holders counted now from the base tables, with the one definition of holding a goal ({@link Standing}). */
    public Map<Long, Map<String, Long>> liveGoalHolders(long nodeId, LocalDate today) {
        return holders(liveGoalHolders(), nodeId, today);
    }

    /** Goal holders read from the summaries: a few hundred rows by primary key, whatever the size. */
    private static final String GOAL_HOLDERS_KEPT = """
                SELECT gs.audience_id, g.code, gs.holders
                FROM competence_goal g
                JOIN competence_goal_audience ga ON ga.goal_id = g.id
                -- An organisation own goal counts those placed in its owner subtree: below the node, the owner row
                -- holds exactly them; at or under the owner, the node row does.
                JOIN goal_summary gs ON gs.goal_id = g.id AND gs.audience_id = ga.audience_id
                     AND gs.node_id = CASE
                         WHEN g.owner_org_id IS NULL THEN :node
                         WHEN EXISTS (SELECT 1 FROM org_closure o WHERE o.ancestor_id = :node AND o.descendant_id = g.owner_org_id)
                             THEN g.owner_org_id
                         WHEN EXISTS (SELECT 1 FROM org_closure o WHERE o.ancestor_id = g.owner_org_id AND o.descendant_id = :node)
                             THEN :node END
                WHERE gs.holders > 0""";

    private Map<Long, Map<String, Long>> holders(String query, long nodeId, LocalDate today) {
        Map<Long, Map<String, Long>> holders = new LinkedHashMap<>();
        sql.list(query, NamedSql.with("node", nodeId).and("today", today), row -> new GoalHolders(row.number("audience_id"),
                        row.string("code"), row.number("holders")))
                .forEach(h -> holders.computeIfAbsent(h.audienceId(), key -> new LinkedHashMap<>()).put(h.goal(), h.holders()));
        return holders;
    }

    private static String liveGoalHolders() {
        // The node placements are read first, as a derived table (DISTINCT keeps it from being merged): merged, the
        // optimiser started from the goals and read every placement of an audience in the database, 11.6 s against
        // 0.16 s for one administration among 100,000 people in the test database.
        return "WITH " + PEOPLE + ",\n" + Standing.GOALS_HELD + """

                SELECT pa.audience_id, g.code, COUNT(DISTINCT pd.person_id) AS holders
                FROM (SELECT DISTINCT placement_id, person_id, org_node_id FROM placed) pd
                JOIN placement_audience pa ON pa.placement_id = pd.placement_id
                JOIN competence_goal_audience ga ON ga.audience_id = pa.audience_id
                JOIN competence_goal g ON g.id = ga.goal_id
                JOIN person_goals h ON h.person_id = pd.person_id AND h.goal_id = g.id
                WHERE g.owner_org_id IS NULL OR EXISTS (SELECT 1 FROM org_closure own WHERE own.ancestor_id = g.owner_org_id
                                                                                    AND own.descendant_id = pd.org_node_id)
                GROUP BY pa.audience_id, g.code""";
    }

    private record GoalHolders(long audienceId, String goal, long holders) {
    }
}
