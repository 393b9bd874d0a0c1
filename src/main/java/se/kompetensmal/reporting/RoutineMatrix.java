package se.kompetensmal.reporting;

import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

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

    private static final String HUVUDMAN = se.kompetensmal.organization.OrgNodeKind.HUVUDMAN_IN_SQL;

    private final NamedSql sql;

    public RoutineMatrix(NamedSql sql) {
        this.sql = sql;
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
        List<Row> rows = new ArrayList<>();
        long[] organisations = {0};
        sql.list("""
                WITH under AS (SELECT h.id FROM org_closure c JOIN org_node h ON h.id = c.descendant_id
                               WHERE c.ancestor_id = :node AND h.kind IN %1$s),
                     above AS (SELECT h.id FROM org_closure c JOIN org_node h ON h.id = c.ancestor_id
                               WHERE c.descendant_id = :node AND h.kind IN %1$s ORDER BY c.depth LIMIT 1),
                     counted AS (SELECT id FROM under UNION SELECT id FROM above WHERE NOT EXISTS (SELECT 1 FROM under)),
                     -- The routines that reach each huvudman counted: set at it or anywhere under it (found from each
                     -- routine up its few ancestors), or above it (from the huvudman up its ancestors). Read from every
                     -- node under every huvudman instead, the national matrix went through the whole tree.
                     reach AS (SELECT x.ancestor_id AS huvudman, r.audience_id, r.kind, r.documentation
                               FROM routine r JOIN org_closure x ON x.descendant_id = r.org_node_id
                               WHERE x.ancestor_id IN (SELECT id FROM counted)
                               UNION ALL
                               SELECT k.id, r.audience_id, r.kind, r.documentation
                               FROM counted k JOIN org_closure y ON y.descendant_id = k.id AND y.depth > 0
                               JOIN routine r ON r.org_node_id = y.ancestor_id),
                     best AS (SELECT huvudman, audience_id, kind,
                                     MAX(CASE documentation WHEN 'MANAGEMENT_SYSTEM' THEN 3 WHEN 'DOCUMENTED' THEN 2 ELSE 1 END) AS level
                              FROM reach GROUP BY huvudman, audience_id, kind)
                SELECT a.code, a.name_sv, (SELECT COUNT(*) FROM counted) AS organisations,
                       SUM(b.kind = 'INTRODUCTION') AS introduction, SUM(b.kind = 'INTRODUCTION' AND b.level >= 2) AS introduction_documented,
                       SUM(b.kind = 'INTRODUCTION' AND b.level = 3) AS introduction_system,
                       SUM(b.kind = 'CONTINUING') AS continuing, SUM(b.kind = 'CONTINUING' AND b.level >= 2) AS continuing_documented,
                       SUM(b.kind = 'CONTINUING' AND b.level = 3) AS continuing_system
                FROM audience a LEFT JOIN best b ON b.audience_id = a.id
                WHERE a.owner_org_id IS NULL
                GROUP BY a.id, a.code, a.name_sv, a.sort_order ORDER BY a.sort_order, a.code""".formatted(HUVUDMAN),
                NamedSql.with("node", nodeId), row -> {
                    long counted = row.number("organisations");
                    organisations[0] = counted;
                    return rows.add(new Row(row.string("code"), row.string("name_sv"),
                            answers(counted, row.number("introduction"), row.number("introduction_documented"),
                                    row.number("introduction_system")),
                            answers(counted, row.number("continuing"), row.number("continuing_documented"),
                                    row.number("continuing_system"))));
                });
        return new Matrix(organisations[0], rows);
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
