package se.kompetensmal.reminders;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.email.Email;
import io.micronaut.email.EmailSender;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.jobs.Backlog;
import se.kompetensmal.jobs.Stopping;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.sql.Retried;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Plans and sends the reminders over SMTP, when a mail server is configured: the background job kind {@code reminders},
 * run by one instance at a time (see {@link BackgroundJob}). Each reminder is also claimed by a conditional update
 * before it is sent, as a coordinator's "send now" sends from the web request; a failed send is tried again on later
 * rounds, up to {@link #MAX_ATTEMPTS} times, and nothing planned is lost while the mail server is down.
 *
 * <p>Deliberately not {@code @Connectable}: every claim and every "sent" must be committed on its own, before the mail
 * goes out and right after, so that another instance sees it. A connection held for the whole round was left in a
 * transaction by the planner's {@code @Transactional} (Micronaut restores auto-commit only when the outer connection is
 * given back), so a round's claims and SENT marks were one transaction committed at its end: on the Galera test a holder
 * killed mid-round had its claims rolled back and the next holder mailed them again, and two holders that overlapped
 * (a heartbeat late under load) did not see each other's claims on two nodes and mailed the same reminders (532 mails
 * for 322 reminders). {@code ReminderMailTest} reads the claims from another connection while each mail is delivered.
 */
@Singleton
@Requires(property = "javamail.enabled", value = "true")
public class ReminderSender implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReminderSender.class);
    static final int MAX_ATTEMPTS = 5;
    /**
     * A reminder claimed longer ago than this and still SENDING was being sent by an instance that died: the SMTP
     * timeouts (application.yml) are far shorter, so no live send is that old.
     */
    static final Duration CUT_SHORT_AFTER = Duration.ofMinutes(10);

    private final NamedSql sql;
    private final ReminderPlanner planner;
    private final ReminderMails mails;
    private final EmailSender<?, ?> email;
    private final String from;
    private final Duration interval;
    private final Duration firstRunAfter;
    private final Stopping stopping;

    public ReminderSender(NamedSql sql, ReminderPlanner planner, ReminderMails mails, EmailSender<?, ?> email, Stopping stopping,
                          @Value("${kompetensmal.mail.from:`kompetensmal@localhost`}") String from,
                          @Value("${kompetensmal.reminders.interval:15m}") Duration interval,
                          @Value("${kompetensmal.reminders.initial-delay:1m}") Duration firstRunAfter) {
        this.sql = sql;
        this.planner = planner;
        this.mails = mails;
        this.email = email;
        this.from = from;
        this.interval = interval;
        this.firstRunAfter = firstRunAfter;
        this.stopping = stopping;
    }

    @Override
    public String kind() {
        return "reminders";
    }

    @Override
    public String title() {
        return "Påminnelser om utbildning via e-post";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Duration firstRunAfter() {
        return firstRunAfter;
    }

    @Override
    public Backlog backlog() {
        return Backlog.read(sql, "SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest FROM reminder WHERE status = 'PENDING'",
                java.util.Map.of());
    }

    @Override
    public void run() {
        run(LocalDate.now(SwedishTime.ZONE));
    }

    /** Plans the day's reminders and sends every one still pending; returns how many were sent. */
    public int run(LocalDate today) {
        return run(today, stopping::requested);
    }

    /**
     * As {@link #run(LocalDate)}, ending the round before the next claim once {@code stop} says so: the mail in flight
     * is sent and recorded, the rest stay PENDING for the next holder (an orderly stop, see {@link Stopping}).
     */
    int run(LocalDate today, BooleanSupplier stop) {
        abandonCutShort();
        // Its own transaction; two holders planning at once on two Galera nodes meet as a certification conflict.
        Retried.whenRolledBack(3, () -> {
            planner.plan(today);
            return null;
        });
        int sent = 0;
        for (long id : pending()) {
            if (stop.getAsBoolean()) {
                LOG.info("Reminder round ended early, {} sent: this instance is stopping; the rest wait for the next round", sent);
                break;
            }
            if (claim(id)) {
                sent += send(id, today) ? 1 : 0;
            }
        }
        return sent;
    }

    /**
     * A reminder being sent by an instance that died may or may not have reached the mail server. It is not sent
     * again, so that nobody gets the same mail twice; it is marked failed with the reason, for the administrator to see.
     * Until issue 21 every instance did this to all SENDING reminders when it started, failing live instances' sends.
     */
    private void abandonCutShort() {
        int abandoned = sql.update("""
                UPDATE reminder SET status = 'FAILED', last_error = :reason
                WHERE status = 'SENDING' AND claimed_at < NOW() - INTERVAL :minutes MINUTE""",
                NamedSql.with("reason", "Avbröts under sändning; skickas inte igen för att undvika dubbletter.")
                        .and("minutes", CUT_SHORT_AFTER.toMinutes()));
        if (abandoned > 0) {
            LOG.warn("{} reminder(s) cut short while being sent by a stopped instance are marked failed", abandoned);
        }
    }

    /**
     * Sends one reminder written just now (a coordinator's "send now") as the rounds send theirs: claimed first, and
     * on failure left for the rounds to try again. True when the mail server took it.
     */
    public boolean sendNow(long id, LocalDate today) {
        return claim(id) && send(id, today);
    }

    private boolean send(long id, LocalDate today) {
        try {
            ReminderMails.Mail mail = mails.compose(id, today);
            email.send(Email.builder().from(from).to(mail.to()).subject(mail.subject()).body(mail.body()));
        } catch (RuntimeException e) {
            LOG.warn("Reminder {} could not be sent: {}", id, e.getMessage());
            sql.update("""
                    UPDATE reminder SET attempts = attempts + 1, last_error = LEFT(:error, 500),
                        status = IF(attempts >= :max, 'FAILED', 'PENDING') WHERE id = :id""",
                    NamedSql.with("id", id).and("error", String.valueOf(e.getMessage())).and("max", MAX_ATTEMPTS));
            return false;
        }
        markSent(id);
        return true;
    }

    /**
     * Records that the mail server has the mail. Once it has, the reminder never goes back to PENDING; if recording
     * fails even through a failover it stays SENDING and is later marked as cut short, never sent again.
     */
    private void markSent(long id) {
        if (!Retried.recordedAfterTheFact(() -> sql.update(
                "UPDATE reminder SET status = 'SENT', sent_at = CURRENT_TIMESTAMP, attempts = attempts + 1 WHERE id = :id",
                NamedSql.with("id", id)))) {
            LOG.error("Reminder {} was sent but could not be recorded as sent; it will not be sent again", id);
        }
    }

    private List<Long> pending() {
        return sql.list("SELECT id FROM reminder WHERE status = 'PENDING' ORDER BY id", NamedSql.with("none", 0),
                row -> row.number("id"));
    }

    /**
     * Committed before the mail goes out. Two holders claiming the same reminder through two Galera nodes meet as a
     * certification conflict: the loser's claim is rolled back (1213), so it is not the loser's to send. When the
     * connection is lost while the claim is answered, whether it was committed is read back by its token: the mail goes
     * out only if the claim is this one's (see V44).
     */
    private boolean claim(long id) {
        String token = java.util.UUID.randomUUID().toString();
        try {
            return sql.update("""
                    UPDATE reminder SET status = 'SENDING', claimed_at = NOW(), claim_token = :token
                    WHERE id = :id AND status = 'PENDING'""", NamedSql.with("id", id).and("token", token)) == 1;
        } catch (RuntimeException e) {
            return claimedDespite(e, id, token);
        }
    }

    /** Whether the claim with this token holds after its update failed with {@code e}; rethrows what it cannot tell. */
    boolean claimedDespite(RuntimeException e, long id, String token) {
        boolean ours = Retried.claimedDespite(e, () -> sql.one("SELECT 1 FROM reminder WHERE id = :id AND claim_token = :token",
                NamedSql.with("id", id).and("token", token), row -> true).isPresent());
        LOG.info("Reminder {}: its claim failed ({}); {}", id, e.getMessage(),
                ours ? "it was committed, so it is sent" : "it is not this round's, so it is left");
        return ours;
    }
}
