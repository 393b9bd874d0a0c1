package se.kompetensmal.catalog;

import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Caller;
import se.kompetensmal.sql.NamedSql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place a module's code becomes the title people know it by (the newest version's title). Pages, exports and
 * certificates show titles, never the code a routine stores.
 */
@Singleton
public class ModuleTitles {

    private final NamedSql sql;

    public ModuleTitles(NamedSql sql) {
        this.sql = sql;
    }

    public record Titled(String code, String title) {
    }

    /**
     * Every module, by code, in title order: for turning codes already stored (in routines, assignments, history) into
     * titles. Never a list to choose from: that is {@link #assignableAt}, {@link #usableAt} or {@link #visibleTo}.
     */
    public Map<String, String> all() {
        return titled("TRUE", Map.of());
    }

    /** The modules that may be put in a routine or assigned at the node now (usable there, not withdrawn), by code. */
    public Map<String, String> assignableAt(long nodeId) {
        return titled(ModuleReach.USABLE_AT + " AND " + ModuleReach.OPEN, NamedSql.with("node", nodeId));
    }

    /** The modules usable at the node, withdrawn ones too: for following up what was assigned there. */
    public Map<String, String> usableAt(long nodeId) {
        return titled(ModuleReach.USABLE_AT, NamedSql.with("node", nodeId));
    }

    /** The modules usable at the node or below it, withdrawn ones too: for following up people under the node. */
    public Map<String, String> usableUnder(long nodeId) {
        return titled(ModuleReach.USABLE_UNDER, NamedSql.with("node", nodeId));
    }

    /** The modules the caller may see, withdrawn ones too. */
    public Map<String, String> visibleTo(Authentication caller) {
        return titled(ModuleReach.VISIBLE_TO, NamedSql.with("account", Caller.of(caller).accountId()));
    }

    private Map<String, String> titled(String condition, Map<String, ?> parameters) {
        Map<String, String> titles = new LinkedHashMap<>();
        sql.list("""
                SELECT m.module_code, m.title FROM module_version m JOIN catalogue_module cm ON cm.code = m.module_code
                WHERE m.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = m.module_code)
                  AND %s
                ORDER BY m.title""".formatted(condition), parameters,
                row -> new Titled(row.string("module_code"), row.string("title")))
                .forEach(t -> titles.put(t.code(), t.title()));
        return titles;
    }

    /** The title of one module, or its code when no version of it is loaded (a routine naming a module since removed). */
    public String of(String code) {
        return sql.one("""
                SELECT m.title FROM module_version m WHERE m.module_code = :code ORDER BY m.version DESC LIMIT 1""",
                Map.of("code", code), row -> row.string("title")).orElse(code);
    }

    /** The titles of the given codes, in the order given. */
    public List<String> of(List<String> codes) {
        Map<String, String> titles = all();
        return codes.stream().map(code -> titles.getOrDefault(code, code)).toList();
    }
}
