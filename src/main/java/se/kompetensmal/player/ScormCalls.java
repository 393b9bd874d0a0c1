package se.kompetensmal.player;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.scorm.ScoLaunch;
import se.kompetensmal.scorm.ScoOutcome;
import se.kompetensmal.scorm.ScoRuntime;
import se.kompetensmal.scorm.ScormVersion;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.xapi.LearningRecords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SCORM API calls of a package's frame, one HTTP request each, applied to the SCO's data model kept on the server.
 * Each call runs in one transaction with the attempt row locked, so the calls of an attempt (a commit and a terminate
 * racing from two requests included) are applied one after another. The runtime's state is saved after every call, the
 * standard's rules being the runtime's ({@link ScoRuntime}); after a successful Commit or Terminate the SCO's outcome is
 * taken into its columns, the module's outcome rolled up from all SCOs ({@link Rollup}) and, the first time it is
 * complete, the completion recorded in the same transaction, exactly once (the attempt ends with it).
 *
 * <p>Every call carries the frame's session id and a sequence number. The same (session, seq) again is a retry after a
 * lost answer: it gets the stored answer and is not applied twice. A call of another session than the SCO's current one
 * takes over only by Initialize (a reloaded frame); a late call of an old session is answered as the standard answers a
 * call before Initialize, and changes nothing.
 */
@Singleton
public class ScormCalls {

    static final int MAX_ELEMENT_CHARS = 255;
    /** suspend_data may hold 64000 characters; interactions' responses and comments are shorter. */
    static final int MAX_VALUE_CHARS = 200_000;
    static final Set<String> METHODS = Set.of("Initialize", "Terminate", "GetValue", "SetValue", "Commit");
    private static final Pattern SESSION = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final NamedSql sql;
    private final ScoRuntimeSource runtimes;
    private final ScormAttempts attempts;
    private final Completions completions;
    private final LearningRecords records;
    private final JsonMapper json;

    public ScormCalls(NamedSql sql, ScoRuntimeSource runtimes, ScormAttempts attempts, Completions completions,
                      LearningRecords records, JsonMapper json) {
        this.sql = sql;
        this.runtimes = runtimes;
        this.attempts = attempts;
        this.completions = completions;
        this.records = records;
        this.json = json;
    }

    /** One API call as the frame sends it. */
    @Serdeable
    public record Call(@Nullable Long item, @Nullable String session, @Nullable Integer seq, @Nullable String method,
                       @Nullable String element, @Nullable String value) {
    }

    /**
     * The runtime's answer: the value ("true"/"false" for all but GetValue), the error code and diagnostic; after Commit
     * and Terminate also every item's status and the attempt's status, for the player's table of contents.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String value, int error, String diagnostic, @Nullable List<ItemState> items, @Nullable String attempt) {
    }

    @Serdeable
    public record ItemState(long id, String completion, String success) {
    }

    /** Applies the call for the token's holder; a refused call (malformed, not an item of the attempt) throws 400/404. */
    @Transactional
    public Answer apply(RuntimeTokens.Grant grant, Call call) {
        checkShape(call);
        // The attempt row is the lock every call of the attempt waits for: one call at a time, one completion. Read first and
        // locking, so what follows sees what the call before this one committed. The SCO's row is read without a lock of
        // its own: the attempt's already covers it, and a locking read of a row not yet there would lock the gap that
        // other learners' first calls insert into.
        String status = sql.one("SELECT status FROM scorm_attempt WHERE id = :attempt AND person_id = :person FOR UPDATE",
                NamedSql.with("attempt", grant.attemptId()).and("person", grant.personId()), row -> row.string("status"))
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Försöket finns inte."));
        AttemptRow attempt = sql.one("""
                SELECT a.id, a.person_id, a.module_version_id, p.hsa_id, p.given_name, p.family_name, v.scorm_version
                FROM scorm_attempt a JOIN package_version v ON v.module_version_id = a.module_version_id
                JOIN person p ON p.id = a.person_id WHERE a.id = :attempt""", NamedSql.with("attempt", grant.attemptId()),
                row -> new AttemptRow(row.number("id"), row.number("person_id"), row.number("module_version_id"),
                        row.string("hsa_id"), row.string("family_name") + ", " + row.string("given_name"),
                        ScormVersion.fromStored(row.string("scorm_version")))).orElseThrow();
        ScoLaunch launch = launch(attempt, call.item(), grant.review());
        Optional<StateRow> stored = sql.one("""
                SELECT state, session_id, last_seq, last_answer, completion_status, success_status FROM scorm_sco_state
                WHERE attempt_id = :attempt AND item_id = :item""",
                NamedSql.with("attempt", attempt.id()).and("item", call.item()),
                row -> new StateRow(row.string("state"), row.string("session_id"), row.number("last_seq"),
                        row.string("last_answer"), row.string("completion_status"), row.string("success_status")));
        StateRow state = stored.orElse(null);
        String method = call.method();

        if (grant.review()) {
            // Looking at an attempt records nothing: each call is answered from the stored data, in a session of its own.
            ScoRuntime runtime = runtimes.begin(launch, state == null ? null : state.state());
            if (!"Initialize".equals(method)) {
                runtime.initialize("");
            }
            Optional<String> looked = invokeSafely(runtime, call);
            return looked.isEmpty() ? failed(call) : answer(runtime, looked.get(), null, null);
        }
        boolean current = state != null && call.session().equals(state.sessionId());
        if (current && call.seq() <= state.lastSeq()) {
            if (call.seq() == state.lastSeq() && state.lastAnswer() != null) {
                return read(state.lastAnswer());
            }
            return new Answer("", 0, "Anropet är redan utfört.", null, null);
        }
        boolean takeOver = !current && (state == null || state.sessionId() == null || "Initialize".equals(method));
        ScoRuntime runtime = current ? runtimes.resume(launch, state.state())
                : runtimes.begin(launch, state == null ? null : state.state());
        Optional<String> applied = invokeSafely(runtime, call);
        if (applied.isEmpty()) {
            return failed(call);
        }
        String value = applied.get();
        if (!current && !takeOver) {
            // A late call of a session that a reloaded frame has replaced: the new session's data stays as it is.
            return answer(runtime, value, null, null);
        }

        List<ItemState> items = null;
        String attemptStatus = null;
        boolean saved = "true".equals(value) && ("Commit".equals(method) || "Terminate".equals(method));
        if ("Initialize".equals(method) && "true".equals(value)) {
            records.scormInitialized(attempt.id(), call.item());
        }
        if (saved) {
            ScoOutcome outcome = runtime.outcome();
            String completion = outcome.completion().stored();
            String success = outcome.success().stored();
            sql.update("""
                    INSERT INTO scorm_sco_state (attempt_id, item_id, state, completion_status, success_status, score_scaled,
                                                 total_seconds)
                    VALUES (:attempt, :item, '', :completion, :success, :score, :seconds)
                    ON DUPLICATE KEY UPDATE completion_status = :completion, success_status = :success, score_scaled = :score,
                                            total_seconds = :seconds""",
                    NamedSql.with("attempt", attempt.id()).and("item", call.item()).and("completion", completion)
                            .and("success", success).and("score", outcome.scaledScore())
                            .and("seconds", (int) Math.min(Integer.MAX_VALUE, outcome.totalTime().getSeconds())));
            String before = state == null ? "not attempted" : state.completion();
            if ("completed".equals(completion) && !"completed".equals(before)) {
                records.scormScoResult(attempt.id(), call.item(), "completed", outcome.scaledScore());
            }
            if (!"unknown".equals(success) && !success.equals(state == null ? "unknown" : state.success())) {
                records.scormScoResult(attempt.id(), call.item(), success, outcome.scaledScore());
            }
            if ("Terminate".equals(method)) {
                records.scormTerminated(attempt.id(), call.item(), outcome.suspended(), outcome.totalTime());
            }
            if (ScormAttempts.OPEN.equals(status)) {
                status = rollUp(attempt);
            }
            items = attempts.statuses(attempt.id()).stream()
                    .map(i -> new ItemState(i.itemId(), i.completion(), i.success())).toList();
            attemptStatus = status;
        }
        Answer answer = answer(runtime, value, items, attemptStatus);
        sql.update("""
                INSERT INTO scorm_sco_state (attempt_id, item_id, state, session_id, last_seq, last_answer)
                VALUES (:attempt, :item, :state, :session, :seq, :answer)
                ON DUPLICATE KEY UPDATE state = :state, session_id = :session, last_seq = :seq, last_answer = :answer""",
                NamedSql.with("attempt", attempt.id()).and("item", call.item()).and("state", runtime.stateJson())
                        .and("session", call.session()).and("seq", call.seq()).and("answer", write(answer)));
        return answer;
    }

    /** The module's outcome from all its SCOs; the first time it is complete the attempt ends, a pass with its completion. */
    private String rollUp(AttemptRow attempt) {
        Rollup rollup = Rollup.of(sql.list("""
                SELECT COALESCE(s.completion_status, 'not attempted') AS completion, COALESCE(s.success_status, 'unknown') AS success,
                       s.score_scaled, COALESCE(s.total_seconds, 0) AS seconds
                FROM package_item i LEFT JOIN scorm_sco_state s ON s.item_id = i.id AND s.attempt_id = :attempt
                WHERE i.module_version_id = :version AND i.kind = 'SCO'""",
                NamedSql.with("attempt", attempt.id()).and("version", attempt.moduleVersionId()),
                row -> new Rollup.Sco(row.string("completion"), row.string("success"), decimal(row.string("score_scaled")),
                        row.nullableInt("seconds"))));
        if (!rollup.ended()) {
            return ScormAttempts.OPEN;
        }
        Integer seconds = rollup.seconds() > 0 ? rollup.seconds() : null;
        Long completionId = rollup.failed() ? null : completions.record(attempt.personId(), attempt.moduleVersionId(),
                LocalDate.now(SwedishTime.ZONE), rollup.score(), seconds, Completions.Source.INTERNAL);
        String status = rollup.failed() ? "FAILED" : "COMPLETED";
        sql.update("""
                UPDATE scorm_attempt SET status = :status, open_flag = NULL, ended_at = CURRENT_TIMESTAMP(3), score = :score,
                       seconds_spent = :seconds, completion_id = :completion
                WHERE id = :attempt AND status = 'OPEN'""", NamedSql.with("status", status).and("score", rollup.score())
                .and("seconds", seconds).and("completion", completionId).and("attempt", attempt.id()));
        records.scormModuleResult(attempt.id(), !rollup.failed(), rollup.score(), rollup.seconds());
        return status;
    }

    private ScoLaunch launch(AttemptRow attempt, long itemId, boolean review) {
        List<String> targets = new ArrayList<>();
        ItemRow item = null;
        for (ItemRow row : sql.list("""
                SELECT id, item_identifier, kind, data_from_lms, mastery_score, scaled_passing_score, completion_threshold,
                       max_time_allowed, time_limit_action, objective_ids
                FROM package_item WHERE module_version_id = :version AND kind <> 'CLUSTER' AND launch_href IS NOT NULL
                ORDER BY position""", NamedSql.with("version", attempt.moduleVersionId()),
                row -> new ItemRow(row.number("id"), row.string("item_identifier"), row.string("kind"),
                        row.string("data_from_lms"), decimal(row.string("mastery_score")),
                        decimal(row.string("scaled_passing_score")), decimal(row.string("completion_threshold")),
                        row.string("max_time_allowed"), row.string("time_limit_action"), row.string("objective_ids")))) {
            targets.add(row.identifier());
            if (row.id() == itemId) {
                item = row;
            }
        }
        if (item == null || !"SCO".equals(item.kind())) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "Delen finns inte i paketet.");
        }
        int index = targets.indexOf(item.identifier());
        ScoLaunch.Navigation navigation = new ScoLaunch.Navigation(index < targets.size() - 1, index > 0, List.copyOf(targets));
        return new ScoLaunch(attempt.version(), attempt.learnerId(), attempt.learnerName(), item.dataFromLms(),
                item.masteryScore(), item.scaledPassingScore(), item.completionThreshold(), item.maxTimeAllowed(),
                item.timeLimitAction(), objectiveIds(item.objectiveIds()), review, navigation);
    }

    private static String invoke(ScoRuntime runtime, Call call) {
        String parameter = call.value() == null ? "" : call.value();
        return switch (call.method()) {
            case "Initialize" -> runtime.initialize("");
            case "Terminate" -> runtime.terminate("");
            case "Commit" -> runtime.commit("");
            case "GetValue" -> runtime.getValue(call.element());
            case "SetValue" -> runtime.setValue(call.element(), parameter);
            default -> throw new IllegalStateException(call.method());
        };
    }

    /**
     * The call applied, or, should the runtime fail on it (it answers every call itself; a failure is a fault of ours),
     * answered as the standard's general exception (101) with nothing stored, so that the package goes on and the fault
     * is in the log rather than in the learner's face.
     */
    private static Optional<String> invokeSafely(ScoRuntime runtime, Call call) {
        try {
            return Optional.of(invoke(runtime, call));
        } catch (RuntimeException e) {
            LOG.error("The SCORM runtime failed on {} {}", call.method(), call.element(), e);
            return Optional.empty();
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScormCalls.class);
    private static final int GENERAL_EXCEPTION = 101;

    private static Answer answer(ScoRuntime runtime, String value, @Nullable List<ItemState> items, @Nullable String attempt) {
        String diagnostic = runtime.lastDiagnostic();
        return new Answer(value == null ? "" : value, runtime.lastError(), diagnostic == null ? "" : diagnostic, items, attempt);
    }

    private static Answer failed(Call call) {
        return new Answer("GetValue".equals(call.method()) ? "" : "false", GENERAL_EXCEPTION,
                "Körmiljön kunde inte utföra anropet.", null, null);
    }

    private static void checkShape(Call call) {
        if (call.item() == null || call.session() == null || call.seq() == null || call.method() == null) {
            throw refused("Anropet saknar item, session, seq eller method.");
        }
        if (!SESSION.matcher(call.session()).matches()) {
            throw refused("session ska vara ett UUID.");
        }
        if (call.seq() < 1) {
            throw refused("seq ska vara ett heltal från 1.");
        }
        if (!METHODS.contains(call.method())) {
            throw refused("method ska vara Initialize, Terminate, GetValue, SetValue eller Commit.");
        }
        if (("GetValue".equals(call.method()) || "SetValue".equals(call.method())) && call.element() == null) {
            throw refused("element saknas.");
        }
        if (call.element() != null && call.element().length() > MAX_ELEMENT_CHARS) {
            throw refused("element får vara högst " + MAX_ELEMENT_CHARS + " tecken.");
        }
        if (call.value() != null && call.value().length() > MAX_VALUE_CHARS) {
            throw refused("value får vara högst " + MAX_VALUE_CHARS + " tecken.");
        }
    }

    static HttpStatusException refused(String message) {
        return new HttpStatusException(HttpStatus.BAD_REQUEST, message);
    }

    private List<String> objectiveIds(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        try {
            return json.readValue(text, Argument.listOf(String.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(Answer answer) {
        try {
            return json.writeValueAsString(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer read(String stored) {
        try {
            return json.readValue(stored, Answer.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Nullable
    private static BigDecimal decimal(@Nullable String text) {
        return text == null ? null : new BigDecimal(text);
    }

    private record AttemptRow(long id, long personId, long moduleVersionId, String learnerId, String learnerName,
                              ScormVersion version) {
    }

    private record ItemRow(long id, String identifier, String kind, @Nullable String dataFromLms, @Nullable BigDecimal masteryScore,
                           @Nullable BigDecimal scaledPassingScore, @Nullable BigDecimal completionThreshold,
                           @Nullable String maxTimeAllowed, @Nullable String timeLimitAction, @Nullable String objectiveIds) {
    }

    private record StateRow(String state, @Nullable String sessionId, long lastSeq, @Nullable String lastAnswer,
                            String completion, String success) {
    }
}
