package se.kompetensmal.catalog;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes validated course content to the database. Goals are kept current by code; a module whose content differs from
 * its latest stored version gets a new version, and unchanged modules are left alone, so loading twice changes nothing.
 */
@Singleton
public class CatalogueStore {

    private final JdbcOperations jdbc;

    public CatalogueStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The outcome of one load: how many goals and modules there are and which module versions were new. */
    public record LoadResult(int goals, int modules, List<String> newModuleVersions) {
    }

    @Transactional
    public LoadResult store(CourseContent content) {
        return jdbc.execute(connection -> {
            Map<String, Long> audiences = idsByCode(connection, "SELECT code, id FROM audience");
            storeGoals(connection, content, audiences);
            Map<String, Long> goals = idsByCode(connection, "SELECT code, id FROM competence_goal");
            List<String> added = content.modules().stream()
                    .filter(module -> storeModule(connection, module, audiences, goals))
                    .map(CourseContent.Module::code)
                    .toList();
            return new LoadResult(content.goals().size(), content.modules().size(), added);
        });
    }

    private static void storeGoals(Connection connection, CourseContent content, Map<String, Long> audiences) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO competence_goal (code, catalogue_version, area, kind, text_sv, text_en) VALUES (?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE catalogue_version = VALUES(catalogue_version), area = VALUES(area),
                    kind = VALUES(kind), text_sv = VALUES(text_sv), text_en = VALUES(text_en)""")) {
            for (CourseContent.Goal goal : content.goals()) {
                upsert.setString(1, goal.code());
                upsert.setString(2, content.catalogueVersion());
                upsert.setString(3, goal.area().name());
                upsert.setString(4, goal.kind().name());
                upsert.setString(5, goal.textSv());
                upsert.setString(6, goal.textEn());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        Map<String, Long> goalIds = idsByCode(connection, "SELECT code, id FROM competence_goal");
        try (PreparedStatement clear = connection.prepareStatement("DELETE FROM competence_goal_audience WHERE goal_id = ?");
             PreparedStatement link = connection.prepareStatement(
                     "INSERT INTO competence_goal_audience (goal_id, audience_id) VALUES (?, ?)")) {
            for (CourseContent.Goal goal : content.goals()) {
                long goalId = goalIds.get(goal.code());
                clear.setLong(1, goalId);
                clear.addBatch();
                for (String audience : goal.audiences()) {
                    link.setLong(1, goalId);
                    link.setLong(2, audiences.get(audience));
                    link.addBatch();
                }
            }
            clear.executeBatch();
            link.executeBatch();
        }
    }

    /** Returns true when the module's content was new and stored as its next version. */
    private static boolean storeModule(Connection connection, CourseContent.Module module, Map<String, Long> audiences,
                                       Map<String, Long> goals) {
        try {
            String hash = contentHash(module);
            int latestVersion = 0;
            String latestHash = null;
            try (PreparedStatement latest = connection.prepareStatement(
                    "SELECT version, content_hash FROM module_version WHERE module_code = ? ORDER BY version DESC LIMIT 1")) {
                latest.setString(1, module.code());
                try (ResultSet rs = latest.executeQuery()) {
                    if (rs.next()) {
                        latestVersion = rs.getInt(1);
                        latestHash = rs.getString(2);
                    }
                }
            }
            if (hash.equals(latestHash)) {
                return false;
            }
            try (PreparedStatement owner = connection.prepareStatement(
                    "INSERT IGNORE INTO catalogue_module (code, source) VALUES (?, 'FILES')")) {
                owner.setString(1, module.code());
                owner.executeUpdate();
            }
            long versionId = insertVersion(connection, module, latestVersion + 1, hash);
            insertPairs(connection, "INSERT INTO module_version_audience (module_version_id, audience_id) VALUES (?, ?)",
                    versionId, module.audiences().stream().map(audiences::get).toList());
            insertPairs(connection, "INSERT INTO module_version_goal (module_version_id, goal_id) VALUES (?, ?)",
                    versionId, module.goals().stream().map(goals::get).toList());
            insertPages(connection, module, versionId);
            insertQuestions(connection, module, versionId);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("Kunde inte spara modulen " + module.code(), e);
        }
    }

    private static long insertVersion(Connection connection, CourseContent.Module module, int version, String hash)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash,
                                            xapi_activity_id, launch_url)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, module.code());
            insert.setInt(2, version);
            insert.setString(3, module.title());
            insert.setString(4, module.summary());
            insert.setInt(5, module.estimatedMinutes());
            insert.setInt(6, module.passMark());
            insert.setString(7, hash);
            insert.setString(8, module.external() == null ? null : module.external().activityId());
            insert.setString(9, module.external() == null ? null : module.external().launchUrl());
            insert.executeUpdate();
            return generatedKey(insert);
        }
    }

    private static void insertPairs(Connection connection, String sql, long versionId, List<Long> ids) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Long id : ids) {
                insert.setLong(1, versionId);
                insert.setLong(2, id);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertPages(Connection connection, CourseContent.Module module, long versionId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO module_page (module_version_id, position, title, body_markdown) VALUES (?, ?, ?, ?)")) {
            int position = 1;
            for (CourseContent.Page page : module.pages()) {
                insert.setLong(1, versionId);
                insert.setInt(2, position++);
                insert.setString(3, page.title());
                insert.setString(4, page.markdown());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertQuestions(Connection connection, CourseContent.Module module, long versionId) throws SQLException {
        try (PreparedStatement question = connection.prepareStatement(
                "INSERT INTO assessment_question (module_version_id, position, question_code, text) VALUES (?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS);
             PreparedStatement option = connection.prepareStatement(
                     "INSERT INTO question_option (question_id, position, text, correct, feedback) VALUES (?, ?, ?, ?, ?)")) {
            int position = 1;
            for (CourseContent.Question q : module.questions()) {
                question.setLong(1, versionId);
                question.setInt(2, position++);
                question.setString(3, q.code());
                question.setString(4, q.text());
                question.executeUpdate();
                long questionId = generatedKey(question);
                int optionPosition = 1;
                for (CourseContent.Option o : q.options()) {
                    option.setLong(1, questionId);
                    option.setInt(2, optionPosition++);
                    option.setString(3, o.text());
                    option.setBoolean(4, o.correct());
                    option.setString(5, o.feedback());
                    option.addBatch();
                }
            }
            option.executeBatch();
        }
    }

    private static long generatedKey(PreparedStatement statement) throws SQLException {
        try (ResultSet keys = statement.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    private static Map<String, Long> idsByCode(Connection connection, String sql) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getLong(2));
            }
        }
        return ids;
    }

    /** A digest of everything a learner sees of the module; any change to it makes a new version. */
    static String contentHash(CourseContent.Module module) {
        StringBuilder canonical = new StringBuilder();
        field(canonical, module.title(), module.summary(), String.valueOf(module.estimatedMinutes()),
                String.valueOf(module.passMark()), String.join(",", module.audiences()), String.join(",", module.goals()));
        if (module.external() != null) {
            field(canonical, "external", module.external().activityId(), module.external().launchUrl());
        }
        module.pages().forEach(p -> field(canonical, "page", p.title(), p.markdown()));
        for (CourseContent.Question q : module.questions()) {
            field(canonical, "question", q.code(), q.text());
            q.options().forEach(o -> field(canonical, "option", o.text(), String.valueOf(o.correct()), o.feedback()));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void field(StringBuilder canonical, String... values) {
        for (String value : values) {
            // Length-prefixed so that no two different contents run together into the same text.
            canonical.append(value.length()).append(':').append(value).append('\u001f');
        }
    }
}
