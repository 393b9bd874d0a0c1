package se.kompetensmal.reminders;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.email.Email;
import io.micronaut.email.EmailSender;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;

import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends the planned reminders over SMTP, when a mail server is configured. Each reminder is claimed by a conditional
 * update before it is sent, so two instances never send the same one; a failed send is tried again on later rounds, up to
 * {@link #MAX_ATTEMPTS} times, and nothing planned is lost while the mail server is down.
 */
@Singleton
@Connectable
@Requires(property = "javamail.enabled", value = "true")
public class ReminderSender {

    private static final Logger LOG = LoggerFactory.getLogger(ReminderSender.class);
    static final int MAX_ATTEMPTS = 5;

    private final JdbcOperations jdbc;
    private final ReminderPlanner planner;
    private final ReminderMails mails;
    private final EmailSender<?, ?> email;
    private final String from;

    public ReminderSender(JdbcOperations jdbc, ReminderPlanner planner, ReminderMails mails, EmailSender<?, ?> email,
                          @Value("${kompetensmal.mail.from:`kompetensmal@localhost`}") String from) {
        this.jdbc = jdbc;
        this.planner = planner;
        this.mails = mails;
        this.email = email;
        this.from = from;
    }

    /**
     * A reminder being sent when the service stopped may or may not have reached the mail server. It is not sent again, so
     * that nobody gets the same mail twice; it is marked failed with the reason, for the administrator to see.
     */
    @EventListener
    void abandonCutShort(StartupEvent event) {
        jdbc.prepareStatement("""
                UPDATE reminder SET status = 'FAILED', last_error = 'Avbröts under sändning; skickas inte igen för att undvika dubbletter.'
                WHERE status = 'SENDING'""", statement -> statement.executeUpdate());
    }

    @Scheduled(fixedDelay = "${kompetensmal.reminders.interval:15m}", initialDelay = "${kompetensmal.reminders.initial-delay:1m}")
    void onSchedule() {
        run(LocalDate.now(SwedishTime.ZONE));
    }

    /** Plans the day's reminders and sends every one still pending; returns how many were sent. */
    public int run(LocalDate today) {
        planner.plan(today);
        int sent = 0;
        for (long id : pending()) {
            if (claim(id)) {
                sent += send(id, today) ? 1 : 0;
            }
        }
        return sent;
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
            update("UPDATE reminder SET status = 'SENT', sent_at = CURRENT_TIMESTAMP, attempts = attempts + 1 WHERE id = ?", id, null);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Reminder {} could not be sent: {}", id, e.getMessage());
            update("""
                    UPDATE reminder SET attempts = attempts + 1, last_error = LEFT(?, 500),
                        status = IF(attempts >= %d, 'FAILED', 'PENDING') WHERE id = ?""".formatted(MAX_ATTEMPTS),
                    id, String.valueOf(e.getMessage()));
            return false;
        }
    }

    private List<Long> pending() {
        return jdbc.prepareStatement("SELECT id FROM reminder WHERE status = 'PENDING' ORDER BY id", statement -> {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    private boolean claim(long id) {
        return update("UPDATE reminder SET status = 'SENDING' WHERE id = ? AND status = 'PENDING'", id, null) == 1;
    }

    private int update(String sql, long id, String text) {
        return jdbc.prepareStatement(sql, statement -> {
            int i = 1;
            if (text != null) {
                statement.setString(i++, text);
            }
            statement.setLong(i, id);
            return statement.executeUpdate();
        });
    }
}
