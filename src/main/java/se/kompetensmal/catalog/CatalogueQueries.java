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

/** Read views of the goal catalogue and the modules, for the API and the pages. Answers to questions never leave here. */
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
                             List<String> audiences, List<String> goals, int pages, int questions) {
    }

    @Serdeable
    public record PageView(int position, String title, String markdown) {
    }

    @Serdeable
    public record ModuleDetail(ModuleView module, List<PageView> pages, List<Integer> versions) {
    }

    /**
     * The national goals, optionally only those of one audience, with the modules (latest versions) that cover them. An
     * organisation's own goals are asked for by where they are seen ({@link #goalsVisibleTo}, {@link #goalsShownAt}).
     */
    public List<GoalView> goals(@Nullable String audienceCode) {
        return goalViews("g.owner_org_id IS NULL", audienceCode, new NamedSql.Params());
    }

    /** A national goal by its code. */
    public Optional<GoalView> goal(String code) {
        return goals(null).stream().filter(g -> g.code().equals(code)).findFirst();
    }

    /** The national goals and the own goals the caller may see ({@link Goals#VISIBLE_TO}), optionally of one audience. */
    public List<GoalView> goalsVisibleTo(Authentication caller, @Nullable String audienceCode) {
        return goalViews(Goals.VISIBLE_TO, audienceCode, NamedSql.with("account", Caller.of(caller).accountId()));
    }

    /** A goal by its code if the caller may see it; empty as for an unknown code otherwise. */
    public Optional<GoalView> goalVisibleTo(Authentication caller, String code) {
        return goalsVisibleTo(caller, null).stream().filter(g -> g.code().equals(code)).findFirst();
    }

    /** The goals shown in the views of a node ({@link Goals#SHOWN_AT}): those applying there and those owned under it. */
    public List<GoalView> goalsShownAt(long nodeId) {
        return goalViews(Goals.SHOWN_AT, null, NamedSql.with("node", nodeId));
    }

    private List<GoalView> goalViews(String condition, @Nullable String audienceCode, NamedSql.Params parameters) {
        String query = """
                SELECT g.code, g.catalogue_version, g.area, g.kind, g.text_sv, g.text_en, g.owner_org_id, o.name AS owner_name,
                       (SELECT GROUP_CONCAT(a.code ORDER BY a.sort_order SEPARATOR ',') FROM competence_goal_audience ga
                          JOIN audience a ON a.id = ga.audience_id WHERE ga.goal_id = g.id) AS audiences,
                       (SELECT GROUP_CONCAT(DISTINCT m.module_code ORDER BY m.module_code SEPARATOR ',')
                          FROM module_version_goal mg JOIN module_version m ON m.id = mg.module_version_id
                         WHERE mg.goal_id = g.id AND m.version = (SELECT MAX(version) FROM module_version l
                                                                   WHERE l.module_code = m.module_code)) AS modules
                FROM competence_goal g LEFT JOIN org_node o ON o.id = g.owner_org_id
                WHERE %s
                  AND (:audience IS NULL OR EXISTS (SELECT 1 FROM competence_goal_audience ga JOIN audience a ON a.id = ga.audience_id
                                                    WHERE ga.goal_id = g.id AND a.code = :audience))
                ORDER BY g.code""".formatted(condition);
        parameters.and("audience", audienceCode);
        return sql.list(query, parameters, row -> {
            GoalArea area = GoalArea.valueOf(row.string("area"));
            GoalKind kind = GoalKind.valueOf(row.string("kind"));
            return new GoalView(row.string("code"), row.string("catalogue_version"), area, area.labelSv(), kind,
                    kind.labelSv(), row.string("text_sv"), row.string("text_en"), split(row.string("audiences")),
                    split(row.string("modules")), row.nullableNumber("owner_org_id"), row.string("owner_name"));
        });
    }

    /** The latest version of every module. */
    public List<ModuleView> modules() {
        return moduleViews("m.version = (SELECT MAX(version) FROM module_version l WHERE l.module_code = m.module_code)",
                null, null);
    }

    /** One module at a version, or at its latest version when {@code version} is null. */
    public Optional<ModuleDetail> module(String code, @Nullable Integer version) {
        List<ModuleView> found = version == null
                ? moduleViews("m.module_code = ? AND m.version = (SELECT MAX(version) FROM module_version l WHERE l.module_code = m.module_code)", code, null)
                : moduleViews("m.module_code = ? AND m.version = ?", code, version);
        return found.stream().findFirst().map(module -> new ModuleDetail(module, pages(module), versions(code)));
    }

    private List<ModuleView> moduleViews(String condition, @Nullable String code, @Nullable Integer version) {
        String sql = """
                SELECT m.module_code, m.version, m.title, m.summary, m.estimated_minutes, m.pass_mark,
                       (SELECT GROUP_CONCAT(a.code ORDER BY a.sort_order SEPARATOR ',') FROM module_version_audience ma
                          JOIN audience a ON a.id = ma.audience_id WHERE ma.module_version_id = m.id) AS audiences,
                       (SELECT GROUP_CONCAT(g.code ORDER BY g.code SEPARATOR ',') FROM module_version_goal mg
                          JOIN competence_goal g ON g.id = mg.goal_id WHERE mg.module_version_id = m.id) AS goals,
                       (SELECT COUNT(*) FROM module_page p WHERE p.module_version_id = m.id) AS pages,
                       (SELECT COUNT(*) FROM assessment_question q WHERE q.module_version_id = m.id) AS questions
                FROM module_version m WHERE %s ORDER BY m.title""".formatted(condition);
        return jdbc.prepareStatement(sql, statement -> {
            if (code != null) {
                statement.setString(1, code);
            }
            if (version != null) {
                statement.setInt(2, version);
            }
            List<ModuleView> modules = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    modules.add(new ModuleView(rs.getString("module_code"), rs.getInt("version"), rs.getString("title"),
                            rs.getString("summary"), rs.getInt("estimated_minutes"), rs.getInt("pass_mark"),
                            split(rs.getString("audiences")), split(rs.getString("goals")), rs.getInt("pages"),
                            rs.getInt("questions")));
                }
            }
            return modules;
        });
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
