package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

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

    public CatalogueQueries(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Serdeable
    public record GoalView(String code, String catalogueVersion, GoalArea area, String areaSv, GoalKind kind, String kindSv,
                           String textSv, @Nullable String textEn, List<String> audiences, List<String> modules) {
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

    /** Goals, optionally only those of one audience, with the modules (latest versions) that cover them. */
    public List<GoalView> goals(@Nullable String audienceCode) {
        String sql = """
                SELECT g.code, g.catalogue_version, g.area, g.kind, g.text_sv, g.text_en,
                       (SELECT GROUP_CONCAT(a.code ORDER BY a.sort_order SEPARATOR ',') FROM competence_goal_audience ga
                          JOIN audience a ON a.id = ga.audience_id WHERE ga.goal_id = g.id) AS audiences,
                       (SELECT GROUP_CONCAT(DISTINCT m.module_code ORDER BY m.module_code SEPARATOR ',')
                          FROM module_version_goal mg JOIN module_version m ON m.id = mg.module_version_id
                         WHERE mg.goal_id = g.id AND m.version = (SELECT MAX(version) FROM module_version l
                                                                   WHERE l.module_code = m.module_code)) AS modules
                FROM competence_goal g
                WHERE ? IS NULL OR EXISTS (SELECT 1 FROM competence_goal_audience ga JOIN audience a ON a.id = ga.audience_id
                                            WHERE ga.goal_id = g.id AND a.code = ?)
                ORDER BY g.code""";
        return jdbc.prepareStatement(sql, statement -> {
            statement.setString(1, audienceCode);
            statement.setString(2, audienceCode);
            List<GoalView> goals = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    GoalArea area = GoalArea.valueOf(rs.getString("area"));
                    GoalKind kind = GoalKind.valueOf(rs.getString("kind"));
                    goals.add(new GoalView(rs.getString("code"), rs.getString("catalogue_version"), area, area.labelSv(),
                            kind, kind.labelSv(), rs.getString("text_sv"), rs.getString("text_en"),
                            split(rs.getString("audiences")), split(rs.getString("modules"))));
                }
            }
            return goals;
        });
    }

    public Optional<GoalView> goal(String code) {
        return goals(null).stream().filter(g -> g.code().equals(code)).findFirst();
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
