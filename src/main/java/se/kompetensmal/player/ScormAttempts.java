package se.kompetensmal.player;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.xapi.LearningRecords;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Learners' attempts at package modules. A person has at most one open attempt per module (the database's unique key):
 * it keeps the package version it started on, as other modules are finished in the version started; a new attempt takes
 * the newest version. An attempt ends COMPLETED (its completion recorded, see {@link ScormCalls}) or FAILED, and ended
 * attempts are kept.
 */
@Singleton
public class ScormAttempts {

    static final String OPEN = "OPEN";

    private final NamedSql sql;
    private final RuntimeTokens tokens;
    private final LearningRecords records;

    public ScormAttempts(NamedSql sql, RuntimeTokens tokens, LearningRecords records) {
        this.sql = sql;
        this.tokens = tokens;
        this.records = records;
    }

    /** One attempt; status OPEN, COMPLETED or FAILED. */
    public record Attempt(long id, long personId, String moduleCode, long moduleVersionId, String status,
                          @Nullable Long completionId, Instant startedAt) {
        public boolean open() {
            return OPEN.equals(status);
        }
    }

    /**
     * One item of the package's organisation with its status in an attempt, in manifest order. kind CLUSTER, SCO or ASSET;
     * completion "not attempted", "incomplete", "completed" or "unknown"; success "passed", "failed" or "unknown".
     */
    public record ItemStatus(long itemId, String identifier, String title, int depth, String kind, String completion,
                             String success, boolean launchable) {
    }

    /** The person's open attempt at the module, or a new one on its newest package version. */
    @Transactional
    public Attempt openOrStart(long personId, String moduleCode) {
        return open(personId, moduleCode).orElseGet(() -> start(personId, moduleCode));
    }

    /** A new attempt after an ended one; while one is open, that one (a second click starts nothing). */
    @Transactional
    public Attempt startNew(long personId, String moduleCode) {
        return openOrStart(personId, moduleCode);
    }

    /** The person's latest attempt at the module, open or ended. */
    @Transactional(readOnly = true)
    public Optional<Attempt> latest(long personId, String moduleCode) {
        return sql.one(SELECT + " WHERE person_id = :person AND module_code = :code ORDER BY id DESC LIMIT 1",
                NamedSql.with("person", personId).and("code", moduleCode), ScormAttempts::attempt);
    }

    @Transactional(readOnly = true)
    public Optional<Attempt> byId(long attemptId) {
        return sql.one(SELECT + " WHERE id = :id", NamedSql.with("id", attemptId), ScormAttempts::attempt);
    }

    /**
     * A runtime token for the person's attempt (see {@link RuntimeTokens}). An ended attempt is only looked at: its token
     * is a review token whatever is asked, so nothing more is recorded on it.
     */
    @Transactional
    public String issueToken(long attemptId, long personId, boolean review) {
        Attempt attempt = byId(attemptId).filter(a -> a.personId() == personId)
                .orElseThrow(() -> new PackageNotPlayable("Försöket finns inte."));
        return tokens.issue(attempt.id(), personId, review || !attempt.open());
    }

    /** The items of the attempt's package version with their status in the attempt, in manifest order. */
    @Transactional(readOnly = true)
    public List<ItemStatus> items(long attemptId) {
        return statuses(attemptId);
    }

    /** {@link #items} within the caller's transaction (a runtime call's, which reads what it has just written). */
    List<ItemStatus> statuses(long attemptId) {
        List<Row> rows = sql.list("""
                SELECT i.id, i.parent_id, i.item_identifier, i.title, i.depth, i.kind, i.launch_href,
                       COALESCE(s.completion_status, 'not attempted') AS completion, COALESCE(s.success_status, 'unknown') AS success
                FROM scorm_attempt a JOIN package_item i ON i.module_version_id = a.module_version_id
                LEFT JOIN scorm_sco_state s ON s.attempt_id = a.id AND s.item_id = i.id
                WHERE a.id = :attempt ORDER BY i.position""", NamedSql.with("attempt", attemptId),
                row -> new Row(row.number("id"), row.nullableNumber("parent_id"), row.string("item_identifier"),
                        row.string("title"), row.nullableInt("depth"), row.string("kind"), row.string("launch_href"),
                        row.string("completion"), row.string("success")));
        // A cluster is as far as the SCOs below it: completed when all are, started when any is.
        Map<Long, Long> parents = new HashMap<>();
        rows.forEach(r -> parents.put(r.id(), r.parentId()));
        Map<Long, int[]> clusters = new HashMap<>();
        for (Row r : rows) {
            if (!"SCO".equals(r.kind())) {
                continue;
            }
            for (Long p = r.parentId(); p != null; p = parents.get(p)) {
                int[] counts = clusters.computeIfAbsent(p, k -> new int[3]);
                counts[0]++;
                counts[1] += "completed".equals(r.completion()) ? 1 : 0;
                counts[2] += "not attempted".equals(r.completion()) ? 0 : 1;
            }
        }
        List<ItemStatus> items = new ArrayList<>();
        for (Row r : rows) {
            String completion = r.completion();
            if ("CLUSTER".equals(r.kind())) {
                int[] c = clusters.getOrDefault(r.id(), new int[3]);
                completion = c[0] > 0 && c[1] == c[0] ? "completed" : c[2] > 0 ? "incomplete" : "not attempted";
            }
            items.add(new ItemStatus(r.id(), r.identifier(), r.title(), r.depth() == null ? 0 : r.depth(), r.kind(), completion,
                    "CLUSTER".equals(r.kind()) ? "unknown" : r.success(), !"CLUSTER".equals(r.kind()) && r.launchHref() != null));
        }
        return items;
    }

    /** Where the item starts, inside the package ("sco1/index.html?x=1"), if it is launchable in the attempt's version. */
    @Transactional(readOnly = true)
    public Optional<String> launchHref(long attemptId, long itemId) {
        return sql.one("""
                SELECT i.launch_href FROM scorm_attempt a JOIN package_item i ON i.module_version_id = a.module_version_id
                WHERE a.id = :attempt AND i.id = :item AND i.kind <> 'CLUSTER' AND i.launch_href IS NOT NULL""",
                NamedSql.with("attempt", attemptId).and("item", itemId), row -> row.string("launch_href"));
    }

    private record Row(long id, @Nullable Long parentId, String identifier, String title, @Nullable Integer depth, String kind,
                       @Nullable String launchHref, String completion, String success) {
    }

    private Optional<Attempt> open(long personId, String moduleCode) {
        return sql.one(SELECT + " WHERE person_id = :person AND module_code = :code AND open_flag = 1",
                NamedSql.with("person", personId).and("code", moduleCode), ScormAttempts::attempt);
    }

    private Attempt start(long personId, String moduleCode) {
        long version = sql.one("""
                SELECT m.id FROM module_version m JOIN package_version p ON p.module_version_id = m.id
                WHERE m.module_code = :code ORDER BY m.version DESC LIMIT 1""", NamedSql.with("code", moduleCode),
                row -> row.number("id")).orElseThrow(() -> new PackageNotPlayable("Modulen har inget paket att spela."));
        // Two first clicks at once: the unique key on the open attempt lets one insert, and both read that one.
        int started = sql.update("""
                INSERT IGNORE INTO scorm_attempt (person_id, module_code, module_version_id, registration)
                VALUES (:person, :code, :version, :registration)""", NamedSql.with("person", personId).and("code", moduleCode)
                .and("version", version).and("registration", UUID.randomUUID().toString()));
        Attempt attempt = open(personId, moduleCode).orElseThrow();
        if (started == 1) {
            records.scormLaunched(attempt.id());
        }
        return attempt;
    }

    private static final String SELECT = """
            SELECT id, person_id, module_code, module_version_id, status, completion_id,
                   ROUND(UNIX_TIMESTAMP(started_at) * 1000) AS started_ms
            FROM scorm_attempt""";

    private static Attempt attempt(NamedSql.Row row) throws java.sql.SQLException {
        return new Attempt(row.number("id"), row.number("person_id"), row.string("module_code"), row.number("module_version_id"),
                row.string("status"), row.nullableNumber("completion_id"), Instant.ofEpochMilli(row.number("started_ms")));
    }
}
