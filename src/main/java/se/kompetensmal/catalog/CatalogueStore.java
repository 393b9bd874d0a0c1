package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes validated module content to the database: the one path for the courses/ loader (source FILES) and for modules
 * published from the browser (source EDITOR). A module whose content differs from its latest stored version gets a new
 * version, and unchanged modules are left alone, so loading or publishing twice changes nothing. Goals from courses/
 * are the national catalogue and are kept current by code.
 */
@Singleton
public class CatalogueStore {

    private final NamedSql sql;

    public CatalogueStore(NamedSql sql) {
        this.sql = sql;
    }

    /** The outcome of one load: how many goals and modules there are and which module versions were new. */
    public record LoadResult(int goals, int modules, List<String> newModuleVersions) {
    }

    /** What a start did with its courses/ content: stored it, or why not. */
    public enum Loaded {
        /** New content, stored (modules that changed got a new version). */
        STORED,
        /** The content stored already is this very content: another instance (or an earlier start) stored it. */
        ALREADY_STORED,
        /** Content stored before and replaced since: an older instance during a rolling deploy. */
        REPLACED_SINCE,
        /** Content of an older catalogue version than the one stored. */
        OLDER_VERSION
    }

    /** The outcome of a start's load: what happened, and what {@link #store} did when it stored. */
    public record Load(Loaded loaded, String storedVersion, LoadResult result) {
    }

    /**
     * Stores the shipped content once per change, across all instances, and never older content over newer: content equal
     * to what is stored, content stored before and replaced since, or content of an older catalogue version is left
     * alone. The decision and the store are one transaction that first takes the row {@code catalogue_load} (a row lock
     * on one server: a second instance waits and then finds the content stored) and ends by changing it on the condition
     * that it still holds what was read (on Galera, where the row lock holds on one node only, two nodes changing the row
     * at once is a certification conflict: the loser is rolled back, and run again by the caller it finds the content
     * stored). Within one catalogue version a module is not stored again when its content equals any version stored
     * (an older instance's module that was changed since); a newer catalogue version may bring back an older text.
     */
    @Transactional
    public Load storeOnce(CourseContent content, String loadedBy) {
        String hash = catalogueHash(content);
        record Current(String hash, String version) {
        }
        Current current = sql.one("SELECT content_hash, catalogue_version FROM catalogue_load WHERE id = 1 FOR UPDATE",
                Map.of(), row -> new Current(row.string("content_hash"), row.string("catalogue_version")))
                .orElseThrow(() -> new IllegalStateException("catalogue_load has no row: migration V36 not applied"));
        LoadResult nothing = new LoadResult(content.goals().size(), content.modules().size(), List.of());
        if (current.hash().equals(hash)) {
            return new Load(Loaded.ALREADY_STORED, current.version(), nothing);
        }
        int order = compareVersions(content.catalogueVersion(), current.version());
        if (order < 0) {
            return new Load(Loaded.OLDER_VERSION, current.version(), nothing);
        }
        if (sql.number("SELECT COUNT(*) FROM catalogue_content WHERE content_hash = :hash", NamedSql.with("hash", hash)) > 0) {
            return new Load(Loaded.REPLACED_SINCE, current.version(), nothing);
        }
        LoadResult result = store(content, order == 0);
        sql.update("""
                INSERT INTO catalogue_content (content_hash, catalogue_version, first_loaded_at)
                VALUES (:hash, :version, UTC_TIMESTAMP(6))""",
                NamedSql.with("hash", hash).and("version", content.catalogueVersion()));
        int changed = sql.update("""
                UPDATE catalogue_load SET content_hash = :hash, catalogue_version = :version, loaded_at = UTC_TIMESTAMP(6),
                       loaded_by = :by
                WHERE id = 1 AND content_hash = :seen""",
                NamedSql.with("hash", hash).and("version", content.catalogueVersion()).and("by", shortened(loadedBy))
                        .and("seen", current.hash()));
        if (changed != 1) {
            // Another instance stored content since this transaction read the row: undo everything and decide again.
            throw new StoredMeanwhile();
        }
        return new Load(Loaded.STORED, content.catalogueVersion(), result);
    }

    /** Another instance stored content while this load was deciding: it was rolled back, and may decide again. */
    public static final class StoredMeanwhile extends RuntimeException {
        StoredMeanwhile() {
            super("catalogue_load changed while storing the catalogue");
        }
    }

    private static String shortened(String text) {
        return text.length() > 100 ? text.substring(0, 100) : text;
    }

    /**
     * Catalogue versions compared part by part ("2026.2" before "2026.10"), numbers as numbers; an empty version (none
     * stored yet) comes first.
     */
    static int compareVersions(String a, String b) {
        String[] left = a.isBlank() ? new String[0] : a.strip().split("[.\\-]");
        String[] right = b.isBlank() ? new String[0] : b.strip().split("[.\\-]");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            if (i >= left.length) {
                return -1;
            }
            if (i >= right.length) {
                return 1;
            }
            int order = left[i].matches("\\d{1,9}") && right[i].matches("\\d{1,9}")
                    ? Integer.compare(Integer.parseInt(left[i]), Integer.parseInt(right[i])) : left[i].compareTo(right[i]);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    /** A digest of the whole content: the catalogue version, every goal and every module's content hash. */
    static String catalogueHash(CourseContent content) {
        StringBuilder canonical = new StringBuilder();
        field(canonical, "version", content.catalogueVersion());
        for (CourseContent.Goal g : content.goals()) {
            field(canonical, "goal", g.code(), String.join(",", g.audiences()), g.area().name(), g.kind().name(),
                    g.textSv(), String.valueOf(g.textEn()));
        }
        for (CourseContent.Module m : content.modules()) {
            field(canonical, "module", m.code(), contentHash(m, m.images()));
        }
        return sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stores the shipped content. Refused as a whole (nothing written) when a module code is already an organisation's
     * own module or a goal code is already an organisation's own goal: codes never shadow one another.
     */
    @Transactional
    public LoadResult store(CourseContent content) {
        return store(content, true);
    }

    /**
     * {@link #store(CourseContent)}; with {@code notAgain}, a module whose content equals any of its stored versions (not
     * only the latest) is left alone, so that older content never becomes a newer version.
     */
    private LoadResult store(CourseContent content, boolean notAgain) {
        List<String> problems = new ArrayList<>();
        Map<String, String> ownModules = new HashMap<>();
        sql.list("SELECT code, source FROM catalogue_module WHERE source IN ('EDITOR', 'PACKAGE')", Map.of(),
                row -> ownModules.put(row.string("code"), row.string("source")));
        for (CourseContent.Module module : content.modules()) {
            String source = ownModules.get(module.code());
            if (source != null) {
                problems.add("courses/modules: modulen med id «" + module.code() + "» kan inte laddas, eftersom koden"
                        + " redan används av en modul som " + ("PACKAGE".equals(source) ? "laddats upp som SCORM-paket"
                        : "skrivits i webbläsaren") + "; ge filernas modul ett annat id");
            }
        }
        Set<String> ownGoals = Set.copyOf(sql.list("SELECT code FROM competence_goal WHERE owner_org_id IS NOT NULL",
                Map.of(), row -> row.string("code")));
        for (CourseContent.Goal goal : content.goals()) {
            if (ownGoals.contains(goal.code())) {
                problems.add("courses/catalogue.yml: målkoden " + goal.code() + " används redan av en organisations"
                        + " eget kompetensmål; ge det nationella målet en annan kod");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCourseContentException(problems);
        }
        storeGoals(content);
        List<String> added = new ArrayList<>();
        for (CourseContent.Module module : content.modules()) {
            if (notAgain && sql.number("""
                    SELECT COUNT(*) FROM module_version WHERE module_code = :code AND content_hash = :hash""",
                    NamedSql.with("code", module.code()).and("hash", contentHash(module, module.images()))) > 0) {
                continue;
            }
            int before = latest(module.code()).map(Latest::version).orElse(0);
            if (storeVersion(module, module.images(), "FILES", null, null) != before) {
                added.add(module.code());
            }
        }
        return new LoadResult(content.goals().size(), content.modules().size(), added);
    }

    /** National goals (no owner) by code, with their audiences; organisations' own goals are not touched. */
    private void storeGoals(CourseContent content) {
        Map<String, Long> audiences = audienceIds();
        for (CourseContent.Goal goal : content.goals()) {
            sql.update("""
                    INSERT INTO competence_goal (code, catalogue_version, area, kind, text_sv, text_en)
                    VALUES (:code, :version, :area, :kind, :textSv, :textEn)
                    ON DUPLICATE KEY UPDATE catalogue_version = VALUES(catalogue_version), area = VALUES(area),
                        kind = VALUES(kind), text_sv = VALUES(text_sv), text_en = VALUES(text_en)""",
                    NamedSql.with("code", goal.code()).and("version", content.catalogueVersion())
                            .and("area", goal.area()).and("kind", goal.kind()).and("textSv", goal.textSv())
                            .and("textEn", goal.textEn()));
            long goalId = sql.number("SELECT id FROM competence_goal WHERE code = :code AND owner_org_id IS NULL",
                    NamedSql.with("code", goal.code()));
            sql.update("DELETE FROM competence_goal_audience WHERE goal_id = :goal", NamedSql.with("goal", goalId));
            for (String audience : goal.audiences()) {
                sql.update("INSERT INTO competence_goal_audience (goal_id, audience_id) VALUES (:goal, :audience)",
                        NamedSql.with("goal", goalId).and("audience", audiences.get(audience)));
            }
        }
    }

    private record Latest(int version, String hash) {
    }

    private java.util.Optional<Latest> latest(String code) {
        return sql.one("SELECT version, content_hash FROM module_version WHERE module_code = :code ORDER BY version DESC LIMIT 1",
                NamedSql.with("code", code), row -> new Latest((int) row.number("version"), row.string("content_hash")));
    }

    /**
     * Stores a validated module as its next version and returns the version number; when its content (images included)
     * equals the latest version's, nothing is written and the latest version number is returned. The module's
     * {@code catalogue_module} row is written when the code is new. Images are stored once per module by their sha256.
     *
     * @param images      the images with their bytes (null: the module's own {@link CourseContent.Module#images()})
     * @param source      FILES (the courses/ loader) or EDITOR (published from the browser)
     * @param ownerOrgId  the owner node of a new module; null for everyone
     * @param publishedBy the account publishing it; null for the loader
     */
    @Transactional
    public int storeVersion(CourseContent.Module m, @Nullable List<ImageFile> images, String source,
                            @Nullable Long ownerOrgId, @Nullable Long publishedBy) {
        return storeVersion(m, images, source, ownerOrgId, publishedBy, null);
    }

    /**
     * {@link #storeVersion(CourseContent.Module, List, String, Long, Long)} for a module whose content is an uploaded
     * package (source PACKAGE): the package's sha256 is part of the content hash, so another package is another version
     * even when title, audiences and goals stay the same, and the same package with the same particulars is none.
     */
    @Transactional
    public int storeVersion(CourseContent.Module m, @Nullable List<ImageFile> images, String source,
                            @Nullable Long ownerOrgId, @Nullable Long publishedBy, @Nullable String packageSha256) {
        List<ImageFile> files = images == null ? m.images() : images;
        for (ImageFile image : files) {
            if (image.bytes() == null) {
                throw new IllegalArgumentException("Bilden " + image.fileName() + " saknar innehåll");
            }
        }
        String hash = contentHash(m, files, packageSha256);
        java.util.Optional<Latest> latest = latest(m.code());
        if (latest.isPresent() && latest.get().hash().equals(hash)) {
            return latest.get().version();
        }
        int version = latest.map(Latest::version).orElse(0) + 1;
        sql.update("""
                INSERT IGNORE INTO catalogue_module (code, source, owner_org_id, created_by)
                VALUES (:code, :source, :owner, :by)""",
                NamedSql.with("code", m.code()).and("source", source).and("owner", ownerOrgId).and("by", publishedBy));
        sql.update("""
                INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash,
                                            xapi_activity_id, launch_url, published_by)
                VALUES (:code, :version, :title, :summary, :minutes, :passMark, :hash, :activity, :launch, :by)""",
                NamedSql.with("code", m.code()).and("version", version).and("title", m.title())
                        .and("summary", m.summary()).and("minutes", m.estimatedMinutes()).and("passMark", m.passMark())
                        .and("hash", hash).and("activity", m.external() == null ? null : m.external().activityId())
                        .and("launch", m.external() == null ? null : m.external().launchUrl()).and("by", publishedBy));
        long versionId = lastId();
        Map<String, Long> audiences = audienceIds();
        for (String audience : m.audiences()) {
            sql.update("INSERT INTO module_version_audience (module_version_id, audience_id) VALUES (:version, :audience)",
                    NamedSql.with("version", versionId).and("audience", audiences.get(audience)));
        }
        for (String goal : m.goals()) {
            sql.update("""
                    INSERT INTO module_version_goal (module_version_id, goal_id)
                    SELECT :version, id FROM competence_goal WHERE code = :goal""",
                    NamedSql.with("version", versionId).and("goal", goal));
        }
        int position = 1;
        for (CourseContent.Page page : m.pages()) {
            sql.update("""
                    INSERT INTO module_page (module_version_id, position, title, body_markdown)
                    VALUES (:version, :position, :title, :markdown)""",
                    NamedSql.with("version", versionId).and("position", position++).and("title", page.title())
                            .and("markdown", page.markdown()));
        }
        int questionPosition = 1;
        for (CourseContent.Question q : m.questions()) {
            sql.update("""
                    INSERT INTO assessment_question (module_version_id, position, question_code, text)
                    VALUES (:version, :position, :code, :text)""",
                    NamedSql.with("version", versionId).and("position", questionPosition++).and("code", q.code())
                            .and("text", q.text()));
            long questionId = lastId();
            int optionPosition = 1;
            for (CourseContent.Option o : q.options()) {
                sql.update("""
                        INSERT INTO question_option (question_id, position, text, correct, feedback)
                        VALUES (:question, :position, :text, :correct, :feedback)""",
                        NamedSql.with("question", questionId).and("position", optionPosition++).and("text", o.text())
                                .and("correct", o.correct()).and("feedback", o.feedback()));
            }
        }
        for (ImageFile image : files) {
            long imageId = imageId(m.code(), image, publishedBy);
            sql.update("""
                    INSERT INTO module_version_image (module_version_id, file_name, image_id)
                    VALUES (:version, :fileName, :image)""",
                    NamedSql.with("version", versionId).and("fileName", image.fileName()).and("image", imageId));
        }
        return version;
    }

    /** A stored version as content again (for export, or a draft from the latest version), with its images' bytes. */
    public record Stored(int version, CourseContent.Module module, List<ImageFile> images) {
    }

    /**
     * A stored version of a module as the rules made it, images included; the latest when {@code version} is null.
     * Audiences and goals come back ordered by code (the tables keep no order).
     */
    public java.util.Optional<Stored> version(String code, @Nullable Integer version) {
        record Row(long id, int version, String title, String summary, int minutes, int passMark,
                   String activity, String launch) {
        }
        java.util.Optional<Row> found = sql.one("""
                SELECT id, version, title, summary, estimated_minutes, pass_mark, xapi_activity_id, launch_url
                FROM module_version WHERE module_code = :code AND (:version IS NULL OR version = :version)
                ORDER BY version DESC LIMIT 1""", NamedSql.with("code", code).and("version", version),
                row -> new Row(row.number("id"), (int) row.number("version"), row.string("title"), row.string("summary"),
                        (int) row.number("estimated_minutes"), (int) row.number("pass_mark"),
                        row.string("xapi_activity_id"), row.string("launch_url")));
        if (found.isEmpty()) {
            return java.util.Optional.empty();
        }
        Row v = found.get();
        NamedSql.Params id = NamedSql.with("id", v.id());
        List<String> audiences = sql.list("""
                SELECT a.code FROM module_version_audience va JOIN audience a ON a.id = va.audience_id
                WHERE va.module_version_id = :id ORDER BY a.code""", id, row -> row.string("code"));
        List<String> goals = sql.list("""
                SELECT g.code FROM module_version_goal vg JOIN competence_goal g ON g.id = vg.goal_id
                WHERE vg.module_version_id = :id ORDER BY g.code""", id, row -> row.string("code"));
        List<CourseContent.Page> pages = sql.list("""
                SELECT title, body_markdown FROM module_page WHERE module_version_id = :id ORDER BY position""", id,
                row -> new CourseContent.Page(row.string("title"), row.string("body_markdown")));
        record Q(long id, String code, String text) {
        }
        List<CourseContent.Question> questions = new ArrayList<>();
        for (Q q : sql.list("""
                SELECT id, question_code, text FROM assessment_question WHERE module_version_id = :id ORDER BY position""",
                id, row -> new Q(row.number("id"), row.string("question_code"), row.string("text")))) {
            questions.add(new CourseContent.Question(q.code(), q.text(), sql.list("""
                    SELECT text, correct, feedback FROM question_option WHERE question_id = :question ORDER BY position""",
                    NamedSql.with("question", q.id()),
                    row -> new CourseContent.Option(row.string("text"), row.flag("correct"), row.string("feedback")))));
        }
        List<ImageFile> images = sql.list("""
                SELECT vi.file_name, i.content_type, i.bytes FROM module_version_image vi JOIN module_image i ON i.id = vi.image_id
                WHERE vi.module_version_id = :id ORDER BY vi.file_name""", id,
                row -> new ImageFile(row.string("file_name"), row.string("content_type"), row.bytes("bytes")));
        CourseContent.External external = v.launch() == null ? null : new CourseContent.External(v.activity(), v.launch());
        return java.util.Optional.of(new Stored(v.version(), new CourseContent.Module(code, v.title(), v.summary(), v.minutes(),
                audiences, goals, v.passMark(), pages, questions, external, images), images));
    }

    /** The module's stored row with these bytes, or a new one: the same picture is kept once per module. */
    private long imageId(String code, ImageFile image, @Nullable Long createdBy) {
        String sha = sha256(image.bytes());
        return sql.one("""
                SELECT id FROM module_image WHERE module_code = :code AND sha256 = :sha AND content_type = :type
                ORDER BY id LIMIT 1""",
                NamedSql.with("code", code).and("sha", sha).and("type", image.contentType()), row -> row.number("id"))
                .orElseGet(() -> {
                    sql.update("""
                            INSERT INTO module_image (module_code, file_name, content_type, sha256, bytes, created_by)
                            VALUES (:code, :fileName, :type, :sha, :bytes, :by)""",
                            NamedSql.with("code", code).and("fileName", image.fileName()).and("type", image.contentType())
                                    .and("sha", sha).and("bytes", image.bytes()).and("by", createdBy));
                    return lastId();
                });
    }

    private long lastId() {
        return sql.number("SELECT LAST_INSERT_ID()", Map.of());
    }

    private Map<String, Long> audienceIds() {
        Map<String, Long> ids = new HashMap<>();
        sql.list("SELECT code, id FROM audience", Map.of(), row -> ids.put(row.string("code"), row.number("id")));
        return ids;
    }

    /** A digest of everything a learner sees of the module, its images included; any change makes a new version. */
    static String contentHash(CourseContent.Module module, List<ImageFile> images) {
        return contentHash(module, images, null);
    }

    /** {@link #contentHash(CourseContent.Module, List)} with the package's sha256 in it, for package modules. */
    static String contentHash(CourseContent.Module module, List<ImageFile> images, @Nullable String packageSha256) {
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
        // Only modules with images add them, so that the versions stored before images existed keep their hash.
        images.stream().sorted(java.util.Comparator.comparing(ImageFile::fileName))
                .forEach(i -> field(canonical, "image", i.fileName(), sha256(i.bytes())));
        // Only package modules add it, so that every other module keeps its hash.
        if (packageSha256 != null) {
            field(canonical, "package", packageSha256);
        }
        return sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
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
