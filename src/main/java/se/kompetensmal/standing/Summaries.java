package se.kompetensmal.standing;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.DefaultTransactionDefinition;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.jobs.Backlog;
import se.kompetensmal.routines.RecomputationDone;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.sql.Retried;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * The background job {@code summaries}: keeps {@code standing_summary} (per node and audience, the leaders' figures)
 * equal to the live count, by draining the change log the triggers write (migration V40) in rounds, and by a roll when
 * the date changes (the people whose standing turns that day, by {@code standing.changes_on}).
 *
 * <p>A round, in one READ COMMITTED transaction: take up to {@code round} changes, oldest first, and their people (a
 * placement's person; everyone counted under a moved node); take those people out of the sums with their stored
 * places and standing; compute where they count and their standing anew ({@link Standing}); add them back; delete
 * exactly the changes taken. A change committed meanwhile, for anyone, is a row not taken, done in a later round: the
 * sums are never behind a committed change for longer than the log is long. READ COMMITTED so that each statement reads
 * what is committed when it runs, and the reads of the base tables take no locks that writers would wait for.
 *
 * <p>Only the instance holding the job's lease runs it; a run goes on for {@code linger}, looking every {@code pause},
 * so that a completion shows in the figures within about a second rather than after the scheduler's polling interval.
 */
@Singleton
public class Summaries implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(Summaries.class);
    static final String KIND = "summaries";
    private static final int ATTEMPTS = 5;
    /** The first build writes the log for this many people per transaction (a bounded write set on Galera). */
    private static final int BUILD_CHUNK = 20_000;

    /*
     * Every statement of a round starts from the round's people (at most a round's worth) and reaches the person tables by
     * person: STRAIGHT_JOIN, and people(id) written as a semi-join, whose size the optimiser takes from the round table.
     * Left to the optimiser, at full size (600,000 people) a plan chosen on statistics taken while standing_member grew
     * read the whole of standing_member (1.7 million rows) for the round's people, and then every completion (4.6
     * million) for their goals: for 13 minutes of the benchmark's build of the sums from nothing a round of 2,000 people
     * took 28 s, before and after it 3.3 s; the goals' statement alone ran 6.6 s, 0.38 s as written here (2026-12-03).
     */

    /** What the round's people add to each node and audience, with the places and standing stored for them. */
    private static final String ROUND_SUMS = "SELECT m.node_id, m.audience_id, " + Standing.SUMS + """

            FROM standing_round_person r STRAIGHT_JOIN standing_member m ON m.person_id = r.person_id
            LEFT JOIN standing s ON s.person_id = m.person_id AND s.audience_id = m.audience_id
            GROUP BY m.node_id, m.audience_id""";

    /** The goals the round's people hold, per node and audience of a placement (never 0) they count in. */
    private static final String ROUND_GOALS = """
            SELECT m.node_id, m.audience_id, h.goal_id, COUNT(*) AS holders
            FROM standing_round_person r STRAIGHT_JOIN standing_member m ON m.person_id = r.person_id AND m.audience_id <> 0
            STRAIGHT_JOIN standing_goal h ON h.person_id = m.person_id
            GROUP BY m.node_id, m.audience_id, h.goal_id""";

    /** The round's people still counted somewhere (active and placed), as {@code people(id)} for the definitions that need it. */
    private static final String ROUND_PEOPLE = """
            people AS (SELECT r.person_id AS id FROM standing_round_person r
                       WHERE EXISTS (SELECT 1 FROM standing_member m WHERE m.person_id = r.person_id))""";

    /** The completions of the round's people per node they count in (for all audiences) and month. */
    private static final String ROUND_COMPLETIONS = """
            SELECT m.node_id, c.month_end, SUM(c.completions) AS completions
            FROM standing_round_person r STRAIGHT_JOIN standing_member m ON m.person_id = r.person_id AND m.audience_id = 0
            STRAIGHT_JOIN standing_completion c ON c.person_id = m.person_id
            GROUP BY m.node_id, c.month_end""";

    private final NamedSql sql;
    private final TransactionOperations<Connection> transactions;
    private final boolean enabled;
    private final int round;
    private final Duration pause;
    private final Duration linger;
    /** How often the worker looks when it is not running; the equality test drives the sums itself (an hour). */
    private final Duration interval;

    public Summaries(NamedSql sql, TransactionOperations<Connection> transactions,
                     @Value("${kompetensmal.summaries.enabled:true}") boolean enabled,
                     @Value("${kompetensmal.summaries.round:2000}") int round,
                     @Value("${kompetensmal.summaries.pause:200ms}") Duration pause,
                     @Value("${kompetensmal.summaries.linger:30s}") Duration linger,
                     @Value("${kompetensmal.summaries.interval:1s}") Duration interval) {
        this.interval = interval;
        if (round < 1 || round > 100_000) {
            throw new IllegalArgumentException("kompetensmal.summaries.round måste vara mellan 1 och 100000 ändringar, inte " + round);
        }
        this.sql = sql;
        this.transactions = transactions;
        this.enabled = enabled;
        this.round = round;
        this.pause = pause;
        this.linger = linger;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String title() {
        return "Sammanställning av siffror";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Backlog backlog() {
        return Backlog.read(sql, "SELECT COUNT(*) AS waiting, MIN(changed_at) AS oldest FROM standing_change", Map.of());
    }

    /**
     * Where the sums stand: the day they are for, when their build started (null: no build under way or done), whether
     * they hold everyone, the oldest change not yet in them.
     */
    public record State(LocalDate asOf, Instant builtAt, boolean ready, Instant oldestWaiting, @Nullable Instant monthsAskedAt,
                        @Nullable Instant monthsEstimatedAt) {

        /** Whether a recomputation has finished since the trend's earlier months were last estimated. */
        boolean monthsAsked() {
            return monthsAskedAt != null && (monthsEstimatedAt == null || monthsAskedAt.isAfter(monthsEstimatedAt));
        }
    }

    public State state() {
        return sql.one("""
                SELECT s.as_of, s.built_at, s.ready, (SELECT MIN(changed_at) FROM standing_change) AS oldest,
                       s.months_asked_at, s.months_estimated_at
                FROM standing_state s WHERE s.id = 1""", Map.of(),
                row -> new State(row.date("as_of"), row.instant("built_at"), row.flag("ready"), row.instant("oldest"),
                        row.instant("months_asked_at"), row.instant("months_estimated_at")))
                .orElseThrow();
    }

    /**
     * A recomputation has finished: the people and assignments the trend's estimated months are counted from may have
     * changed (a roster or history import, a routine). Asked of the worker through the database, which may run on
     * another instance; until the first month closes, it estimates them again once the change log is drained.
     */
    @EventListener
    void recomputationDone(RecomputationDone done) {
        if (enabled) {
            sql.update("UPDATE standing_state SET months_asked_at = CURRENT_TIMESTAMP(3) WHERE id = 1", Map.of());
        }
    }

    /** Whether the sums are today's figures, to be read instead of counting live (at most the log's lag behind). */
    public boolean keptFor(LocalDate day) {
        return enabled && kept(state(), day);
    }

    private static boolean kept(State state, LocalDate day) {
        return state.ready() && day.equals(state.asOf());
    }

    /**
     * The moment the day's figures are true for: where the sums are read, the oldest change not yet in them; else (they
     * are counted live) and when every change is in, now.
     */
    public Instant figuresAt(LocalDate day) {
        State state = enabled ? state() : null;
        return state != null && kept(state, day) && state.oldestWaiting() != null ? state.oldestWaiting() : Instant.now();
    }

    @Override
    public void run() {
        if (!enabled) {
            forget();
            return;
        }
        long until = System.nanoTime() + linger.toNanos();
        do {
            catchUp(LocalDate.now(SwedishTime.ZONE));
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (System.nanoTime() < until);
    }

    /**
     * Brings the sums up to the day and to every committed change: builds them whole the first time, rolls them to a new
     * day, drains the log. Returns the rounds done.
     */
    public synchronized int catchUp(LocalDate asked) {
        State state = state();
        // Never back: a test that moved the date forward, or an instance whose clock is behind, keeps the later day.
        LocalDate day = state.asOf() != null && asked.isBefore(state.asOf()) ? state.asOf() : asked;
        if (!state.ready() && (state.asOf() == null || state.builtAt() == null)) {
            startBuild(day);
        } else if (state.asOf() != null && state.asOf().isBefore(day)) {
            // Day by month: where a month ends on the way, the sums are rolled to its last day and drained, and how every
            // node stood is written down, before going on.
            LocalDate from = state.asOf();
            while (from.isBefore(day)) {
                LocalDate monthEnd = from.withDayOfMonth(from.lengthOfMonth());
                LocalDate to;
                if (from.equals(monthEnd)) {
                    drain(from);
                    if (state().ready()) {
                        closeMonth(monthEnd);
                    }
                    LocalDate next = from.plusDays(1);
                    to = min(day, next.withDayOfMonth(next.lengthOfMonth()));
                } else {
                    to = min(day, monthEnd);
                }
                roll(to);
                from = to;
            }
        }
        // Read before draining: a recomputation that asked has committed, so its changes are in the log being drained.
        State before = state();
        int rounds = drain(day);
        State drained = state();
        if (!drained.ready() && drained.builtAt() != null && sql.number(
                "SELECT COUNT(*) FROM standing_change WHERE changed_at <= :built", NamedSql.with("built", drained.builtAt())) == 0) {
            // Every person is in: the months before the first one closed are counted, then the sums are read.
            estimateMonths(day, before.monthsAskedAt(), firstClosedMonth());
            sql.update("UPDATE standing_state SET ready = TRUE WHERE id = 1", Map.of());
        } else if (drained.ready() && before.monthsAsked() && firstClosedMonth() == null) {
            // No month closed yet: the first weeks of a new installation (or the demo), whose sums were built before its
            // first roster import and routines. Counted again now that a recomputation has placed people and their
            // duties; from the first month end on, they stay as they were.
            estimateMonths(day, before.monthsAskedAt(), null);
        }
        sql.update("UPDATE standing_state SET drained_at = CURRENT_TIMESTAMP(3) WHERE id = 1", Map.of());
        return rounds;
    }

    /** Rounds until the log is empty; returns how many. */
    private int drain(LocalDate day) {
        int rounds = 0;
        while (Retried.whenRolledBack(ATTEMPTS, () -> inTransaction(() -> doRound(day)))) {
            rounds++;
        }
        return rounds;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * The sums rolled to a later day: the people whose standing turns by then; the others' stays as it is (their
     * changes_on is later; their completions are kept by the month they were taken in, which a new day does not move).
     */
    private void roll(LocalDate to) {
        inTransaction(() -> {
            sql.update("""
                    INSERT INTO standing_change (person_id)
                    SELECT person_id FROM standing WHERE changes_on <= :day
                    UNION
                    SELECT person_id FROM standing_goal WHERE held_until < :day""", NamedSql.with("day", to));
            sql.update("UPDATE standing_state SET as_of = :day WHERE id = 1", NamedSql.with("day", to));
            return null;
        });
    }

    /**
     * The first build (or after the job was switched off): empty sums, and every active person in the log. The sums are
     * read only once every change logged before the build is done ({@code ready}); until then the statistics count live.
     */
    private void startBuild(LocalDate day) {
        LOG.info("Building the summaries for {}", day);
        // TRUNCATE, not DELETE: at full size millions of member rows, a write set Galera would refuse.
        for (String table : new String[] {"standing_summary", "goal_summary", "standing_member", "standing", "standing_goal",
                "standing_completion", "completion_summary", "standing_round_change", "standing_round_person"}) {
            sql.update("TRUNCATE TABLE " + table, Map.of());
        }
        sql.update("UPDATE standing_state SET ready = FALSE, built_at = NULL, as_of = :day WHERE id = 1",
                NamedSql.with("day", day));
        long last = 0;
        while (true) {
            long from = last;
            long to = sql.number("""
                    SELECT COALESCE(MAX(id), -1) FROM (SELECT id FROM person WHERE id > :from AND status = 'ACTIVE'
                                                       ORDER BY id LIMIT :chunk) p""",
                    NamedSql.with("from", from).and("chunk", BUILD_CHUNK));
            if (to < 0) {
                break;
            }
            inTransaction(() -> sql.update("""
                    INSERT INTO standing_change (person_id)
                    SELECT id FROM person WHERE id > :from AND id <= :to AND status = 'ACTIVE'""",
                    NamedSql.with("from", from).and("to", to)));
            last = to;
        }
        sql.update("UPDATE standing_state SET built_at = CURRENT_TIMESTAMP(3) WHERE id = 1", Map.of());
    }

    /** Switched off: the log is emptied as it fills, and the sums are built anew when switched on again. */
    private void forget() {
        sql.update("UPDATE standing_state SET ready = FALSE, built_at = NULL, as_of = NULL WHERE id = 1 AND (ready OR as_of IS NOT NULL)",
                Map.of());
        int deleted;
        do {
            // The rows to delete are read first into the worker's own list, as a round takes them: in READ COMMITTED that
            // read takes no lock, and the delete then touches committed rows only. Deleted straight from the log, the
            // delete queued behind every writer's uncommitted trigger rows (lock wait timeouts in the benchmark's
            // dataset build, a recomputation holding its transaction for 30 s).
            deleted = inTransaction(() -> {
                sql.update("DELETE FROM standing_round_change", Map.of());
                sql.update("""
                        INSERT INTO standing_round_change (change_id)
                        SELECT id FROM standing_change ORDER BY changed_at LIMIT 10000""", Map.of());
                return sql.update("DELETE c FROM standing_change c JOIN standing_round_change r ON r.change_id = c.id", Map.of());
            });
        } while (deleted == 10_000);
    }

    /** One round; false when the log was empty. */
    private boolean doRound(LocalDate day) {
        sql.update("DELETE FROM standing_round_change", Map.of());
        sql.update("DELETE FROM standing_round_person", Map.of());
        int taken = sql.update("""
                INSERT INTO standing_round_change (change_id)
                SELECT id FROM standing_change ORDER BY changed_at LIMIT :round""", NamedSql.with("round", round));
        if (taken == 0) {
            return false;
        }
        // The people: named ones, a placement's person, and everyone counted under a node that moved.
        sql.update("""
                INSERT IGNORE INTO standing_round_person (person_id)
                SELECT c.person_id FROM standing_round_change r JOIN standing_change c ON c.id = r.change_id
                WHERE c.person_id IS NOT NULL
                UNION
                SELECT pl.person_id FROM standing_round_change r JOIN standing_change c ON c.id = r.change_id
                JOIN placement pl ON pl.id = c.placement_id
                UNION
                SELECT m.person_id FROM standing_round_change r JOIN standing_change c ON c.id = r.change_id
                JOIN standing_member m ON m.node_id = c.node_id
                UNION
                -- In this order and by the import index: otherwise the optimiser, counting the NULLs of import_id, read
                -- every completion for each round (3 s a round for 239,000 completions in the benchmark database).
                SELECT STRAIGHT_JOIN i.person_id FROM standing_round_change r
                JOIN standing_change c ON c.id = r.change_id AND c.import_id IS NOT NULL
                JOIN completion i FORCE INDEX (fk_completion_import) ON i.import_id = c.import_id""", Map.of());
        // Out of the sums, with the places and standing they were counted with.
        sql.update("""
                UPDATE standing_summary t JOIN (""" + ROUND_SUMS + """
                ) d ON d.node_id = t.node_id AND d.audience_id = t.audience_id
                SET t.headcount = t.headcount - d.headcount,
                    t.with_introduction = t.with_introduction - d.with_introduction,
                    t.introduction_done = t.introduction_done - d.introduction_done,
                    t.introduction_on_time = t.introduction_on_time - d.introduction_on_time,
                    t.with_continuing = t.with_continuing - d.with_continuing,
                    t.continuing_current = t.continuing_current - d.continuing_current,
                    t.overdue = t.overdue - d.overdue""", Map.of());
        sql.update("""
                UPDATE goal_summary t JOIN (""" + ROUND_GOALS + """
                ) d ON d.node_id = t.node_id AND d.audience_id = t.audience_id AND d.goal_id = t.goal_id
                SET t.holders = t.holders - d.holders""", Map.of());
        sql.update("""
                UPDATE completion_summary t JOIN (""" + ROUND_COMPLETIONS + """
                ) d ON d.node_id = t.node_id AND d.month_end = t.month_end
                SET t.completions = t.completions - d.completions""", Map.of());
        sql.update("DELETE m FROM standing_member m JOIN standing_round_person r ON r.person_id = m.person_id", Map.of());
        sql.update("DELETE h FROM standing_goal h JOIN standing_round_person r ON r.person_id = h.person_id", Map.of());
        sql.update("DELETE s FROM standing s JOIN standing_round_person r ON r.person_id = s.person_id", Map.of());
        sql.update("DELETE c FROM standing_completion c JOIN standing_round_person r ON r.person_id = c.person_id", Map.of());
        // Where they count now: every node at and above each current placement of an active person, for all audiences
        // (0) and for each audience of the placement.
        sql.update("""
                INSERT INTO standing_member (person_id, node_id, audience_id)
                SELECT DISTINCT x.person_id, oc.ancestor_id, x.audience_id
                FROM (SELECT pl.person_id, pl.org_node_id, 0 AS audience_id
                      FROM standing_round_person r JOIN current_placement pl ON pl.person_id = r.person_id
                      JOIN person p ON p.id = pl.person_id AND p.status = 'ACTIVE'
                      UNION ALL
                      SELECT pl.person_id, pl.org_node_id, pa.audience_id
                      FROM standing_round_person r JOIN current_placement pl ON pl.person_id = r.person_id
                      JOIN person p ON p.id = pl.person_id AND p.status = 'ACTIVE'
                      JOIN placement_audience pa ON pa.placement_id = pl.id) x
                JOIN org_closure oc ON oc.descendant_id = x.org_node_id""", Map.of());
        sql.update("""
                INSERT INTO standing (person_id, audience_id, has_introduction, introduction_done, introduction_on_time,
                                      has_continuing, continuing_current, overdue, changes_on)
                WITH person_audiences AS (
                    SELECT DISTINCT m.person_id, m.audience_id
                    FROM standing_round_person r STRAIGHT_JOIN standing_member m ON m.person_id = r.person_id),
                """ + Standing.OF_PERSON_AUDIENCES + """

                SELECT person_id, audience_id, has_introduction, introduction_done, introduction_on_time, has_continuing,
                       continuing_current, overdue, changes_on
                FROM person_standing""", NamedSql.with("today", day));
        sql.update("""
                INSERT INTO standing_goal (person_id, goal_id, held_until)
                WITH
                """ + ROUND_PEOPLE + ",\n" + Standing.GOALS_HELD + """

                SELECT person_id, goal_id, held_until FROM person_goals""", NamedSql.with("today", day));
        sql.update("""
                INSERT INTO standing_completion (person_id, month_end, completions)
                WITH
                """ + ROUND_PEOPLE + ",\n" + Standing.COMPLETIONS_BY_MONTH + """

                SELECT person_id, month_end, completions FROM person_months""", NamedSql.with("today", day));
        // Back into the sums.
        sql.update("""
                INSERT INTO goal_summary (node_id, audience_id, goal_id, holders)
                """ + ROUND_GOALS + """

                ON DUPLICATE KEY UPDATE holders = goal_summary.holders + VALUES(holders)""", Map.of());
        sql.update("""
                INSERT INTO standing_summary (node_id, audience_id, headcount, with_introduction, introduction_done,
                                              introduction_on_time, with_continuing, continuing_current, overdue)
                """ + ROUND_SUMS + """

                ON DUPLICATE KEY UPDATE headcount = standing_summary.headcount + VALUES(headcount),
                    with_introduction = standing_summary.with_introduction + VALUES(with_introduction),
                    introduction_done = standing_summary.introduction_done + VALUES(introduction_done),
                    introduction_on_time = standing_summary.introduction_on_time + VALUES(introduction_on_time),
                    with_continuing = standing_summary.with_continuing + VALUES(with_continuing),
                    continuing_current = standing_summary.continuing_current + VALUES(continuing_current),
                    overdue = standing_summary.overdue + VALUES(overdue)""", Map.of());
        sql.update("""
                INSERT INTO completion_summary (node_id, month_end, completions)
                """ + ROUND_COMPLETIONS + """

                ON DUPLICATE KEY UPDATE completions = completion_summary.completions + VALUES(completions)""", Map.of());
        sql.update("DELETE c FROM standing_change c JOIN standing_round_change r ON r.change_id = c.id", Map.of());
        return true;
    }

    /**
     * A month ends (the sums hold its last day, drained): how every node stood is written down for the trend, and the
     * completions of the month that leaves the trend are let go (the person rows with the node rows, so that these stay
     * their sums).
     */
    private void closeMonth(LocalDate monthEnd) {
        LOG.info("Closing the month ending {}", monthEnd);
        inTransaction(() -> {
            sql.update("""
                    INSERT INTO standing_month (node_id, month_end, headcount, with_introduction, introduction_done, overdue,
                                                estimated)
                    SELECT node_id, :month_end, headcount, with_introduction, introduction_done, overdue, FALSE
                    FROM standing_summary WHERE audience_id = 0 AND headcount > 0
                    ON DUPLICATE KEY UPDATE headcount = VALUES(headcount), with_introduction = VALUES(with_introduction),
                        introduction_done = VALUES(introduction_done), overdue = VALUES(overdue), estimated = FALSE""",
                    NamedSql.with("month_end", monthEnd));
            LocalDate firstKept = monthEnd.minusMonths(22).withDayOfMonth(monthEnd.minusMonths(22).lengthOfMonth());
            sql.update("DELETE FROM completion_summary WHERE month_end < :first", NamedSql.with("first", firstKept));
            sql.update("DELETE FROM standing_completion WHERE month_end < :first", NamedSql.with("first", firstKept));
            return null;
        });
    }

    /**
     * The months of the trend before the first one closed: with the people counted that day (who was where at those
     * month ends is not kept anywhere), so marked estimated. Counted when the sums are first built, and again after
     * recomputations until the first month closes ({@code answering}: the request this answers): the estimated rows
     * are replaced in one transaction, and a month closed is never touched ({@code firstClosed}: the first, if any).
     */
    private void estimateMonths(LocalDate day, @Nullable Instant answering, @Nullable LocalDate firstClosed) {
        long started = System.nanoTime();
        LocalDate first = day.minusMonths(23);
        LocalDate last = day.minusMonths(1);
        if (firstClosed != null && !firstClosed.isAfter(last)) {
            last = firstClosed.minusMonths(1);
        }
        LocalDate firstEnd = first.withDayOfMonth(first.lengthOfMonth());
        LocalDate lastEnd = last.withDayOfMonth(last.lengthOfMonth());
        int written = inTransaction(() -> {
            sql.update("DELETE FROM standing_month WHERE estimated", Map.of());
            int rows = lastEnd.isBefore(firstEnd) ? 0 : sql.update("""
                    INSERT IGNORE INTO standing_month (node_id, month_end, headcount, with_introduction, introduction_done,
                                                       overdue, estimated)
                    WITH RECURSIVE
                    """ + Standing.MONTHS + """
                    ,
                    members AS (SELECT node_id, person_id FROM standing_member WHERE audience_id = 0),
                    """ + Standing.AT_MONTH_ENDS + """

                    SELECT node_id, month_end, headcount, with_introduction, introduction_done, overdue, TRUE FROM node_months""",
                    NamedSql.with("first", firstEnd).and("last", lastEnd).and("today", day));
            sql.update("UPDATE standing_state SET months_estimated_at = COALESCE(:answering, CURRENT_TIMESTAMP(3)) WHERE id = 1",
                    NamedSql.with("answering", answering == null ? null : java.sql.Timestamp.from(answering)));
            return rows;
        });
        LOG.info("The trend's months before {} estimated: {} rows in {} ms", firstClosed == null ? "the first one closed" : firstClosed,
                written, (System.nanoTime() - started) / 1_000_000);
    }

    /** The end of the first month the worker closed (its rows are not estimated), or null while none has closed. */
    private @Nullable LocalDate firstClosedMonth() {
        return sql.list("SELECT month_end FROM standing_month WHERE NOT estimated ORDER BY month_end LIMIT 1",
                Map.of(), row -> row.date("month_end")).stream().findFirst().orElse(null);
    }

    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition(TransactionDefinition.Propagation.REQUIRES_NEW);
        definition.setIsolationLevel(TransactionDefinition.Isolation.READ_COMMITTED);
        return transactions.execute(definition, status -> work.get());
    }
}
