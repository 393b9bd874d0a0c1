package se.kompetensmal;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.LocalDate;

/**
 * Puts one person straight into the roster, for tests that are about something else than importing: the person row
 * (home unit, dates, the union of audiences) and their placement, as the roster's writer keeps them (migration V28).
 */
@Singleton
public class PersonFixture {

    private final TestSql sql;

    public PersonFixture(TestSql sql) {
        this.sql = sql;
    }

    /** A person in the unit with the audiences, started in the organisation and in the role on the dates given. */
    public long create(String hsaId, String givenName, String familyName, @Nullable String email, long unitId,
                       LocalDate orgStart, LocalDate roleStart, String... audiences) {
        sql.update("INSERT INTO person (hsa_id, huvudman_id, given_name, family_name, email, org_node_id, org_start_date, role_start_date) "
                + "SELECT ?, huvudman_id, ?, ?, ?, id, ?, ? FROM org_node WHERE id = ?",
                hsaId, givenName, familyName, email, orgStart, roleStart, unitId);
        long id = sql.number("SELECT id FROM person WHERE hsa_id = ?", hsaId);
        place(id, unitId, orgStart, roleStart, audiences);
        return id;
    }

    /**
     * Places the person in one more unit, with that placement's own audiences and dates; returns the placement's id.
     * The person's audiences become the union over their placements.
     */
    public long place(long personId, long unitId, LocalDate orgStart, LocalDate roleStart, String... audiences) {
        sql.update("INSERT INTO placement (person_id, org_node_id, org_start_date, role_start_date, source) VALUES (?, ?, ?, ?, 'MANUAL')",
                personId, unitId, orgStart, roleStart);
        long placementId = sql.number("SELECT id FROM placement WHERE person_id = ? AND org_node_id = ? AND ended_on IS NULL",
                personId, unitId);
        for (String audience : audiences) {
            sql.update("INSERT INTO placement_audience (placement_id, audience_id) SELECT ?, id FROM audience WHERE code = ?",
                    placementId, audience);
            sql.update("INSERT IGNORE INTO person_audience (person_id, audience_id) SELECT ?, id FROM audience WHERE code = ?",
                    personId, audience);
        }
        return placementId;
    }

    /** Moves a person with one placement to another unit, as an import that lists them there does. */
    public void move(long personId, long unitId) {
        sql.update("UPDATE person p JOIN org_node n ON n.id = ? SET p.org_node_id = n.id, p.huvudman_id = n.huvudman_id WHERE p.id = ?",
                unitId, personId);
        sql.update("UPDATE placement SET org_node_id = ? WHERE person_id = ? AND ended_on IS NULL", unitId, personId);
    }

    /** Changes the start date in the role, on the person and their placements. */
    public void roleStart(long personId, LocalDate roleStart) {
        sql.update("UPDATE person SET role_start_date = ? WHERE id = ?", roleStart, personId);
        sql.update("UPDATE placement SET role_start_date = ? WHERE person_id = ? AND ended_on IS NULL", roleStart, personId);
    }

    /** A unique HSA-id prefix for one test's people: append a suffix. */
    public static String hsaPrefix() {
        return "SE" + String.format("%010d", System.nanoTime() % 10_000_000_000L) + "-";
    }
}
