package se.kompetensmal.people;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads people, alone or everyone placed under an organisational node. Where someone works is their current
 * placements (the view current_placement): a person placed in two units is under both, and counted once under a node
 * above both.
 */
@Singleton
public class PersonQueries {

    private static final String COLUMNS = """
            SELECT p.id, p.hsa_id, p.employee_number, p.given_name, p.family_name, p.email, p.org_node_id, n.code AS org_code,
                   n.name AS org_name, p.org_start_date, p.role_start_date, p.status, p.left_on,
                   (SELECT GROUP_CONCAT(a.code ORDER BY a.sort_order SEPARATOR ',') FROM person_audience pa
                      JOIN audience a ON a.id = pa.audience_id WHERE pa.person_id = p.id) AS audiences,
                   (SELECT GROUP_CONCAT(a.name_sv ORDER BY a.sort_order SEPARATOR '\n') FROM person_audience pa
                      JOIN audience a ON a.id = pa.audience_id WHERE pa.person_id = p.id) AS audience_names
            """;
    private static final String FROM = " FROM person p JOIN org_node n ON n.id = p.org_node_id";
    /** Names may hold commas; a line break cannot be in one. */
    private static final String LINE_BREAK = "\n";

    private final NamedSql sql;

    public PersonQueries(NamedSql sql) {
        this.sql = sql;
    }

    /** One page of people, sorted by name, and how many there are in all. */
    @Serdeable
    public record PeoplePage(List<PersonView> people, long total, int page, int size) {
    }

    public Optional<PersonView> byId(long id) {
        return sql.one(COLUMNS + FROM + " WHERE p.id = :id", params().and("id", id), PersonQueries::person);
    }

    public Optional<PersonView> byHsaId(String hsaId) {
        return sql.one(COLUMNS + FROM + " WHERE p.hsa_id = :hsa", params().and("hsa", hsaId), PersonQueries::person);
    }

    /** The person with this e-mail address, when exactly one has it. */
    public Optional<PersonView> byEmail(String email) {
        List<PersonView> found = sql.list(COLUMNS + FROM + " WHERE p.email = :email LIMIT 2", params().and("email", email),
                PersonQueries::person);
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /**
     * Everyone with a current placement anywhere under the node, by name, a page at a time: a person placed in two units
     * is listed under both (and once under a node above both). The unit shown is their home placement.
     */
    public PeoplePage inSubtree(long nodeId, PersonStatus status, int page, int size) {
        String where = " WHERE p.status = :status AND EXISTS (SELECT 1 FROM current_placement pl"
                + " JOIN org_closure c ON c.descendant_id = pl.org_node_id WHERE c.ancestor_id = :node AND pl.person_id = p.id)";
        NamedSql.Params params = params().and("node", nodeId).and("status", status).and("size", size)
                .and("offset", (long) page * size);
        long total = sql.number("SELECT COUNT(*) FROM person p" + where, params);
        List<PersonView> people = sql.list(COLUMNS + FROM + where + " ORDER BY p.family_name, p.given_name, p.id LIMIT :size OFFSET :offset",
                params, PersonQueries::person);
        return new PeoplePage(people, total, page, size);
    }

    /** One placement of a person, with names: the unit, its audiences, dates, and when it ended if it has. */
    @Serdeable
    public record PlacementView(long id, long unitId, String unitName, List<String> audienceNames, LocalDate orgStartDate,
                                LocalDate roleStartDate, @Nullable LocalDate endedOn, String source) {

        public boolean ended() {
            return endedOn != null;
        }

        /** Where it came from, as people say it. */
        public String sourceSv() {
            return switch (source) {
                case "IMPORT" -> "personalfil";
                case "SCIM" -> "katalogtjänst (SCIM)";
                default -> "manuellt";
            };
        }
    }

    /** Every placement of the person, current ones first (earliest first), then the ended ones, latest ended first. */
    public List<PlacementView> placements(long personId) {
        return sql.list("""
                SELECT pl.id, pl.org_node_id, n.name, pl.org_start_date, pl.role_start_date, pl.ended_on, pl.source,
                       (SELECT GROUP_CONCAT(a.name_sv ORDER BY a.sort_order SEPARATOR '\n') FROM placement_audience pa
                          JOIN audience a ON a.id = pa.audience_id WHERE pa.placement_id = pl.id) AS audience_names
                FROM placement pl JOIN org_node n ON n.id = pl.org_node_id
                WHERE pl.person_id = :person
                ORDER BY pl.ended_on IS NOT NULL, pl.ended_on DESC, pl.org_start_date, pl.id""",
                params().and("person", personId), row -> {
                    String names = row.string("audience_names");
                    return new PlacementView(row.number("id"), row.number("org_node_id"), row.string("name"),
                            names == null ? List.of() : Arrays.asList(names.split(LINE_BREAK)), row.date("org_start_date"),
                            row.date("role_start_date"), row.date("ended_on"), row.string("source"));
                });
    }

    /** The units the person is placed in now, home first. */
    public List<Long> currentUnits(long personId) {
        return sql.list("SELECT org_node_id FROM current_placement WHERE person_id = :person ORDER BY org_start_date, id",
                NamedSql.with("person", personId), row -> row.number("org_node_id"));
    }

    /** Active people per audience under the node: those with a placement there with the audience, each once. */
    public List<AudienceHeadcount> headcountsByAudience(long nodeId) {
        return sql.list("""
                SELECT a.code, a.name_sv, COUNT(DISTINCT p.id) AS people FROM audience a
                LEFT JOIN (placement_audience pa
                           JOIN current_placement pl ON pl.id = pa.placement_id
                           JOIN person p ON p.id = pl.person_id AND p.status = 'ACTIVE'
                           JOIN org_closure c ON c.descendant_id = pl.org_node_id AND c.ancestor_id = :node)
                       ON pa.audience_id = a.id
                GROUP BY a.id, a.code, a.name_sv, a.sort_order ORDER BY a.sort_order, a.code""",
                NamedSql.with("node", nodeId),
                row -> new AudienceHeadcount(row.string("code"), row.string("name_sv"), row.number("people")));
    }

    /** Active people under each child of the node, in one query. */
    public Map<Long, Long> headcountsOfChildren(long nodeId) {
        return headcounts("ch.parent_id = :node", NamedSql.with("node", nodeId));
    }

    /** Active people under each of the nodes, in one query. */
    public Map<Long, Long> headcountsOf(List<Long> nodeIds) {
        if (nodeIds.isEmpty()) {
            return Map.of();
        }
        NamedSql.Params params = new NamedSql.Params();
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < nodeIds.size(); i++) {
            in.append(i == 0 ? ":n" : ", :n").append(i);
            params.and("n" + i, nodeIds.get(i));
        }
        return headcounts("ch.id IN (" + in + ")", params);
    }

    /** Each person once under a node, however many of their placements lie under it. */
    private Map<Long, Long> headcounts(String condition, NamedSql.Params params) {
        Map<Long, Long> counts = new HashMap<>();
        sql.list("""
                SELECT ch.id, COUNT(DISTINCT p.id) AS people FROM org_node ch
                JOIN org_closure c ON c.ancestor_id = ch.id
                JOIN current_placement pl ON pl.org_node_id = c.descendant_id
                JOIN person p ON p.id = pl.person_id AND p.status = 'ACTIVE'
                WHERE\s""" + condition + " GROUP BY ch.id", params,
                row -> counts.put(row.number("id"), row.number("people")));
        return counts;
    }

    @Serdeable
    public record AudienceHeadcount(String code, String nameSv, long people) {
    }

    private static NamedSql.Params params() {
        return NamedSql.with("lineBreak", LINE_BREAK);
    }

    private static PersonView person(NamedSql.Row row) throws SQLException {
        String audiences = row.string("audiences");
        String names = row.string("audience_names");
        return new PersonView(row.number("id"), row.string("hsa_id"), row.string("given_name"), row.string("family_name"),
                row.string("email"), row.number("org_node_id"), row.string("org_code"), row.string("org_name"),
                audiences == null ? List.of() : Arrays.asList(audiences.split(",")),
                row.date("org_start_date"), row.date("role_start_date"), PersonStatus.valueOf(row.string("status")),
                row.date("left_on"), names == null ? List.of() : Arrays.asList(names.split(LINE_BREAK)),
                row.string("employee_number"));
    }
}
