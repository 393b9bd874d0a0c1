package se.kompetensmal.catalog;

import jakarta.inject.Singleton;
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

    /** Every module, by code, in title order. */
    public Map<String, String> all() {
        Map<String, String> titles = new LinkedHashMap<>();
        sql.list("""
                SELECT m.module_code, m.title FROM module_version m
                WHERE m.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = m.module_code)
                ORDER BY m.title""", Map.of(), row -> new Titled(row.string("module_code"), row.string("title")))
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
