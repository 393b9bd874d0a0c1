package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.util.List;
import java.util.Optional;

/**
 * Which unit the enterprise extension names: {@code department} is looked up within the token's organisation (or within
 * {@code organization} when that names a part of it) by the unit's code, then its HSA-id, then its exact name. A name
 * that is unknown, or that several units share, is refused: a person is never placed by guess.
 */
@Singleton
public class ScimUnits {

    private final NamedSql sql;

    public ScimUnits(NamedSql sql) {
        this.sql = sql;
    }

    /** A unit a person can be placed in, with the huvudman it belongs to. */
    public record Unit(long id, @Nullable Long huvudmanId, String name) {
    }

    public Unit resolve(long scopeId, @Nullable String organization, @Nullable String department) {
        long within = scopeId;
        if (organization != null && !organization.isBlank()) {
            // An organisation that names no part of the token's (a company name, say) narrows nothing.
            Optional<Unit> named = find(scopeId, organization.strip(), "organization");
            if (named.isPresent()) {
                within = named.get().id();
            }
        }
        if (department == null || department.isBlank()) {
            return byId(within);
        }
        long searchIn = within;
        return find(searchIn, department.strip(), "department").orElseThrow(() -> ScimException.invalidValue(
                "Ingen enhet med koden, HSA-id:t eller namnet «" + department.strip() + "» (department) finns i organisationen."));
    }

    public Unit byId(long id) {
        return sql.one("SELECT id, huvudman_id, name FROM org_node WHERE id = :id", NamedSql.with("id", id), this::unit)
                .orElseThrow(ScimException::notFound);
    }

    private Optional<Unit> find(long scopeId, String text, String attribute) {
        for (String column : List.of("code", "hsa_id", "name")) {
            // The column is one of three fixed names, never text from the request.
            List<Unit> found = sql.list("SELECT n.id, n.huvudman_id, n.name FROM org_node n "
                    + "JOIN org_closure c ON c.descendant_id = n.id AND c.ancestor_id = :scope "
                    + "WHERE n." + column + " = :text ORDER BY n.id LIMIT 2",
                    NamedSql.with("scope", scopeId).and("text", text), this::unit);
            if (found.size() > 1) {
                throw ScimException.invalidValue("Flera enheter i organisationen heter «" + text + "» (" + attribute
                        + "); ange enhetens kod.");
            }
            if (found.size() == 1) {
                return Optional.of(found.get(0));
            }
        }
        return Optional.empty();
    }

    private Unit unit(NamedSql.Row row) throws java.sql.SQLException {
        return new Unit(row.number("id"), row.nullableNumber("huvudman_id"), row.string("name"));
    }
}
