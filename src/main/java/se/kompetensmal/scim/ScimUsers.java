package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.roster.PersonDetails;
import se.kompetensmal.roster.PersonIdentity;
import se.kompetensmal.roster.PersonRecords;
import se.kompetensmal.roster.PlacementRecord;
import se.kompetensmal.roster.PlacementSource;
import se.kompetensmal.roster.RosterRuleViolation;
import se.kompetensmal.sql.NamedSql;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * SCIM Users of one organisation (its token's node): each linked to a person, whom it writes only through
 * {@link PersonRecords} (source SCIM, one placement in the unit the enterprise extension names, with the audiences of the
 * user's groups). Deactivating (active false, or DELETE) marks the person left, never deletes: when the person also
 * works outside the token's organisation, only the SCIM placement ends. Each write is one transaction and is checked in
 * full before anything is written, so a refused request changes nothing. Recomputing assignments follows from the
 * PeopleChanged event that PersonRecords publishes.
 */
@Singleton
public class ScimUsers {

    private static final String COLUMNS = """
            u.id, u.resource_id, u.org_node_id, u.person_id, u.user_name, u.external_id, u.display_name, u.given_name,
            u.family_name, u.email, u.employee_number, u.department, u.organization, u.unit_id, u.active, u.version,
            u.created_at, u.updated_at""";

    private final NamedSql sql;
    private final ScimUnits units;
    private final PersonRecords records;

    public ScimUsers(NamedSql sql, ScimUnits units, PersonRecords records) {
        this.sql = sql;
        this.units = units;
        this.records = records;
    }

    /** A group (audience) as a user lists it. */
    record Membership(long scimUserId, long audienceId, String code, String name) {
    }

    // ---- reading ----

    public Optional<ScimUser> find(ScimClient client, String resourceId) {
        return sql.one("SELECT " + COLUMNS + " FROM scim_user u WHERE u.resource_id = :id AND u.org_node_id = :org "
                + "AND u.deleted_at IS NULL", NamedSql.with("id", resourceId).and("org", client.orgNodeId()), ScimUsers::user);
    }

    public ScimUser require(ScimClient client, String resourceId) {
        return find(client, resourceId).orElseThrow(ScimException::notFound);
    }

    /** The user locked for the rest of the transaction, so that two changes of one user cannot interleave. */
    private ScimUser lock(ScimClient client, String resourceId) {
        return sql.one("SELECT " + COLUMNS + " FROM scim_user u WHERE u.resource_id = :id AND u.org_node_id = :org "
                + "AND u.deleted_at IS NULL FOR UPDATE", NamedSql.with("id", resourceId).and("org", client.orgNodeId()),
                ScimUsers::user).orElseThrow(ScimException::notFound);
    }

    public Map<String, Object> resource(ScimUser user, String base) {
        return render(user, memberships(List.of(user.id())).getOrDefault(user.id(), List.of()), base);
    }

    /**
     * A page of the organisation's users matching the filter. Without a filter the database pages; with one, the users
     * it can narrow to by an index (userName, externalId, e-mail, id, employee number) are read and the whole filter is
     * evaluated on them as they are shown.
     */
    public Map<String, Object> list(ScimClient client, @Nullable ScimFilter filter, int startIndex, int count, String base,
                                    ScimProjection projection) {
        NamedSql.Params params = NamedSql.with("org", client.orgNodeId());
        if (filter == null) {
            long total = sql.number("SELECT COUNT(*) FROM scim_user u WHERE u.org_node_id = :org AND u.deleted_at IS NULL", params);
            List<ScimUser> page = count == 0 ? List.of() : sql.list("SELECT " + COLUMNS
                    + " FROM scim_user u WHERE u.org_node_id = :org AND u.deleted_at IS NULL ORDER BY u.id LIMIT :limit OFFSET :offset",
                    new NamedSql.Params().and("org", client.orgNodeId()).and("limit", count).and("offset", startIndex - 1),
                    ScimUsers::user);
            return ScimSchemas.listResponse(total, startIndex, rendered(page, base, projection));
        }
        String where = "u.org_node_id = :org AND u.deleted_at IS NULL";
        Optional<ScimFilter.Indexed> indexed = ScimFilter.indexed(filter);
        if (indexed.isPresent()) {
            ScimFilter.Indexed i = indexed.get();
            where += switch (i.attribute()) {
                case "userName" -> " AND u.live_user_name = LOWER(:value)";
                case "externalId" -> " AND u.external_id = :value";
                case "email" -> " AND u.email = :value";
                case "id" -> " AND u.resource_id = :value";
                default -> " AND u.employee_number = :value";
            };
            params.and("value", i.value());
        }
        List<ScimUser> candidates = sql.list("SELECT " + COLUMNS + " FROM scim_user u WHERE " + where + " ORDER BY u.id",
                params, ScimUsers::user);
        Map<Long, List<Membership>> groups = memberships(candidates.stream().map(ScimUser::id).toList());
        List<Map<String, Object>> matching = new ArrayList<>();
        for (ScimUser u : candidates) {
            Map<String, Object> r = render(u, groups.getOrDefault(u.id(), List.of()), base);
            if (filter.test(ScimJson.caseInsensitive(r))) {
                matching.add(r);
            }
        }
        int from = Math.min(startIndex - 1, matching.size());
        int to = Math.min(from + count, matching.size());
        return ScimSchemas.listResponse(matching.size(), startIndex,
                matching.subList(from, to).stream().map(projection::apply).toList());
    }

    private List<Map<String, Object>> rendered(List<ScimUser> users, String base, ScimProjection projection) {
        Map<Long, List<Membership>> groups = memberships(users.stream().map(ScimUser::id).toList());
        return users.stream().map(u -> projection.apply(render(u, groups.getOrDefault(u.id(), List.of()), base))).toList();
    }

    /** The groups of the users, by user, a named parameter per user (:u0, :u1, ...). */
    Map<Long, List<Membership>> memberships(List<Long> scimUserIds) {
        Map<Long, List<Membership>> out = new HashMap<>();
        // A thousand users per query, so that a filter evaluated over a whole large organisation stays within the
        // statement's limit of parameters.
        for (int from = 0; from < scimUserIds.size(); from += 1000) {
            membershipsOf(scimUserIds.subList(from, Math.min(from + 1000, scimUserIds.size())), out);
        }
        return out;
    }

    private void membershipsOf(List<Long> scimUserIds, Map<Long, List<Membership>> out) {
        NamedSql.Params params = new NamedSql.Params();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < scimUserIds.size(); i++) {
            names.append(i == 0 ? ":u" : ", :u").append(i);
            params.and("u" + i, scimUserIds.get(i));
        }
        sql.list("SELECT m.scim_user_id, a.id, a.code, a.name_sv FROM scim_group_member m JOIN audience a ON a.id = m.audience_id "
                + "WHERE m.scim_user_id IN (" + names + ") ORDER BY a.sort_order, a.code", params,
                row -> new Membership(row.number("scim_user_id"), row.number("id"), row.string("code"), row.string("name_sv")))
                .forEach(m -> out.computeIfAbsent(m.scimUserId(), k -> new ArrayList<>()).add(m));
    }

    /** The user as SCIM shows it (RFC 7643 section 4.1 with the enterprise extension). */
    static Map<String, Object> render(ScimUser u, List<Membership> groups, String base) {
        Map<String, Object> r = new LinkedHashMap<>();
        boolean enterprise = u.employeeNumber() != null || u.department() != null || u.organization() != null;
        r.put("schemas", enterprise ? List.of(ScimSchemas.USER, ScimSchemas.ENTERPRISE_USER) : List.of(ScimSchemas.USER));
        r.put("id", u.resourceId());
        if (u.externalId() != null) {
            r.put("externalId", u.externalId());
        }
        r.put("userName", u.userName());
        Map<String, Object> name = new LinkedHashMap<>();
        name.put("givenName", u.givenName());
        name.put("familyName", u.familyName());
        name.put("formatted", u.givenName() + " " + u.familyName());
        r.put("name", name);
        if (u.displayName() != null) {
            r.put("displayName", u.displayName());
        }
        if (u.email() != null) {
            r.put("emails", List.of(Map.of("value", u.email(), "type", "work", "primary", true)));
        }
        r.put("active", u.active());
        if (!groups.isEmpty()) {
            r.put("groups", groups.stream().map(g -> Map.of("value", g.code(), "$ref", base + "/Groups/" + g.code(),
                    "display", g.name())).toList());
        }
        if (enterprise) {
            Map<String, Object> e = new LinkedHashMap<>();
            if (u.employeeNumber() != null) {
                e.put("employeeNumber", u.employeeNumber());
            }
            if (u.organization() != null) {
                e.put("organization", u.organization());
            }
            if (u.department() != null) {
                e.put("department", u.department());
            }
            r.put(ScimSchemas.ENTERPRISE_USER, e);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("resourceType", "User");
        meta.put("created", u.createdAt().toString());
        meta.put("lastModified", u.updatedAt().toString());
        meta.put("location", base + "/Users/" + u.resourceId());
        meta.put("version", u.etag());
        r.put("meta", meta);
        return r;
    }

    // ---- writing ----

    /** POST /Users: a new user, and the person (found by identity within the huvudman, or new). */
    @Transactional
    public ScimUser create(ScimClient client, Map<String, Object> body) {
        requireSchema(body);
        ScimUserInput in = ScimUserInput.read(body);
        ScimUnits.Unit unit = units.resolve(client.orgNodeId(), in.organization(), in.department());
        requireFreeUserName(client, in.userName(), null);
        Long personId = writePerson(client, null, in, unit, Set.of());
        String resourceId = UUID.randomUUID().toString();
        try {
            sql.insert("""
                    INSERT INTO scim_user (resource_id, org_node_id, person_id, user_name, external_id, display_name,
                        given_name, family_name, email, employee_number, department, organization, unit_id, active)
                    VALUES (:rid, :org, :person, :userName, :externalId, :displayName, :given, :family, :email,
                        :employeeNumber, :department, :organization, :unit, :active)""",
                    values(in, unit).and("rid", resourceId).and("org", client.orgNodeId()).and("person", personId));
        } catch (RuntimeException e) {
            throw duplicate(e);
        }
        return require(client, resourceId);
    }

    /** PUT /Users/{id}: the user becomes exactly the body (attributes left out are cleared). */
    @Transactional
    public ScimUser replace(ScimClient client, String resourceId, Map<String, Object> body, @Nullable String ifMatch) {
        ScimUser before = lock(client, resourceId);
        checkVersion(before, ifMatch);
        requireSchema(body);
        return write(client, before, ScimUserInput.read(body));
    }

    /** PATCH /Users/{id}: the operations applied to the user as shown, and the result written like a PUT. */
    @Transactional
    public ScimUser patch(ScimClient client, String resourceId, Map<String, Object> body, @Nullable String ifMatch, String base) {
        List<ScimPatch.Operation> operations = ScimPatch.operations(body);
        ScimUser before = lock(client, resourceId);
        checkVersion(before, ifMatch);
        Map<String, Object> resource = ScimJson.caseInsensitive(resource(before, base));
        ScimPatch.apply(resource, operations);
        return write(client, before, ScimUserInput.read(resource));
    }

    /** DELETE /Users/{id}: the person is marked left (never deleted); the user is gone for SCIM from now on. */
    @Transactional
    public void delete(ScimClient client, String resourceId, @Nullable String ifMatch) {
        ScimUser before = lock(client, resourceId);
        checkVersion(before, ifMatch);
        if (before.active() && before.personId() != null) {
            deactivate(client, before.personId());
        }
        sql.update("UPDATE scim_user SET deleted_at = CURRENT_TIMESTAMP(3), active = FALSE, version = version + 1, "
                + "updated_at = CURRENT_TIMESTAMP(3) WHERE id = :id", NamedSql.with("id", before.id()));
    }

    private ScimUser write(ScimClient client, ScimUser before, ScimUserInput in) {
        ScimUnits.Unit unit = units.resolve(client.orgNodeId(), in.organization(), in.department());
        requireFreeUserName(client, in.userName(), before.id());
        Long personId = writePerson(client, before, in, unit, audiencesOf(before.id()));
        try {
            sql.update("""
                    UPDATE scim_user SET person_id = :person, user_name = :userName, external_id = :externalId,
                        display_name = :displayName, given_name = :given, family_name = :family, email = :email,
                        employee_number = :employeeNumber, department = :department, organization = :organization,
                        unit_id = :unit, active = :active, version = version + 1, updated_at = CURRENT_TIMESTAMP(3)
                    WHERE id = :id""", values(in, unit).and("person", personId).and("id", before.id()));
        } catch (RuntimeException e) {
            throw duplicate(e);
        }
        return require(client, before.resourceId());
    }

    /**
     * Group membership changed (ScimGroups): the person's SCIM placement gets the audiences of the user's groups now.
     * The user's version counts it, as its groups are part of what it shows.
     */
    void membershipChanged(ScimClient client, long scimUserId) {
        ScimUser user = sql.one("SELECT " + COLUMNS + " FROM scim_user u WHERE u.id = :id FOR UPDATE",
                NamedSql.with("id", scimUserId), ScimUsers::user).orElseThrow(ScimException::notFound);
        if (user.active()) {
            ScimUserInput in = new ScimUserInput(user.userName(), user.externalId(), user.displayName(), user.givenName(),
                    user.familyName(), user.email(), user.employeeNumber(), user.department(), user.organization(), true);
            Long personId = writePerson(client, user, in, units.byId(user.unitId()), audiencesOf(user.id()));
            sql.update("UPDATE scim_user SET person_id = :person WHERE id = :id",
                    NamedSql.with("person", personId).and("id", scimUserId));
        }
        sql.update("UPDATE scim_user SET version = version + 1, updated_at = CURRENT_TIMESTAMP(3) WHERE id = :id",
                NamedSql.with("id", scimUserId));
    }

    /**
     * Writes the person through PersonRecords and answers their id, or null while the user waits for an audience.
     * Active: the person is saved with one SCIM placement in the unit (its dates kept while the unit stays) with the
     * audiences of the user's groups, or the token's default audience when in none. With no audience at all: a person
     * not yet known is not made (every placement has an audience); one known keeps the audiences of the SCIM placement
     * they have. Deactivated now: saved as they are, then left. Inactive before and still: the person is not touched
     * (a change to a left person waits until the directory activates them again).
     */
    private @Nullable Long writePerson(ScimClient client, @Nullable ScimUser before, ScimUserInput in, ScimUnits.Unit unit,
                                       Set<Long> groupAudiences) {
        if (unit.huvudmanId() == null) {
            throw ScimException.invalidValue("Enheten «" + unit.name() + "» hör inte till någon huvudman; välj en enhet under en.");
        }
        Long linked = before == null ? null : before.personId();
        if (before != null && !before.active() && !in.active()) {
            return linked;
        }
        String hsaId = linked == null ? null
                : sql.list("SELECT hsa_id FROM person WHERE id = :id AND hsa_id IS NOT NULL", NamedSql.with("id", linked),
                        row -> row.string("hsa_id")).stream().findFirst().orElse(null);
        PersonIdentity identity = new PersonIdentity(hsaId, in.employeeNumber(), in.email());
        Optional<Long> known;
        try {
            known = records.find(unit.huvudmanId(), identity);
        } catch (RosterRuleViolation e) {
            throw ScimException.invalidValue(e.getMessage());
        }
        if (linked != null && known.isPresent() && !known.get().equals(linked)) {
            throw ScimException.uniqueness("Anställningsnumret eller e-postadressen hör till en annan person.");
        }
        if (known.isPresent() && !known.get().equals(linked) && sql.number("SELECT COUNT(*) FROM scim_user "
                + "WHERE org_node_id = :org AND person_id = :person AND deleted_at IS NULL",
                NamedSql.with("org", client.orgNodeId()).and("person", known.get())) > 0) {
            throw ScimException.uniqueness("Personen med det anställningsnumret eller den e-postadressen har redan en SCIM-användare.");
        }
        Long personId = known.orElse(linked);
        Set<Long> audiences = new TreeSet<>(groupAudiences);
        if (audiences.isEmpty() && client.defaultAudienceId() != null) {
            audiences.add(client.defaultAudienceId());
        }
        if (audiences.isEmpty() && personId != null) {
            audiences.addAll(sql.list("""
                    SELECT pa.audience_id FROM current_placement p JOIN placement_audience pa ON pa.placement_id = p.id
                    WHERE p.person_id = :person AND p.source = :scim""",
                    NamedSql.with("person", personId).and("scim", PlacementSource.SCIM), row -> row.number("audience_id")));
        }
        if (audiences.isEmpty() && personId == null) {
            return null;
        }
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        List<PlacementRecord> placements = audiences.isEmpty() ? List.of()
                : List.of(placement(personId, unit.id(), audiences, today));
        long saved;
        try {
            PersonDetails details = new PersonDetails(identity, in.givenName(), in.familyName());
            // A user linked to a person updates that person, whatever of their identity changes (a new e-mail for
            // someone known by e-mail alone); an unlinked one is found or made by the identity rule.
            saved = linked != null
                    ? records.saveKnown(unit.huvudmanId(), linked, details, placements, PlacementSource.SCIM, client.actor())
                    : records.save(unit.huvudmanId(), details, placements, PlacementSource.SCIM, client.actor());
        } catch (RosterRuleViolation e) {
            throw ScimException.invalidValue(e.getMessage());
        }
        if (!in.active()) {
            deactivate(client, saved);
        }
        return saved;
    }

    /** The SCIM placement in the unit, with its dates kept while the person stays there; from today when new. */
    private PlacementRecord placement(@Nullable Long personId, long unitId, Set<Long> audiences, LocalDate today) {
        if (personId != null) {
            Optional<PlacementRecord> current = sql.one("""
                    SELECT org_start_date, role_start_date FROM placement
                    WHERE person_id = :person AND org_node_id = :unit AND ended_on IS NULL""",
                    NamedSql.with("person", personId).and("unit", unitId),
                    row -> new PlacementRecord(unitId, audiences, row.date("org_start_date"), row.date("role_start_date")));
            if (current.isPresent()) {
                return current.get();
            }
        }
        return new PlacementRecord(unitId, audiences, today, today);
    }

    /**
     * Deactivating: the person is marked left, unless they also work outside the token's organisation (a placement
     * there, from an HR file or by hand), where the directory has no say; then only the SCIM placement ends.
     */
    private void deactivate(ScimClient client, long personId) {
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        long elsewhere = sql.number("""
                SELECT COUNT(*) FROM current_placement p
                WHERE p.person_id = :person AND p.source <> :scim
                  AND NOT EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = :org AND c.descendant_id = p.org_node_id)""",
                NamedSql.with("person", personId).and("org", client.orgNodeId()).and("scim", PlacementSource.SCIM));
        if (elsewhere == 0) {
            records.markLeft(personId, today, client.actor());
            return;
        }
        sql.list("""
                SELECT p.id FROM current_placement p JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = :org
                WHERE p.person_id = :person AND p.source = :scim""",
                NamedSql.with("person", personId).and("org", client.orgNodeId()).and("scim", PlacementSource.SCIM),
                row -> row.number("id"))
                .forEach(placementId -> records.endPlacement(placementId, today, client.actor()));
    }

    Set<Long> audiencesOf(long scimUserId) {
        return new TreeSet<>(sql.list("SELECT audience_id FROM scim_group_member WHERE scim_user_id = :id",
                NamedSql.with("id", scimUserId), row -> row.number("audience_id")));
    }

    private void requireFreeUserName(ScimClient client, String userName, @Nullable Long self) {
        long taken = sql.number("""
                SELECT COUNT(*) FROM scim_user WHERE org_node_id = :org AND live_user_name = LOWER(:name)
                AND (:self IS NULL OR id <> :self)""",
                NamedSql.with("org", client.orgNodeId()).and("name", userName).and("self", self));
        if (taken > 0) {
            throw ScimException.uniqueness("userName «" + userName + "» används redan av en annan användare.");
        }
    }

    private static void requireSchema(Map<String, Object> body) {
        Object schemas = body.get("schemas");
        if (!(schemas instanceof List<?> list) || list.stream().noneMatch(s -> ScimSchemas.USER.equalsIgnoreCase(String.valueOf(s)))) {
            throw ScimException.invalidSyntax("schemas ska innehålla \"" + ScimSchemas.USER + "\".");
        }
    }

    static void checkVersion(ScimUser user, @Nullable String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return;
        }
        String wanted = user.etag();
        String bare = wanted.substring(2);
        for (String tag : ifMatch.split(",")) {
            String t = tag.strip();
            if (t.equals(wanted) || t.equals(bare)) {
                return;
            }
        }
        throw ScimException.preconditionFailed();
    }

    /** A unique key hit by a request at the same time as another: answered as the uniqueness it is. */
    private static RuntimeException duplicate(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return ScimException.uniqueness("userName eller personen används redan av en annan användare.");
            }
        }
        return e;
    }

    private static NamedSql.Params values(ScimUserInput in, ScimUnits.Unit unit) {
        return new NamedSql.Params().and("userName", in.userName()).and("externalId", in.externalId())
                .and("displayName", in.displayName()).and("given", in.givenName()).and("family", in.familyName())
                .and("email", in.email()).and("employeeNumber", in.employeeNumber()).and("department", in.department())
                .and("organization", in.organization()).and("unit", unit.id()).and("active", in.active());
    }

    static ScimUser user(NamedSql.Row row) throws SQLException {
        return new ScimUser(row.number("id"), row.string("resource_id"), row.number("org_node_id"), row.nullableNumber("person_id"),
                row.string("user_name"), row.string("external_id"), row.string("display_name"), row.string("given_name"),
                row.string("family_name"), row.string("email"), row.string("employee_number"), row.string("department"),
                row.string("organization"), row.number("unit_id"), row.flag("active"), row.number("version"),
                instant(row.string("created_at")), instant(row.string("updated_at")));
    }

    static Instant instant(String timestamp) {
        return java.sql.Timestamp.valueOf(timestamp).toInstant();
    }
}
