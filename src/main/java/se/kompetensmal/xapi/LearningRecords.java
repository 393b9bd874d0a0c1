package se.kompetensmal.xapi;

import com.google.gson.JsonPrimitive;
import gov.adlnet.xapi.model.Account;
import gov.adlnet.xapi.model.Activity;
import gov.adlnet.xapi.model.ActivityDefinition;
import gov.adlnet.xapi.model.Agent;
import gov.adlnet.xapi.model.Context;
import gov.adlnet.xapi.model.ContextActivities;
import gov.adlnet.xapi.model.Result;
import gov.adlnet.xapi.model.Score;
import gov.adlnet.xapi.model.Statement;
import gov.adlnet.xapi.model.Verb;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns learning events into xAPI statements and puts them in the outbox, in the caller's transaction, so that a
 * statement exists exactly when its event does. ADL verbs; the learner is an account (the service's home page and the
 * HSA-id), never an e-mail address; modules and questions have stable activity ids with the module version in the
 * context; the registration is the assignment cycle the event belongs to, when there is one. A new assignment cycle is
 * announced as "registered" with its due date, once ({@link AssignmentAnnouncements}).
 */
@Singleton
public class LearningRecords {

    static final String ADL = "http://adlnet.gov/expapi/verbs/";
    /** ADL's verb for a requirement met otherwise, as cmi5 uses it for a waived module. */
    static final String WAIVED = "https://w3id.org/xapi/adl/verbs/waived";
    static final String VERSION_EXTENSION = "/xapi/extensions/module-version";
    static final String DUE_EXTENSION = "/xapi/extensions/due-date";
    /** Where a completion done elsewhere came from: SESSION, REGISTERED or IMPORTED, as completion.source holds it. */
    static final String SOURCE_EXTENSION = "/xapi/extensions/source";
    /** Where it was done, in the coordinator's or the previous system's words. */
    static final String DONE_WHERE_EXTENSION = "/xapi/extensions/done-where";
    static final String VOIDED = "http://adlnet.gov/expapi/verbs/voided";
    /** How many imported completions one batch of statements holds: the history import can bring a million. */
    static final int IMPORT_BATCH = 1000;
    /** The occasion of a session module a learner attended: its id and its day. */
    static final String OCCASION_EXTENSION = "/xapi/extensions/occasion";

    private final JdbcOperations jdbc;
    private final TransactionOperations<Connection> transactions;
    private final String home;
    private final boolean sendImportedHistory;

    public LearningRecords(JdbcOperations jdbc, TransactionOperations<Connection> transactions,
                           @Value("${kompetensmal.public-url}") String publicUrl,
                           @Value("${kompetensmal.xapi.send-imported-history:false}") boolean sendImportedHistory) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.home = publicUrl.replaceFirst("/+$", "");
        this.sendImportedHistory = sendImportedHistory;
    }

    /**
     * The id of the "completed" statement of a completion done elsewhere: derived from the completion, so that voiding it
     * later names the same statement without a column to remember it in.
     */
    static String completedStatementId(long completionId) {
        return UUID.nameUUIDFromBytes(("kompetensmal:completion:" + completionId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Completions done elsewhere (registered by a coordinator or imported from the previous system) as "completed"
     * statements, with the source and where it was done in context extensions and the score when there is one. One query
     * and one batch for all of them.
     */
    public void completedElsewhere(List<Long> completionIds) {
        if (completionIds.isEmpty()) {
            return;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(completionIds.size(), "?"));
        List<Outgoing> statements = new ArrayList<>();
        jdbc.prepareStatement("""
                SELECT c.id, c.person_id, p.hsa_id, CONCAT(p.given_name, ' ', p.family_name), m.module_code, m.title, m.version,
                       c.source, c.done_where, c.score, c.completed_on,
                       (SELECT a.id FROM assignment a WHERE a.completion_id = c.id)
                FROM completion c JOIN person p ON p.id = c.person_id JOIN module_version m ON m.id = c.module_version_id
                WHERE c.id IN (%s) ORDER BY c.id""".formatted(marks), statement -> {
            for (int i = 0; i < completionIds.size(); i++) {
                statement.setLong(i + 1, completionIds.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Subject s = new Subject(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getInt(7), rs.getObject(12, Long.class));
                    Result result = new Result();
                    result.setCompletion(true);
                    Integer score = rs.getObject(10, Integer.class);
                    if (score != null) {
                        Score scored = new Score();
                        scored.setRaw(score);
                        scored.setMin(0);
                        scored.setMax(100);
                        scored.setScaled(score / 100f);
                        result.setScore(scored);
                    }
                    HashMap<String, com.google.gson.JsonElement> extensions = new HashMap<>();
                    extensions.put(home + SOURCE_EXTENSION, new JsonPrimitive(rs.getString(8)));
                    if (rs.getString(9) != null) {
                        extensions.put(home + DONE_WHERE_EXTENSION, new JsonPrimitive(rs.getString(9)));
                    }
                    // When it was done, not when it was recorded here: the statement's timestamp is the completion's day.
                    String when = rs.getObject(11, java.time.LocalDate.class).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                            .toString();
                    statements.add(statement(completedStatementId(rs.getLong(1)), when, s, "completed", module(s), result,
                            null, null, null, extensions));
                }
            }
            return null;
        });
        write(withoutThoseWritten(statements));
    }

    /**
     * The statements not in the outbox yet: a completion's statement id is derived from it, so that asking again for
     * the same completions (an import's statements sent a second time) writes nothing twice.
     */
    private List<Outgoing> withoutThoseWritten(List<Outgoing> statements) {
        if (statements.isEmpty()) {
            return statements;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(statements.size(), "?"));
        java.util.Set<String> written = jdbc.prepareStatement(
                "SELECT statement_id FROM xapi_outbox WHERE statement_id IN (" + marks + ")", statement -> {
                    for (int i = 0; i < statements.size(); i++) {
                        statement.setString(i + 1, statements.get(i).id());
                    }
                    java.util.Set<String> ids = new java.util.HashSet<>();
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                    return ids;
                });
        return statements.stream().filter(o -> !written.contains(o.id())).toList();
    }

    /**
     * The completions an import of history brought, as "completed" statements, when the setting
     * {@code kompetensmal.xapi.send-imported-history} asks for it (by default not: the previous system may have sent them
     * already). Read and written in batches, so that a million rows never sit in memory at once, each batch in a
     * transaction of its own when the caller has none (the history import, after its completions became visible: a
     * million statements in one transaction would be a write set of a gigabyte); completions whose statement was written
     * before are left out. Answers how many completions were read.
     */
    public long importedHistory(long importId) {
        if (!sendImportedHistory) {
            return 0;
        }
        long after = 0;
        long written = 0;
        while (true) {
            long from = after;
            List<Long> ids = transactions.executeWrite(status -> importedBatch(importId, from));
            if (ids.isEmpty()) {
                return written;
            }
            written += ids.size();
            after = ids.get(ids.size() - 1);
        }
    }

    /** One batch of {@link #importedHistory}: the completions' ids after {@code from}, their statements written. */
    private List<Long> importedBatch(long importId, long from) {
        List<Long> ids = jdbc.prepareStatement("""
                SELECT id FROM counted_completion WHERE import_id = ? AND source = 'IMPORTED' AND id > ?
                ORDER BY id LIMIT ?""", statement -> {
            statement.setLong(1, importId);
            statement.setLong(2, from);
            statement.setInt(3, IMPORT_BATCH);
            List<Long> batch = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    batch.add(rs.getLong(1));
                }
            }
            return batch;
        });
        completedElsewhere(ids);
        return ids;
    }

    /**
     * A voided completion: an xAPI voiding statement ("voided", the object a reference to the completion's "completed"
     * statement), only if that statement was written (an imported completion may never have been sent).
     */
    public void voided(long completionId) {
        String target = completedStatementId(completionId);
        long sent = jdbc.prepareStatement("SELECT COUNT(*) FROM xapi_outbox WHERE statement_id = ?", statement -> {
            statement.setString(1, target);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        if (sent == 0) {
            return;
        }
        Subject s = jdbc.prepareStatement("""
                SELECT c.person_id, p.hsa_id, CONCAT(p.given_name, ' ', p.family_name)
                FROM completion c JOIN person p ON p.id = c.person_id WHERE c.id = ?""", statement -> {
            statement.setLong(1, completionId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new Subject(rs.getLong(1), rs.getString(2), rs.getString(3), "", "", 0, null);
            }
        });
        // A voiding statement carries nothing but the reference (xAPI 1.0.3, 2.3.2): no result, no context.
        Statement statement = new Statement(new Agent(s.name(), new Account(s.hsaId(), home)), new Verb(VOIDED),
                new gov.adlnet.xapi.model.StatementReference(target));
        String id = UUID.randomUUID().toString();
        statement.setId(id);
        statement.setTimestamp(Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        write(List.of(new Outgoing(id, "voided", s.personId(), StatementJson.write(statement))));
    }

    /** The module version and learner an event is about, as a statement needs them. */
    private record Subject(long personId, String hsaId, String name, String moduleCode, String title, int version,
                           @Nullable Long assignmentId) {
    }

    public void launched(long personId, long moduleVersionId) {
        Subject s = subject(personId, moduleVersionId);
        put(s, "launched", module(s), null, null);
    }

    public void experienced(long personId, long moduleVersionId, int page, String pageTitle) {
        Subject s = subject(personId, moduleVersionId);
        put(s, "experienced", activity(moduleId(s) + "/sidor/" + page, pageTitle), null, module(s));
    }

    /** One answer of a submitted assessment, as its statement needs it. */
    public record Answer(String questionCode, String question, boolean right, String response) {
    }

    /**
     * A submitted assessment: each question answered, then passed or failed with the score, and a pass also as the
     * module completed. One lookup and one batch for all of them.
     */
    public void assessed(long personId, long moduleVersionId, List<Answer> answers, boolean passed, int correct, int seconds) {
        Subject s = subject(personId, moduleVersionId);
        List<Outgoing> statements = new ArrayList<>();
        for (Answer answer : answers) {
            Result result = new Result();
            result.setSuccess(answer.right());
            result.setResponse(answer.response());
            statements.add(statement(s, "answered", activity(moduleId(s) + "/fragor/" + answer.questionCode(), answer.question()),
                    result, module(s), null));
        }
        statements.add(statement(s, passed ? "passed" : "failed", module(s), result(passed, correct, answers.size(), seconds, false),
                null, null));
        if (passed) {
            statements.add(statement(s, "completed", module(s), result(true, correct, answers.size(), seconds, true), null, null));
        }
        write(statements);
    }

    /** An exemption as its "waived" statement needs it: granted when ({@code grantedAt}, whole seconds). */
    record Exempted(long exemptionId, long personId, String moduleCode, String reason, Instant grantedAt) {
    }

    /**
     * The id of an exemption's "waived" statement: derived from the exemption and when it was granted, so that writing
     * it again (a re-published event, the background job beside the listener) stores it once, while a replaced
     * exemption (a new reason, granted anew) is a statement of its own.
     */
    static String waivedStatementId(long exemptionId, Instant grantedAt) {
        return UUID.nameUUIDFromBytes(("kompetensmal:exemption:" + exemptionId + ":" + grantedAt.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Writes the "waived" statements of the exemptions, each once (a statement already in the outbox is left as it is),
     * for the module's latest version (by its version number: ids need not follow the versions, as on Galera they step
     * by the cluster's size and a catalogue load may store an older version after a newer one). Its timestamp is when
     * the exemption was granted, so that every writer writes the same statement.
     */
    void exempted(List<Exempted> exemptions) {
        Map<String, Long> latest = new HashMap<>();
        List<Outgoing> statements = new ArrayList<>();
        for (Exempted e : exemptions) {
            Subject s = subject(e.personId(), latest.computeIfAbsent(e.moduleCode(), this::latestVersionId));
            Result result = new Result();
            result.setResponse(e.reason());
            statements.add(statement(waivedStatementId(e.exemptionId(), e.grantedAt()), e.grantedAt().toString(), s, WAIVED,
                    module(s), result, null, null, null, Map.of()));
        }
        writeOnce(statements);
    }

    private long latestVersionId(String moduleCode) {
        return jdbc.prepareStatement("SELECT id FROM module_version WHERE module_code = ? ORDER BY version DESC LIMIT 1",
                statement -> {
                    statement.setString(1, moduleCode);
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }

    /**
     * Attendance at an occasion of a session module: "attended" the module, with the occasion (id and day) in a context
     * extension. Written in the attendance's transaction, so the statement exists exactly when the completion does.
     */
    public void attended(long personId, long moduleVersionId, long occasionId, java.time.LocalDate day) {
        Subject s = subject(personId, moduleVersionId);
        com.google.gson.JsonObject occasion = new com.google.gson.JsonObject();
        occasion.addProperty("id", occasionId);
        occasion.addProperty("date", day.toString());
        HashMap<String, com.google.gson.JsonElement> extra = new HashMap<>();
        extra.put(home + OCCASION_EXTENSION, occasion);
        Result result = new Result();
        result.setCompletion(true);
        write(List.of(statement(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), s,
                "attended", module(s), result, null, null, null, extra)));
    }

    private static Result result(boolean passed, int correct, int questions, int seconds, boolean completion) {
        Score score = new Score();
        score.setRaw(correct);
        score.setMin(0);
        score.setMax(questions);
        score.setScaled(questions == 0 ? 0 : (float) correct / questions);
        Result result = new Result();
        result.setScore(score);
        result.setSuccess(passed);
        if (completion) {
            result.setCompletion(true);
        }
        result.setDuration(Duration.ofSeconds(seconds).toString());
        return result;
    }

    /** An assignment cycle not announced yet, as its "registered" statement needs it. */
    record Unannounced(long assignmentId, int cycle, long personId, String hsaId, String name, String moduleCode,
                       String title, int version, java.time.LocalDate due, Instant assignedAt) {
    }

    /**
     * The id of an assignment cycle's "registered" statement: derived from the cycle (the assignment row is one cycle of
     * one person's module; its id and cycle number never change), never random, so that two writers announcing the same
     * cycle (two instances, a retried job, a recomputation racing a manual assignment) write the same statement, which
     * the outbox keeps once. Not the due date: it moves (a manual assignment keeps the earlier date, a recomputation
     * follows the routine), and an announcement read before and after such a move must still be one statement.
     */
    static String registeredStatementId(long assignmentId, int cycle) {
        return UUID.nameUUIDFromBytes(("kompetensmal:registered:" + assignmentId + ":" + cycle).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * Writes the "registered" statements of the cycles (with the due date), each once: a statement already in the outbox
     * is left as it is. Its timestamp is when the assignment was made, so that every writer writes the same statement.
     */
    void registered(List<Unannounced> cycles) {
        List<Outgoing> statements = new ArrayList<>();
        for (Unannounced a : cycles) {
            Subject s = new Subject(a.personId(), a.hsaId(), a.name(), a.moduleCode(), a.title(), a.version(), a.assignmentId());
            statements.add(statement(registeredStatementId(a.assignmentId(), a.cycle()),
                    a.assignedAt().truncatedTo(ChronoUnit.MILLIS).toString(), s, "registered", module(s), null, null, a.due(),
                    null, java.util.Map.of()));
        }
        writeOnce(statements);
    }

    // SCORM packages, after ADL's xAPI SCORM profile: the package is a course activity, {public-url}/xapi/paket/{manifest
    // identifier}, each SCO a lesson below it; every statement carries the attempt's registration, the course as grouping
    // and the profile as category.

    static final String SCORM_PROFILE = "http://adlnet.gov/xapi/profile/scorm";
    static final String COURSE = "http://adlnet.gov/expapi/activities/course";
    static final String LESSON = "http://adlnet.gov/expapi/activities/lesson";

    /** An attempt at a package module as its statements need it. */
    private record Played(Subject subject, String registration, Activity course) {
    }

    /** A new attempt at a package module: the package launched. */
    public void scormLaunched(long attemptId) {
        Played p = played(attemptId);
        write(List.of(scorm(p, "launched", p.course(), null, false)));
    }

    /** A SCO's session began (Initialize answered true). */
    public void scormInitialized(long attemptId, long itemId) {
        Played p = played(attemptId);
        write(List.of(scorm(p, "initialized", sco(p, itemId), null, true)));
    }

    /** A SCO's session ended (Terminate answered true): suspended first when it left to be resumed, with the time so far. */
    public void scormTerminated(long attemptId, long itemId, boolean suspended, Duration totalTime) {
        Played p = played(attemptId);
        Activity sco = sco(p, itemId);
        Result result = new Result();
        result.setDuration(totalTime.withNanos(0).toString());
        List<Outgoing> statements = new ArrayList<>();
        if (suspended) {
            statements.add(scorm(p, "suspended", sco, null, true));
        }
        statements.add(scorm(p, "terminated", sco, result, true));
        write(statements);
    }

    /** A SCO reported completed, passed or failed (verb), with its scaled score when it has one. */
    public void scormScoResult(long attemptId, long itemId, String verb, @Nullable java.math.BigDecimal scaledScore) {
        Played p = played(attemptId);
        Result result = new Result();
        if ("completed".equals(verb)) {
            result.setCompletion(true);
        } else {
            result.setSuccess("passed".equals(verb));
        }
        if (scaledScore != null) {
            // The client writes all four figures; what the SCO gave is its scaled score, so it is the raw one too, on -1..1.
            Score score = new Score();
            score.setScaled(scaledScore.floatValue());
            score.setRaw(scaledScore.floatValue());
            score.setMin(-1);
            score.setMax(1);
            result.setScore(score);
        }
        write(List.of(scorm(p, verb, sco(p, itemId), result, true)));
    }

    /** The module's outcome rolled up from its SCOs: passed and completed, or failed; the score as 0-100. */
    public void scormModuleResult(long attemptId, boolean passed, @Nullable Integer score, int seconds) {
        Played p = played(attemptId);
        List<Outgoing> statements = new ArrayList<>();
        for (String verb : passed ? List.of("passed", "completed") : List.of("failed")) {
            Result result = new Result();
            result.setSuccess(passed);
            if ("completed".equals(verb)) {
                result.setCompletion(true);
            }
            if (score != null) {
                Score s = new Score();
                s.setRaw(score);
                s.setMin(0);
                s.setMax(100);
                s.setScaled(score / 100f);
                result.setScore(s);
            }
            result.setDuration(Duration.ofSeconds(seconds).toString());
            statements.add(scorm(p, verb, p.course(), result, false));
        }
        write(statements);
    }

    private Played played(long attemptId) {
        return jdbc.prepareStatement("""
                SELECT a.person_id, p.hsa_id, CONCAT(p.given_name, ' ', p.family_name), m.module_code, m.title, m.version,
                       a.registration, v.manifest_identifier
                FROM scorm_attempt a JOIN person p ON p.id = a.person_id JOIN module_version m ON m.id = a.module_version_id
                JOIN package_version v ON v.module_version_id = a.module_version_id WHERE a.id = ?""", statement -> {
            statement.setLong(1, attemptId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Subject s = new Subject(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), null);
                Activity course = activity(home + "/xapi/paket/" + segment(rs.getString(8)), s.title());
                course.getDefinition().setType(COURSE);
                return new Played(s, rs.getString(7), course);
            }
        });
    }

    private Activity sco(Played p, long itemId) {
        return jdbc.prepareStatement("SELECT item_identifier, title FROM package_item WHERE id = ?", statement -> {
            statement.setLong(1, itemId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Activity sco = activity(p.course().getId() + "/" + segment(rs.getString(1)), rs.getString(2));
                sco.getDefinition().setType(LESSON);
                return sco;
            }
        });
    }

    /** A manifest identifier as one segment of an activity id (they may hold spaces, slashes and other characters). */
    private static String segment(String identifier) {
        return java.net.URLEncoder.encode(identifier, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Outgoing scorm(Played p, String verb, Activity object, @Nullable Result result, boolean inCourse) {
        return statement(p.subject(), verb, object, result, null, null, new Scorm(p.registration(), inCourse ? p.course() : null));
    }

    /** The SCORM profile's part of a statement's context. */
    private record Scorm(String registration, @Nullable Activity grouping) {
    }

    /** A statement ready for the outbox. */
    private record Outgoing(String id, String verb, long personId, String json) {
    }

    private void put(Subject s, String verb, Activity object, @Nullable Result result, @Nullable Activity parent) {
        write(List.of(statement(s, verb, object, result, parent, null)));
    }

    private void write(List<Outgoing> statements) {
        if (statements.isEmpty()) {
            return;
        }
        jdbc.prepareStatement("INSERT INTO xapi_outbox (statement_id, verb, person_id, payload) VALUES (?, ?, ?, ?)", insert -> {
            for (Outgoing statement : statements) {
                insert.setString(1, statement.id());
                insert.setString(2, statement.verb());
                insert.setLong(3, statement.personId());
                insert.setString(4, statement.json());
                insert.addBatch();
            }
            return insert.executeBatch();
        });
    }

    /**
     * Writes statements whose ids are derived from what they record, each once: a row with the same statement id (unique
     * in the outbox) is left as it is, without hiding any other error as INSERT IGNORE would. On Galera two nodes writing
     * the same id at once is a certification conflict, and the retried writer then finds the row.
     */
    private void writeOnce(List<Outgoing> statements) {
        if (statements.isEmpty()) {
            return;
        }
        jdbc.prepareStatement("""
                INSERT INTO xapi_outbox (statement_id, verb, person_id, payload) VALUES (?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE statement_id = statement_id""", insert -> {
            for (Outgoing statement : statements) {
                insert.setString(1, statement.id());
                insert.setString(2, statement.verb());
                insert.setLong(3, statement.personId());
                insert.setString(4, statement.json());
                insert.addBatch();
            }
            return insert.executeBatch();
        });
    }

    private Outgoing statement(Subject s, String verb, Activity object, @Nullable Result result, @Nullable Activity parent,
                               @Nullable java.time.LocalDate due) {
        return statement(s, verb, object, result, parent, due, null);
    }

    private Outgoing statement(Subject s, String verb, Activity object, @Nullable Result result, @Nullable Activity parent,
                               @Nullable java.time.LocalDate due, @Nullable Scorm scorm) {
        return statement(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), s, verb, object,
                result, parent, due, scorm, java.util.Map.of());
    }

    private Outgoing statement(String id, String timestamp, Subject s, String verb, Activity object, @Nullable Result result,
                               @Nullable Activity parent, @Nullable java.time.LocalDate due, @Nullable Scorm scorm,
                               java.util.Map<String, com.google.gson.JsonElement> moreExtensions) {
        Statement statement = new Statement(new Agent(s.name(), new Account(s.hsaId(), home)),
                new Verb(verb.contains("/") ? verb : ADL + verb), object);
        statement.setId(id);
        statement.setTimestamp(timestamp);
        statement.setResult(result);
        Context context = new Context();
        if (s.assignmentId() != null) {
            context.setRegistration(UUID.nameUUIDFromBytes(("kompetensmal:assignment:" + s.assignmentId())
                    .getBytes(StandardCharsets.UTF_8)).toString());
        }
        if (parent != null || scorm != null) {
            ContextActivities activities = new ContextActivities();
            if (parent != null) {
                activities.setParent(new ArrayList<>(List.of(parent)));
            }
            if (scorm != null) {
                context.setRegistration(scorm.registration());
                if (scorm.grouping() != null) {
                    activities.setGrouping(new ArrayList<>(List.of(scorm.grouping())));
                }
                activities.setCategory(new ArrayList<>(List.of(new Activity(SCORM_PROFILE))));
            }
            context.setContextActivities(activities);
        }
        HashMap<String, com.google.gson.JsonElement> extensions = new HashMap<>();
        extensions.put(home + VERSION_EXTENSION, new JsonPrimitive(s.version()));
        if (due != null) {
            extensions.put(home + DUE_EXTENSION, new JsonPrimitive(due.toString()));
        }
        extensions.putAll(moreExtensions);
        context.setExtensions(extensions);
        context.setPlatform("Kompetensmål");
        statement.setContext(context);
        return new Outgoing(id, verb.substring(verb.lastIndexOf('/') + 1), s.personId(), StatementJson.write(statement));
    }

    private String moduleId(Subject s) {
        return home + "/xapi/moduler/" + s.moduleCode();
    }

    private Activity module(Subject s) {
        return activity(moduleId(s), s.title());
    }

    private static Activity activity(String id, String name) {
        ActivityDefinition definition = new ActivityDefinition();
        HashMap<String, String> names = new HashMap<>();
        names.put("sv-SE", name);
        definition.setName(names);
        return new Activity(id, definition);
    }

    private Subject subject(long personId, long moduleVersionId) {
        return jdbc.prepareStatement("""
                SELECT p.hsa_id, CONCAT(p.given_name, ' ', p.family_name), m.module_code, m.title, m.version,
                       (SELECT a.id FROM assignment a WHERE a.person_id = p.id AND a.module_code = m.module_code
                          AND a.withdrawn_at IS NULL ORDER BY a.completion_id IS NOT NULL, a.cycle LIMIT 1)
                FROM person p JOIN module_version m ON m.id = ? WHERE p.id = ?""", statement -> {
            statement.setLong(1, moduleVersionId);
            statement.setLong(2, personId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new Subject(personId, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getObject(6, Long.class));
            }
        });
    }
}
