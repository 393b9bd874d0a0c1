package se.kompetensmal.routines;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.AfterCommit;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.sql.NamedSql;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings the routine-derived assignments of everyone under a node in line with the routines in force, in a few set-based
 * statements whatever the number of people. Running it twice changes nothing the second time.
 *
 * <p>Each module a person must take forms a chain of cycles, one assignment row each. Cycle 1 is due after the start
 * date (introduction) or one interval after the continuing-education routine began. Under a continuing-education routine a
 * completed cycle is valid for the interval and the next cycle is due when it expires, open for renewal a window of days
 * before. A renewal inside the window extends from the old expiry, so renewing early costs nothing; a late one counts from
 * the day it was done. Completed cycles are never changed or withdrawn: they are the history.
 */
@Singleton
public class AssignmentRecompute {

    /**
     * The people of the slice: everyone with a placement under the scope, current or ended, so that a person whose
     * placement there has just ended is recomputed too (what it gave them is withdrawn). Placeholders {@code :scope},
     * {@code :from} and {@code :to} are filled in by {@link #execute}. The derived table reads the placement index
     * (org_node_id, ended_on, person_id) alone. A person whose assignments are computed is always computed whole, from
     * every current placement, wherever it is: a recomputation of one unit must not withdraw what another unit asks.
     * A person with a current placement whose dates the arithmetic cannot carry is left out ({@link Computable}).
     */
    private static final String PEOPLE = """
            ((SELECT DISTINCT sp.person_id FROM org_closure scope JOIN placement sp ON sp.org_node_id = scope.descendant_id
              WHERE scope.ancestor_id = :scope AND sp.person_id BETWEEN :from AND :to) slice_people
             JOIN person p ON p.id = slice_people.person_id
                 AND NOT EXISTS (SELECT 1 FROM current_placement bad WHERE bad.person_id = p.id AND NOT (%s)))"""
            .formatted(Computable.placement("bad"));
    private static final String SLICE = "p.id BETWEEN :from AND :to";
    /**
     * The slice again on the assignments updated, so that the update reaches them by person and locks only the slice's
     * rows: otherwise two learners' submissions, each recomputing themselves, can lock each other's rows and deadlock.
     */
    private static final String UPDATED_SLICE = "a.person_id BETWEEN :from AND :to";

    /**
     * Whether a routine's module {@code cm} still asks anything of the person {@code p} through the placement {@code pl}:
     * only where the module may be used at the placement's unit (someone moved out of an own module's subtree gets
     * nothing more of it), and a withdrawn module
     * only of those who already have it in force (started or done: the withdrawal took back the rest), so that it gives
     * nobody a new assignment while those taking it may finish.
     */
    private static final String MODULE_REACHES = """
            %s AND (%s OR EXISTS (SELECT 1 FROM assignment held WHERE held.person_id = p.id
                                  AND held.module_code = cm.code AND held.withdrawn_at IS NULL))"""
            .formatted(ModuleReach.usableAt("pl.org_node_id"), ModuleReach.OPEN);

    /**
     * Active people with every routine of the kind in force for each of their current placements: at the placement's unit
     * for one of that placement's audiences, the nearest node up the tree that has one not retired, and its modules, where
     * the routine asks anything of the person. A person placed in two units gets a row per placement and routine; the
     * callers group by person and module, so the earliest due date wins as it does between audiences.
     */
    private static String inForce(String kind, String columns, String asks, String groupBy) {
        return """
                SELECT %s FROM %s
                JOIN current_placement pl ON pl.person_id = p.id
                JOIN placement_audience pa ON pa.placement_id = pl.id
                JOIN org_closure up ON up.descendant_id = pl.org_node_id
                JOIN routine r ON r.org_node_id = up.ancestor_id AND r.audience_id = pa.audience_id AND r.kind = '%s'
                    AND r.retired_at IS NULL
                JOIN routine_module rm ON rm.routine_id = r.id
                JOIN catalogue_module cm ON cm.code = rm.module_code
                WHERE p.status = 'ACTIVE' AND %s AND %s AND %s AND %s
                  AND up.depth = (SELECT MIN(up2.depth) FROM routine r2
                                  JOIN org_closure up2 ON up2.ancestor_id = r2.org_node_id AND up2.descendant_id = pl.org_node_id
                                  WHERE r2.kind = '%s' AND r2.audience_id = pa.audience_id AND r2.retired_at IS NULL)
                %s""".formatted(columns, PEOPLE, kind, SLICE, Computable.ROUTINE, asks, MODULE_REACHES, kind, groupBy);
    }

    /**
     * The introduction rule, the one place it is written: over a placement {@code pl} (its start dates) and a routine
     * {@code r} with the
     * routine's columns {@code counts_from}, {@code applies_from}, {@code catch_up_due} and {@code due_days}. The
     * recomputation reads them from the routine table, the preview from the values a coordinator has typed.
     */
    static final class IntroductionRule {
        /** The start the routine counts from: in the organisation or in the role. */
        static final String START = "(CASE r.counts_from WHEN 'ROLE_START' THEN pl.role_start_date ELSE pl.org_start_date END)";
        /** Started before the routine applied: existing staff. */
        static final String EXISTING = "(" + START + " < r.applies_from)";
        /** Whether the routine asks anything of the person: a new starter, or existing staff given a catch-up date. */
        static final String ASKS = "(r.applies_from IS NOT NULL AND (NOT " + EXISTING + " OR r.catch_up_due IS NOT NULL))";
        /** New starters are due their start plus the due days; existing staff on the catch-up date. */
        static final String DUE = "IF(" + EXISTING + ", r.catch_up_due, DATE_ADD(" + START + ", INTERVAL r.due_days DAY))";

        private IntroductionRule() {
        }
    }

    /** Per person and module under continuing education: the shortest interval and widest window of the routines asking. */
    private static final String CONTINUING = inForce("CONTINUING", """
            p.id AS person_id, rm.module_code, MIN(r.id) AS routine_id, MIN(r.interval_months) AS interval_months,
            MAX(r.renewal_window_days) AS renewal_window_days,
            MIN(DATE_ADD(GREATEST(pl.org_start_date, r.starts_on), INTERVAL r.interval_months MONTH)) AS due_date""",
            "TRUE", "GROUP BY p.id, rm.module_code");

    /** Cycle 1 of every module asked for, due at the earliest date any routine sets, with that routine. */
    private static final String FIRST_CYCLE = """
            SELECT person_id, module_code, MIN(due_date) AS due_date,
                   CAST(SUBSTRING_INDEX(GROUP_CONCAT(routine_id ORDER BY due_date, routine_id), ',', 1) AS SIGNED) AS routine_id
            FROM (%s
                  UNION ALL SELECT person_id, module_code, routine_id, due_date FROM (%s) continuing) asked
            GROUP BY person_id, module_code""".formatted(inForce("INTRODUCTION", """
            p.id AS person_id, rm.module_code, r.id AS routine_id, %s AS due_date""".formatted(IntroductionRule.DUE),
            IntroductionRule.ASKS, ""), CONTINUING);

    /** Not taken by any cycle yet: a completion fulfils one cycle only. */
    private static final String UNUSED_COMPLETION = """
            SELECT c.id FROM counted_completion c JOIN module_version mv ON mv.id = c.module_version_id
            WHERE c.person_id = pending.person_id AND mv.module_code = pending.module_code
              AND c.completed_on >= COALESCE(pending.opens_on, '1000-01-01')
              AND NOT EXISTS (SELECT 1 FROM assignment taken WHERE taken.completion_id = c.id)
            ORDER BY c.completed_on, c.id LIMIT 1""";

    /**
     * Only what the date arithmetic can carry. A date near the end of the calendar (9999-12-31, say, in data from before
     * the roster import checked dates) overflows DATE_ADD, and in a strict-mode write that is an error that fails the
     * statement, and so everyone's recomputation in the organisation. A person with such a date is left out, assignments
     * untouched (a person is computed whole, so one such placement leaves out all of them); a routine with such a value
     * asks nothing until it is corrected. The bounds leave room for a hundred years
     * of due days and intervals on either side.
     */
    private static final class Computable {
        /** The dates of the placement aliased {@code alias}. */
        static String placement(String alias) {
            return """
                    %1$s.org_start_date BETWEEN '1000-01-01' AND '9000-12-31'
                    AND %1$s.role_start_date BETWEEN '1000-01-01' AND '9000-12-31'""".formatted(alias);
        }
        static final String ROUTINE = """
                COALESCE(r.due_days, 0) BETWEEN 0 AND 36500 AND COALESCE(r.interval_months, 1) BETWEEN 1 AND 1200
                  AND COALESCE(r.renewal_window_days, 0) BETWEEN 0 AND 36500
                  AND COALESCE(r.starts_on, '2000-01-01') BETWEEN '1000-01-01' AND '9000-12-31'
                  AND COALESCE(r.applies_from, '2000-01-01') BETWEEN '1000-01-01' AND '9000-12-31'
                  AND COALESCE(r.catch_up_due, '2000-01-01') BETWEEN '1000-01-01' AND '9000-12-31'""";
    }

    private final NamedSql sql;
    private final AfterCommit events;

    public AssignmentRecompute(NamedSql sql, AfterCommit events) {
        this.sql = sql;
        this.events = events;
    }

    /** What an introduction routine with these values would ask, counted before it is saved. */
    @Serdeable
    public record Preview(long newStarters, long existingStaff, long overdue) {
        public long people() {
            return newStarters + existingStaff;
        }
    }

    /**
     * How many people under the node an introduction routine set there for the audience would give assignments to, new
     * starters and existing staff apart, and how many of them would be overdue at once (due before today with a module
     * not yet completed). The same rule as the recomputation ({@link IntroductionRule}) over the typed values, per
     * placement under the node with the audience; placements under a routine further down for the same audience are not
     * counted, as that one holds for them. A person placed twice counts once: a new starter if new in either placement,
     * due at the earliest date.
     */
    public Preview preview(long nodeId, long audienceId, CountsFrom countsFrom, int dueDays, LocalDate appliesFrom,
                           LocalDate catchUpDue, List<String> modules, LocalDate today) {
        List<String> distinct = modules.stream().distinct().toList();
        NamedSql.Params params = NamedSql.with("scope", nodeId).and("audience", audienceId).and("countsFrom", countsFrom)
                .and("dueDays", dueDays).and("appliesFrom", appliesFrom).and("catchUpDue", catchUpDue).and("today", today)
                .and("moduleCount", distinct.size());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            names.add(":module" + i);
            params.and("module" + i, distinct.get(i));
        }
        return sql.one("""
                SELECT COALESCE(SUM(NOT existing), 0) AS new_starters, COALESCE(SUM(existing), 0) AS existing_staff,
                       COALESCE(SUM(due_date < :today
                                    AND (SELECT COUNT(DISTINCT mv.module_code) FROM counted_completion c
                                         JOIN module_version mv ON mv.id = c.module_version_id
                                         WHERE c.person_id = asked.person_id AND mv.module_code IN (%s)) < :moduleCount), 0)
                           AS overdue
                FROM (SELECT p.id AS person_id, MIN(%s) AS existing, MIN(%s) AS due_date
                      FROM (SELECT CAST(:countsFrom AS CHAR(20)) AS counts_from, CAST(:appliesFrom AS DATE) AS applies_from,
                                   CAST(:catchUpDue AS DATE) AS catch_up_due, CAST(:dueDays AS SIGNED) AS due_days) r
                      CROSS JOIN %s
                      JOIN current_placement pl ON pl.person_id = p.id
                      JOIN org_closure here ON here.ancestor_id = :scope AND here.descendant_id = pl.org_node_id
                      WHERE p.status = 'ACTIVE' AND %s
                        AND EXISTS (SELECT 1 FROM placement_audience pa WHERE pa.placement_id = pl.id AND pa.audience_id = :audience)
                        AND NOT EXISTS (SELECT 1 FROM routine below
                                        JOIN org_closure under ON under.ancestor_id = :scope
                                             AND under.descendant_id = below.org_node_id AND under.depth > 0
                                        JOIN org_closure reach ON reach.ancestor_id = below.org_node_id
                                             AND reach.descendant_id = pl.org_node_id
                                        WHERE below.kind = 'INTRODUCTION' AND below.audience_id = :audience
                                          AND below.retired_at IS NULL)
                      GROUP BY p.id) asked""".formatted(String.join(", ", names), IntroductionRule.EXISTING,
                        IntroductionRule.DUE, PEOPLE, IntroductionRule.ASKS), params.and("from", 0L).and("to", Long.MAX_VALUE),
                row -> new Preview(row.number("new_starters"), row.number("existing_staff"), row.number("overdue")))
                .orElseThrow();
    }

    @Transactional
    public void recompute(long scopeNodeId) {
        recompute(scopeNodeId, 0, Long.MAX_VALUE);
    }

    /**
     * The same for the people under the node whose ids lie in the range: one slice of a large recomputation. Read
     * committed, so that reading routines and completions into new assignments takes no locks on them: a coordinator can
     * save a routine while a large recomputation runs.
     */
    @Transactional(isolation = TransactionDefinition.Isolation.READ_COMMITTED)
    public void recompute(long scopeNodeId, long fromPersonId, long toPersonId) {
        Slice slice = new Slice(scopeNodeId, fromPersonId, toPersonId);
        setFirstCycles(slice);
        // Each round can fulfil one more cycle per chain, so a long history replays in as many rounds as it has cycles.
        linkCompletions(slice);
        do {
            setValidity(slice);
            setNextCycles(slice);
        } while (linkCompletions(slice) > 0);
        withdrawWhatNoRoutineAsksFor(slice);
        // Whatever listens (the LRS announcements, report summaries) hears of the slice once it is committed.
        events.publish(AssignmentsChanged.recomputed(scopeNodeId, fromPersonId, toPersonId));
    }

    /**
     * Recomputes one person, wherever they are placed: the scope is a unit of one of their placements (a current one
     * first; an ended one still reaches a person who has none left, so that what they were given is withdrawn).
     */
    @Transactional(isolation = TransactionDefinition.Isolation.READ_COMMITTED)
    public void recomputePerson(long personId) {
        sql.one("""
                SELECT org_node_id FROM placement WHERE person_id = :person
                ORDER BY ended_on IS NULL DESC, id LIMIT 1""", NamedSql.with("person", personId), row -> row.number("org_node_id"))
                .ifPresent(node -> recompute(node, personId, personId));
    }

    /**
     * {@link #recomputePerson} in a transaction of its own, for a listener to a change already committed: run from the
     * committed transaction's after-commit hook, joining that transaction would write into one that never commits again.
     */
    @Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW,
            isolation = TransactionDefinition.Isolation.READ_COMMITTED)
    public void recomputePersonOnItsOwn(long personId) {
        recomputePerson(personId);
    }

    private record Slice(long scope, long from, long to) {
    }

    private void setFirstCycles(Slice slice) {
        execute(slice, """
                INSERT INTO assignment (person_id, module_code, cycle, routine_id, source, due_date)
                SELECT d.person_id, d.module_code, 1, d.routine_id, 'ROUTINE', d.due_date FROM (%s) d
                ON DUPLICATE KEY UPDATE
                    assignment.due_date = IF(assignment.source = 'ROUTINE' AND assignment.completion_id IS NULL,
                                             VALUES(due_date), assignment.due_date),
                    assignment.routine_id = IF(assignment.source = 'ROUTINE', VALUES(routine_id), assignment.routine_id),
                    assignment.withdrawn_at = IF(assignment.source = 'ROUTINE', NULL, assignment.withdrawn_at)"""
                .formatted(FIRST_CYCLE));
    }

    /** Gives each open cycle the earliest unused completion done since its window opened; returns how many it gave. */
    private int linkCompletions(Slice slice) {
        return execute(slice, """
                UPDATE assignment a
                JOIN (SELECT pending.id, (%s) AS completion_id
                      FROM assignment pending JOIN %s ON p.id = pending.person_id
                      WHERE pending.withdrawn_at IS NULL AND pending.completion_id IS NULL AND %s
                        AND pending.person_id BETWEEN :from AND :to) found ON found.id = a.id
                SET a.completion_id = found.completion_id
                WHERE found.completion_id IS NOT NULL AND %s""".formatted(UNUSED_COMPLETION, PEOPLE, SLICE, UPDATED_SLICE));
    }

    private void setValidity(Slice slice) {
        execute(slice, """
                UPDATE assignment a
                JOIN %s ON p.id = a.person_id
                JOIN counted_completion c ON c.id = a.completion_id
                LEFT JOIN (%s) d ON d.person_id = a.person_id AND d.module_code = a.module_code
                SET a.valid_until = IF(d.person_id IS NULL, NULL,
                        DATE_ADD(IF(a.cycle > 1 AND c.completed_on <= a.due_date, a.due_date, c.completed_on),
                                 INTERVAL d.interval_months MONTH))
                WHERE %s AND %s""".formatted(PEOPLE, CONTINUING, SLICE, UPDATED_SLICE));
    }

    /** The next cycle of every completed one whose validity runs out; none for a withdrawn module (the rest is history). */
    private void setNextCycles(Slice slice) {
        execute(slice, """
                INSERT INTO assignment (person_id, module_code, cycle, routine_id, source, due_date, opens_on)
                SELECT a.person_id, a.module_code, a.cycle + 1, d.routine_id, 'ROUTINE', a.valid_until,
                       DATE_SUB(a.valid_until, INTERVAL d.renewal_window_days DAY)
                FROM assignment a
                JOIN %s ON p.id = a.person_id
                JOIN (%s) d ON d.person_id = a.person_id AND d.module_code = a.module_code
                JOIN catalogue_module cm ON cm.code = a.module_code
                WHERE a.completion_id IS NOT NULL AND a.valid_until IS NOT NULL AND a.withdrawn_at IS NULL AND %s
                  AND %s
                ON DUPLICATE KEY UPDATE
                    assignment.due_date = IF(assignment.completion_id IS NULL, VALUES(due_date), assignment.due_date),
                    assignment.opens_on = IF(assignment.completion_id IS NULL, VALUES(opens_on), assignment.opens_on),
                    assignment.routine_id = VALUES(routine_id),
                    assignment.withdrawn_at = NULL""".formatted(PEOPLE, CONTINUING, SLICE, ModuleReach.OPEN));
    }

    /** Open routine cycles nothing asks for any more (a move, a changed audience, a routine taken away) are withdrawn. */
    private void withdrawWhatNoRoutineAsksFor(Slice slice) {
        execute(slice, """
                UPDATE assignment a
                JOIN %s ON p.id = a.person_id
                LEFT JOIN (%s) asked_first ON asked_first.person_id = a.person_id AND asked_first.module_code = a.module_code
                LEFT JOIN (%s) asked_later ON asked_later.person_id = a.person_id AND asked_later.module_code = a.module_code
                SET a.withdrawn_at = CURRENT_TIMESTAMP
                WHERE a.source = 'ROUTINE' AND a.withdrawn_at IS NULL AND a.completion_id IS NULL AND %s AND %s
                  AND ((a.cycle = 1 AND asked_first.person_id IS NULL) OR (a.cycle > 1 AND asked_later.person_id IS NULL))"""
                .formatted(PEOPLE, FIRST_CYCLE, CONTINUING, SLICE, UPDATED_SLICE));
    }

    /** Runs a statement over the slice. */
    private int execute(Slice slice, String statement) {
        return sql.update(statement, NamedSql.with("scope", slice.scope()).and("from", slice.from()).and("to", slice.to()));
    }
}
