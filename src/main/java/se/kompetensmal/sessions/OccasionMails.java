package se.kompetensmal.sessions;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.email.Email;
import io.micronaut.email.EmailSender;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.sql.NamedSql;

import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The Swedish mails about occasions, sent over SMTP when a mail server is configured (like the reminders): to the one
 * who moved up from the waiting list, to everyone signed up for an occasion that was cancelled, and the reminder before
 * an occasion. A mail goes out only after the change it tells of is committed, so nobody is told of something undone.
 */
@Singleton
@Connectable
@Requires(property = "javamail.enabled", value = "true")
public class OccasionMails {

    private static final Logger LOG = LoggerFactory.getLogger(OccasionMails.class);
    private static final DateTimeFormatter DAY = OccasionPages.DAY;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private static final String FOOTER = """

            Se dina anmälningar i Kompetensmål: %s

            Det här är ett automatiskt meddelande från Kompetensmål. Frågor om tillfället besvaras av din
            utbildningssamordnare.
            """;

    private final NamedSql sql;
    private final EmailSender<?, ?> email;
    private final String from;
    private final String publicUrl;

    public OccasionMails(NamedSql sql, EmailSender<?, ?> email,
                         @Value("${kompetensmal.mail.from:`kompetensmal@localhost`}") String from,
                         @Value("${kompetensmal.public-url:`http://localhost:8080`}") String publicUrl) {
        this.sql = sql;
        this.email = email;
        this.from = from;
        this.publicUrl = publicUrl;
    }

    /** The person and occasion behind one sign-up, for writing to them. */
    record Recipient(String email, String givenName, Signups.Occasion occasion) {
    }

    @TransactionalEventListener
    void movedUp(SignupMovedUp event) {
        recipient(event.signupId()).ifPresent(r -> send(r, "Du har fått en plats: " + r.occasion().title() + " "
                        + r.occasion().startsAt().format(DAY),
                "Hej " + r.givenName() + "!\n\nEn plats blev ledig och du har flyttats upp från kön. Du har nu en plats på:\n\n"
                        + describe(r.occasion()) + "\nKan du inte komma? Avboka senast " + r.occasion().signupDeadline()
                        + " så att nästa i kön får platsen.\n" + FOOTER.formatted(link(r.occasion()))));
    }

    /**
     * Everyone who was booked or waiting when the occasion was cancelled: the occasions part publishes the event after
     * the cancellation is committed, with the people it concerned.
     */
    @io.micronaut.runtime.event.annotation.EventListener
    void cancelled(OccasionCancelled event) {
        for (long person : event.personIds()) {
            sql.one("SELECT p.email, p.given_name, " + Signups.OCCASION_COLUMNS + """
                             JOIN person p ON p.id = :person
                            WHERE o.id = :occasion AND p.email IS NOT NULL""",
                    NamedSql.with("person", person).and("occasion", event.occasionId()),
                    row -> new Recipient(row.string("email"), row.string("given_name"), Signups.occasion(row)))
                    .ifPresent(r -> send(r, "Inställt: " + r.occasion().title() + " " + r.occasion().startsAt().format(DAY),
                            "Hej " + r.givenName() + "!\n\nTillfället som du var anmäld till är inställt:\n\n"
                                    + describe(r.occasion()) + "\nSkäl: " + event.reason() + "\n\nUtbildningen finns kvar att"
                                    + " genomföra. Anmäl dig till ett annat tillfälle när det finns ett.\n"
                                    + FOOTER.formatted(link(r.occasion()))));
        }
    }

    /** A mail written out, to be sent. */
    record Mail(String to, String subject, String body) {
    }

    /**
     * The reminder before the occasion, written out; empty when the person has no address. Read before the place is
     * claimed (see {@link OccasionReminders}), so nothing between the claim and the send needs the database.
     */
    Optional<Mail> reminder(long signupId) {
        return recipient(signupId).map(r -> new Mail(r.email(),
                "Påminnelse: " + r.occasion().title() + " " + r.occasion().startsAt().format(DAY),
                "Hej " + r.givenName() + "!\n\nDu har en plats på:\n\n" + describe(r.occasion())
                        + "\nVälkommen!\n" + FOOTER.formatted(link(r.occasion()))));
    }

    /** Sends a mail written out before; true when the mail server took it. */
    boolean deliver(Mail mail) {
        return send(mail.to(), mail.subject(), mail.body());
    }

    private Optional<Recipient> recipient(long signupId) {
        return sql.one("SELECT p.email, p.given_name, " + Signups.OCCASION_COLUMNS + """
                         JOIN session_signup s ON s.occasion_id = o.id
                        JOIN person p ON p.id = s.person_id
                        WHERE s.id = :signup AND p.email IS NOT NULL""",
                NamedSql.with("signup", signupId),
                row -> new Recipient(row.string("email"), row.string("given_name"), Signups.occasion(row)));
    }

    /** When, where and with whom, one fact a line. */
    static String describe(Signups.Occasion o) {
        StringBuilder text = new StringBuilder();
        text.append(o.title()).append('\n');
        text.append("Dag: ").append(o.startsAt().format(DAY)).append('\n');
        text.append("Tid: ").append(o.startsAt().format(TIME)).append('–').append(o.endsAt().format(TIME)).append('\n');
        if (o.place() != null) {
            text.append("Plats: ").append(o.place()).append('\n');
        }
        if (o.videoUrl() != null) {
            text.append("Videolänk: ").append(o.videoUrl()).append('\n');
        }
        if (o.trainer() != null) {
            text.append("Utbildare: ").append(o.trainer()).append('\n');
        }
        return text.toString();
    }

    private String link(Signups.Occasion occasion) {
        return publicUrl + "/utbildning/" + occasion.moduleCode() + "/tillfallen";
    }

    private boolean send(Recipient recipient, String subject, String body) {
        return send(recipient.email(), subject, body);
    }

    private boolean send(String to, String subject, String body) {
        try {
            email.send(Email.builder().from(from).to(to).subject(subject).body(body));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Occasion mail to a person could not be sent: {}", e.getMessage());
            return false;
        }
    }
}
