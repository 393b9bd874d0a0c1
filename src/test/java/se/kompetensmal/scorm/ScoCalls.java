package se.kompetensmal.scorm;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A SCO's calls the way the server makes them: every call on a runtime restored from the state the previous call left
 * (one HTTP request per call), and the state checked to survive stateJson() → resume() unchanged.
 */
final class ScoCalls {

    private final ScoLaunch launch;
    private String state;
    private int lastError;

    private ScoCalls(ScoLaunch launch, String state) {
        this.launch = launch;
        this.state = state;
    }

    /** A new launch after the given state (null: the first). */
    static ScoCalls launch(ScoLaunch launch, String previousState) {
        return new ScoCalls(launch, ScormRuntimes.begin(launch, previousState).stateJson());
    }

    static ScoLaunch scorm12() {
        return scorm12(null);
    }

    static ScoLaunch scorm12(BigDecimal mastery) {
        return new ScoLaunch(ScormVersion.SCORM_12, "p-17", "Andersson, Anna", "chapter=2", mastery, null, null,
                "00:30:00", "continue,no message", List.of(), false, ScoLaunch.Navigation.NONE);
    }

    static ScoLaunch scorm2004(ScormVersion version) {
        return scorm2004(version, null, null, List.of());
    }

    static ScoLaunch scorm2004(ScormVersion version, BigDecimal scaledPassing, BigDecimal threshold,
                               List<String> objectives) {
        return new ScoLaunch(version, "p-17", "Andersson, Anna", null, null, scaledPassing, threshold, null, null,
                objectives, false, new ScoLaunch.Navigation(true, false, List.of("intro", "quiz")));
    }

    static ScoLaunch review(ScoLaunch l) {
        return new ScoLaunch(l.version(), l.learnerId(), l.learnerName(), l.dataFromLms(), l.masteryScore(),
                l.scaledPassingScore(), l.completionThreshold(), l.maxTimeAllowed(), l.timeLimitAction(),
                l.objectiveIds(), true, l.navigation());
    }

    private ScoRuntime runtime() {
        ScoRuntime runtime = ScormRuntimes.resume(launch, state);
        assertEquals(state, runtime.stateJson(), "the state survives stateJson() → resume()");
        return runtime;
    }

    private <T> T call(java.util.function.Function<ScoRuntime, T> call) {
        ScoRuntime runtime = runtime();
        T answer = call.apply(runtime);
        lastError = runtime.lastError();
        state = runtime.stateJson();
        return answer;
    }

    String initialize() {
        return call(r -> r.initialize(""));
    }

    String initialize(String parameter) {
        return call(r -> r.initialize(parameter));
    }

    String terminate() {
        return call(r -> r.terminate(""));
    }

    String terminate(String parameter) {
        return call(r -> r.terminate(parameter));
    }

    String commit() {
        return call(r -> r.commit(""));
    }

    String commit(String parameter) {
        return call(r -> r.commit(parameter));
    }

    String get(String element) {
        return call(r -> r.getValue(element));
    }

    String set(String element, String value) {
        return call(r -> r.setValue(element, value));
    }

    /** The value, asserting that the read succeeded. */
    String read(String element) {
        String value = get(element);
        assertEquals(0, lastError, () -> "reading " + element + ": " + diagnostic());
        return value;
    }

    /** Sets and asserts success. */
    void write(String element, String value) {
        assertEquals("true", set(element, value), () -> element + "=" + value + ": " + lastError + " " + diagnostic());
    }

    /** Sets and asserts the refusal's error code. */
    void refused(String element, String value, int code) {
        assertEquals("false", set(element, value), () -> element + "=" + value + " should fail");
        assertEquals(code, lastError, () -> element + "=" + value + ": " + diagnostic());
    }

    /** Reads and asserts the error code with "" answered. */
    void unreadable(String element, int code) {
        assertEquals("", get(element), element);
        assertEquals(code, lastError, () -> element + ": " + diagnostic());
    }

    int error() {
        return lastError;
    }

    String diagnostic() {
        return runtime().lastDiagnostic();
    }

    ScoOutcome outcome() {
        return runtime().outcome();
    }

    boolean running() {
        return runtime().running();
    }

    String state() {
        return state;
    }

    ScoRuntime current() {
        return runtime();
    }
}
