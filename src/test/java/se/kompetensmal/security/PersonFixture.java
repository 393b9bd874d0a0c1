package se.kompetensmal.security;

import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.Statement;

/** Puts one person straight into the roster, for tests that are about something else than importing. */
@Singleton
@Connectable
public class PersonFixture {

    private final JdbcOperations jdbc;

    public PersonFixture(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public long create(String hsaId, String givenName, String familyName, String email, long orgNodeId) {
        return jdbc.prepareStatement("""
                INSERT INTO person (hsa_id, given_name, family_name, email, org_node_id, org_start_date, role_start_date)
                VALUES (?, ?, ?, ?, ?, '2024-01-01', '2024-01-01')""", statement -> {
            statement.setString(1, hsaId);
            statement.setString(2, givenName);
            statement.setString(3, familyName);
            statement.setString(4, email);
            statement.setLong(5, orgNodeId);
            statement.executeUpdate();
            try (Statement select = statement.getConnection().createStatement();
                 ResultSet rs = select.executeQuery("SELECT LAST_INSERT_ID()")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
