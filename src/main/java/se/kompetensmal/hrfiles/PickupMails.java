package se.kompetensmal.hrfiles;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.email.Email;
import io.micronaut.email.EmailSender;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.roster.RowError;
import se.kompetensmal.sql.NamedSql;

import java.util.List;

/**
 * The mail about each file a pick-up read, to the coordinators of its organisation: those with the coordinator role on
 * the organisation itself, or where it has none, on the nearest node above that has some. Sent when a mail server is
 * configured, like the reminders.
 */
@Singleton
@Connectable
@Requires(property = "javamail.enabled", value = "true")
public class PickupMails {

    private static final Logger LOG = LoggerFactory.getLogger(PickupMails.class);

    private final NamedSql sql;
    private final EmailSender<?, ?> email;
    private final String from;
    private final String publicUrl;

    public PickupMails(NamedSql sql, EmailSender<?, ?> email,
                       @Value("${kompetensmal.mail.from:`kompetensmal@localhost`}") String from,
                       @Value("${kompetensmal.public-url:`http://localhost:8080`}") String publicUrl) {
        this.sql = sql;
        this.email = email;
        this.from = from;
        this.publicUrl = publicUrl;
    }

    /** The addresses of the coordinators nearest the organisation, at or above it, who have an e-mail address. */
    List<String> coordinators(long orgNodeId) {
        return sql.list("""
                SELECT DISTINCT p.email FROM org_closure up
                JOIN role_grant g ON g.org_node_id = up.ancestor_id AND g.role = 'COORDINATOR'
                JOIN user_account a ON a.id = g.account_id
                JOIN person p ON p.id = a.person_id
                WHERE up.descendant_id = :node AND p.email IS NOT NULL AND p.status = 'ACTIVE'
                  AND up.depth = (SELECT MIN(near.depth) FROM org_closure near
                                  JOIN role_grant ng ON ng.org_node_id = near.ancestor_id AND ng.role = 'COORDINATOR'
                                  JOIN user_account na ON na.id = ng.account_id
                                  JOIN person np ON np.id = na.person_id
                                  WHERE near.descendant_id = :node AND np.email IS NOT NULL AND np.status = 'ACTIVE')
                ORDER BY p.email""", NamedSql.with("node", orgNodeId), row -> row.string("email"));
    }

    void report(PickupSettings.Pickup pickup, String organisation, PickupSettings.Run run, List<RowError> errors, long errorCount) {
        List<String> to = coordinators(pickup.orgNodeId());
        if (to.isEmpty()) {
            LOG.warn("Pick-up file {} of organisation {}: no coordinator with an e-mail address to tell", run.fileName(),
                    pickup.orgNodeId());
            return;
        }
        String subject = switch (run.outcome() == null ? "" : run.outcome()) {
            case "SUCCEEDED" -> "Personalfilen " + run.fileName() + " är importerad";
            case "AWAITING_CONFIRMATION" -> "Personalfilen " + run.fileName() + " väntar på din bekräftelse";
            default -> "Personalfilen " + run.fileName() + " importerades inte";
        };
        StringBuilder body = new StringBuilder("Hej!\n\nFilen ").append(run.fileName()).append(" i mappen ")
                .append(pickup.folder()).append(" för ").append(organisation).append(" hämtades ").append(run.startedAtSv())
                .append(".\n\n");
        switch (run.outcome() == null ? "" : run.outcome()) {
            case "SUCCEEDED" -> body.append("Importen är klar: ").append(run.createdCount()).append(" nya, ")
                    .append(run.updatedCount()).append(" uppdaterade").append(pickup.fullImport()
                            ? ", " + run.leftCount() + " markerade som slutade" : "").append(".\n");
            case "AWAITING_CONFIRMATION" -> body.append(run.message()).append('\n');
            case "REJECTED" -> {
                body.append("Filen importerades inte, och ingenting ändrades: ").append(errorCount)
                        .append(" fel i filen.");
                body.append(errors.size() < errorCount ? " De första:\n\n" : "\n\n");
                for (RowError e : errors) {
                    body.append("Rad ").append(e.row()).append(e.column() == null ? "" : ", " + e.column()).append(": ")
                            .append(e.reason()).append('\n');
                }
            }
            default -> body.append("Filen importerades inte, och ingenting ändrades.\n").append(run.message()).append('\n');
        }
        if (run.movedTo() != null) {
            body.append("\nFilen har flyttats till ").append(pickup.folder()).append('/').append(run.movedTo()).append(".\n");
        }
        if (run.importId() != null) {
            body.append("\nSe importen: ").append(publicUrl).append("/import/").append(run.importId()).append('\n');
        }
        body.append("Hämtning från mapp: ").append(publicUrl).append("/organisationer/").append(pickup.orgNodeId())
                .append("/hamtning\n\nDet här är ett automatiskt meddelande från Kompetensmål.\n");
        for (String address : to) {
            try {
                email.send(Email.builder().from(from).to(address).subject(subject).body(body.toString()));
            } catch (RuntimeException e) {
                LOG.warn("Pick-up report could not be mailed: {}", e.getMessage());
            }
        }
    }
}
