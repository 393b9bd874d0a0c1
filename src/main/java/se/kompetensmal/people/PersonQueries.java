package se.kompetensmal.people;

import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads people, alone or everyone under an organisational node (one indexed join on the closure table). */
@Singleton
// Reads outside a transaction still need a connection of their own.
@Connectable
public class PersonQueries {

    private static final String SELECT = """
            SELECT p.id, p.hsa_id, p.given_name, p.family_name, p.email, p.org_node_id, n.code AS org_code,
                   n.name AS org_name, p.org_start_date, p.role_start_date, p.status, p.left_on,
                   (SELECT GROUP_CONCAT(a.code ORDER BY a.sort_order SEPARATOR ',') FROM person_audience pa
                      JOIN audience a ON a.id = pa.audience_id WHERE pa.person_id = p.id) AS audiences,
                   (SELECT GROUP_CONCAT(a.name_sv ORDER BY a.sort_order SEPARATOR '\n') FROM person_audience pa
                      JOIN audience a ON a.id = pa.audience_id WHERE pa.person_id = p.id) AS audience_names
            FROM person p JOIN org_node n ON n.id = p.org_node_id
            """;

    private final JdbcOperations jdbc;

    public PersonQueries(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** One page of people, sorted by name, and how many there are in all. */
    @Serdeable
    public record PeoplePage(List<PersonView> people, long total, int page, int size) {
    }

    public Optional<PersonView> byId(long id) {
        return one(SELECT + "WHERE p.id = ?", id);
    }

    public Optional<PersonView> byHsaId(String hsaId) {
        return one(SELECT + "WHERE p.hsa_id = ?", hsaId);
    }

    /** The person with this e-mail address, when exactly one has it. */
    public Optional<PersonView> byEmail(String email) {
        List<PersonView> found = jdbc.prepareStatement(SELECT + "WHERE p.email = ? LIMIT 2", statement -> {
            statement.setString(1, email);
            return list(statement.executeQuery());
        });
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    public PeoplePage inSubtree(long nodeId, PersonStatus status, int page, int size) {
        String from = " JOIN org_closure c ON c.descendant_id = p.org_node_id WHERE c.ancestor_id = ? AND p.status = ?";
        long total = jdbc.prepareStatement("SELECT COUNT(*) FROM person p" + from, statement -> {
            statement.setLong(1, nodeId);
            statement.setString(2, status.name());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        List<PersonView> people = jdbc.prepareStatement(
                SELECT.replace("FROM person p JOIN org_node n ON n.id = p.org_node_id",
                        "FROM person p JOIN org_node n ON n.id = p.org_node_id" + from)
                        + " ORDER BY p.family_name, p.given_name, p.id LIMIT ? OFFSET ?",
                statement -> {
                    statement.setLong(1, nodeId);
                    statement.setString(2, status.name());
                    statement.setInt(3, size);
                    statement.setLong(4, (long) page * size);
                    return list(statement.executeQuery());
                });
        return new PeoplePage(people, total, page, size);
    }

    /** Active people per audience under the node; a person may count in several. */
    public List<AudienceHeadcount> headcountsByAudience(long nodeId) {
        String sql = """
                SELECT a.code, a.name_sv, COUNT(p.id) FROM audience a
                LEFT JOIN (person_audience pa
                           JOIN person p ON p.id = pa.person_id AND p.status = 'ACTIVE'
                           JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = ?)
                       ON pa.audience_id = a.id
                GROUP BY a.id, a.code, a.name_sv, a.sort_order ORDER BY a.sort_order, a.code""";
        return jdbc.prepareStatement(sql, statement -> {
            statement.setLong(1, nodeId);
            List<AudienceHeadcount> counts = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    counts.add(new AudienceHeadcount(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
            return counts;
        });
    }

    /** Active people under each child of the node, in one query. */
    public Map<Long, Long> headcountsOfChildren(long nodeId) {
        return headcounts("ch.parent_id = ?", List.of(nodeId));
    }

    /** Active people under each of the nodes, in one query. */
    public Map<Long, Long> headcountsOf(List<Long> nodeIds) {
        return nodeIds.isEmpty() ? Map.of()
                : headcounts("ch.id IN (" + String.join(",", java.util.Collections.nCopies(nodeIds.size(), "?")) + ")", nodeIds);
    }

    private Map<Long, Long> headcounts(String condition, List<Long> parameters) {
        String sql = """
                SELECT ch.id, COUNT(p.id) FROM org_node ch
                JOIN org_closure c ON c.ancestor_id = ch.id
                JOIN person p ON p.org_node_id = c.descendant_id AND p.status = 'ACTIVE'
                WHERE %s GROUP BY ch.id""".formatted(condition);
        return jdbc.prepareStatement(sql, statement -> {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setLong(i + 1, parameters.get(i));
            }
            Map<Long, Long> counts = new HashMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getLong(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    @Serdeable
    public record AudienceHeadcount(String code, String nameSv, long people) {
    }

    private Optional<PersonView> one(String sql, Object key) {
        return jdbc.prepareStatement(sql, statement -> {
            statement.setObject(1, key);
            return list(statement.executeQuery()).stream().findFirst();
        });
    }

    private static List<PersonView> list(ResultSet rs) throws SQLException {
        try (rs) {
            List<PersonView> people = new ArrayList<>();
            while (rs.next()) {
                String audiences = rs.getString("audiences");
                String names = rs.getString("audience_names");
                people.add(new PersonView(rs.getLong("id"), rs.getString("hsa_id"), rs.getString("given_name"),
                        rs.getString("family_name"), rs.getString("email"), rs.getLong("org_node_id"),
                        rs.getString("org_code"), rs.getString("org_name"),
                        audiences == null ? List.of() : Arrays.asList(audiences.split(",")),
                        rs.getObject("org_start_date", java.time.LocalDate.class),
                        rs.getObject("role_start_date", java.time.LocalDate.class),
                        PersonStatus.valueOf(rs.getString("status")),
                        rs.getObject("left_on", java.time.LocalDate.class),
                        // Names may hold commas; a line break cannot be in one.
                        names == null ? List.of() : Arrays.asList(names.split("\n"))));
            }
            return people;
        }
    }
}
