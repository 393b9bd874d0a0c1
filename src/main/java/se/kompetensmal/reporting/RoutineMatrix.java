package se.kompetensmal.reporting;

import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Socialstyrelsen's survey question, asked of the tree: for each audience, does the organisation (huvudman) have an
 * introduction routine and a continuing-education routine, is it documented, is it part of the management system. A
 * huvudman has a routine when one is set at it, anywhere under it, or above it (inherited). At a node with several
 * huvudmän under it the answers become shares of those organisations; within one huvudman they are that one's answers.
 */
@Singleton
@Connectable
public class RoutineMatrix {

    private static final String HUVUDMAN = "('REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER')";

    private final JdbcOperations jdbc;

    public RoutineMatrix(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** How many of the organisations counted have a routine of one kind for one audience, and how well documented. */
    @Serdeable
    public record Answers(Share exists, Share documented, Share managementSystem) {
    }

    @Serdeable
    public record Row(String audience, String audienceName, Answers introduction, Answers continuing) {
    }

    @Serdeable
    public record Matrix(long organisations, List<Row> rows) {
        /** One huvudman's own answers rather than shares of many. */
        public boolean single() {
            return organisations == 1;
        }
    }

    public Matrix at(long nodeId) {
        String sql = """
                WITH under AS (SELECT h.id FROM org_closure c JOIN org_node h ON h.id = c.descendant_id
                               WHERE c.ancestor_id = ? AND h.kind IN %1$s),
                     above AS (SELECT h.id FROM org_closure c JOIN org_node h ON h.id = c.ancestor_id
                               WHERE c.descendant_id = ? AND h.kind IN %1$s ORDER BY c.depth LIMIT 1),
                     counted AS (SELECT id FROM under UNION SELECT id FROM above WHERE NOT EXISTS (SELECT 1 FROM under)),
                     reach AS (SELECT k.id AS huvudman, x.descendant_id AS node_id FROM counted k
                               JOIN org_closure x ON x.ancestor_id = k.id
                               UNION
                               SELECT k.id, x.ancestor_id FROM counted k JOIN org_closure x ON x.descendant_id = k.id),
                     best AS (SELECT rh.huvudman, r.audience_id, r.kind,
                                     MAX(CASE r.documentation WHEN 'MANAGEMENT_SYSTEM' THEN 3 WHEN 'DOCUMENTED' THEN 2 ELSE 1 END) AS level
                              FROM reach rh JOIN routine r ON r.org_node_id = rh.node_id
                              GROUP BY rh.huvudman, r.audience_id, r.kind)
                SELECT a.code, a.name_sv, (SELECT COUNT(*) FROM counted),
                       SUM(b.kind = 'INTRODUCTION'), SUM(b.kind = 'INTRODUCTION' AND b.level >= 2), SUM(b.kind = 'INTRODUCTION' AND b.level = 3),
                       SUM(b.kind = 'CONTINUING'), SUM(b.kind = 'CONTINUING' AND b.level >= 2), SUM(b.kind = 'CONTINUING' AND b.level = 3)
                FROM audience a LEFT JOIN best b ON b.audience_id = a.id
                WHERE a.owner_org_id IS NULL
                GROUP BY a.id, a.code, a.name_sv, a.sort_order ORDER BY a.sort_order, a.code""".formatted(HUVUDMAN);
        return jdbc.prepareStatement(sql, statement -> {
            statement.setLong(1, nodeId);
            statement.setLong(2, nodeId);
            List<Row> rows = new ArrayList<>();
            long organisations = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    organisations = rs.getLong(3);
                    rows.add(new Row(rs.getString(1), rs.getString(2),
                            answers(organisations, rs.getLong(4), rs.getLong(5), rs.getLong(6)),
                            answers(organisations, rs.getLong(7), rs.getLong(8), rs.getLong(9))));
                }
            }
            return new Matrix(organisations, rows);
        });
    }

    // Organisations, not people: a share of fewer than five huvudmän singles nobody out, so it is always shown.
    private static Answers answers(long organisations, long exists, long documented, long managementSystem) {
        return new Answers(organisationShare(exists, organisations), organisationShare(documented, organisations),
                organisationShare(managementSystem, organisations));
    }

    private static Share organisationShare(long numerator, long denominator) {
        return new Share(numerator, denominator, denominator == 0 ? null : (int) Math.round(100.0 * numerator / denominator), false);
    }
}
