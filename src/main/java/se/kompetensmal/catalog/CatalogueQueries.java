package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Caller;
import se.kompetensmal.sql.NamedSql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Read views of the goal catalogue and the modules, for the API and the pages. Answers to questions never leave here.
 * Which modules a caller or a node gets is {@link ModuleReach}'s rule.
 */
@Singleton
// Reads outside a transaction still need a connection of their own.
@Connectable
public class CatalogueQueries {

    private final JdbcOperations jdbc;
    private final NamedSql sql;

    public CatalogueQueries(JdbcOperations jdbc, NamedSql sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /**
     * A goal with its owner: {@code ownerOrgId} null for a national goal; {@code ownerName} the owner node's name for an
     * organisation's own goal.
     */
    @Serdeable
    public record GoalView(String code, String catalogueVersion, GoalArea area, String areaSv, GoalKind kind, String kindSv,
                           String textSv, @Nullable String textEn, List<String> audiences, List<String> modules,
                           @Nullable Long ownerOrgId, @Nullable String ownerName) {
        public boolean own() {
            return ownerOrgId != null;
        }
    }

    @Serdeable
    public record ModuleView(String code, int version, String title, String summary, int estimatedMinutes, int passMark,
                             List<String> audiences, List<String> goals, int pages, int questions,
                             // Withdrawn: no new assignments; shown so that those who took it can still read it.
                             boolean withdrawn) {
    }

    @Serdeable
    public record PageView(int position, String title, String markdown) {
    }

    @Serdeable
    public record ModuleDetail(ModuleView module, List<PageView> pages, List<Integer> versions) {
    }

    /**
     * The goals the caller may see ({@link Goals#VISIBLE_TO}: national, and own goals of their organisations), optionally
     * of one audience, with the modules (latest versions) that cover them among those the caller may see and that are
     * offered for new use (not withdrawn).
     */
    public List<GoalView> goalsVisibleTo(Authentication caller, @Nullable String audienceCode) {
        return goalViews(Goals.VISIBLE_TO, ModuleReach.VISIBLE_TO + " AND " + ModuleReach.OPEN, audienceCode,
                NamedSql.with("account", Caller.of(caller).accountId()));
    }

    /** A goal by its code if the caller may see it; empty as for an unknown code otherwise. */
    public Optional<GoalView> goalVisibleTo(Authentication caller, String code) {
        return goalsVisibleTo(caller, null).stream().filter(g -> g.code().equals(code)).findFirst();
    }

    /**
     * The goals that apply at a node (national, and own goals owned there or above: {@link Goals#USABLE_AT}), with the
     * modules that cover them among those assignable there: what a routine at the node can reach.
     */
    public List<GoalView> goalsAt(@Nullable String audienceCode, long nodeId) {
        return goalViews(Goals.USABLE_AT, ModuleReach.USABLE_AT + " AND " + ModuleReach.OPEN, audienceCode,
                NamedSql.with("node", nodeId));
    }

    /**
     * The goals shown in the views of a node ({@link Goals#SHOWN_AT}): those applying there and those owned under it,
     * with the modules that cover them among those usable somewhere under the node and not withdrawn.
     */
    public List<GoalView> goalsShownAt(long nodeId) {
        return goalViews(Goals.SHOWN_AT, ModuleReach.USABLE_UNDER + " AND " + ModuleReach.OPEN, null,
                NamedSql.with("node", nodeId));
    }

    private List<GoalView> goalViews(String goalCondition, String moduleCondition, @Nullable String audienceCode,
                                     NamedSql.Params parameters) {
        String query = """
                SELECT g.code, g.catalogue_version, g.area, g.kind, g.text_sv, g.text_en, g.owner_org_id, o.name AS owner_name,
                       (SELECT GROUP_CONCAT(a.code ORDER BY a.sort_order SEPARATOR ',') FROM competence_goal_audience ga
                          JOIN audience a ON a.id = ga.audience_id WHERE ga.goal_id = g.id) AS audiences,
                       (SELECT GROUP_CONCAT(DISTINCT m.module_code ORDER BY m.module_code SEPARATOR ',')
                          FROM module_version_goal mg JOIN module_version m ON m.id = mg.module_version_id
                          JOIN catalogue_module cm ON cm.code = m.module_code
                         WHERE mg.goal_id = g.id AND %s AND m.version = (SELECT MAX(version) FROM module_version l
                                                                   WHERE l.module_code = m.module_code)) AS modules
                FROM competence_goal g LEFT JOIN org_node o ON o.id = g.owner_org_id
                WHERE %s
                  AND (:audience IS NULL OR EXISTS (SELECT 1 FROM competence_goal_audience ga JOIN audience a ON a.id = ga.audience_id
                                                    WHERE ga.goal_id = g.id AND a.code = :audience))
                ORDER BY g.code""".formatted(moduleCondition, goalCondition);
        parameters.and("audience", audienceCode);
        return sql.list(query, parameters, row -> {
            GoalArea area = GoalArea.valueOf(row.string("area"));
            GoalKind kind = GoalKind.valueOf(row.string("kind"));
            return new GoalView(row.string("code"), row.string("catalogue_version"), area, area.labelSv(), kind,
                    kind.labelSv(), row.string("text_sv"), row.string("text_en"), split(row.string("audiences")),
                    split(row.string("modules")), row.nullableNumber("owner_org_id"), row.string("owner_name"));
        });
    }

    /** The latest version of every module the caller may see and that is offered for new use (not withdrawn). */
    public List<ModuleView> modules(Authentication caller) {
        return moduleViews("m.version = (SELECT MAX(version) FROM module_version l WHERE l.module_code = m.module_code) AND "
                        + ModuleReach.VISIBLE_TO + " AND " + ModuleReach.OPEN,
                NamedSql.with("account", Caller.of(caller).accountId()));
    }

    /** The latest version of every module that may be put in a routine or assigned at the node now. */
    public List<ModuleView> assignableAt(long nodeId) {
        return moduleViews("m.version = (SELECT MAX(version) FROM module_version l WHERE l.module_code = m.module_code) AND "
                + ModuleReach.USABLE_AT + " AND " + ModuleReach.OPEN, NamedSql.with("node", nodeId));
    }

    /**
     * One module at a version, or at its latest version when {@code version} is null; empty (as for an unknown code) when
     * the caller may not see it. A withdrawn module is still shown, marked so: its history is kept.
     */
    public Optional<ModuleDetail> module(String code, @Nullable Integer version, Authentication caller) {
        NamedSql.Params params = NamedSql.with("code", code).and("version", version)
                .and("account", Caller.of(caller).accountId());
        List<ModuleView> found = moduleViews("""
                m.module_code = :code AND m.version = COALESCE(:version, (SELECT MAX(version) FROM module_version l
                                                                          WHERE l.module_code = m.module_code))
                AND """ + ModuleReach.VISIBLE_TO, params);
        return found.stream().findFirst().map(module -> new ModuleDetail(module, pages(module), versions(code)));
    }

    private List<ModuleView> moduleViews(String condition, NamedSql.Params params) {
        return sql.list("""
                SELECT m.module_code, m.version, m.title, m.summary, m.estimated_minutes, m.pass_mark,
                       cm.withdrawn_at IS NOT NULL AS withdrawn,
                       (SELECT GROUP_CONCAT(a.code ORDER BY a.sort_order SEPARATOR ',') FROM module_version_audience ma
                          JOIN audience a ON a.id = ma.audience_id WHERE ma.module_version_id = m.id) AS audiences,
                       (SELECT GROUP_CONCAT(g.code ORDER BY g.code SEPARATOR ',') FROM module_version_goal mg
                          JOIN competence_goal g ON g.id = mg.goal_id WHERE mg.module_version_id = m.id) AS goals,
                       (SELECT COUNT(*) FROM module_page p WHERE p.module_version_id = m.id) AS pages,
                       (SELECT COUNT(*) FROM assessment_question q WHERE q.module_version_id = m.id) AS questions
                FROM module_version m JOIN catalogue_module cm ON cm.code = m.module_code
                WHERE %s ORDER BY m.title""".formatted(condition), params,
                row -> new ModuleView(row.string("module_code"), (int) row.number("version"), row.string("title"),
                        row.string("summary"), (int) row.number("estimated_minutes"), (int) row.number("pass_mark"),
                        split(row.string("audiences")), split(row.string("goals")), (int) row.number("pages"),
                        (int) row.number("questions"), row.flag("withdrawn")));
    }

    private List<PageView> pages(ModuleView module) {
        return jdbc.prepareStatement("""
                SELECT p.position, p.title, p.body_markdown FROM module_page p
                JOIN module_version m ON m.id = p.module_version_id
                WHERE m.module_code = ? AND m.version = ? ORDER BY p.position""", statement -> {
            statement.setString(1, module.code());
            statement.setInt(2, module.version());
            List<PageView> pages = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    pages.add(new PageView(rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
            return pages;
        });
    }

    private List<Integer> versions(String code) {
        return jdbc.prepareStatement("SELECT version FROM module_version WHERE module_code = ? ORDER BY version",
                statement -> {
                    statement.setString(1, code);
                    return integers(statement);
                });
    }

    private static List<Integer> integers(PreparedStatement statement) throws SQLException {
        List<Integer> values = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getInt(1));
            }
        }
        return values;
    }

    private static List<String> split(@Nullable String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
