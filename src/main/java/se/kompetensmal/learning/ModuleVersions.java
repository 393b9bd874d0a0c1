package se.kompetensmal.learning;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.catalog.PageHtml;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One version of a module as a learner takes it: its pages as HTML, and the goals it covers. */
@Singleton
@Connectable
public class ModuleVersions {

    private final JdbcOperations jdbc;

    public ModuleVersions(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Serdeable
    public record Page(int number, String title, String html) {
    }

    @Serdeable
    public record Goal(String code, String text) {
    }

    /** A version; one with a launch link is an external module, taken elsewhere, without pages or assessment here. */
    @Serdeable
    public record Version(long id, String code, int version, String title, String summary, int minutes, int passMark,
                          int questions, List<Page> pages, List<Goal> goals, @Nullable String launchUrl) {
        /** The step after the last page: the assessment. */
        public int assessmentStep() {
            return pages.size() + 1;
        }
    }

    /** The latest version of the module, if there is such a module. */
    public Optional<Version> latest(String moduleCode, String language) {
        return find("m.module_code = ? ORDER BY m.version DESC LIMIT 1", moduleCode, language);
    }

    public Optional<Version> byId(long id, String language) {
        return find("m.id = ?", id, language);
    }

    private Optional<Version> find(String condition, Object key, String language) {
        return jdbc.prepareStatement("""
                SELECT m.id, m.module_code, m.version, m.title, m.summary, m.estimated_minutes, m.pass_mark,
                       (SELECT COUNT(*) FROM assessment_question q WHERE q.module_version_id = m.id), m.launch_url
                FROM module_version m WHERE\s""" + condition, statement -> {
            statement.setObject(1, key);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long id = rs.getLong(1);
                return Optional.of(new Version(id, rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), rs.getInt(7), rs.getInt(8),
                        pages(id, PageHtml.versionImages(rs.getString(2), rs.getInt(3))), goals(id, language), rs.getString(9)));
            }
        });
    }

    /** The pages as HTML by the one page renderer; their images are this version's, served by the catalogue. */
    private List<Page> pages(long moduleVersionId, String imageBase) {
        return jdbc.prepareStatement("SELECT title, body_markdown FROM module_page WHERE module_version_id = ? ORDER BY position",
                statement -> {
                    statement.setLong(1, moduleVersionId);
                    List<Page> pages = new ArrayList<>();
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            pages.add(new Page(pages.size() + 1, rs.getString(1), PageHtml.render(rs.getString(2), imageBase)));
                        }
                    }
                    return pages;
                });
    }

    /** The goals, in English where the catalogue has an English text and the learner reads English. */
    private List<Goal> goals(long moduleVersionId, String language) {
        return jdbc.prepareStatement("""
                SELECT g.code, g.text_sv, g.text_en FROM module_version_goal mg JOIN competence_goal g ON g.id = mg.goal_id
                WHERE mg.module_version_id = ? ORDER BY g.code""", statement -> {
            statement.setLong(1, moduleVersionId);
            List<Goal> goals = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    goals.add(new Goal(rs.getString(1), text(rs.getString(2), rs.getString(3), language)));
                }
            }
            return goals;
        });
    }

    private static String text(String swedish, @Nullable String english, String language) {
        return "en".equals(language) && english != null && !english.isBlank() ? english : swedish;
    }
}
