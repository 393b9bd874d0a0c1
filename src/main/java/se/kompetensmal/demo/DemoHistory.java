package se.kompetensmal.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.sql.NamedSql;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * The completions of a year with Kompetensmål, so that coordinators and leaders have believable figures and a trend.
 * Under each introduction routine, existing staff mostly did their modules between the day it took effect and their
 * catch-up date (a few late, about one in ten not yet: overdue); new starters whose due date has passed mostly did them
 * in time (about one in seven not: overdue), and about half of those still inside their time already have. Under yearly
 * hygiene most completions are still valid, some expire within the renewal window (due soon) and a few are missing.
 * Everything is derived from each HSA-id, so every demo load is the same relative to the day it is loaded. The demo
 * learner keeps a clean slate, so that he has an overdue introduction to take; the coordinators and the leader did theirs
 * in time, as people in those roles would.
 */
@Singleton
@Requires(property = "kompetensmal.demo-data", value = "true")
class DemoHistory {

    private final NamedSql sql;
    private final Completions completions;

    DemoHistory(NamedSql sql, Completions completions) {
        this.sql = sql;
        this.completions = completions;
    }

    record Person(long id, String hsaId, LocalDate orgStart, LocalDate roleStart) {
        /** A number from 0 to 999 fixed for the person and the routine, to draw their history from. */
        int seed(String salt) {
            // Through a generator: the hash codes of HSA-ids that differ in their last digits lie close together.
            return new java.util.Random((hsaId + salt).hashCode()).nextInt(1000);
        }
    }

    @Transactional
    public void record(List<DemoData.DemoRoutine> routines, List<String> keepClean, List<String> inTime, LocalDate today) {
        Set<String> clean = Set.copyOf(keepClean);

        for (DemoData.DemoRoutine routine : routines) {
            RoutineForm form = routine.form();
            for (Person person : people(routine.orgCode(), form.audience())) {
                if (clean.contains(person.hsaId())) {
                    continue;
                }
                if (form.kind() == RoutineKind.INTRODUCTION) {
                    introduction(person, form, today, inTime.contains(person.hsaId()));
                } else {
                    continuing(person, form, today);
                }
            }
        }
    }

    /** {@code inTime}: did it in time whatever the HSA-id draws (the demo's coordinators and leader). */
    private void introduction(Person person, RoutineForm form, LocalDate today, boolean inTime) {
        int seed = inTime ? 0 : person.seed(form.name());
        LocalDate start = form.countsFrom() == CountsFrom.ROLE_START ? person.roleStart() : person.orgStart();
        LocalDate done;
        if (start.isBefore(form.appliesFrom())) {
            // Existing staff: most before the catch-up date, some late, about one in ten not yet.
            long days = Math.max(1, ChronoUnit.DAYS.between(form.appliesFrom(), form.catchUpDue()) - 7);
            done = seed % 100 < 84 ? form.appliesFrom().plusDays(7 + seed % days)
                    : seed % 100 < 90 ? form.catchUpDue().plusDays(5 + seed % 60) : null;
        } else {
            LocalDate due = start.plusDays(form.dueDays());
            if (due.isBefore(today)) {
                done = seed % 100 < 85 ? start.plusDays(3 + seed % Math.max(1, form.dueDays() - 3)) : null;
            } else {
                done = seed % 100 < 50 ? start.plusDays(3 + seed % 20) : null;
            }
        }
        if (done != null && done.isBefore(today)) {
            for (int i = 0; i < form.modules().size(); i++) {
                LocalDate on = done.plusDays(i * (seed % 4));
                complete(person, form.modules().get(i), on.isBefore(today) ? on : done, 78 + seed % 23);
            }
        }
    }

    /**
     * Yearly renewal: the first round is due a year after the later of the start and the day the routine began. Where that
     * is past or near, most did it within the last year (still valid), about one in ten a little over eleven months ago
     * (expiring within the renewal window: due soon), and a few not at all (overdue).
     */
    private void continuing(Person person, RoutineForm form, LocalDate today) {
        int seed = person.seed(form.name());
        LocalDate from = person.orgStart().isAfter(form.startsOn()) ? person.orgStart() : form.startsOn();
        LocalDate firstDue = from.plusMonths(form.intervalMonths());
        LocalDate done;
        if (firstDue.isBefore(today.plusDays(form.renewalWindowDays()))) {
            done = seed % 100 < 83 ? today.minusDays(30 + (seed * 7L) % 290)
                    : seed % 100 < 93 ? today.minusDays(340 + seed % 20) : null;
            if (done != null && done.isBefore(person.orgStart())) {
                done = person.orgStart().plusDays(10);
            }
        } else {
            done = seed % 100 < 50 ? person.orgStart().plusDays(10 + seed % 30) : null;
        }
        if (done != null && done.isBefore(today)) {
            complete(person, form.modules().get(0), done, 75 + seed % 26);
        }
    }

    private void complete(Person person, String module, LocalDate on, int score) {
        // The latest version by its number: ids say nothing of order across Galera nodes.
        long version = sql.number("SELECT id FROM module_version WHERE module_code = :module ORDER BY version DESC LIMIT 1",
                NamedSql.with("module", module));
        completions.record(person.id(), version, on, score, 60 * (12 + score % 9), Completions.Source.INTERNAL);
    }

    /** The active people of the audience under the node with the code. */
    private List<Person> people(String orgCode, String audience) {
        return sql.list("""
                SELECT p.id, p.hsa_id, p.org_start_date, p.role_start_date FROM org_node n
                JOIN org_closure c ON c.ancestor_id = n.id JOIN person p ON p.org_node_id = c.descendant_id
                JOIN person_audience pa ON pa.person_id = p.id JOIN audience a ON a.id = pa.audience_id
                WHERE n.code = :code AND a.code = :audience AND p.status = 'ACTIVE' ORDER BY p.id""",
                NamedSql.with("code", orgCode).and("audience", audience),
                row -> new Person(row.number("id"), row.string("hsa_id"), row.date("org_start_date"),
                        row.date("role_start_date") == null ? row.date("org_start_date") : row.date("role_start_date")));
    }
}
