package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one home of the identity rule: which recorded person an identity given within a huvudman is, and whether it
 * collides with someone else. In this order: the HSA-id (across the instance; a person of another huvudman is refused),
 * then the employee number (within the huvudman), then the e-mail address (within the huvudman, among people known by
 * e-mail alone: neither HSA-id nor employee number). A person found by a weaker key takes the stronger keys given (a
 * politician first imported by e-mail who later gets an employee number stays the same person). Answered for many
 * identities at once, a few queries per huvudman, so that an import of a hundred thousand rows asks per batch, not per row.
 */
@Singleton
public class IdentityRule {

    /** One identity to look up, within its huvudman. */
    public record Wanted(long huvudmanId, PersonIdentity identity) {
    }

    /** The person found (or null: a new person), or why the identity cannot be used (field and Swedish message). */
    public record Match(@Nullable Long personId, @Nullable String conflictField, @Nullable String conflict) {

        static Match of(@Nullable Long personId) {
            return new Match(personId, null, null);
        }

        static Match refused(String field, String message) {
            return new Match(null, field, message);
        }

        public boolean refused() {
            return conflict != null;
        }
    }

    private record Known(long id, @Nullable String hsaId, @Nullable Long huvudmanId, @Nullable String employeeNumber) {
    }

    private final NamedSql sql;

    public IdentityRule(NamedSql sql) {
        this.sql = sql;
    }

    /** The match of each identity, in the order given. */
    public List<Match> match(List<Wanted> wanted) {
        Map<String, Known> byHsaId = new HashMap<>();
        Map<Long, Map<String, Known>> byEmployeeNumber = new HashMap<>();
        Map<Long, Map<String, Known>> byEmail = new HashMap<>();
        List<String> hsaIds = new ArrayList<>();
        Map<Long, List<String>> employeeNumbers = new LinkedHashMap<>();
        Map<Long, List<String>> emails = new LinkedHashMap<>();
        for (Wanted w : wanted) {
            PersonIdentity id = w.identity();
            if (id.hsaId() != null) {
                hsaIds.add(id.hsaId());
            }
            if (id.employeeNumber() != null) {
                employeeNumbers.computeIfAbsent(w.huvudmanId(), h -> new ArrayList<>()).add(id.employeeNumber());
            }
            if (id.email() != null) {
                emails.computeIfAbsent(w.huvudmanId(), h -> new ArrayList<>()).add(id.emailKey());
            }
        }
        if (!hsaIds.isEmpty()) {
            select("p.hsa_id", hsaIds, null).forEach(k -> byHsaId.put(k.hsaId(), k));
        }
        employeeNumbers.forEach((huvudman, numbers) -> {
            Map<String, Known> found = byEmployeeNumber.computeIfAbsent(huvudman, h -> new HashMap<>());
            select("p.employee_number", numbers, huvudman).forEach(k -> found.put(k.employeeNumber(), k));
        });
        emails.forEach((huvudman, keys) -> {
            Map<String, Known> found = byEmail.computeIfAbsent(huvudman, h -> new HashMap<>());
            selectByEmail(keys, huvudman).forEach(found::put);
        });
        List<Match> matches = new ArrayList<>(wanted.size());
        for (Wanted w : wanted) {
            matches.add(decide(w, byHsaId, byEmployeeNumber.getOrDefault(w.huvudmanId(), Map.of()),
                    byEmail.getOrDefault(w.huvudmanId(), Map.of())));
        }
        return matches;
    }

    public Match match(long huvudmanId, PersonIdentity identity) {
        return match(List.of(new Wanted(huvudmanId, identity))).get(0);
    }

    private static Match decide(Wanted w, Map<String, Known> byHsaId, Map<String, Known> byEmployeeNumber,
                                Map<String, Known> byEmail) {
        PersonIdentity id = w.identity();
        Known found = null;
        if (id.hsaId() != null) {
            found = byHsaId.get(id.hsaId());
            if (found != null && !Objects.equals(found.huvudmanId(), w.huvudmanId())) {
                return Match.refused("hsaId", "HSA-id:t " + id.hsaId() + " används redan av en person hos en annan huvudman");
            }
        }
        if (id.employeeNumber() != null) {
            Known withNumber = byEmployeeNumber.get(id.employeeNumber());
            if (withNumber != null && found != null && withNumber.id() != found.id()) {
                return Match.refused("employeeNumber", "anställningsnumret " + id.employeeNumber()
                        + " används redan av en annan person");
            }
            if (withNumber != null && found == null) {
                if (id.hsaId() != null && withNumber.hsaId() != null) {
                    return Match.refused("employeeNumber", "anställningsnumret " + id.employeeNumber()
                            + " hör till en person med ett annat HSA-id (" + withNumber.hsaId() + ")");
                }
                found = withNumber;
            }
        }
        if (id.email() != null) {
            Known withEmail = byEmail.get(id.emailKey());
            // Only people known by e-mail alone are found by it; anyone else may share an address (the database's
            // email_key is NULL for them), so an address alone never takes over a person with a stronger key.
            if (withEmail != null && found == null) {
                found = withEmail;
            }
        }
        return Match.of(found == null ? null : found.id());
    }

    private List<Known> select(String column, List<String> values, @Nullable Long huvudmanId) {
        NamedSql.Params params = new NamedSql.Params().and("huvudman", huvudmanId);
        String in = names("v", values, params);
        // column is one of two constants, never input.
        return sql.list("SELECT p.id, p.hsa_id, p.huvudman_id, p.employee_number FROM person p WHERE " + column + " IN (" + in
                + ") AND (:huvudman IS NULL OR p.huvudman_id = :huvudman)", params, row -> new Known(row.number("id"),
                row.string("hsa_id"), row.nullableNumber("huvudman_id"), row.string("employee_number")));
    }

    private Map<String, Known> selectByEmail(List<String> keys, long huvudmanId) {
        NamedSql.Params params = new NamedSql.Params().and("huvudman", huvudmanId);
        String in = names("v", keys, params);
        Map<String, Known> found = new HashMap<>();
        sql.list("SELECT p.id, p.email_key, p.huvudman_id FROM person p WHERE p.huvudman_id = :huvudman AND p.email_key IN ("
                + in + ")", params, row -> found.put(row.string("email_key"),
                new Known(row.number("id"), null, row.nullableNumber("huvudman_id"), null)));
        return found;
    }

    /** Named parameters :v0, :v1, ... for a list of values (a batch is at most a thousand). */
    static String names(String prefix, List<?> values, NamedSql.Params params) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                in.append(", ");
            }
            in.append(':').append(prefix).append(i);
            params.and(prefix + i, values.get(i));
        }
        return in.toString();
    }
}
