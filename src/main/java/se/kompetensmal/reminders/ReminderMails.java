package se.kompetensmal.reminders;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.standing.Standing;
import se.kompetensmal.sql.NamedSql;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Writes the Swedish text of a planned reminder from what the database says now. */
@Singleton
@Connectable
public class ReminderMails {

    private static final String LATEST_TITLE = """
            (SELECT mv.title FROM module_version mv WHERE mv.module_code = a.module_code ORDER BY mv.version DESC LIMIT 1)""";
    private static final String FOOTER = """

            Logga in i Kompetensmål: %s

            Det här är ett automatiskt meddelande från Kompetensmål. Frågor om din utbildning besvaras av din chef
            eller utbildningssamordnare.
            """;

    /** What a person still has to do and may do now (a renewal not yet open is left out), for a reminder sent by hand. */
    static final String STILL_TO_DO_NOW = """
            SELECT %s AS title, a.due_date FROM assignment a
            WHERE a.person_id = :person AND %s AND (a.opens_on IS NULL OR a.opens_on <= :today)
            ORDER BY a.due_date, a.module_code""".formatted(LATEST_TITLE, Standing.STILL_TO_DO);

    private final JdbcOperations jdbc;
    private final NamedSql sql;
    private final String publicUrl;

    public ReminderMails(JdbcOperations jdbc, NamedSql sql,
                         @Value("${kompetensmal.public-url:`http://localhost:8080`}") String publicUrl) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.publicUrl = publicUrl;
    }

    /** A mail ready to send. */
    public record Mail(String to, String subject, String body) {
    }

    public Mail compose(long reminderId, LocalDate today) {
        return jdbc.prepareStatement("""
                SELECT r.kind, p.id, p.given_name, p.email, r.org_node_id, n.name, a.due_date, %s,
                       (SELECT MAX(mv.estimated_minutes) FROM module_version mv WHERE mv.module_code = a.module_code),
                       ro.name, a.assigned_by
                FROM reminder r JOIN person p ON p.id = r.person_id
                LEFT JOIN org_node n ON n.id = r.org_node_id
                LEFT JOIN assignment a ON a.id = r.assignment_id
                LEFT JOIN routine ro ON ro.id = a.routine_id
                WHERE r.id = ?""".formatted(LATEST_TITLE), statement -> {
            statement.setLong(1, reminderId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                String kind = rs.getString(1);
                String greeting = "Hej " + rs.getString(3) + "!\n\n";
                String to = rs.getString(4);
                if (kind.equals("MANUAL")) {
                    List<String> open = stillToDo(rs.getLong(2), today);
                    return new Mail(to, "Påminnelse: " + open.size() + (open.size() == 1 ? " utbildning" : " utbildningar")
                            + " kvar att genomföra", greeting + "Din utbildningssamordnare påminner dig om det här som du har kvar"
                            + " att genomföra i Kompetensmål:\n\n" + String.join("\n", open) + "\n" + FOOTER.formatted(publicUrl));
                }
                if (kind.equals("DIGEST")) {
                    List<String> behind = overdueUnder(rs.getLong(5), rs.getLong(2), today);
                    return new Mail(to, "Veckosammanställning: " + behind.size() + " försenade utbildningar i " + rs.getString(6),
                            greeting + "Det här är försenat i " + rs.getString(6) + " just nu:\n\n" + String.join("\n", behind)
                                    + "\n\nSe hela uppföljningen i Kompetensmål." + FOOTER.formatted(publicUrl));
                }
                String title = rs.getString(8);
                LocalDate due = rs.getObject(7, LocalDate.class);
                String why = rs.getString(10) != null ? "Den ingår i rutinen " + rs.getString(10) + "."
                        : "Den har tilldelats dig av " + rs.getString(11) + ".";
                if (kind.equals("OVERDUE")) {
                    return new Mail(to, "Försenad utbildning: " + title,
                            greeting + "Utbildningsmodulen \"" + title + "\" skulle ha varit genomförd senast " + due
                                    + ". Genomför den så snart du kan; den tar ungefär " + rs.getInt(9) + " minuter. " + why
                                    + "\n" + FOOTER.formatted(publicUrl));
                }
                return new Mail(to, "Påminnelse: " + title + " ska vara genomförd senast " + due,
                        greeting + "Utbildningsmodulen \"" + title + "\" ska vara genomförd senast " + due
                                + ". Den tar ungefär " + rs.getInt(9) + " minuter. " + why + "\n" + FOOTER.formatted(publicUrl));
            }
        });
    }

    /** One line per assignment the person still has to do and may do now, soonest due first. */
    private List<String> stillToDo(long personId, LocalDate today) {
        return sql.list(STILL_TO_DO_NOW, NamedSql.with("person", personId).and("today", today),
                row -> "– " + row.string("title") + (row.date("due_date").isBefore(today)
                        ? ": försenad, skulle ha varit klar senast " + row.date("due_date")
                        : ": ska vara klar senast " + row.date("due_date")));
    }

    /**
     * One line per overdue assignment under the manager's unit, soonest due first; someone placed in two units there has
     * a line under each, named by the unit.
     */
    private List<String> overdueUnder(long nodeId, long managerId, LocalDate today) {
        return jdbc.prepareStatement("""
                SELECT p.given_name, p.family_name, p.hsa_id, n.name, %s, a.due_date
                FROM assignment a
                JOIN person p ON p.id = a.person_id AND p.status = 'ACTIVE' AND p.id <> ?
                JOIN current_placement pl ON pl.person_id = p.id
                JOIN org_closure c ON c.descendant_id = pl.org_node_id AND c.ancestor_id = ?
                JOIN org_node n ON n.id = pl.org_node_id
                WHERE %s AND a.due_date < ?
                ORDER BY a.due_date, p.family_name, p.given_name, n.name""".formatted(LATEST_TITLE, Standing.STILL_TO_DO), statement -> {
            statement.setLong(1, managerId);
            statement.setLong(2, nodeId);
            statement.setDate(3, Date.valueOf(today));
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    lines.add(line(rs));
                }
            }
            return lines;
        });
    }

    private static String line(ResultSet rs) throws SQLException {
        return "– " + rs.getString(1) + " " + rs.getString(2) + " (" + rs.getString(3) + ", " + rs.getString(4) + "): "
                + rs.getString(5) + ", skulle vara klar " + rs.getObject(6, LocalDate.class);
    }
}
