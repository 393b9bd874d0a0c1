package se.kompetensmal.hrfiles;

import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Role;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.web.FieldProblem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The column mappings of organisations. A node without a mapping of its own uses the nearest one at or above it: a
 * region maps its HR system once, and a unit that exports differently saves its own, which then applies to it and
 * everything under it.
 */
@Singleton
@Connectable
public class ColumnMappings {

    /** More headers than this is not a mapping anyone keeps by hand. */
    static final int MAX_COLUMNS = 100;

    private final NamedSql sql;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final AuditLog audit;

    public ColumnMappings(NamedSql sql, OrgNodeRepository nodes, Access access, AuditLog audit) {
        this.sql = sql;
        this.nodes = nodes;
        this.access = access;
        this.audit = audit;
    }

    /** The mapping in force at the node: its own, else the nearest above it, else none. */
    public ColumnMapping inForceAt(long nodeId) {
        Optional<Long> setAt = sql.one("""
                SELECT up.ancestor_id FROM org_closure up
                WHERE up.descendant_id = :node AND EXISTS (SELECT 1 FROM hr_column_mapping m WHERE m.org_node_id = up.ancestor_id)
                ORDER BY up.depth LIMIT 1""", NamedSql.with("node", nodeId), row -> row.number("ancestor_id"));
        if (setAt.isEmpty()) {
            return ColumnMapping.NONE;
        }
        List<ColumnMapping.Column> columns = sql.list(
                "SELECT header, field FROM hr_column_mapping WHERE org_node_id = :node ORDER BY id",
                NamedSql.with("node", setAt.get()), row -> new ColumnMapping.Column(row.string("header"), row.string("field")));
        return new ColumnMapping(setAt.get(), nodes.require(setAt.get()).name(), setAt.get() == nodeId, columns);
    }

    /**
     * Replaces the node's own mapping (an empty one removes it, and the node follows the one above again); checked,
     * saved and written to the audit log. Only coordinators and administrators of the node may.
     */
    public ColumnMapping replace(long nodeId, List<ColumnMapping.Column> columns, HttpRequest<?> request, Authentication caller) {
        OrgNode node = nodes.require(nodeId);
        access.requireOn(caller, nodeId, Role.COORDINATOR, Role.ADMINISTRATOR);
        List<ColumnMapping.Column> checked = check(columns);
        write(nodeId, checked, caller.getName());
        audit.record(caller.getName(), AuditLog.SETTING_CHANGED, "kolumnmappning för " + node.code() + ": "
                + (checked.isEmpty() ? "borttagen" : checked.size() + " kolumner"), request);
        return inForceAt(nodeId);
    }

    @Transactional
    void write(long nodeId, List<ColumnMapping.Column> columns, String actor) {
        sql.update("DELETE FROM hr_column_mapping WHERE org_node_id = :node", NamedSql.with("node", nodeId));
        sql.batch("""
                INSERT INTO hr_column_mapping (org_node_id, header, header_key, field, changed_by)
                VALUES (:node, :header, :key, :field, :actor)""", columns.stream().map(c -> NamedSql.with("node", nodeId)
                .and("header", c.header().strip()).and("key", HrFields.key(c.header())).and("field", c.field())
                .and("actor", actor)).toList());
    }

    /**
     * Every problem of the mapping at once, by row ("Rad 3: ..."). Rows with neither a header nor a field are the form
     * empty rows and are left out.
     */
    static List<ColumnMapping.Column> check(List<ColumnMapping.Column> columns) {
        List<FieldProblem> problems = new ArrayList<>();
        List<ColumnMapping.Column> kept = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int n = 0;
        for (ColumnMapping.Column column : columns == null ? List.<ColumnMapping.Column>of() : columns) {
            n++;
            String header = column == null || column.header() == null ? "" : column.header().strip();
            String field = column == null || column.field() == null ? "" : column.field().strip();
            if (header.isEmpty() && field.isEmpty()) {
                continue;
            }
            String where = "Rad " + n + ": ";
            if (header.isEmpty()) {
                problems.add(new FieldProblem("columns[" + (n - 1) + "].header", where + "ange rubriken i filen."));
            } else if (header.length() > HrFields.HEADER_LENGTH) {
                problems.add(new FieldProblem("columns[" + (n - 1) + "].header", where + "rubriken är längre än "
                        + HrFields.HEADER_LENGTH + " tecken."));
            } else if (header.chars().anyMatch(Character::isISOControl)) {
                problems.add(new FieldProblem("columns[" + (n - 1) + "].header", where + "rubriken innehåller ett styrtecken."));
            } else {
                Integer earlier = seen.putIfAbsent(HrFields.key(header), n);
                if (earlier != null) {
                    problems.add(new FieldProblem("columns[" + (n - 1) + "].header", where + "rubriken «" + header
                            + "» finns redan på rad " + earlier + "."));
                }
            }
            if (HrFields.field(field) == null) {
                problems.add(new FieldProblem("columns[" + (n - 1) + "].field", where + (field.isEmpty()
                        ? "välj vilket fält rubriken blir." : "okänt fält «" + shorten(field) + "».")));
            }
            kept.add(new ColumnMapping.Column(header, field));
        }
        if (kept.size() > MAX_COLUMNS) {
            problems.add(new FieldProblem("columns", "En kolumnmappning får ha högst " + MAX_COLUMNS + " rubriker."));
        }
        if (!problems.isEmpty()) {
            throw new HrSettingsRefused(problems);
        }
        return kept;
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
