package se.kompetensmal.learning;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.sessions.Signups;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.web.Texts;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What one person has to do, as "Min utbildning" shows it: overdue, due soon, to do later, and done (completed or
 * exempted). A renewal whose window has not opened yet is not listed: the completion it follows shows until when it holds.
 */
@Singleton
@Connectable
public class MyTraining {

    /** Due within this many days counts as due soon. */
    static final int DUE_SOON_DAYS = 14;

    private final NamedSql sql;
    private final Texts texts;

    public MyTraining(NamedSql sql, Texts texts) {
        this.sql = sql;
        this.texts = texts;
    }

    /**
     * One module to take or taken, and why it is asked for: by a routine (named, with the audience it is for), or by the
     * coordinator who assigned it.
     * {@code started} says the learner has begun it and can continue where they left off.
     */
    @Serdeable
    public record Item(String moduleCode, String title, int minutes, int cycle, LocalDate dueDate, @Nullable String routine,
                       @Nullable String routineAudience, String assignedBy, boolean started, @Nullable Long completionId,
                       @Nullable LocalDate completedOn, @Nullable Integer score, @Nullable LocalDate validUntil, boolean expired, @Nullable String exemption,
                       @Nullable LocalDate opensOn, @Nullable String kind, boolean session, @Nullable Booking booking) {

        /** Where the module is taken: a session module at an occasion, chosen on its occasions page. */
        public String href() {
            return "/utbildning/" + moduleCode + (session ? "/tillfallen" : "");
        }
    }

    /**
     * A session module's live sign-up: the occasion booked (day, time, place) or the place in its waiting list, shown
     * instead of "start".
     */
    @Serdeable
    public record Booking(LocalDate day, String time, @Nullable String place, boolean waiting, @Nullable Integer position) {
    }

    @Serdeable
    public record Overview(List<Item> overdue, List<Item> dueSoon, List<Item> toDo, List<Item> done) {
        public boolean empty() {
            return overdue.isEmpty() && dueSoon.isEmpty() && toDo.isEmpty() && done.isEmpty();
        }
    }

    public Overview of(long personId, LocalDate today) {
        return of(personId, today, Texts.SWEDISH);
    }

    /** The same with the kind of each completion (registered, session, imported) in the learner's language. */
    public Overview of(long personId, LocalDate today, String language) {
        java.util.Map<String, String> t = texts.in(language);
        List<Item> overdue = new ArrayList<>();
        List<Item> dueSoon = new ArrayList<>();
        List<Item> toDo = new ArrayList<>();
        List<Item> done = new ArrayList<>();
        List<Item> items = sql.list("""
                SELECT a.module_code, mv.title, mv.estimated_minutes, a.cycle, a.due_date, a.opens_on,
                       r.name AS routine_name, ra.name_sv AS routine_audience, 
                       -- Who assigned it, by name: the column keeps the user name of the account.
                       COALESCE((SELECT ua.display_name FROM user_account ua WHERE ua.username = a.assigned_by), a.assigned_by) AS assigned_by, c.completed_on, c.score,
                       a.valid_until, e.reason AS exemption, c.id AS completion_id,
                       cm.source = 'SESSION' AS session, s.status AS signup_status,
                       DATE(so.starts_at) AS occasion_day,
                       CONCAT(TIME_FORMAT(so.starts_at, '%%H:%%i'), '–',
                              TIME_FORMAT(DATE_ADD(so.starts_at, INTERVAL so.duration_minutes MINUTE), '%%H:%%i')) AS occasion_time,
                       so.place AS occasion_place, IF(s.status = 'WAITING', %s, NULL) AS waiting_position,
                       (mp.person_id IS NOT NULL OR EXISTS (SELECT 1 FROM scorm_attempt sa
                                                           WHERE sa.person_id = a.person_id AND sa.module_code = a.module_code))
                           AS started,
                       %s
                FROM assignment a
                JOIN module_version mv ON mv.module_code = a.module_code
                 AND mv.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = a.module_code)
                LEFT JOIN routine r ON r.id = a.routine_id
                LEFT JOIN audience ra ON ra.id = r.audience_id
                LEFT JOIN counted_completion c ON c.id = a.completion_id
                LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                LEFT JOIN module_progress mp ON mp.person_id = a.person_id AND mp.module_code = a.module_code
                JOIN catalogue_module cm ON cm.code = a.module_code
                LEFT JOIN (session_signup s JOIN session_occasion so ON so.id = s.occasion_id)
                       ON s.person_id = a.person_id AND so.module_code = a.module_code AND %s
                WHERE a.person_id = :person AND a.withdrawn_at IS NULL
                ORDER BY a.due_date, mv.title, a.cycle""".formatted(Signups.WAITING_POSITION, CompletionKinds.COLUMNS, Signups.LIVE), NamedSql.with("person", personId), row -> {
            LocalDate validUntil = row.date("valid_until");
            return new Item(row.string("module_code"), row.string("title"), (int) row.number("estimated_minutes"),
                    (int) row.number("cycle"), row.date("due_date"), row.string("routine_name"), row.string("routine_audience"),
                    row.string("assigned_by"), row.flag("started"), row.nullableNumber("completion_id"),
                    row.date("completed_on"), row.nullableInt("score"), validUntil,
                    validUntil != null && validUntil.isBefore(today), row.string("exemption"), row.date("opens_on"),
                    CompletionKinds.describe(CompletionKinds.read(row), t),
                    row.flag("session"), row.string("signup_status") == null ? null : new Booking(row.date("occasion_day"),
                    row.string("occasion_time"), row.string("occasion_place"), "WAITING".equals(row.string("signup_status")),
                    row.nullableInt("waiting_position")));
        });
        for (Item item : items) {
            boolean renewalNotOpenYet = item.opensOn() != null && item.opensOn().isAfter(today);
            if (item.completedOn() != null || item.exemption() != null) {
                done.add(item);
            } else if (item.dueDate().isBefore(today)) {
                overdue.add(item);
            } else if (!item.dueDate().isAfter(today.plusDays(DUE_SOON_DAYS))) {
                dueSoon.add(item);
            } else if (!renewalNotOpenYet) {
                toDo.add(item);
            }
        }
        return new Overview(overdue, dueSoon, toDo, done);
    }
}
