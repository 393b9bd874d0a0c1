package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import se.kompetensmal.catalog.CourseContent;
import se.kompetensmal.catalog.ImageFile;
import se.kompetensmal.catalog.ModuleDraft;
import se.kompetensmal.sql.NamedSql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A published version of a module read back from the catalogue tables: as the validated module (to export it) and as a
 * draft (to edit it further). Versions are never changed, so this is exactly what learners of that version see.
 */
@Singleton
class PublishedContent {

    private final NamedSql sql;

    PublishedContent(NamedSql sql) {
        this.sql = sql;
    }

    /** An image a version's pages show, by the file name they use. */
    record ImageRef(String fileName, long imageId, String contentType, long size) {
    }

    record Version(long id, int version, CourseContent.Module module, List<ImageRef> images) {

        /** The version as a draft: what the editor starts from when the module has no draft of its own. */
        ModuleDraft asDraft() {
            return Drafts.of(module, images.stream()
                    .map(i -> new ModuleDraft.Image(i.fileName(), i.imageId(), i.contentType(), i.size())).toList());
        }
    }

    /** The given version of the module, or its latest one when {@code version} is null; empty when there is none. */
    Optional<Version> of(String code, @Nullable Integer version) {
        return sql.one("""
                SELECT v.id, v.version, v.title, v.summary, v.estimated_minutes, v.pass_mark, v.xapi_activity_id, v.launch_url
                FROM module_version v
                WHERE v.module_code = :code
                  AND v.version = COALESCE(:version, (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = :code))""",
                NamedSql.with("code", code).and("version", version), row -> new Head(row.number("id"), (int) row.number("version"),
                        row.string("title"), row.string("summary"), (int) row.number("estimated_minutes"),
                        (int) row.number("pass_mark"), row.string("xapi_activity_id"), row.string("launch_url")))
                .map(head -> load(code, head));
    }

    private record Head(long id, int version, String title, String summary, int minutes, int passMark,
                        @Nullable String activityId, @Nullable String launchUrl) {
    }

    private Version load(String code, Head head) {
        NamedSql.Params id = NamedSql.with("id", head.id());
        // A version keeps no order of its audiences and goals (they are sets): read in a stable order, by code.
        List<String> audiences = sql.list("""
                SELECT a.code FROM module_version_audience ma JOIN audience a ON a.id = ma.audience_id
                WHERE ma.module_version_id = :id ORDER BY a.code""", id, row -> row.string("code"));
        List<String> goals = sql.list("""
                SELECT g.code FROM module_version_goal mg JOIN competence_goal g ON g.id = mg.goal_id
                WHERE mg.module_version_id = :id ORDER BY g.code""", id, row -> row.string("code"));
        List<CourseContent.Page> pages = sql.list("""
                SELECT title, body_markdown FROM module_page WHERE module_version_id = :id ORDER BY position""", id,
                row -> new CourseContent.Page(row.string("title"), row.string("body_markdown")));
        record OptionRow(long question, String code, String text, @Nullable String option, boolean correct,
                         @Nullable String feedback) {
        }
        List<OptionRow> rows = sql.list("""
                SELECT q.id, q.question_code, q.text, o.text AS option_text, COALESCE(o.correct, FALSE) AS correct, o.feedback
                FROM assessment_question q LEFT JOIN question_option o ON o.question_id = q.id
                WHERE q.module_version_id = :id ORDER BY q.position, o.position""", id,
                row -> new OptionRow(row.number("id"), row.string("question_code"), row.string("text"),
                        row.string("option_text"), row.flag("correct"), row.string("feedback")));
        List<CourseContent.Question> questions = new ArrayList<>();
        long current = -1;
        List<CourseContent.Option> options = null;
        for (OptionRow row : rows) {
            if (row.question() != current) {
                current = row.question();
                options = new ArrayList<>();
                questions.add(new CourseContent.Question(row.code(), row.text(), options));
            }
            if (row.option() != null) {
                options.add(new CourseContent.Option(row.option(), row.correct(), row.feedback() == null ? "" : row.feedback()));
            }
        }
        List<ImageRef> images = sql.list("""
                SELECT vi.file_name, vi.image_id, i.content_type, LENGTH(i.bytes) AS size
                FROM module_version_image vi JOIN module_image i ON i.id = vi.image_id
                WHERE vi.module_version_id = :id ORDER BY vi.file_name""", id,
                row -> new ImageRef(row.string("file_name"), row.number("image_id"), row.string("content_type"), row.number("size")));
        CourseContent.External external = head.launchUrl() == null ? null
                : new CourseContent.External(head.activityId(), head.launchUrl());
        CourseContent.Module module = new CourseContent.Module(code, head.title(), head.summary(), head.minutes(), audiences,
                goals, head.passMark(), pages, questions.stream()
                .map(q -> new CourseContent.Question(q.code(), q.text(), List.copyOf(q.options()))).toList(), external,
                images.stream().map(i -> new ImageFile(i.fileName(), i.contentType(), null)).toList());
        return new Version(head.id(), head.version(), module, images);
    }
}
