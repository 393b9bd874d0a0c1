package se.kompetensmal.sessions;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.jobs.Stopping;
import se.kompetensmal.sql.NamedSql;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The reminder mail before an occasion, to everyone with a place, once: {@code session_signup.reminded_at} is claimed
 * by a conditional update before the mail is sent and given back if the mail server refused it, so a later round tries
 * again; an instance that dies between the claim and the send loses that one mail rather than risk sending it twice.
 * Runs on the reminders' schedule; the number of days before is the
 * setting {@code kompetensmal.sessions.reminder-days} (default 2).
 *
 * <p>Not {@code @Connectable}, as {@link se.kompetensmal.reminders.ReminderSender}: each claim is committed on its own
 * before its mail goes out, never held in a transaction for the whole round where another instance cannot see it.
 */
@Singleton
@Requires(property = "javamail.enabled", value = "true")
public class OccasionReminders implements BackgroundJob {

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
            if (sql.update("UPDATE session_signup SET reminded_at = CURRENT_TIMESTAMP WHERE id = :id AND reminded_at IS NULL",
                    NamedSql.with("id", signup)) == 1) {
                if (mails.remind(signup)) {
                    sent++;
                } else {
                    sql.update("UPDATE session_signup SET reminded_at = NULL WHERE id = :id", NamedSql.with("id", signup));
                }
            }
        }
        return sent;
    }
}
