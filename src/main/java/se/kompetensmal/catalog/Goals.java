package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Caller;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.web.FieldProblem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a competence goal may be used and seen, and the writing of an organisation's own goals: the one home of both
 * rules, as {@link ModuleReach} is for modules and {@link Audiences} for audiences.
 * <p>
 * A national goal (no owner; written by the courses/ loader) applies everywhere. An organisation's own goal applies in
 * the subtree of the node that owns it, beside the national ones: it is usable there (a module owned there may cover it;
 * coverage and statistics there count it). It is visible to the people of that subtree and to those holding a role above
 * it (a region's coordinator sees its units' goals), and to nobody else: another organisation is answered as for an
 * unknown code. Only a coordinator or administrator holding the role on the owner node itself (or a system-wide
 * administrator) changes it, as for own modules; national goals are changed in the course content only.
 */
@Singleton
public class Goals {

    /** SQL condition: the goal aliased {@code g} applies at the node bound to {@code :node} (national, or owned at or above it). */
    public static final String USABLE_AT = OwnedReach.usableAt("g.owner_org_id", ":node");

    /**
     * SQL condition: the goal aliased {@code g} is shown in the views of the node bound to {@code :node} (coverage,
     * statistics, the goals page): those that apply there, and those owned by a node under it, which a leader of the
     * whole is responsible for too and which the views name with their owner.
     */
    public static final String SHOWN_AT = OwnedReach.usableAtOrUnder("g.owner_org_id", ":node");

    /**
     * SQL condition: the goal aliased {@code g} is visible to the account bound to {@code :account}: national; owned at or
     * above a node where they are placed or hold a role; owned under a node where they hold a role; or they are a
     * system-wide administrator.
     */
    public static final String VISIBLE_TO = OwnedReach.visibleTo("g.owner_org_id", ":account");

    /** A goal's code: capital letter first, then capitals, digits and hyphens; 40 at most (the column's size). */
    public static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9-]{0,39}");
    public static final int MAX_TEXT = 2000;
    /** What the catalogue_version column holds for an own goal: it belongs to no version of the national catalogue. */
    static final String OWN_VERSION = "egen";

    public static final String GOAL_CREATED = "GOAL_CREATED";
    public static final String GOAL_CHANGED = "GOAL_CHANGED";

    private final NamedSql sql;
    private final Audiences audiences;
    private final Access access;
    private final AuditLog audit;

    public Goals(NamedSql sql, Audiences audiences, Access access, AuditLog audit) {
        this.sql = sql;
        this.audiences = audiences;
        this.access = access;
        this.audit = audit;
    }

    /** The fields of an own goal as typed (a form or a JSON body); everything is checked by {@link #create}/{@link #change}. */
    public record Input(@Nullable String code, @Nullable List<String> audiences, @Nullable String area,
                        @Nullable String kind, @Nullable String textSv, @Nullable String textEn) {
    }

    /** Who owns a goal: {@code ownerOrgId} null for a national goal. */
    public record Owner(long goalId, String code, @Nullable Long ownerOrgId, @Nullable String ownerName) {
        public boolean national() {
            return ownerOrgId == null;
        }
    }

    public Optional<Owner> owner(String code) {
        return sql.one("""
                SELECT g.id, g.code, g.owner_org_id, o.name FROM competence_goal g LEFT JOIN org_node o ON o.id = g.owner_org_id
                WHERE g.code = :code""", NamedSql.with("code", code), row -> new Owner(row.number("id"), row.string("code"),
                row.nullableNumber("owner_org_id"), row.string("name")));
    }

    public boolean visibleTo(Authentication caller, String code) {
        return sql.number("SELECT COUNT(*) FROM competence_goal g WHERE g.code = :code AND " + VISIBLE_TO,
                NamedSql.with("code", code).and("account", Caller.of(caller).accountId())) > 0;
    }

    public boolean shownAt(String code, long nodeId) {
        return sql.number("SELECT COUNT(*) FROM competence_goal g WHERE g.code = :code AND " + SHOWN_AT,
                NamedSql.with("code", code).and("node", nodeId)) > 0;
    }

    /** The codes of the goals that apply at the node: what a module owned there may cover. */
    public Set<String> usableAt(long nodeId) {
        return new LinkedHashSet<>(sql.list("SELECT g.code FROM competence_goal g WHERE " + USABLE_AT + " ORDER BY g.code",
                NamedSql.with("node", nodeId), row -> row.string("code")));
    }

    /**
     * Whether the caller may own goals at the node (create them there, change those owned there): a coordinator or
     * administrator role granted on the node itself, or a system-wide administrator. A region's coordinator sees, but does
     * not write for, its units; a unit's coordinator uses, but does not change, the region's goals.
     */
    public boolean mayOwnAt(Authentication caller, long nodeId) {
        return sql.number("SELECT " + OwnedReach.mayOwn(":node", ":account") + " AS may",
                NamedSql.with("account", Caller.of(caller).accountId()).and("node", nodeId)) > 0;
    }

    public boolean editableBy(Authentication caller, String code) {
        return owner(code).map(o -> !o.national() && mayOwnAt(caller, o.ownerOrgId())).orElse(false);
    }

    /** The audience codes of a goal, in the audiences' order. */
    public List<String> audiencesOf(String code) {
        return sql.list("""
                SELECT a.code FROM competence_goal g JOIN competence_goal_audience ga ON ga.goal_id = g.id
                JOIN audience a ON a.id = ga.audience_id WHERE g.code = :code ORDER BY a.sort_order, a.code""",
                NamedSql.with("code", code), row -> row.string("code"));
    }

    /**
     * Adds an own goal owned by the node. The caller's right is checked first (404 outside their organisations, 403
     * inside), then every field; {@link GoalInvalid} names each field at fault.
     */
    @Transactional
    public String create(Authentication caller, long ownerNodeId, Input input, @Nullable HttpRequest<?> request) {
        if (!mayOwnAt(caller, ownerNodeId)) {
            throw access.refusal(caller, ownerNodeId);
        }
        Checked checked = check(input, ownerNodeId, null);
        insert(new CourseContent.Goal(checked.code(), checked.audiences(), checked.area(), checked.kind(), checked.textSv(),
                checked.textEn()), ownerNodeId, Caller.of(caller).accountId());
        audit.record(caller.getName(), GOAL_CREATED, checked.code() + " för org " + ownerNodeId, request);
        return checked.code();
    }

    /**
     * Changes an own goal's audiences, area, kind and texts (never its code: modules and completions point at it).
     * Unknown or invisible: 404; national: 403 (changed in the course content); visible but not the caller's: 403.
     */
    @Transactional
    public void change(Authentication caller, String code, Input input, @Nullable HttpRequest<?> request) {
        Owner owner = owner(code).filter(o -> visibleTo(caller, o.code())).orElseThrow(Access::notFound);
        if (owner.national()) {
            throw new HttpStatusException(HttpStatus.FORBIDDEN, "Nationella mål ändras i kursinnehållet.");
        }
        if (!mayOwnAt(caller, owner.ownerOrgId())) {
            throw Access.forbidden();
        }
        Checked checked = check(input, owner.ownerOrgId(), owner.code());
        sql.update("""
                UPDATE competence_goal SET area = :area, kind = :kind, text_sv = :textSv, text_en = :textEn
                WHERE code = :code AND owner_org_id IS NOT NULL""",
                NamedSql.with("code", owner.code()).and("area", checked.area().name()).and("kind", checked.kind().name())
                        .and("textSv", checked.textSv()).and("textEn", checked.textEn()));
        linkAudiences(checked);
        audit.record(caller.getName(), GOAL_CHANGED, owner.code() + " för org " + owner.ownerOrgId(), request);
    }

    private record Checked(String code, List<String> audiences, GoalArea area, GoalKind kind, String textSv,
                           @Nullable String textEn) {
    }

    /** Every field, each problem named by its field; {@code existingCode} is set when changing (the code is kept). */
    private Checked check(Input input, long ownerNodeId, @Nullable String existingCode) {
        List<FieldProblem> problems = new ArrayList<>();
        String code = existingCode;
        if (code == null) {
            String typed = input.code() == null ? "" : input.code().strip().toUpperCase(Locale.ROOT);
            if (typed.isEmpty()) {
                problems.add(new FieldProblem("code", "Ange en kod."));
            } else if (typed.length() > 40) {
                problems.add(new FieldProblem("code", "Koden får vara högst 40 tecken."));
            } else if (!CODE.matcher(typed).matches()) {
                problems.add(new FieldProblem("code", "Koden börjar med en versal och innehåller bara versaler A–Z, siffror och bindestreck (t.ex. REG-HYG-1)."));
            } else if (owner(typed).isPresent()) {
                // Unique over all goals, the national ones included: an own goal never shadows a national one.
                problems.add(new FieldProblem("code", "Koden används redan."));
            }
            code = typed;
        }
        List<String> usable = audiences.usableUnder(ownerNodeId).stream().map(Audience::code).toList();
        List<String> chosen = input.audiences() == null ? List.of()
                : input.audiences().stream().filter(a -> a != null && !a.isBlank()).map(a -> a.strip().toUpperCase(Locale.ROOT))
                        .distinct().toList();
        if (chosen.isEmpty()) {
            problems.add(new FieldProblem("audiences", "Välj minst en målgrupp."));
        } else if (chosen.size() > usable.size() || !usable.containsAll(chosen)) {
            problems.add(new FieldProblem("audiences", "Välj bland målgrupperna i listan."));
        }
        GoalArea area = parse(GoalArea.class, input.area());
        if (area == null) {
            problems.add(new FieldProblem("area", "Välj ett av de nio områdena."));
        }
        GoalKind kind = parse(GoalKind.class, input.kind());
        if (kind == null) {
            problems.add(new FieldProblem("kind", "Välj kunskap, färdighet eller förhållningssätt."));
        }
        String textSv = input.textSv() == null ? "" : input.textSv().strip();
        if (textSv.isEmpty()) {
            problems.add(new FieldProblem("textSv", "Skriv målet på svenska."));
        } else if (textSv.length() > MAX_TEXT) {
            problems.add(new FieldProblem("textSv", "Texten får vara högst " + MAX_TEXT + " tecken."));
        }
        String textEn = input.textEn() == null || input.textEn().isBlank() ? null : input.textEn().strip();
        if (textEn != null && textEn.length() > MAX_TEXT) {
            problems.add(new FieldProblem("textEn", "Den engelska texten får vara högst " + MAX_TEXT + " tecken."));
        }
        if (!problems.isEmpty()) {
            throw new GoalInvalid(problems);
        }
        return new Checked(code, usable.stream().filter(chosen::contains).toList(), area, kind, textSv, textEn);
    }

    /**
     * Writes an own goal owned by the node whose fields are already checked: by {@link #create}'s form, or by the
     * courses/ rules for a goal an imported module brings along.
     */
    public void insert(CourseContent.Goal goal, long ownerNodeId, long accountId) {
        sql.update("""
                INSERT INTO competence_goal (code, catalogue_version, area, kind, text_sv, text_en, owner_org_id, created_by)
                VALUES (:code, :version, :area, :kind, :textSv, :textEn, :owner, :account)""",
                NamedSql.with("code", goal.code()).and("version", OWN_VERSION).and("area", goal.area().name())
                        .and("kind", goal.kind().name()).and("textSv", goal.textSv()).and("textEn", goal.textEn())
                        .and("owner", ownerNodeId).and("account", accountId));
        linkAudiences(goal.code(), goal.audiences());
    }

    private void linkAudiences(Checked goal) {
        linkAudiences(goal.code(), goal.audiences());
    }

    private void linkAudiences(String code, List<String> audienceCodes) {
        sql.update("DELETE ga FROM competence_goal_audience ga JOIN competence_goal g ON g.id = ga.goal_id WHERE g.code = :code",
                NamedSql.with("code", code));
        for (String audience : audienceCodes) {
            sql.update("""
                    INSERT INTO competence_goal_audience (goal_id, audience_id)
                    SELECT g.id, a.id FROM competence_goal g, audience a WHERE g.code = :code AND a.code = :audience""",
                    NamedSql.with("code", code).and("audience", audience));
        }
    }

    private static <E extends Enum<E>> @Nullable E parse(Class<E> type, @Nullable String value) {
        if (value == null || value.isBlank() || value.length() > 40) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
