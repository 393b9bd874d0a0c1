package se.kompetensmal.sessions;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.jobs.Stopping;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.sql.Retried;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The reminder mail before an occasion, to everyone with a place, once: {@code session_signup.reminded_at} is claimed
 * by a conditional update (with a token of the claim, V45) before the mail is sent and given back if the mail server
 * refused it, so a later round tries again; an instance killed between the claim and the send loses that one mail
 * rather than risk sending it twice.
 * Runs on the reminders' schedule; the number of days before is the
 * setting {@code kompetensmal.sessions.reminder-days} (default 2).
 *
 * <p>Not {@code @Connectable}, as {@link se.kompetensmal.reminders.ReminderSender}: each claim is committed on its own
 * before its mail goes out, never held in a transaction for the whole round where another instance cannot see it.
 */
@Singleton
@Requires(property = "javamail.enabled", value = "true")
public class OccasionReminders implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(OccasionReminders.class);

    private final NamedSql sql;
    private final OccasionMails mails;
    private final int daysBefore;
    private final Duration interval;
    private final Duration firstRunAfter;
    private final Stopping stopping;

    public OccasionReminders(NamedSql sql, OccasionMails mails, Stopping stopping,
                             @Value("${kompetensmal.sessions.reminder-days:2}") int daysBefore,
                             @Value("${kompetensmal.reminders.interval:15m}") Duration interval,
                             @Value("${kompetensmal.reminders.initial-delay:1m}") Duration firstRunAfter) {
        this.interval = interval;
        this.firstRunAfter = firstRunAfter;
        this.sql = sql;
        this.mails = mails;
        this.daysBefore = daysBefore;
        this.stopping = stopping;
    }

    @Override
    public String kind() {
        return "occasion-reminders";
    }

    @Override
    public String title() {
        return "Påminnelser om lärarledda tillfällen";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Duration firstRunAfter() {
        return firstRunAfter;
    }

    /** The background job kind {@code occasion-reminders}: one instance at a time (see {@link BackgroundJob}). */
    @Override
    public void run() {
        run(LocalDateTime.now(SwedishTime.ZONE));
    }

    /**
     * Sends the reminder to every booked place of an occasion not cancelled that starts after {@code now} and on or
     * before the day {@code daysBefore} days ahead; answers how many were sent.
     */
    public int run(LocalDateTime now) {
        List<Long> due = sql.list("""
                SELECT s.id FROM session_signup s
                JOIN session_occasion o ON o.id = s.occasion_id AND o.cancelled_at IS NULL
                JOIN person p ON p.id = s.person_id AND p.status = 'ACTIVE' AND p.email IS NOT NULL
                WHERE s.status = 'BOOKED' AND s.reminded_at IS NULL
                  AND o.starts_at > :now AND DATE(o.starts_at) <= DATE_ADD(:today, INTERVAL :days DAY)
                ORDER BY o.starts_at, s.id""",
                NamedSql.with("now", Timestamp.valueOf(now)).and("today", now.toLocalDate()).and("days", daysBefore),
                row -> row.number("id"));
        int sent = 0;
        for (long signup : due) {
            if (stopping.requested()) {
                // An orderly stop: the one in flight is done, the rest are for the next holder (see Stopping).
                break;
            }
            // Written before the claim: between the claim and the send nothing needs the database, so a connection
            // lost there cannot leave a place marked reminded without its mail.
            Optional<OccasionMails.Mail> mail = mails.reminder(signup);
            String token = UUID.randomUUID().toString();
            if (mail.isPresent() && claim(signup, token)) {
                if (mails.deliver(mail.get())) {
                    sent++;
                } else {
                    giveBack(signup, token);
                }
            }
        }
        return sent;
    }

    /**
     * Marks the place reminded, committed before the mail goes out; when the answer is lost with the connection, the
     * claim is this round's only if the token read back is its own (see {@link Retried#claimedDespite}).
     */
    private boolean claim(long signup, String token) {
        try {
            return sql.update("""
                    UPDATE session_signup SET reminded_at = CURRENT_TIMESTAMP, reminder_claim_token = :token
                    WHERE id = :id AND reminded_at IS NULL AND status = 'BOOKED'""",
                    NamedSql.with("id", signup).and("token", token)) == 1;
        } catch (RuntimeException e) {
            return claimedDespite(e, signup, token);
        }
    }

    /** Whether the claim with this token holds after its update failed with {@code e}; rethrows what it cannot tell. */
    boolean claimedDespite(RuntimeException e, long signup, String token) {
        boolean ours = Retried.claimedDespite(e, () -> sql.one(
                "SELECT 1 FROM session_signup WHERE id = :id AND reminder_claim_token = :token",
                NamedSql.with("id", signup).and("token", token), row -> true).isPresent());
        LOG.info("Occasion reminder for sign-up {}: its claim failed ({}); {}", signup, e.getMessage(),
                ours ? "it was committed, so it is sent" : "it is not this round's, so it is left");
        return ours;
    }

    /** The mail server refused the mail: the place is given back for a later round, through a failover if need be. */
    private void giveBack(long signup, String token) {
        if (!Retried.recordedAfterTheFact(() -> sql.update("""
                UPDATE session_signup SET reminded_at = NULL, reminder_claim_token = NULL
                WHERE id = :id AND reminder_claim_token = :token""", NamedSql.with("id", signup).and("token", token)))) {
            LOG.error("Occasion reminder for sign-up {} was not sent and could not be given back; it will not be sent", signup);
        }
    }
}
