package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import se.kompetensmal.sql.NamedSql;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A coordinator's manual assignment to a group, as asked and as far as the background job {@code manual-assignment} has
 * come: the reach (everyone active under the node, narrowed where given to a unit and an audience), the module and due
 * date, and, once done, how many it reached and how many of them had the module already.
 */
@Serdeable
public record ManualAssignmentJob(long id, long nodeId, @Nullable Long unitId, @Nullable String audience, String module,
                                  LocalDate dueDate, String requestedBy, String status, int expectedPeople,
                                  int reachedPeople, int alreadyAssigned, Instant createdAt, @Nullable Instant finishedAt) {

    /** The columns {@link #of} reads. */
    static final String COLUMNS = """
            id, node_id, unit_id, audience_code, module_code, due_date, requested_by, status, expected_people, reached_people,
            already_assigned, created_at, finished_at""";

    static ManualAssignmentJob of(NamedSql.Row row) throws SQLException {
        return new ManualAssignmentJob(row.number("id"), row.number("node_id"), row.nullableNumber("unit_id"),
                row.string("audience_code"), row.string("module_code"), row.date("due_date"), row.string("requested_by"),
                row.string("status"), (int) row.number("expected_people"), (int) row.number("reached_people"),
                (int) row.number("already_assigned"), row.instant("created_at"), row.instant("finished_at"));
    }

    /** The reach the job writes for (checked when it was asked). */
    ManualAssignments.Reach reach() {
        return new ManualAssignments.Reach(nodeId, unitId, audience, null);
    }

    public boolean finished() {
        return "DONE".equals(status) || "FAILED".equals(status);
    }

    /** Those for whom the assignment was new. */
    public int newlyAssigned() {
        return reachedPeople - alreadyAssigned;
    }

    /**
     * Where it stands, in Swedish, for the module titled {@code title}: waiting, how far it has come, or its outcome
     * ("3 personer fick modulen X (1 av dem hade den redan; den tidigare förfallodagen gäller).").
     */
    public String statusSv(String title) {
        return switch (status) {
            case "QUEUED" -> "Tilldelningen av modulen " + title + " till " + people(expectedPeople)
                    + " väntar på sin tur och görs strax.";
            case "RUNNING" -> "Tilldelningen av modulen " + title + " pågår: " + reachedPeople + " av " + people(expectedPeople)
                    + " klara.";
            case "DONE" -> people(reachedPeople) + " fick modulen " + title + (alreadyAssigned > 0 ? " (" + alreadyAssigned
                    + " av dem hade den redan; den tidigare förfallodagen gäller)." : ".");
            default -> "Tilldelningen av modulen " + title + " kunde inte göras klart (" + people(reachedPeople)
                    + " fick den). Gör om tilldelningen: den som redan fick modulen får den inte två gånger.";
        };
    }

    static String people(long count) {
        return count + (count == 1 ? " person" : " personer");
    }
}
