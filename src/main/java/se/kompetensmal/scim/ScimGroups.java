package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.AudienceRepository;
import se.kompetensmal.sql.NamedSql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * SCIM Groups are the audiences (målgrupper) usable in the token's organisation: the national ones and the
 * organisation's own. Their id is the audience's code, their displayName its Swedish name (a filter on displayName also
 * matches the code). Audiences are added and named in Kompetensmål, so a group cannot be created or renamed over SCIM;
 * what the directory changes is membership, and a member's SCIM placement has the audiences of the user's groups.
 * Deleting a group withdraws the memberships the directory gave (the audience stays).
 */
@Singleton
public class ScimGroups {

    private final NamedSql sql;
    private final AudienceRepository audiences;
    private final ScimUsers users;

    public ScimGroups(NamedSql sql, AudienceRepository audiences, ScimUsers users) {
        this.sql = sql;
        this.audiences = audiences;
        this.users = users;
    }

    record Member(long scimUserId, String resourceId, String userName, @Nullable String displayName) {
    }

    public Audience require(ScimClient client, String id) {
        return audiences.findUsableUnder(client.orgNodeId()).stream().filter(a -> a.code().equals(id)).findFirst()
                .orElseThrow(ScimException::notFound);
    }

    public Map<String, Object> resource(ScimClient client, Audience audience, String base) {
        return render(audience, members(client, audience.id()), base);
    }

    public Map<String, Object> list(ScimClient client, @Nullable ScimFilter filter, int startIndex, int count, String base,
                                    ScimProjection projection) {
        boolean withMembers = filter != null || projection.excluded().stream().noneMatch(p -> p.is(null, "members"));
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Audience a : audiences.findUsableUnder(client.orgNodeId())) {
            Map<String, Object> r = render(a, withMembers ? members(client, a.id()) : List.of(), base);
            if (filter == null || filter.test(ScimJson.caseInsensitive(r)) || codeMatches(filter, a)) {
                matching.add(r);
            }
        }
        int from = Math.min(startIndex - 1, matching.size());
        int to = Math.min(from + count, matching.size());
        return ScimSchemas.listResponse(matching.size(), startIndex,
                matching.subList(from, to).stream().map(projection::apply).toList());
    }

    /** displayName eq "POLITICIAN" finds the group by its code as well as by its name. */
    private static boolean codeMatches(ScimFilter filter, Audience a) {
        return filter instanceof ScimFilter.Compare c && c.op().equals("eq") && c.path().is(null, "displayName")
                && c.value() instanceof String s && s.equalsIgnoreCase(a.code());
    }

    /** PATCH /Groups/{id}: membership as Entra ID changes it (add, remove, replace of members). */
    @Transactional
    public Map<String, Object> patch(ScimClient client, String id, Map<String, Object> body, @Nullable String ifMatch, String base) {
        List<ScimPatch.Operation> operations = ScimPatch.operations(body);
        Audience audience = require(client, id);
        List<Member> before = lockedMembers(client, audience.id());
        Map<String, Object> current = render(audience, before, base);
        checkVersion(current, ifMatch);
        Map<String, Object> resource = ScimJson.caseInsensitive(current);
        ScimPatch.apply(resource, operations);
        return write(client, audience, before, resource, base);
    }

    /** PUT /Groups/{id}: the members become exactly those listed. */
    @Transactional
    public Map<String, Object> replace(ScimClient client, String id, Map<String, Object> body, @Nullable String ifMatch, String base) {
        Object schemas = body.get("schemas");
        if (!(schemas instanceof List<?> list) || list.stream().noneMatch(s -> ScimSchemas.GROUP.equalsIgnoreCase(String.valueOf(s)))) {
            throw ScimException.invalidSyntax("schemas ska innehålla \"" + ScimSchemas.GROUP + "\".");
        }
        Audience audience = require(client, id);
        List<Member> before = lockedMembers(client, audience.id());
        checkVersion(render(audience, before, base), ifMatch);
        return write(client, audience, before, body, base);
    }

    /** DELETE /Groups/{id}: the directory no longer gives this audience to anyone; the audience itself stays. */
    @Transactional
    public void delete(ScimClient client, String id, @Nullable String ifMatch, String base) {
        Audience audience = require(client, id);
        List<Member> before = lockedMembers(client, audience.id());
        checkVersion(render(audience, before, base), ifMatch);
        for (Member m : before) {
            sql.update("DELETE FROM scim_group_member WHERE scim_user_id = :user AND audience_id = :audience",
                    NamedSql.with("user", m.scimUserId()).and("audience", audience.id()));
            users.membershipChanged(client, m.scimUserId());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> write(ScimClient client, Audience audience, List<Member> before, Map<String, Object> wanted,
                                      String base) {
        Object displayName = wanted.get("displayName");
        if (displayName != null && !audience.nameSv().equals(displayName) && !audience.code().equals(displayName)) {
            throw ScimException.mutability("Målgruppens namn ändras i Kompetensmål, inte över SCIM.");
        }
        Set<String> ids = new LinkedHashSet<>();
        Object members = wanted.get("members");
        if (members != null && !(members instanceof List)) {
            throw ScimException.invalidValue("members ska vara en lista.");
        }
        for (Object m : members == null ? List.of() : (List<Object>) members) {
            Object value = m instanceof Map<?, ?> map ? ((Map<String, Object>) map).get("value") : null;
            if (!(value instanceof String s) || s.isBlank()) {
                throw ScimException.invalidValue("Varje medlem ska ha value: användarens id.");
            }
            ids.add(s);
        }
        // Every member must be a user of this organisation; checked before anything is written.
        List<Long> wantedUsers = new ArrayList<>();
        for (String resourceId : ids) {
            wantedUsers.add(users.find(client, resourceId).map(ScimUser::id).orElseThrow(() -> ScimException.invalidValue(
                    "Användaren " + resourceId + " finns inte i organisationen.")));
        }
        Set<Long> had = new LinkedHashSet<>(before.stream().map(Member::scimUserId).toList());
        for (long userId : wantedUsers) {
            if (!had.contains(userId)) {
                sql.update("INSERT INTO scim_group_member (scim_user_id, audience_id) VALUES (:user, :audience)",
                        NamedSql.with("user", userId).and("audience", audience.id()));
                users.membershipChanged(client, userId);
            }
        }
        for (long userId : had) {
            if (!wantedUsers.contains(userId)) {
                sql.update("DELETE FROM scim_group_member WHERE scim_user_id = :user AND audience_id = :audience",
                        NamedSql.with("user", userId).and("audience", audience.id()));
                users.membershipChanged(client, userId);
            }
        }
        return resource(client, audience, base);
    }

    private List<Member> members(ScimClient client, long audienceId) {
        return sql.list("""
                SELECT u.id, u.resource_id, u.user_name, u.display_name FROM scim_group_member m
                JOIN scim_user u ON u.id = m.scim_user_id
                WHERE m.audience_id = :audience AND u.org_node_id = :org AND u.deleted_at IS NULL ORDER BY u.id""",
                NamedSql.with("audience", audienceId).and("org", client.orgNodeId()),
                row -> new Member(row.number("id"), row.string("resource_id"), row.string("user_name"), row.string("display_name")));
    }

    /** The members, with their rows locked: two membership changes of one group wait for each other. */
    private List<Member> lockedMembers(ScimClient client, long audienceId) {
        sql.list("""
                SELECT m.scim_user_id FROM scim_group_member m JOIN scim_user u ON u.id = m.scim_user_id
                WHERE m.audience_id = :audience AND u.org_node_id = :org FOR UPDATE""",
                NamedSql.with("audience", audienceId).and("org", client.orgNodeId()), row -> row.number("scim_user_id"));
        return members(client, audienceId);
    }

    static Map<String, Object> render(Audience a, List<Member> members, String base) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("schemas", List.of(ScimSchemas.GROUP));
        r.put("id", a.code());
        r.put("displayName", a.nameSv());
        List<Map<String, Object>> list = new ArrayList<>();
        CRC32 crc = new CRC32();
        for (Member m : members) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("value", m.resourceId());
            member.put("$ref", base + "/Users/" + m.resourceId());
            member.put("display", m.displayName() != null ? m.displayName() : m.userName());
            member.put("type", "User");
            list.add(member);
            crc.update(m.resourceId().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (!list.isEmpty()) {
            r.put("members", list);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("resourceType", "Group");
        meta.put("location", base + "/Groups/" + a.code());
        // The group changes only by its members (its name changes in Kompetensmål): the version is a digest of them.
        meta.put("version", "W/\"" + members.size() + "-" + Long.toHexString(crc.getValue()) + "\"");
        r.put("meta", meta);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static void checkVersion(Map<String, Object> current, @Nullable String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return;
        }
        String version = (String) ((Map<String, Object>) current.get("meta")).get("version");
        for (String tag : ifMatch.split(",")) {
            String t = tag.strip();
            if (t.equals(version) || t.equals(version.substring(2))) {
                return;
            }
        }
        throw ScimException.preconditionFailed();
    }
}
