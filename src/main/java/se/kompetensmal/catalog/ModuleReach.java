package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Caller;
import se.kompetensmal.sql.NamedSql;

import java.util.Optional;

/**
 * Where a module may be seen and used: the one home of that rule for modules (how far anything owned reaches is
 * {@link OwnedReach}'s). A shipped module, or one published for everyone, has
 * no owner and reaches everyone. An organisation's own module belongs to the subtree of its owner node: it is usable
 * (routines, manual assignments, taking it) for nodes and people there, and visible to them and to those who hold a role
 * above the owner (a region's coordinator sees its units' modules). Editing is for coordinators and administrators of the
 * owner node itself (not of a unit under it, not of a region above it: the region sees, the unit uses), and for
 * system-wide administrators. Anything else is answered as for an unknown code.
 */
@Singleton
public class ModuleReach {

    /**
     * SQL condition: the module whose {@code catalogue_module} row is aliased {@code cm} may be used at the node bound to
     * {@code :node} (a routine's node, a person's unit).
     */
    public static final String USABLE_AT = usableAt(":node");

    /**
     * {@link #USABLE_AT} at a node given by an SQL expression instead of the parameter {@code :node}: a column such as
     * {@code pl.org_node_id}, where a statement over many placements asks for each placement's unit.
     */
    public static String usableAt(String node) {
        return OwnedReach.usableAt("cm.owner_org_id", node);
    }

    /**
     * SQL condition: the module aliased {@code cm} may be used where the person whose id is the SQL expression
     * {@code person} works: at the unit of one of their current placements (a nurse placed in two municipalities may
     * use the own modules of both).
     */
    public static String usableByPerson(String person) {
        return "EXISTS (SELECT 1 FROM current_placement own_pl WHERE own_pl.person_id = %s AND %s)"
                .formatted(person, usableAt("own_pl.org_node_id"));
    }

    /**
     * SQL condition: the module whose {@code catalogue_module} row is aliased {@code cm} is visible to the account bound
     * to {@code :account}: usable where they are placed or hold a role, owned under a node where they hold a role, or
     * they are a system-wide administrator.
     */
    public static final String VISIBLE_TO = OwnedReach.visibleTo("cm.owner_org_id", ":account");

    /**
     * SQL condition: the module aliased {@code cm} may be used at the node bound to {@code :node} or somewhere below it
     * (a unit's own module, seen from the region above): what people under the node may have been given, for following
     * it up there.
     */
    public static final String USABLE_UNDER = OwnedReach.usableAtOrUnder("cm.owner_org_id", ":node");

    /** SQL condition: the module aliased {@code cm} is not withdrawn, so it may get new assignments. */
    public static final String OPEN = "cm.withdrawn_at IS NULL";

    private final NamedSql sql;

    public ModuleReach(NamedSql sql) {
        this.sql = sql;
    }

    /** Who owns a module and where it came from. */
    public record Owner(String code, String source, @Nullable Long ownerOrgId, boolean withdrawn) {
        public boolean fromFiles() {
            return "FILES".equals(source);
        }

        /** An uploaded SCORM package's module: its content comes from the package, never from the editor. */
        public boolean fromPackage() {
            return "PACKAGE".equals(source);
        }
    }

    public Optional<Owner> owner(String code) {
        return sql.one("SELECT code, source, owner_org_id, withdrawn_at IS NOT NULL AS withdrawn FROM catalogue_module WHERE code = :code",
                NamedSql.with("code", code), row -> new Owner(row.string("code"), row.string("source"),
                        row.nullableNumber("owner_org_id"), row.flag("withdrawn")));
    }

    public boolean usableAt(String code, long nodeId) {
        return sql.number("SELECT COUNT(*) FROM catalogue_module cm WHERE cm.code = :code AND " + USABLE_AT,
                NamedSql.with("code", code).and("node", nodeId)) > 0;
    }

    /** Usable where the person works: at the unit of one of their current placements. */
    public boolean usableBy(long personId, String code) {
        return sql.number("SELECT COUNT(*) FROM catalogue_module cm WHERE cm.code = :code AND " + usableByPerson(":person"),
                NamedSql.with("code", code).and("person", personId)) > 0;
    }

    /** Usable at the node and not withdrawn: may be put in a routine or assigned there now. */
    public boolean assignableAt(String code, long nodeId) {
        return sql.number("SELECT COUNT(*) FROM catalogue_module cm WHERE cm.code = :code AND " + USABLE_AT + " AND " + OPEN,
                NamedSql.with("code", code).and("node", nodeId)) > 0;
    }

    /** Whether a module may be assigned at a node now, and if not, why: so that a refusal can name the reason. */
    public enum Assignable {
        YES,
        /** Usable there, but withdrawn: no new assignments. */
        WITHDRAWN,
        /** Unknown, or an own module of another part of the tree: answered alike, so nothing is told about it. */
        NOT_HERE
    }

    public Assignable assignability(String code, long nodeId) {
        if (!usableAt(code, nodeId)) {
            return Assignable.NOT_HERE;
        }
        return assignableAt(code, nodeId) ? Assignable.YES : Assignable.WITHDRAWN;
    }

    /**
     * Whether the person may open the module to take it: usable at one of their units and not withdrawn, or they already have
     * something of it (an assignment in force, a start, a completion), since history is kept whatever happens to the
     * module or to where the person works. A package's start is its attempt (scorm_attempt).
     */
    public boolean takeableBy(long personId, String code) {
        return sql.number("""
                SELECT COUNT(*) FROM catalogue_module cm JOIN person p ON p.id = :person
                WHERE cm.code = :code
                  AND ((%s AND %s)
                       OR EXISTS (SELECT 1 FROM assignment a WHERE a.person_id = p.id AND a.module_code = cm.code
                                  AND a.withdrawn_at IS NULL)
                       OR EXISTS (SELECT 1 FROM module_progress mp WHERE mp.person_id = p.id AND mp.module_code = cm.code)
                       OR EXISTS (SELECT 1 FROM scorm_attempt sa WHERE sa.person_id = p.id AND sa.module_code = cm.code)
                       OR EXISTS (SELECT 1 FROM counted_completion c JOIN module_version mv ON mv.id = c.module_version_id
                                  WHERE c.person_id = p.id AND mv.module_code = cm.code))""".formatted(usableByPerson("p.id"), OPEN),
                NamedSql.with("code", code).and("person", personId)) > 0;
    }

    public boolean visibleTo(Authentication caller, String code) {
        return sql.number("SELECT COUNT(*) FROM catalogue_module cm WHERE cm.code = :code AND " + VISIBLE_TO,
                NamedSql.with("code", code).and("account", Caller.of(caller).accountId())) > 0;
    }

    /**
     * Whether the caller may change the module: an own module (EDITOR or an uploaded PACKAGE) and a coordinator or administrator role granted
     * on its owner node itself, or a system-wide administrator (the only ones who may edit a module for everyone).
     * Shipped modules are changed in courses/ only.
     */
    public boolean editableBy(Authentication caller, String code) {
        return sql.number("""
                SELECT COUNT(*) FROM catalogue_module cm
                WHERE cm.code = :code AND cm.source IN ('EDITOR', 'PACKAGE') AND\s""" + OwnedReach.mayOwn("cm.owner_org_id", ":account"),
                NamedSql.with("code", code).and("account", Caller.of(caller).accountId())) > 0;
    }
}
