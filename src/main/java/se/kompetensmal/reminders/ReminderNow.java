package se.kompetensmal.reminders;

import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.time.LocalDate;
import java.util.Optional;

/**
 * A reminder a coordinator sends a person at once from the person page: one mail listing everything the person still has
 * to do, written as a reminder row (kind MANUAL) and sent by {@link ReminderSender} like the planned ones. At most one an
 * hour per person, so that a button pressed again and again does not flood anyone's inbox.
 */
@Singleton
public class ReminderNow {

    /** How long after one reminder by hand the next may be sent to the same person. */
    public static final int MINUTES_BETWEEN = 60;

    private final NamedSql sql;
    private final BeanProvider<ReminderSender> sender;

    public ReminderNow(NamedSql sql, BeanProvider<ReminderSender> sender) {
        this.sql = sql;
        this.sender = sender;
    }

    /** Why a reminder was not sent, in Swedish, for the page to show. */
    public static class ReminderRefused extends HttpStatusException {
        public ReminderRefused(String message) {
            super(HttpStatus.CONFLICT, message);
        }
    }

    /** A reminder sent (or, if the mail server did not answer, queued to be tried again) to the address. */
    public record Outcome(String to, boolean sent) {
    }

    /** The last reminder sent by hand to the person within the hour: who asked and how many minutes ago. */
    public record Recent(String requestedBy, long minutesAgo) {

        public long minutesLeft() {
            return Math.max(1, MINUTES_BETWEEN - minutesAgo);
        }
    }

    public Optional<Recent> recent(long personId) {
        return sql.one("""
                SELECT r.requested_by, TIMESTAMPDIFF(MINUTE, r.created_at, CURRENT_TIMESTAMP) AS minutes_ago FROM reminder r
                WHERE r.person_id = :person AND r.kind = 'MANUAL'
                  AND r.created_at > CURRENT_TIMESTAMP - INTERVAL :minutes MINUTE
                ORDER BY r.created_at DESC, r.id DESC LIMIT 1""",
                NamedSql.with("person", personId).and("minutes", MINUTES_BETWEEN),
                row -> new Recent(row.string("requested_by"), row.number("minutes_ago")));
    }

    public boolean mailConfigured() {
        return sender.isPresent();
    }

    public Outcome send(long personId, String requestedBy, LocalDate today) {
        record Person(String name, String email) {
        }
        Person person = sql.one("SELECT given_name, family_name, email FROM person WHERE id = :person",
                NamedSql.with("person", personId),
                row -> new Person(row.string("given_name") + " " + row.string("family_name"), row.string("email"))).orElseThrow();
        if (person.email() == null || person.email().isBlank()) {
            throw new ReminderRefused(person.name() + " har ingen e-postadress i Kompetensmål, så ingen påminnelse kan skickas."
                    + " Adressen kommer från personalregistret.");
        }
        if (!mailConfigured()) {
            throw new ReminderRefused("E-post är inte inställd på den här servern, så ingen påminnelse kan skickas.");
        }
        Optional<Recent> recent = recent(personId);
        if (recent.isPresent()) {
            throw new ReminderRefused(person.name() + " fick en påminnelse för " + recent.get().minutesAgo()
                    + " minuter sedan. En ny kan skickas om " + recent.get().minutesLeft() + " minuter.");
        }
        if (sql.list(ReminderMails.STILL_TO_DO_NOW, NamedSql.with("person", personId).and("today", today),
                row -> row.string("title")).isEmpty()) {
            throw new ReminderRefused(person.name() + " har inget kvar att genomföra just nu, så det finns inget att påminna om.");
        }
        // One occasion per person and clock hour: two presses at the same moment write one row, and the later is refused.
        String occasion = "MANUAL:" + personId + ":" + System.currentTimeMillis() / 3_600_000L;
        int written = sql.update("""
                INSERT INTO reminder (occasion, kind, person_id, requested_by) VALUES (:occasion, 'MANUAL', :person, :by)
                ON DUPLICATE KEY UPDATE occasion = reminder.occasion""",
                NamedSql.with("occasion", occasion).and("person", personId).and("by", requestedBy));
        if (written != 1) {
            throw new ReminderRefused(person.name() + " har nyss fått en påminnelse. En ny kan skickas om en timme.");
        }
        long id = sql.number("SELECT id FROM reminder WHERE occasion = :occasion", NamedSql.with("occasion", occasion));
        return new Outcome(person.email(), sender.get().sendNow(id, today));
    }
}
