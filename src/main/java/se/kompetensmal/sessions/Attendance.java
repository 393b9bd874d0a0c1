package se.kompetensmal.sessions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Caller;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.sql.Retried;
import se.kompetensmal.xapi.LearningRecords;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

/**
 * Attendance at an occasion, marked by its coordinators or its own trainer from the start onwards: everyone booked is
 * present unless named absent. Attended earns a completion dated the occasion's day, exactly once: the signup row moves
 * to ATTENDED by a conditional update, and only the transaction whose update changed the row records the completion
 * (and the xAPI "attended" statement) and sets the row's completion_id, all in that one transaction. A second or
 * concurrent marking finds the row ATTENDED already and changes nothing. Absent (a no-show) is recorded and the module
 * stays due; a wrongly marked absent can be turned into attended later, attended is final.
 */
@Singleton
public class Attendance {

    public static final String MARKED = "ATTENDANCE_MARKED";

    private final Occasions occasions;
    private final NamedSql sql;
    private final Completions completions;
    private final LearningRecords records;
    private final AuditLog audit;
    private final TransactionOperations<Connection> transactions;

    public Attendance(Occasions occasions, NamedSql sql, Completions completions, LearningRecords records, AuditLog audit,
                      TransactionOperations<Connection> transactions) {
        this.occasions = occasions;
        this.sql = sql;
        this.completions = completions;
        this.records = records;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** What one marking changed: places newly attended and newly absent (none when marked again the same way). */
    @Serdeable
    public record Marked(int attended, int absent) {
    }

    /**
     * Marks the occasion: the people in {@code present} who are booked (or were marked absent) attended; everyone else
     * booked is absent. People not on the list are ignored, so a stale form cannot touch anyone else.
     */
    public Marked mark(Authentication caller, long occasionId, Set<Long> present, @Nullable HttpRequest<?> request) {
        Occasions.Occasion o = occasions.readable(caller, occasionId);
        if (o.cancelled()) {
            throw new OccasionRefused("Tillfället är inställt; närvaro kan inte registreras.");
        }
        if (!o.started()) {
            throw new OccasionRefused("Närvaron kan registreras först när tillfället har börjat ("
                    + o.day() + " kl. " + o.start().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm")) + ").");
        }
        long account = Caller.of(caller).accountId();
        // A marking at once with a learner's own completion, or on another Galera node, may be rolled back by the
        // database (1213, seen on the cluster test); the whole marking is conditional updates, so it is run again.
        Marked marked = Retried.whenRolledBack(3, () -> transactions.executeWrite(status -> {
            long version = sql.number("""
                    SELECT id FROM module_version WHERE module_code = :code ORDER BY version DESC LIMIT 1""",
                    NamedSql.with("code", o.moduleCode()));
            record Place(long id, long personId, String status) {
            }
            // In id order, so that two markings at once take the rows' locks in the same order and never deadlock.
            List<Place> places = sql.list("""
                    SELECT id, person_id, status FROM session_signup
                    WHERE occasion_id = :occasion AND status IN ('BOOKED', 'ABSENT') ORDER BY id""",
                    NamedSql.with("occasion", occasionId),
                    row -> new Place(row.number("id"), row.number("person_id"), row.string("status")));
            int attended = 0;
            int absent = 0;
            for (Place place : places) {
                if (present.contains(place.personId())) {
                    if (attend(place.id(), place.personId(), version, o, account)) {
                        attended++;
                    }
                } else if ("BOOKED".equals(place.status()) && sql.update("""
                        UPDATE session_signup SET status = 'ABSENT', active_flag = NULL,
                               attendance_marked_at = CURRENT_TIMESTAMP(3), attendance_marked_by = :by
                        WHERE id = :id AND status = 'BOOKED'""", NamedSql.with("id", place.id()).and("by", account)) == 1) {
                    absent++;
                }
            }
            return new Marked(attended, absent);
        }));
        audit.record(caller.getName(), MARKED, "tillfälle " + occasionId + ": " + marked.attended() + " närvarande, "
                + marked.absent() + " frånvarande", request);
        return marked;
    }

    /**
     * The one place a sign-up becomes ATTENDED. The conditional update decides: the row lock makes a concurrent marking
     * wait, and it then sees ATTENDED and updates nothing, so the completion is recorded by one transaction only.
     */
    private boolean attend(long signupId, long personId, long version, Occasions.Occasion o, long account) {
        int changed = sql.update("""
                UPDATE session_signup SET status = 'ATTENDED', active_flag = NULL,
                       attendance_marked_at = CURRENT_TIMESTAMP(3), attendance_marked_by = :by
                WHERE id = :id AND status IN ('BOOKED', 'ABSENT') AND completion_id IS NULL""",
                NamedSql.with("id", signupId).and("by", account));
        if (changed == 0) {
            return false;
        }
        long completion = completions.record(personId, version, o.day(), null, null,
                Completions.Provenance.session(o.id()));
        sql.update("UPDATE session_signup SET completion_id = :completion WHERE id = :id",
                NamedSql.with("completion", completion).and("id", signupId));
        records.attended(personId, version, o.id(), o.day());
        return true;
    }
}
