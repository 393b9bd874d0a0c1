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
                        long overdue) {
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
        return sql.list("""
                SELECT t.node_id AS group_id, t.audience_id, t.headcount, t.with_introduction, t.introduction_done,
                       t.introduction_on_time, t.with_continuing, t.continuing_current, t.overdue
                FROM standing_summary t
                WHERE t.headcount > 0
                  AND (t.node_id = :node OR t.node_id IN (SELECT id FROM org_node WHERE parent_id = :node))""",
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
     * The last 24 months, each with the completions taken in it, how many of the people with an introduction had completed
     * all of it by the month's end, and how many people had something overdue at the month's end (for the month not yet
     * over, today, so that its figure is the overview's). Counted over the people active today.
     */
    public List<Month> trend(long nodeId, LocalDate today) {
        String query = "WITH RECURSIVE months AS (SELECT LAST_DAY(:today - INTERVAL 23 MONTH) AS month_end UNION ALL "
                + "SELECT LAST_DAY(month_end + INTERVAL 1 DAY) FROM months WHERE month_end < LAST_DAY(:today)), " + PEOPLE + """
                , introductions AS (
                    SELECT a.person_id, MIN(a.completion_id IS NOT NULL OR e.person_id IS NOT NULL) AS all_done,
                           MAX(CASE WHEN e.person_id IS NULL THEN c.completed_on END) AS done_on
                    FROM people pe JOIN assignment a ON a.person_id = pe.id AND a.withdrawn_at IS NULL
                    JOIN routine r ON r.id = a.routine_id AND r.kind = 'INTRODUCTION'
                    LEFT JOIN counted_completion c ON c.id = a.completion_id
                    LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                    GROUP BY a.person_id),
                monthly AS (
                    SELECT LAST_DAY(c.completed_on) AS month_end, COUNT(*) AS completions
                    FROM people pe JOIN counted_completion c ON c.person_id = pe.id
                    WHERE c.completed_on > LAST_DAY(:today - INTERVAL 24 MONTH) GROUP BY LAST_DAY(c.completed_on)),
                late_spans AS (
                    -- The assignments of these people that were late at some time in the window, each with when it
                    -- became late and when it was done (never, so far): found from the people, not from all assignments.
                    SELECT a.person_id, a.due_date, c.completed_on
                    FROM people pe JOIN assignment a ON a.person_id = pe.id AND a.withdrawn_at IS NULL
                    LEFT JOIN counted_completion c ON c.id = a.completion_id
                    LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                    WHERE e.person_id IS NULL AND a.due_date < :today
                      AND (c.id IS NULL OR c.completed_on > GREATEST(a.due_date, LAST_DAY(:today - INTERVAL 24 MONTH)))),
                late AS (
                    -- Overdue at the end of a month as the overview counts it today: due before then, not exempted, and not
                    -- completed by then (for the month not yet over: due before today).
                    SELECT m.month_end, COUNT(DISTINCT s.person_id) AS overdue
                    FROM months m JOIN late_spans s ON s.due_date < LEAST(m.month_end, :today)
                         AND (s.completed_on IS NULL OR s.completed_on > m.month_end)
                    GROUP BY m.month_end)
                SELECT m.month_end, COALESCE(mo.completions, 0) AS completions,
                       (SELECT COUNT(*) FROM introductions) AS with_introduction,
                       (SELECT COUNT(*) FROM introductions i WHERE i.all_done AND COALESCE(i.done_on, '1900-01-01') <= m.month_end)
                           AS introduction_done,
                       (SELECT COUNT(*) FROM people) AS people,
                       COALESCE(l.overdue, 0) AS overdue
                FROM months m LEFT JOIN monthly mo ON mo.month_end = m.month_end LEFT JOIN late l ON l.month_end = m.month_end
                ORDER BY m.month_end""";
        return sql.list(query, NamedSql.with("node", nodeId).and("today", today), row -> new Month(row.date("month_end"),
                row.number("completions"), row.number("with_introduction"), row.number("introduction_done"),
                row.number("people"), row.number("overdue")));
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
