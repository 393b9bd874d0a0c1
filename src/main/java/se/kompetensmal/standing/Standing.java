package se.kompetensmal.standing;

/**
 * The one definition of a person's standing in an audience on a day ({@code :today}): whether they have an introduction,
 * have done all of it, and did it on time; whether they have continuing education and hold all of it (a completed cycle
 * not yet expired, or an exemption); whether anything of theirs is overdue. And the first later day on which one of
 * these turns by itself ({@code changes_on}): the day after an open duty's due date, the day after a held cycle expires.
 *
 * <p>A person's duties in audience 0 are all their assignments; in an audience, those of routines for that audience and
 * those made by hand. The live statistics (the oracle of the equality test and the benchmark's floor) and the summaries'
 * worker both read it, so the two cannot say different things.
 *
 * <p>Comments inside the SQL avoid the apostrophe: {@code NamedSql} reads it as the start of a quoted text.
 */
public final class Standing {

    /**
     * The one home of "still to do": an assignment (alias {@code a}) current, its cycle not completed, the person not
     * exempted. Overdue is still to do with its due date before today. The follow-up list, reminders, sign-ups and the
     * standing below all read it.
     */
    public static final String STILL_TO_DO = """
            a.withdrawn_at IS NULL AND a.completion_id IS NULL
            AND NOT EXISTS (SELECT 1 FROM exemption e WHERE e.person_id = a.person_id AND e.module_code = a.module_code)""";

    /**
     * Common table expressions, to follow a {@code WITH} that defines {@code person_audiences(person_id, audience_id)}:
     * defines {@code person_standing} with one row per person and audience given (all flags 0 for one without duties).
     */
    public static final String OF_PERSON_AUDIENCES = """
            duties AS (
                SELECT m.person_id, m.audience_id, a.module_code, r.kind,
                       (a.completion_id IS NOT NULL OR e.person_id IS NOT NULL) AS fulfilled,
                       (e.person_id IS NOT NULL OR COALESCE(c.completed_on <= a.due_date, FALSE)) AS on_time,
                       (e.person_id IS NOT NULL OR (a.completion_id IS NOT NULL AND COALESCE(a.valid_until >= :today, TRUE))) AS holds,
                       (%s AND a.due_date < :today) AS late,
                       -- The day this duty turns by itself: an open one falls overdue, a held cycle expires.
                       CASE WHEN e.person_id IS NOT NULL THEN NULL
                            WHEN a.completion_id IS NULL AND a.due_date >= :today THEN a.due_date + INTERVAL 1 DAY
                            WHEN a.completion_id IS NOT NULL AND a.valid_until >= :today THEN a.valid_until + INTERVAL 1 DAY
                       END AS turns_on
                FROM person_audiences m
                JOIN assignment a ON a.person_id = m.person_id AND a.withdrawn_at IS NULL
                LEFT JOIN routine r ON r.id = a.routine_id
                LEFT JOIN counted_completion c ON c.id = a.completion_id
                LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                WHERE m.audience_id = 0 OR r.audience_id = m.audience_id OR a.routine_id IS NULL),
            per_person AS (
                SELECT person_id, audience_id,
                       MAX(kind = 'INTRODUCTION') AS has_intro,
                       MIN(CASE WHEN kind = 'INTRODUCTION' THEN fulfilled END) AS intro_done,
                       MIN(CASE WHEN kind = 'INTRODUCTION' THEN on_time END) AS intro_on_time,
                       COUNT(DISTINCT CASE WHEN kind = 'CONTINUING' THEN module_code END) AS continuing,
                       COUNT(DISTINCT CASE WHEN kind = 'CONTINUING' AND holds THEN module_code END) AS continuing_held,
                       MAX(late) AS late,
                       MIN(turns_on) AS changes_on
                FROM duties GROUP BY person_id, audience_id),
            person_standing AS (
                SELECT m.person_id, m.audience_id,
                       COALESCE(f.has_intro, 0) AS has_introduction,
                       COALESCE(f.has_intro AND f.intro_done, 0) AS introduction_done,
                       COALESCE(f.has_intro AND f.intro_on_time, 0) AS introduction_on_time,
                       COALESCE(f.continuing > 0, 0) AS has_continuing,
                       COALESCE(f.continuing > 0 AND f.continuing_held = f.continuing, 0) AS continuing_current,
                       COALESCE(f.late, 0) AS overdue,
                       f.changes_on
                FROM person_audiences m LEFT JOIN per_person f ON f.person_id = m.person_id AND f.audience_id = m.audience_id)"""
            .formatted(STILL_TO_DO);

    /**
     * The one definition of "holds a valid completion" of a competence goal on {@code :today}: a completion that counts,
     * of a module version covering the goal, that no assignment it fulfils has expired ({@code valid_until} before today;
     * a completion of a recurring cycle expires, one without a cycle does not). Common table expressions to follow a
     * {@code WITH} that defines {@code people(id)}: defines {@code person_goals(person_id, goal_id, held_until)}, one row
     * per goal held, {@code held_until} the last day of the longest-lasting completion (NULL: it does not expire).
     */
    public static final String GOALS_HELD = """
            goal_completions AS (
                SELECT c.person_id, mg.goal_id,
                       (SELECT MIN(x.valid_until) FROM assignment x WHERE x.completion_id = c.id) AS valid_until
                FROM people pe JOIN counted_completion c ON c.person_id = pe.id
                JOIN module_version_goal mg ON mg.module_version_id = c.module_version_id),
            person_goals AS (
                SELECT person_id, goal_id, CASE WHEN MAX(valid_until IS NULL) = 1 THEN NULL ELSE MAX(valid_until) END AS held_until
                FROM goal_completions WHERE valid_until IS NULL OR valid_until >= :today
                GROUP BY person_id, goal_id)""";

    /**
     * The one definition of the completions of a month: those that count, by the month they were taken in (not the month
     * they were registered in), from the first month of the trend on ({@code :today}'s month and the 23 before it).
     * Common table expressions to follow a {@code WITH} that defines {@code people(id)}: defines
     * {@code person_months(person_id, month_end, completions)}.
     */
    public static final String COMPLETIONS_BY_MONTH = """
            person_months AS (
                SELECT c.person_id, LAST_DAY(c.completed_on) AS month_end, COUNT(*) AS completions
                FROM people pe JOIN counted_completion c ON c.person_id = pe.id
                WHERE c.completed_on > LAST_DAY(:today - INTERVAL 24 MONTH)
                GROUP BY c.person_id, LAST_DAY(c.completed_on))""";

    /**
     * The months of the trend from {@code :first} to {@code :last} (both a month end): a common table expression to follow
     * {@code WITH RECURSIVE}, defining {@code months(month_end)}.
     */
    public static final String MONTHS = """
            months AS (SELECT CAST(:first AS DATE) AS month_end
                       UNION ALL
                       SELECT LAST_DAY(month_end + INTERVAL 1 DAY) FROM months WHERE month_end < :last)""";

    /**
     * The one definition of how a group stood at the end of a month ({@code months}, none after {@code :today}'s): the
     * people, those with an introduction, those who had done all of it by the month end, those with something overdue at
     * the month end (due before it, or before {@code :today} for the month not yet over, and not done by it). At
     * {@code :today} the same as the overview ({@link #OF_PERSON_AUDIENCES} in audience 0), so that a month closed on its
     * last day keeps the figures the overview showed that day. Common table expressions to follow a {@code WITH RECURSIVE}
     * that defines {@link #MONTHS} and {@code members(node_id, person_id)} (each person once a node): defines
     * {@code node_months(node_id, month_end, headcount, with_introduction, introduction_done, overdue)}.
     */
    public static final String AT_MONTH_ENDS = """
            member_people AS (SELECT DISTINCT person_id FROM members),
            introductions AS (
                SELECT a.person_id, MIN(a.completion_id IS NOT NULL OR e.person_id IS NOT NULL) AS all_done,
                       MAX(CASE WHEN e.person_id IS NULL THEN c.completed_on END) AS done_on
                FROM member_people pe JOIN assignment a ON a.person_id = pe.person_id AND a.withdrawn_at IS NULL
                JOIN routine r ON r.id = a.routine_id AND r.kind = 'INTRODUCTION'
                LEFT JOIN counted_completion c ON c.id = a.completion_id
                LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                GROUP BY a.person_id),
            node_people AS (
                SELECT m.node_id, COUNT(*) AS headcount, COUNT(i.person_id) AS with_introduction
                FROM members m LEFT JOIN introductions i ON i.person_id = m.person_id
                GROUP BY m.node_id),
            -- Per node the people who finished their introduction in a month (one done before the first month counts
            -- in the first), summed up to each month end below.
            introduced AS (
                SELECT m.node_id, GREATEST(LAST_DAY(COALESCE(i.done_on, '1900-01-01')), :first) AS month_end, COUNT(*) AS done
                FROM members m JOIN introductions i ON i.person_id = m.person_id AND i.all_done
                GROUP BY m.node_id, GREATEST(LAST_DAY(COALESCE(i.done_on, '1900-01-01')), :first)),
            late_spans AS (
                -- The assignments that were late at some time in the months: when each became late, when it was done.
                SELECT a.person_id, a.due_date, c.completed_on
                FROM member_people pe JOIN assignment a ON a.person_id = pe.person_id AND a.withdrawn_at IS NULL
                LEFT JOIN counted_completion c ON c.id = a.completion_id
                LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                WHERE e.person_id IS NULL AND a.due_date < LEAST(:last, :today)
                  AND (c.id IS NULL OR c.completed_on > GREATEST(a.due_date, LAST_DAY(:first - INTERVAL 1 MONTH)))),
            late_people AS (
                SELECT DISTINCT mo.month_end, s.person_id
                FROM months mo JOIN late_spans s ON s.due_date < LEAST(mo.month_end, :today)
                     AND (s.completed_on IS NULL OR s.completed_on > mo.month_end)),
            late AS (
                SELECT m.node_id, l.month_end, COUNT(*) AS overdue
                FROM late_people l JOIN members m ON m.person_id = l.person_id
                GROUP BY m.node_id, l.month_end),
            node_months AS (
                SELECT n.node_id, mo.month_end, n.headcount, n.with_introduction,
                       COALESCE(SUM(x.done), 0) AS introduction_done, COALESCE(MAX(l.overdue), 0) AS overdue
                FROM node_people n CROSS JOIN months mo
                LEFT JOIN introduced x ON x.node_id = n.node_id AND x.month_end <= mo.month_end
                LEFT JOIN late l ON l.node_id = n.node_id AND l.month_end = mo.month_end
                GROUP BY n.node_id, mo.month_end, n.headcount, n.with_introduction)""";

    /**
     * The sums of a group, over members joined to their standing as {@code s} (a left join: a member without a standing
     * row counts in the headcount only): the columns of {@code standing_summary} after its keys.
     */
    public static final String SUMS = """
            COUNT(*) AS headcount,
            SUM(COALESCE(s.has_introduction, 0)) AS with_introduction,
            SUM(COALESCE(s.introduction_done, 0)) AS introduction_done,
            SUM(COALESCE(s.introduction_on_time, 0)) AS introduction_on_time,
            SUM(COALESCE(s.has_continuing, 0)) AS with_continuing,
            SUM(COALESCE(s.continuing_current, 0)) AS continuing_current,
            SUM(COALESCE(s.overdue, 0)) AS overdue""";

    private Standing() {
    }
}
