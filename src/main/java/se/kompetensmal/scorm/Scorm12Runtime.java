package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.scorm.ScormTypes.Check;
import se.kompetensmal.scorm.ScormTypes.Refusal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static se.kompetensmal.scorm.BaseRuntime.Access.READ_ONLY;
import static se.kompetensmal.scorm.BaseRuntime.Access.READ_WRITE;
import static se.kompetensmal.scorm.BaseRuntime.Access.WRITE_ONLY;
import static se.kompetensmal.scorm.ScormTypes.string;
import static se.kompetensmal.scorm.ScormTypes.vocabulary;

/**
 * The SCORM 1.2 run-time environment: the LMS* API calls, the cmi data model of the 1.2 RTE (section 3.4) and its error
 * codes. Deliberately more generous than the book where real packages need it: cmi.suspend_data takes 64000 characters
 * (not 4096), student_response and correct_responses patterns 4096 (not 255) and are checked only for true-false and
 * numeric interactions (see {@link #feedback}); an interaction or objective may be added by any of its elements.
 * Errors after LMSFinish are 101 (the book has no code of its own for them; 301 is "not initialised").
 */
final class Scorm12Runtime extends BaseRuntime {

    private static final Check NOTHING = value -> null;
    private static final Set<String> DONE = Set.of("completed", "passed", "failed");

    /** Built after the checks above, which it uses. */
    static final Model MODEL = model();

    Scorm12Runtime(ScoLaunch launch, RuntimeState state) {
        super(launch, state, MODEL);
    }

    static RuntimeState fresh() {
        RuntimeState state = new RuntimeState();
        state.family = "1.2";
        state.data.put("cmi.core.lesson_status", "not attempted");
        return state;
    }

    private static Model model() {
        Map<String, Element> e = new LinkedHashMap<>();
        e.put("cmi._version", new Element(READ_ONLY, NOTHING));
        e.put("cmi.core.student_id", new Element(READ_ONLY, NOTHING));
        e.put("cmi.core.student_name", new Element(READ_ONLY, NOTHING));
        e.put("cmi.core.lesson_location", new Element(READ_WRITE, string(255)));
        e.put("cmi.core.credit", new Element(READ_ONLY, NOTHING));
        e.put("cmi.core.lesson_status", new Element(READ_WRITE, value -> value.equals("not attempted")
                ? Refusal.type("A SCO cannot set \"not attempted\"; only the LMS does.")
                : vocabulary("passed", "completed", "failed", "incomplete", "browsed").check(value)));
        e.put("cmi.core.entry", new Element(READ_ONLY, NOTHING));
        e.put("cmi.core.score.raw", new Element(READ_WRITE, ScormTypes.cmiScore()));
        e.put("cmi.core.score.min", new Element(READ_WRITE, ScormTypes.cmiScore()));
        e.put("cmi.core.score.max", new Element(READ_WRITE, ScormTypes.cmiScore()));
        e.put("cmi.core.total_time", new Element(READ_ONLY, NOTHING));
        e.put("cmi.core.lesson_mode", new Element(READ_ONLY, NOTHING));
        e.put("cmi.core.exit", new Element(WRITE_ONLY, vocabulary("time-out", "suspend", "logout", "")));
        e.put("cmi.core.session_time", new Element(WRITE_ONLY, ScormTypes.cmiTimespan()));
        e.put("cmi.suspend_data", new Element(READ_WRITE, string(64000)));
        e.put("cmi.launch_data", new Element(READ_ONLY, NOTHING));
        e.put("cmi.comments", new Element(READ_WRITE, string(4096)));
        e.put("cmi.comments_from_lms", new Element(READ_ONLY, NOTHING));
        e.put("cmi.objectives.n.id", new Element(READ_WRITE, ScormTypes.cmiIdentifier()));
        Check decimalOrBlank = value -> value.isEmpty() ? null : ScormTypes.cmiDecimal().check(value);
        e.put("cmi.objectives.n.score.raw", new Element(READ_WRITE, decimalOrBlank));
        e.put("cmi.objectives.n.score.min", new Element(READ_WRITE, decimalOrBlank));
        e.put("cmi.objectives.n.score.max", new Element(READ_WRITE, decimalOrBlank));
        e.put("cmi.objectives.n.status", new Element(READ_WRITE,
                vocabulary("passed", "completed", "failed", "incomplete", "browsed", "not attempted")));
        e.put("cmi.student_data.mastery_score", new Element(READ_ONLY, NOTHING));
        e.put("cmi.student_data.max_time_allowed", new Element(READ_ONLY, NOTHING));
        e.put("cmi.student_data.time_limit_action", new Element(READ_ONLY, NOTHING));
        e.put("cmi.student_preference.audio", new Element(READ_WRITE, ScormTypes.cmiSInteger(-1, 100)));
        e.put("cmi.student_preference.language", new Element(READ_WRITE, string(255)));
        e.put("cmi.student_preference.speed", new Element(READ_WRITE, ScormTypes.cmiSInteger(-100, 100)));
        e.put("cmi.student_preference.text", new Element(READ_WRITE, ScormTypes.cmiSInteger(-1, 1)));
        e.put("cmi.interactions.n.id", new Element(WRITE_ONLY, ScormTypes.cmiIdentifier()));
        e.put("cmi.interactions.n.objectives.n.id", new Element(WRITE_ONLY, ScormTypes.cmiIdentifier()));
        e.put("cmi.interactions.n.time", new Element(WRITE_ONLY, ScormTypes.cmiTime()));
        e.put("cmi.interactions.n.type", new Element(WRITE_ONLY, vocabulary("true-false", "choice", "fill-in",
                "matching", "performance", "sequencing", "likert", "numeric")));
        e.put("cmi.interactions.n.correct_responses.n.pattern", new Element(WRITE_ONLY, string(4096)));
        e.put("cmi.interactions.n.weighting", new Element(WRITE_ONLY, ScormTypes.cmiDecimal()));
        e.put("cmi.interactions.n.student_response", new Element(WRITE_ONLY, string(4096)));
        e.put("cmi.interactions.n.result", new Element(WRITE_ONLY, value -> ScormTypes.isCmiDecimal(value) ? null
                : vocabulary("correct", "wrong", "unanticipated", "neutral").check(value)));
        e.put("cmi.interactions.n.latency", new Element(WRITE_ONLY, ScormTypes.cmiTimespan()));

        Map<String, String> children = new LinkedHashMap<>();
        children.put("cmi", "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions");
        children.put("cmi.core", "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,"
                + "lesson_mode,exit,session_time");
        children.put("cmi.core.score", "raw,min,max");
        children.put("cmi.objectives", "id,score,status");
        children.put("cmi.objectives.n.score", "raw,min,max");
        children.put("cmi.student_data", "mastery_score,max_time_allowed,time_limit_action");
        children.put("cmi.student_preference", "audio,language,speed,text");
        children.put("cmi.interactions",
                "id,objectives,time,type,correct_responses,weighting,student_response,result,latency");

        Map<String, Array> arrays = new LinkedHashMap<>();
        arrays.put("cmi.objectives", new Array(250));
        arrays.put("cmi.interactions", new Array(500));
        arrays.put("cmi.interactions.n.objectives", new Array(50));
        arrays.put("cmi.interactions.n.correct_responses", new Array(36));

        Map<Problem, Integer> codes = new EnumMap<>(Problem.class);
        codes.put(Problem.INIT_ARGUMENT, 201);
        codes.put(Problem.ALREADY_INITIALIZED, 101);
        codes.put(Problem.INIT_AFTER_TERMINATE, 101);
        codes.put(Problem.TERMINATE_BEFORE_INIT, 301);
        codes.put(Problem.TERMINATE_AFTER_TERMINATE, 101);
        codes.put(Problem.GET_BEFORE_INIT, 301);
        codes.put(Problem.GET_AFTER_TERMINATE, 101);
        codes.put(Problem.SET_BEFORE_INIT, 301);
        codes.put(Problem.SET_AFTER_TERMINATE, 101);
        codes.put(Problem.COMMIT_BEFORE_INIT, 301);
        codes.put(Problem.COMMIT_AFTER_TERMINATE, 101);
        codes.put(Problem.ARGUMENT, 201);
        codes.put(Problem.GET_EMPTY, 201);
        codes.put(Problem.SET_EMPTY, 201);
        codes.put(Problem.UNDEFINED, 201);
        codes.put(Problem.NO_CHILDREN, 202);
        codes.put(Problem.NO_COUNT, 203);
        codes.put(Problem.KEYWORD, 402);
        codes.put(Problem.READ_ONLY, 403);
        codes.put(Problem.WRITE_ONLY, 404);
        codes.put(Problem.TYPE, 405);
        codes.put(Problem.RANGE, 405);
        codes.put(Problem.DEPENDENCY, 201);
        codes.put(Problem.GET_INDEX, 201);
        codes.put(Problem.SET_INDEX, 201);
        codes.put(Problem.SET_GENERAL, 101);
        // SCORM 1.2 has no "not initialised" error: an element without a value reads as "" and no error.
        codes.put(Problem.NOT_INITIALIZED, 0);

        Map<Integer, String> strings = new LinkedHashMap<>();
        strings.put(0, "No error");
        strings.put(101, "General exception");
        strings.put(201, "Invalid argument error");
        strings.put(202, "Element cannot have children");
        strings.put(203, "Element not an array - cannot have count");
        strings.put(301, "Not initialized");
        strings.put(401, "Not implemented error");
        strings.put(402, "Invalid set value, element is a keyword");
        strings.put(403, "Element is read only");
        strings.put(404, "Element is write only");
        strings.put(405, "Incorrect data type");
        return Model.of(e, children, arrays, codes, strings);
    }

    // ------------------------------------------------------------------ values the LMS gives

    @Override
    @Nullable
    protected String computed(Path path) {
        return switch (path.pattern()) {
            case "cmi._version" -> "3.4";
            case "cmi.core.student_id" -> launch.learnerId();
            case "cmi.core.student_name" -> launch.learnerName();
            case "cmi.core.credit" -> launch.review() ? "no-credit" : "credit";
            case "cmi.core.lesson_mode" -> launch.review() ? "review" : "normal";
            case "cmi.core.entry" -> s.entry;
            case "cmi.core.total_time" -> ScormTypes.formatCmiTimespan(s.totalHundredths);
            case "cmi.launch_data" -> orEmpty(launch.dataFromLms());
            case "cmi.comments_from_lms" -> "";
            case "cmi.student_data.mastery_score" ->
                    launch.masteryScore() == null ? "" : ScormTypes.plain(launch.masteryScore());
            case "cmi.student_data.max_time_allowed" -> orEmpty(launch.maxTimeAllowed());
            case "cmi.student_data.time_limit_action" -> orEmpty(launch.timeLimitAction());
            case "cmi.student_preference.audio", "cmi.student_preference.speed", "cmi.student_preference.text" ->
                    s.data.getOrDefault(path.name(), "0");
            case "cmi.student_preference.language" -> s.data.getOrDefault(path.name(), "");
            default -> s.data.getOrDefault(path.name(), "");
        };
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    // ------------------------------------------------------------------ rules for values set

    /** SCORM 1.2 has no dependency rule: any element of an interaction or objective may add it (as 1.2 LMSs allow). */
    @Override
    @Nullable
    protected Refusal dependencies(Path path, String value) {
        return null;
    }

    @Override
    @Nullable
    protected Refusal rules(Path path, String value) {
        switch (path.pattern()) {
            case "cmi.interactions.n.student_response", "cmi.interactions.n.correct_responses.n.pattern" -> {
                String type = s.data.get("cmi.interactions." + path.levels().get(0).index() + ".type");
                return feedback(type, value);
            }
            case "cmi.comments" -> {
                String before = s.data.getOrDefault("cmi.comments", "");
                return before.length() + value.length() > 4096
                        ? Refusal.type("cmi.comments holds 4096 characters; " + before.length() + " are used.") : null;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * CMIFeedback for the interaction types whose format is unambiguous: true-false (0, 1, t or f, as the first
     * character) and numeric (a CMIDecimal). The other types' formats are written so differently by authoring tools
     * that the book's single-character forms would refuse most real packages; they are kept as strings.
     */
    @Nullable
    private static Refusal feedback(@Nullable String type, String value) {
        if ("true-false".equals(type)) {
            return !value.isEmpty() && "01tfTF".indexOf(value.charAt(0)) >= 0 ? null
                    : Refusal.type("A true-false response is 0, 1, t or f.");
        }
        if ("numeric".equals(type)) {
            return ScormTypes.isCmiDecimal(value) ? null : Refusal.type("A numeric response is a CMIDecimal.");
        }
        return null;
    }

    /** cmi.comments collects what the SCO sets, each value added to the end (the 1.2 book's comment log). */
    @Override
    protected String stored(Path path, String value) {
        if (path.pattern().equals("cmi.comments")) {
            return s.data.getOrDefault("cmi.comments", "") + value;
        }
        return value;
    }

    // ------------------------------------------------------------------ terminate and outcome

    /**
     * LMSFinish: session_time into total_time; then the book's LMS behaviour for lesson_status (RTE 3.4.4): a SCO that
     * set none is "completed", and with a mastery score and a raw score set, a status the SCO declared done becomes
     * passed or failed by the score. Taken for no-credit (review) sessions, the status is left alone.
     */
    @Override
    protected void onTerminate() {
        String session = s.data.get("cmi.core.session_time");
        if (session != null) {
            s.totalHundredths = Math.min(ScormRuntimes.MAX_TOTAL_HUNDREDTHS,
                    s.totalHundredths + ScormTypes.parseCmiTimespan(session));
        }
        s.suspended = "suspend".equals(s.data.get("cmi.core.exit"));
        if (!launch.review()) {
            String status = s.data.getOrDefault("cmi.core.lesson_status", "not attempted");
            if (status.equals("not attempted")) {
                status = "completed";
            }
            s.data.put("cmi.core.lesson_status", mastered(status));
        }
    }

    /** The status with the mastery score applied: passed or failed by cmi.core.score.raw when the SCO declared it done. */
    private String mastered(String status) {
        BigDecimal mastery = launch.masteryScore();
        String raw = value("cmi.core.score.raw");
        if (mastery == null || raw == null || launch.review() || !DONE.contains(status)) {
            return status;
        }
        return new BigDecimal(raw).compareTo(mastery) >= 0 ? "passed" : "failed";
    }

    @Override
    public ScoOutcome outcome() {
        String status = mastered(s.data.getOrDefault("cmi.core.lesson_status", "not attempted"));
        ScoOutcome.Completion completion = switch (status) {
            case "passed", "failed", "completed" -> ScoOutcome.Completion.COMPLETED;
            case "incomplete", "browsed" -> ScoOutcome.Completion.INCOMPLETE;
            default -> ScoOutcome.Completion.NOT_ATTEMPTED;
        };
        ScoOutcome.Success success = switch (status) {
            case "passed" -> ScoOutcome.Success.PASSED;
            case "failed" -> ScoOutcome.Success.FAILED;
            default -> ScoOutcome.Success.UNKNOWN;
        };
        String location = value("cmi.core.lesson_location");
        return new ScoOutcome(completion, success, scaledScore(), Duration.ofMillis(s.totalHundredths * 10),
                location, ScormRuntimes.suspended(s), null, s.phase == RuntimeState.Phase.TERMINATED);
    }

    /** The raw score as -1..1: scaled by min/max when max is set, else raw/100 (the book's 0-100 range). */
    @Nullable
    private BigDecimal scaledScore() {
        String raw = value("cmi.core.score.raw");
        if (raw == null) {
            return null;
        }
        BigDecimal r = new BigDecimal(raw);
        String max = value("cmi.core.score.max");
        BigDecimal min = value("cmi.core.score.min") == null ? BigDecimal.ZERO
                : new BigDecimal(value("cmi.core.score.min"));
        BigDecimal result;
        if (max != null && new BigDecimal(max).compareTo(min) > 0) {
            result = r.subtract(min).divide(new BigDecimal(max).subtract(min), 7, RoundingMode.HALF_UP);
        } else {
            result = r.divide(BigDecimal.valueOf(100), 7, RoundingMode.HALF_UP);
        }
        return result.max(BigDecimal.ONE.negate()).min(BigDecimal.ONE).stripTrailingZeros();
    }
}
