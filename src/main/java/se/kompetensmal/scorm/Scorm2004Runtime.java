package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.scorm.ScormTypes.Check;
import se.kompetensmal.scorm.ScormTypes.Refusal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static se.kompetensmal.scorm.BaseRuntime.Access.READ_ONLY;
import static se.kompetensmal.scorm.BaseRuntime.Access.READ_WRITE;
import static se.kompetensmal.scorm.BaseRuntime.Access.WRITE_ONLY;
import static se.kompetensmal.scorm.ScormTypes.localizedString;
import static se.kompetensmal.scorm.ScormTypes.real;
import static se.kompetensmal.scorm.ScormTypes.string;
import static se.kompetensmal.scorm.ScormTypes.vocabulary;

/**
 * The SCORM 2004 run-time environment (2nd, 3rd and 4th edition, RTE 1.3.x): the API_1484_11 calls, the cmi and adl.nav
 * data model of RTE chapter 4 and its error codes. The editions differ for a SCO only in the {target=...}jump request and
 * the adl.data stores of the 4th (no package declares stores here, so adl.data has no entries). cmi.suspend_data takes
 * 64000 characters in every edition (the 4th edition's size; 3rd edition packages written for other LMSs exceed 4000).
 */
final class Scorm2004Runtime extends BaseRuntime {

    private static final Check NOTHING = value -> null;
    private static final Check COMPLETION = vocabulary("completed", "incomplete", "not attempted", "unknown");
    private static final Check SUCCESS = vocabulary("passed", "failed", "unknown");

    /** Built after the checks above, which it uses. */
    static final Model MODEL = model();

    Scorm2004Runtime(ScoLaunch launch, RuntimeState state) {
        super(launch, state, MODEL);
    }

    /** A first launch, or a new attempt: no data but the objectives the manifest declares. */
    static RuntimeState fresh(ScoLaunch launch) {
        RuntimeState state = new RuntimeState();
        state.family = "2004";
        int n = 0;
        for (String id : launch.objectiveIds() == null ? List.<String>of() : launch.objectiveIds()) {
            if (id == null || !ScormTypes.isIdentifier(id, 4000) || state.data.containsValue(id) || n >= 250) {
                continue;
            }
            state.data.put("cmi.objectives." + n + ".id", id);
            n++;
        }
        if (n > 0) {
            state.counts.put("cmi.objectives", n);
        }
        return state;
    }

    private static Model model() {
        Map<String, Element> e = new LinkedHashMap<>();
        e.put("cmi._version", new Element(READ_ONLY, NOTHING));
        for (String comments : new String[]{"cmi.comments_from_learner", "cmi.comments_from_lms"}) {
            var access = comments.endsWith("lms") ? READ_ONLY : READ_WRITE;
            e.put(comments + ".n.comment", new Element(access, localizedString(4000)));
            e.put(comments + ".n.location", new Element(access, string(250)));
            e.put(comments + ".n.timestamp", new Element(access, ScormTypes.time()));
        }
        e.put("cmi.completion_status", new Element(READ_WRITE, COMPLETION));
        e.put("cmi.completion_threshold", new Element(READ_ONLY, NOTHING));
        e.put("cmi.credit", new Element(READ_ONLY, NOTHING));
        e.put("cmi.entry", new Element(READ_ONLY, NOTHING));
        e.put("cmi.exit", new Element(WRITE_ONLY, vocabulary("time-out", "suspend", "logout", "normal", "")));
        e.put("cmi.interactions.n.id", new Element(READ_WRITE, ScormTypes.longIdentifier()));
        e.put("cmi.interactions.n.type", new Element(READ_WRITE,
                vocabulary(InteractionResponses.TYPES.toArray(String[]::new))));
        e.put("cmi.interactions.n.objectives.n.id", new Element(READ_WRITE, ScormTypes.longIdentifier()));
        e.put("cmi.interactions.n.timestamp", new Element(READ_WRITE, ScormTypes.time()));
        e.put("cmi.interactions.n.correct_responses.n.pattern", new Element(READ_WRITE, NOTHING));
        e.put("cmi.interactions.n.weighting", new Element(READ_WRITE, real()));
        e.put("cmi.interactions.n.learner_response", new Element(READ_WRITE, NOTHING));
        e.put("cmi.interactions.n.result", new Element(READ_WRITE, value -> ScormTypes.isReal(value) ? null
                : vocabulary("correct", "incorrect", "unanticipated", "neutral").check(value)));
        e.put("cmi.interactions.n.latency", new Element(READ_WRITE, ScormTypes.timeInterval()));
        e.put("cmi.interactions.n.description", new Element(READ_WRITE, localizedString(250)));
        e.put("cmi.launch_data", new Element(READ_ONLY, NOTHING));
        e.put("cmi.learner_id", new Element(READ_ONLY, NOTHING));
        e.put("cmi.learner_name", new Element(READ_ONLY, NOTHING));
        e.put("cmi.learner_preference.audio_level", new Element(READ_WRITE, real("0", null)));
        e.put("cmi.learner_preference.language", new Element(READ_WRITE, ScormTypes.language()));
        e.put("cmi.learner_preference.delivery_speed", new Element(READ_WRITE, real("0", null)));
        e.put("cmi.learner_preference.audio_captioning", new Element(READ_WRITE, vocabulary("-1", "0", "1")));
        e.put("cmi.location", new Element(READ_WRITE, string(1000)));
        e.put("cmi.max_time_allowed", new Element(READ_ONLY, NOTHING));
        e.put("cmi.mode", new Element(READ_ONLY, NOTHING));
        e.put("cmi.objectives.n.id", new Element(READ_WRITE, ScormTypes.longIdentifier()));
        e.put("cmi.objectives.n.score.scaled", new Element(READ_WRITE, real("-1", "1")));
        e.put("cmi.objectives.n.score.raw", new Element(READ_WRITE, real()));
        e.put("cmi.objectives.n.score.min", new Element(READ_WRITE, real()));
        e.put("cmi.objectives.n.score.max", new Element(READ_WRITE, real()));
        e.put("cmi.objectives.n.success_status", new Element(READ_WRITE, SUCCESS));
        e.put("cmi.objectives.n.completion_status", new Element(READ_WRITE, COMPLETION));
        e.put("cmi.objectives.n.progress_measure", new Element(READ_WRITE, real("0", "1")));
        e.put("cmi.objectives.n.description", new Element(READ_WRITE, localizedString(250)));
        e.put("cmi.progress_measure", new Element(READ_WRITE, real("0", "1")));
        e.put("cmi.scaled_passing_score", new Element(READ_ONLY, NOTHING));
        e.put("cmi.score.scaled", new Element(READ_WRITE, real("-1", "1")));
        e.put("cmi.score.raw", new Element(READ_WRITE, real()));
        e.put("cmi.score.min", new Element(READ_WRITE, real()));
        e.put("cmi.score.max", new Element(READ_WRITE, real()));
        e.put("cmi.session_time", new Element(WRITE_ONLY, ScormTypes.timeInterval()));
        e.put("cmi.success_status", new Element(READ_WRITE, SUCCESS));
        e.put("cmi.suspend_data", new Element(READ_WRITE, string(64000)));
        e.put("cmi.time_limit_action", new Element(READ_ONLY, NOTHING));
        e.put("cmi.total_time", new Element(READ_ONLY, NOTHING));
        e.put("adl.nav.request", new Element(READ_WRITE, NOTHING));
        e.put("adl.nav.request_valid.continue", new Element(READ_ONLY, NOTHING));
        e.put("adl.nav.request_valid.previous", new Element(READ_ONLY, NOTHING));
        e.put("adl.data.n.id", new Element(READ_ONLY, NOTHING));
        e.put("adl.data.n.store", new Element(READ_WRITE, string(64000)));

        Map<String, String> children = new LinkedHashMap<>();
        children.put("cmi.comments_from_learner", "comment,location,timestamp");
        children.put("cmi.comments_from_lms", "comment,location,timestamp");
        children.put("cmi.interactions",
                "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description");
        children.put("cmi.learner_preference", "audio_level,language,delivery_speed,audio_captioning");
        children.put("cmi.objectives", "id,score,success_status,completion_status,progress_measure,description");
        children.put("cmi.objectives.n.score", "scaled,raw,min,max");
        children.put("cmi.score", "scaled,raw,min,max");
        children.put("adl.data", "id,store");

        Map<String, Array> arrays = new LinkedHashMap<>();
        arrays.put("cmi.comments_from_learner", new Array(250));
        arrays.put("cmi.comments_from_lms", new Array(0));
        arrays.put("cmi.interactions", new Array(500));
        arrays.put("cmi.interactions.n.objectives", new Array(50));
        arrays.put("cmi.interactions.n.correct_responses", new Array(36));
        arrays.put("cmi.objectives", new Array(250));
        arrays.put("adl.data", new Array(0));

        Map<Problem, Integer> codes = new EnumMap<>(Problem.class);
        codes.put(Problem.INIT_ARGUMENT, 201);
        codes.put(Problem.ALREADY_INITIALIZED, 103);
        codes.put(Problem.INIT_AFTER_TERMINATE, 104);
        codes.put(Problem.TERMINATE_BEFORE_INIT, 112);
        codes.put(Problem.TERMINATE_AFTER_TERMINATE, 113);
        codes.put(Problem.GET_BEFORE_INIT, 122);
        codes.put(Problem.GET_AFTER_TERMINATE, 123);
        codes.put(Problem.SET_BEFORE_INIT, 132);
        codes.put(Problem.SET_AFTER_TERMINATE, 133);
        codes.put(Problem.COMMIT_BEFORE_INIT, 142);
        codes.put(Problem.COMMIT_AFTER_TERMINATE, 143);
        codes.put(Problem.ARGUMENT, 201);
        codes.put(Problem.GET_EMPTY, 301);
        codes.put(Problem.SET_EMPTY, 351);
        codes.put(Problem.UNDEFINED, 401);
        codes.put(Problem.NO_CHILDREN, 301);
        codes.put(Problem.NO_COUNT, 301);
        codes.put(Problem.KEYWORD, 404);
        codes.put(Problem.READ_ONLY, 404);
        codes.put(Problem.WRITE_ONLY, 405);
        codes.put(Problem.TYPE, 406);
        codes.put(Problem.RANGE, 407);
        codes.put(Problem.DEPENDENCY, 408);
        codes.put(Problem.GET_INDEX, 301);
        codes.put(Problem.SET_INDEX, 351);
        codes.put(Problem.SET_GENERAL, 351);
        codes.put(Problem.NOT_INITIALIZED, 403);

        Map<Integer, String> strings = new LinkedHashMap<>();
        strings.put(0, "No Error");
        strings.put(101, "General Exception");
        strings.put(102, "General Initialization Failure");
        strings.put(103, "Already Initialized");
        strings.put(104, "Content Instance Terminated");
        strings.put(111, "General Termination Failure");
        strings.put(112, "Termination Before Initialization");
        strings.put(113, "Termination After Termination");
        strings.put(122, "Retrieve Data Before Initialization");
        strings.put(123, "Retrieve Data After Termination");
        strings.put(132, "Store Data Before Initialization");
        strings.put(133, "Store Data After Termination");
        strings.put(142, "Commit Before Initialization");
        strings.put(143, "Commit After Termination");
        strings.put(201, "General Argument Error");
        strings.put(301, "General Get Failure");
        strings.put(351, "General Set Failure");
        strings.put(391, "General Commit Failure");
        strings.put(401, "Undefined Data Model Element");
        strings.put(402, "Unimplemented Data Model Element");
        strings.put(403, "Data Model Element Value Not Initialized");
        strings.put(404, "Data Model Element Is Read Only");
        strings.put(405, "Data Model Element Is Write Only");
        strings.put(406, "Data Model Element Type Mismatch");
        strings.put(407, "Data Model Element Value Out Of Range");
        strings.put(408, "Data Model Dependency Not Established");
        return Model.of(e, children, arrays, codes, strings);
    }

    // ------------------------------------------------------------------ values the LMS gives

    @Override
    @Nullable
    protected String computed(Path path) {
        return switch (path.pattern()) {
            case "cmi._version" -> "1.0";
            case "cmi.completion_status" -> completionStatus();
            case "cmi.success_status" -> successStatus();
            case "cmi.completion_threshold" -> plain(launch.completionThreshold());
            case "cmi.scaled_passing_score" -> plain(launch.scaledPassingScore());
            case "cmi.credit" -> launch.review() ? "no-credit" : "credit";
            case "cmi.mode" -> launch.review() ? "review" : "normal";
            case "cmi.entry" -> s.entry;
            case "cmi.launch_data" -> launch.dataFromLms();
            case "cmi.learner_id" -> launch.learnerId();
            case "cmi.learner_name" -> launch.learnerName();
            case "cmi.max_time_allowed" -> blankToNull(launch.maxTimeAllowed());
            case "cmi.time_limit_action" -> launch.timeLimitAction() == null || launch.timeLimitAction().isBlank()
                    ? "continue,no message" : launch.timeLimitAction();
            case "cmi.total_time" -> ScormTypes.formatDuration(s.totalHundredths);
            case "cmi.learner_preference.audio_level", "cmi.learner_preference.delivery_speed" ->
                    s.data.getOrDefault(path.name(), "1");
            case "cmi.learner_preference.language" -> s.data.getOrDefault(path.name(), "");
            case "cmi.learner_preference.audio_captioning" -> s.data.getOrDefault(path.name(), "0");
            case "adl.nav.request" -> s.data.getOrDefault(path.name(), "_none_");
            // An objective's statuses are "unknown" until set, like the SCO's own.
            case "cmi.objectives.n.success_status", "cmi.objectives.n.completion_status" ->
                    s.data.getOrDefault(path.name(), "unknown");
            case "adl.nav.request_valid.continue" -> Boolean.toString(navigation().continueValid());
            case "adl.nav.request_valid.previous" -> Boolean.toString(navigation().previousValid());
            default -> null;
        };
    }

    @Nullable
    private static String plain(@Nullable BigDecimal value) {
        return value == null ? null : ScormTypes.plain(value);
    }

    @Nullable
    private static String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static final String CHOICE_VALID = "adl.nav.request_valid.choice.";
    private static final String JUMP_VALID = "adl.nav.request_valid.jump.";

    @Override
    protected boolean isSpecial(String element) {
        return element.startsWith(CHOICE_VALID) || element.startsWith(JUMP_VALID);
    }

    /** adl.nav.request_valid.choice.{target=ID}: whether the LMS would follow a choice of that item now. */
    @Override
    @Nullable
    protected String specialGet(String element) {
        boolean jump = element.startsWith(JUMP_VALID);
        if (jump && launch.version() != ScormVersion.SCORM_2004_4) {
            return null;
        }
        String target = target(element.substring(jump ? JUMP_VALID.length() : CHOICE_VALID.length()));
        if (target == null) {
            return null;
        }
        // A jump is a choice the sequencing rules do not check; the player offers the same targets for both.
        return Boolean.toString(navigation().choiceTargets().contains(target));
    }

    private ScoLaunch.Navigation navigation() {
        return launch.navigation() == null ? ScoLaunch.Navigation.NONE : launch.navigation();
    }

    /** The ID of "{target=ID}", or null. */
    @Nullable
    private static String target(String braces) {
        if (!braces.startsWith("{target=") || !braces.endsWith("}")) {
            return null;
        }
        String id = braces.substring("{target=".length(), braces.length() - 1);
        return ScormTypes.isIdentifier(id, 4000) ? id : null;
    }

    // ------------------------------------------------------------------ rules for values set

    @Override
    @Nullable
    protected Refusal dependencies(Path path, String value) {
        String pattern = path.pattern();
        if (pattern.startsWith("cmi.interactions.n.") && !pattern.equals("cmi.interactions.n.id")
                && path.levels().get(0).index() >= s.count("cmi.interactions")) {
            return Refusal.dependency("Set cmi.interactions." + path.levels().get(0).index()
                    + ".id first: an interaction begins with its id.");
        }
        if (pattern.startsWith("cmi.objectives.n.") && !pattern.equals("cmi.objectives.n.id")
                && path.levels().get(0).index() >= s.count("cmi.objectives")) {
            return Refusal.dependency("Set cmi.objectives." + path.levels().get(0).index()
                    + ".id first: an objective begins with its id.");
        }
        if (pattern.equals("cmi.interactions.n.learner_response")
                || pattern.equals("cmi.interactions.n.correct_responses.n.pattern")) {
            if (interactionType(path) == null) {
                return Refusal.dependency("Set cmi.interactions." + path.levels().get(0).index()
                        + ".type first: the response's format depends on it.");
            }
        }
        return null;
    }

    @Nullable
    private String interactionType(Path path) {
        return s.data.get("cmi.interactions." + path.levels().get(0).index() + ".type");
    }

    @Override
    @Nullable
    protected Refusal rules(Path path, String value) {
        switch (path.pattern()) {
            case "cmi.objectives.n.id" -> {
                int n = path.levels().get(0).index();
                String current = s.data.get(path.name());
                if (current != null && !current.equals(value)) {
                    return Refusal.general("An objective's id is set once: cmi.objectives." + n + ".id is '"
                            + ScormTypes.clip(current) + "'.");
                }
                for (int i = 0; i < s.count("cmi.objectives"); i++) {
                    if (i != n && value.equals(s.data.get("cmi.objectives." + i + ".id"))) {
                        return Refusal.general("Objective ids are unique: cmi.objectives." + i + ".id is already '"
                                + ScormTypes.clip(value) + "'.");
                    }
                }
            }
            case "cmi.interactions.n.objectives.n.id" -> {
                String array = path.levels().get(1).arrayKey();
                int m = path.levels().get(1).index();
                for (int i = 0; i < s.count(array); i++) {
                    if (i != m && value.equals(s.data.get(array + "." + i + ".id"))) {
                        return Refusal.general("The interaction already refers to objective '"
                                + ScormTypes.clip(value) + "'.");
                    }
                }
            }
            case "cmi.interactions.n.learner_response" -> {
                return InteractionResponses.learnerResponse(interactionType(path), value);
            }
            case "cmi.interactions.n.correct_responses.n.pattern" -> {
                String type = interactionType(path);
                Level level = path.levels().get(1);
                if (level.index() >= InteractionResponses.maxPatterns(type)) {
                    return Refusal.general("A " + type + " interaction has at most "
                            + InteractionResponses.maxPatterns(type) + " correct response pattern.");
                }
                Refusal refusal = InteractionResponses.pattern(type, value);
                if (refusal != null) {
                    return refusal;
                }
                for (int i = 0; i < s.count(level.arrayKey()); i++) {
                    if (i != level.index() && value.equals(s.data.get(level.arrayKey() + "." + i + ".pattern"))) {
                        return Refusal.general("The pattern is already correct_responses." + i + ".");
                    }
                }
            }
            case "adl.nav.request" -> {
                return navRequest(value);
            }
            default -> {
                return null;
            }
        }
        return null;
    }

    private Refusal navRequest(String value) {
        switch (value) {
            case "continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_" -> {
                return null;
            }
            default -> {
                boolean choice = value.endsWith("}choice");
                boolean jump = value.endsWith("}jump") && launch.version() == ScormVersion.SCORM_2004_4;
                if ((choice || jump) && target(value.substring(0, value.lastIndexOf('}') + 1)) != null) {
                    return null;
                }
                return Refusal.type("'" + ScormTypes.clip(value) + "' is not a navigation request (continue, previous,"
                        + " {target=ID}choice, exit, exitAll, abandon, abandonAll, suspendAll, _none_).");
            }
        }
    }

    // ------------------------------------------------------------------ terminate and outcome

    @Override
    protected void onTerminate() {
        String session = s.data.get("cmi.session_time");
        if (session != null) {
            s.totalHundredths = Math.min(ScormRuntimes.MAX_TOTAL_HUNDREDTHS,
                    s.totalHundredths + ScormTypes.parseDuration(session));
        }
        s.suspended = "suspend".equals(s.data.get("cmi.exit")) || "suspendAll".equals(s.data.get("adl.nav.request"));
    }

    /**
     * cmi.completion_status as the LMS reports it (RTE 4.2.4.1): with a completion threshold and a progress measure, the
     * comparison decides. With a threshold but no measure the 4th edition answers "unknown"; the 2nd and 3rd let the
     * SCO's own value stand ("if a completion_threshold is defined and a progress_measure is reported ... override").
     */
    String completionStatus() {
        BigDecimal threshold = launch.completionThreshold();
        if (threshold != null) {
            String measure = value("cmi.progress_measure");
            if (measure != null) {
                return new BigDecimal(measure).compareTo(threshold) >= 0 ? "completed" : "incomplete";
            }
            if (launch.version() == ScormVersion.SCORM_2004_4) {
                return "unknown";
            }
        }
        return s.data.getOrDefault("cmi.completion_status", "unknown");
    }

    /** cmi.success_status as the LMS reports it (RTE 4.2.22): the same rule with score.scaled and scaled_passing_score. */
    String successStatus() {
        BigDecimal passing = launch.scaledPassingScore();
        if (passing != null) {
            String scaled = value("cmi.score.scaled");
            if (scaled != null) {
                return new BigDecimal(scaled).compareTo(passing) >= 0 ? "passed" : "failed";
            }
            if (launch.version() == ScormVersion.SCORM_2004_4) {
                return "unknown";
            }
        }
        return s.data.getOrDefault("cmi.success_status", "unknown");
    }

    @Override
    public ScoOutcome outcome() {
        ScoOutcome.Completion completion = switch (completionStatus()) {
            case "completed" -> ScoOutcome.Completion.COMPLETED;
            case "incomplete" -> ScoOutcome.Completion.INCOMPLETE;
            case "not attempted" -> ScoOutcome.Completion.NOT_ATTEMPTED;
            default -> s.everInitialized ? ScoOutcome.Completion.UNKNOWN : ScoOutcome.Completion.NOT_ATTEMPTED;
        };
        ScoOutcome.Success success = switch (successStatus()) {
            case "passed" -> ScoOutcome.Success.PASSED;
            case "failed" -> ScoOutcome.Success.FAILED;
            default -> ScoOutcome.Success.UNKNOWN;
        };
        String nav = s.data.get("adl.nav.request");
        return new ScoOutcome(completion, success, scaledScore(), Duration.ofMillis(s.totalHundredths * 10),
                s.data.get("cmi.location"), ScormRuntimes.suspended(s), nav == null || nav.equals("_none_") ? null : nav,
                s.phase == RuntimeState.Phase.TERMINATED);
    }

    /** cmi.score.scaled; when the SCO gave only raw and max, raw scaled between min (default 0) and max. */
    @Nullable
    private BigDecimal scaledScore() {
        String scaled = value("cmi.score.scaled");
        if (scaled != null) {
            // As DECIMAL(10,7) keeps it: a SCO may send more decimals than real(10,7) asks for.
            return new BigDecimal(scaled).setScale(7, RoundingMode.HALF_UP).stripTrailingZeros();
        }
        String raw = value("cmi.score.raw");
        String max = value("cmi.score.max");
        if (raw == null || max == null) {
            return null;
        }
        BigDecimal min = value("cmi.score.min") == null ? BigDecimal.ZERO : new BigDecimal(value("cmi.score.min"));
        BigDecimal span = new BigDecimal(max).subtract(min);
        if (span.signum() <= 0) {
            return null;
        }
        BigDecimal result = new BigDecimal(raw).subtract(min).divide(span, 7, RoundingMode.HALF_UP);
        return result.max(BigDecimal.ONE.negate()).min(BigDecimal.ONE).stripTrailingZeros();
    }
}
