package se.kompetensmal;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.LocalDate;

/** Puts one person straight into the roster, for tests that are about something else than importing. */
@Singleton
public class PersonFixture {

    private final TestSql sql;

    public PersonFixture(TestSql sql) {
        this.sql = sql;
    }

    /** A person in the unit with the audiences, started in the organisation and in the role on the dates given. */
    public long create(String hsaId, String givenName, String familyName, @Nullable String email, long unitId,
                       LocalDate orgStart, LocalDate roleStart, String... audiences) {
        sql.update("INSERT INTO person (hsa_id, given_name, family_name, email, org_node_id, org_start_date, role_start_date) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", hsaId, givenName, familyName, email, unitId, orgStart, roleStart);
        long id = sql.number("SELECT id FROM person WHERE hsa_id = ?", hsaId);
        for (String audience : audiences) {
            sql.update("INSERT INTO person_audience (person_id, audience_id) SELECT ?, id FROM audience WHERE code = ?", id, audience);
        }
        return id;
    }

    /** A unique HSA-id prefix for one test's people: append a suffix. */
    public static String hsaPrefix() {
        return "SE" + String.format("%010d", System.nanoTime() % 10_000_000_000L) + "-";
    }
}
