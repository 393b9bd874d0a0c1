package se.kompetensmal.scorm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ScormRuntimes.begin/resume: entry, exit and resume between sessions, and the state kept between calls. */
class ScormRuntimesTest {

    private static final ScoLaunch SCORM_2004 = ScoCalls.scorm2004(ScormVersion.SCORM_2004_4, null, null,
            List.of("primary"));
    private static final ScoLaunch SCORM_12 = ScoCalls.scorm12();

    /** A 2004 session that left a bookmark, suspend data, an interaction and 10 minutes, then exited as given. */
    private static String session2004(String exit, boolean terminate) {
        ScoCalls sco = ScoCalls.launch(SCORM_2004, null);
        sco.initialize();
        sco.write("cmi.location", "slide-7");
        sco.write("cmi.suspend_data", "{\"answers\":[1,2]}");
        sco.write("cmi.interactions.0.id", "q1");
        sco.write("cmi.completion_status", "incomplete");
        sco.write("cmi.session_time", "PT10M");
        if (exit != null) {
            sco.write("cmi.exit", exit);
        }
        if (terminate) {
            sco.terminate();
        }
        return sco.state();
    }

    @Test
    void theFirstLaunchIsAbInitio() {
        ScoCalls sco = ScoCalls.launch(SCORM_2004, null);
        assertFalse(sco.running());
        ScoOutcome outcome = sco.outcome();
        assertEquals(ScoOutcome.Completion.NOT_ATTEMPTED, outcome.completion());
        assertFalse(outcome.suspended());
        assertFalse(outcome.terminated());
        sco.initialize();
        assertEquals("ab-initio", sco.read("cmi.entry"));

        ScoCalls sco12 = ScoCalls.launch(SCORM_12, null);
        sco12.initialize();
        assertEquals("ab-initio", sco12.read("cmi.core.entry"));
    }

    @Test
    void aSuspended2004SessionResumesWithItsData() {
        String state = session2004("suspend", true);
        ScoCalls sco = ScoCalls.launch(SCORM_2004, state);
        assertTrue(sco.outcome().suspended());
        sco.initialize();
        assertEquals("resume", sco.read("cmi.entry"));
        assertEquals("slide-7", sco.read("cmi.location"));
        assertEquals("{\"answers\":[1,2]}", sco.read("cmi.suspend_data"));
        assertEquals("1", sco.read("cmi.interactions._count"));
        assertEquals("incomplete", sco.read("cmi.completion_status"));
        assertEquals("PT0H10M0S", sco.read("cmi.total_time"));
        assertEquals("_none_", sco.read("adl.nav.request"), "the request was the last session's");
        sco.terminate();
        assertFalse(sco.outcome().suspended(), "this session did not suspend");
        assertEquals(600_000, sco.outcome().totalTime().toMillis(), "no session time this time");
    }

    @Test
    void a2004SessionThatEndedNormallyStartsANewAttempt() {
        for (String exit : new String[]{"normal", "", null, "logout", "time-out"}) {
            ScoCalls sco = ScoCalls.launch(SCORM_2004, session2004(exit, true));
            assertFalse(sco.outcome().suspended());
            sco.initialize();
            assertEquals("ab-initio", sco.read("cmi.entry"), "exit " + exit);
            sco.unreadable("cmi.location", 403);
            sco.unreadable("cmi.suspend_data", 403);
            assertEquals("0", sco.read("cmi.interactions._count"));
            assertEquals("1", sco.read("cmi.objectives._count"), "the manifest's objectives again");
            assertEquals("primary", sco.read("cmi.objectives.0.id"));
            assertEquals("unknown", sco.read("cmi.completion_status"));
            assertEquals("PT0H0M0S", sco.read("cmi.total_time"));
        }
    }

    @Test
    void suspendAllSuspendsToo() {
        ScoCalls sco = ScoCalls.launch(SCORM_2004, null);
        sco.initialize();
        sco.write("cmi.location", "p2");
        sco.write("adl.nav.request", "suspendAll");
        sco.terminate();
        assertTrue(sco.outcome().suspended());
        assertEquals("suspendAll", sco.outcome().navRequest());
        ScoCalls next = ScoCalls.launch(SCORM_2004, sco.state());
        next.initialize();
        assertEquals("resume", next.read("cmi.entry"));
        assertEquals("p2", next.read("cmi.location"));
    }

    @Test
    void aSessionNeverTerminatedResumesAndCountsItsTime() {
        String state = session2004("normal", false);
        ScoRuntime left = ScormRuntimes.resume(SCORM_2004, state);
        assertTrue(left.running());
        assertTrue(left.outcome().suspended(), "a session under way resumes if the browser closes");
        ScoCalls sco = ScoCalls.launch(SCORM_2004, state);
        sco.initialize();
        assertEquals("resume", sco.read("cmi.entry"));
        assertEquals("slide-7", sco.read("cmi.location"));
        assertEquals("PT0H10M0S", sco.read("cmi.total_time"), "the last session time set counts");

        ScoCalls sco12 = ScoCalls.launch(SCORM_12, null);
        sco12.initialize();
        sco12.write("cmi.core.lesson_location", "5");
        sco12.write("cmi.core.session_time", "00:05:00");
        ScoCalls next12 = ScoCalls.launch(SCORM_12, sco12.state());
        next12.initialize();
        assertEquals("resume", next12.read("cmi.core.entry"));
        assertEquals("5", next12.read("cmi.core.lesson_location"));
        assertEquals("0000:05:00.00", next12.read("cmi.core.total_time"));
    }

    @Test
    void aLaunchThatNeverInitialisedChangesNothing() {
        String suspended = session2004("suspend", true);
        ScoCalls first = ScoCalls.launch(SCORM_2004, suspended);
        ScoCalls second = ScoCalls.launch(SCORM_2004, first.state());
        second.initialize();
        assertEquals("resume", second.read("cmi.entry"));
        assertEquals("slide-7", second.read("cmi.location"));
    }

    @Test
    void scorm12KeepsItsDataBetweenSessions() {
        ScoCalls sco = ScoCalls.launch(SCORM_12, null);
        sco.initialize();
        sco.write("cmi.core.lesson_location", "page-4");
        sco.write("cmi.core.lesson_status", "incomplete");
        sco.write("cmi.suspend_data", "abc");
        sco.write("cmi.core.exit", "suspend");
        sco.terminate();
        assertTrue(sco.outcome().suspended());
        assertEquals("page-4", sco.outcome().location());

        ScoCalls resumed = ScoCalls.launch(SCORM_12, sco.state());
        resumed.initialize();
        assertEquals("resume", resumed.read("cmi.core.entry"));
        assertEquals("page-4", resumed.read("cmi.core.lesson_location"));
        assertEquals("abc", resumed.read("cmi.suspend_data"));
        resumed.write("cmi.core.exit", "");
        resumed.terminate();
        assertFalse(resumed.outcome().suspended());

        ScoCalls again = ScoCalls.launch(SCORM_12, resumed.state());
        again.initialize();
        assertEquals("", again.read("cmi.core.entry"), "1.2 after a normal exit: entry empty, data kept");
        assertEquals("page-4", again.read("cmi.core.lesson_location"));
        assertEquals("incomplete", again.read("cmi.core.lesson_status"));
    }

    @Test
    void reviewShowsTheDataAsTheLearnerLeftIt() {
        String ended = session2004("normal", true);
        ScoCalls review = ScoCalls.launch(ScoCalls.review(SCORM_2004), ended);
        review.initialize();
        assertEquals("", review.read("cmi.entry"));
        assertEquals("review", review.read("cmi.mode"));
        assertEquals("slide-7", review.read("cmi.location"));
        assertEquals("PT0H10M0S", review.read("cmi.total_time"));
    }

    @Test
    void theStateSurvivesAnyTextExactly() {
        ScoCalls sco = ScoCalls.launch(SCORM_2004, null);
        sco.initialize();
        String text = "<script>alert('x')</script> \"citat\" \\ \u2028 \u00e5\u00e4\u00f6 \ud83d\ude00 \u0000 & =";
        sco.write("cmi.suspend_data", text);
        sco.write("cmi.location", "{\"a\":1}");
        String state = sco.state();
        ScoRuntime restored = ScormRuntimes.resume(SCORM_2004, state);
        assertEquals(state, restored.stateJson());
        assertEquals(text, restored.getValue("cmi.suspend_data"));
        ScoCalls next = ScoCalls.launch(SCORM_2004, state);
        next.initialize();
        assertEquals(text, next.read("cmi.suspend_data"));
    }

    @Test
    void aStateOfTheOtherEditionOrNoStateIsRefused() {
        String state2004 = session2004("suspend", true);
        assertThrows(IllegalArgumentException.class, () -> ScormRuntimes.resume(SCORM_12, state2004));
        assertThrows(IllegalArgumentException.class, () -> ScormRuntimes.begin(SCORM_12, state2004));
        assertThrows(IllegalArgumentException.class, () -> ScormRuntimes.resume(SCORM_2004, "not json"));
        assertThrows(IllegalArgumentException.class, () -> ScormRuntimes.resume(SCORM_2004, "{}"));
        // The 2004 editions share their state: a package's next version may change edition.
        ScormRuntimes.resume(ScoCalls.scorm2004(ScormVersion.SCORM_2004_2), state2004);
    }

    @Test
    void noCallThrowsWhateverTheScoSends() {
        for (ScoLaunch launch : List.of(SCORM_12, SCORM_2004)) {
            ScoRuntime runtime = ScormRuntimes.begin(launch, null);
            runtime.initialize(null);
            for (String element : new String[]{null, "", ".", "cmi.", ".cmi", "cmi..x", "cmi.interactions.-1.id",
                    "cmi.interactions.99999999999.id", "cmi.interactions.01.id", "cmi.objectives.0.score.scaled._count",
                    "adl.nav.request_valid.choice.{target=", "adl.nav.request_valid.choice.", "x".repeat(10_000),
                    "cmi.interactions._count._count", "_children", "cmi._children._children"}) {
                runtime.getValue(element);
                runtime.setValue(element, null);
                runtime.setValue(element, "x");
                assertTrue(runtime.lastError() > 0, element);
            }
            runtime.setValue("cmi.interactions.0.id", null);
            runtime.commit(null);
            runtime.terminate(null);
            runtime.terminate(null);
            runtime.commit(null);
        }
    }

    @Test
    void theErrorTablesAreAvailableWithoutARuntime() {
        assertEquals("Not initialized", ScormRuntimes.errorStrings(ScormVersion.SCORM_12).get(301));
        assertEquals("General Get Failure", ScormRuntimes.errorStrings(ScormVersion.SCORM_2004_3).get(301));
        assertEquals(ScormRuntimes.begin(SCORM_2004, null).errorStrings(),
                ScormRuntimes.errorStrings(ScormVersion.SCORM_2004_4));
    }

    /** A quiz SCO as authoring tools write them: two sessions, bookmark, interactions, score and status. */
    @Test
    void aTypicalQuizScoFromStartToPassed() {
        ScoLaunch launch = ScoCalls.scorm2004(ScormVersion.SCORM_2004_3, new java.math.BigDecimal("0.8"), null,
                List.of("quiz_objective"));
        ScoCalls first = ScoCalls.launch(launch, null);
        first.initialize();
        assertEquals("ab-initio", first.read("cmi.entry"));
        first.get("cmi.location");
        first.get("cmi.suspend_data");
        first.write("cmi.completion_status", "incomplete");
        first.write("cmi.location", "slide_3");
        first.write("cmi.suspend_data", "2a1b3c");
        first.write("cmi.exit", "suspend");
        first.write("cmi.session_time", "PT4M12.3S");
        first.commit();
        ScoOutcome midway = first.outcome();
        assertEquals(ScoOutcome.Completion.INCOMPLETE, midway.completion());
        assertTrue(midway.suspended());
        assertFalse(midway.terminated());
        first.terminate();

        ScoCalls second = ScoCalls.launch(launch, first.state());
        second.initialize();
        assertEquals("resume", second.read("cmi.entry"));
        assertEquals("slide_3", second.read("cmi.location"));
        second.write("cmi.interactions.0.id", "Question1_1");
        second.write("cmi.interactions.0.type", "choice");
        second.write("cmi.interactions.0.objectives.0.id", "quiz_objective");
        second.write("cmi.interactions.0.correct_responses.0.pattern", "Paris");
        second.write("cmi.interactions.0.learner_response", "Paris");
        second.write("cmi.interactions.0.result", "correct");
        second.write("cmi.interactions.0.latency", "PT8S");
        second.write("cmi.interactions.0.timestamp", "2026-12-02T09:15:00");
        second.write("cmi.score.raw", "90");
        second.write("cmi.score.min", "0");
        second.write("cmi.score.max", "100");
        second.write("cmi.score.scaled", "0.9");
        second.write("cmi.objectives.0.score.scaled", "0.9");
        second.write("cmi.objectives.0.success_status", "passed");
        second.write("cmi.completion_status", "completed");
        second.write("cmi.exit", "normal");
        second.write("cmi.session_time", "PT2M");
        second.write("adl.nav.request", "continue");
        second.terminate();
        second.terminate();
        second.commit();
        ScoOutcome done = second.outcome();
        assertEquals(ScoOutcome.Completion.COMPLETED, done.completion());
        assertEquals(ScoOutcome.Success.PASSED, done.success());
        assertEquals(0, new java.math.BigDecimal("0.9").compareTo(done.scaledScore()));
        assertEquals(372_300, done.totalTime().toMillis());
        assertEquals("slide_3", done.location());
        assertFalse(done.suspended());
        assertEquals("continue", done.navRequest());
        assertTrue(done.terminated());
    }

    /** Random element names and values built from the data model's own parts: every call answers, none throws. */
    @Test
    void randomCallsNeverThrowAndTheStateStaysReadable() {
        String[] parts = {"cmi", "adl", "nav", "request", "core", "interactions", "objectives", "0", "1", "2", "id",
                "type", "learner_response", "student_response", "correct_responses", "pattern", "score", "scaled", "raw",
                "_count", "_children", "_version", "status", "result", "comments_from_learner", "comment", "data",
                "store", "exit", "session_time", "suspend_data", "location", "lesson_status", "completion_status"};
        String[] values = {"", "0", "1", "-1", "0.5", "true", "choice", "true-false", "numeric", "other", "fill-in",
                "a[,]b", "a[.]b", "1[:]2", "{lang=sv}x", "PT1S", "00:00:01", "suspend", "completed", "passed", "q1",
                "{target=quiz}choice", "x y", "\u0000", "999999999999999999999"};
        java.util.Random random = new java.util.Random(18);
        for (ScoLaunch launch : List.of(SCORM_12, SCORM_2004, ScoCalls.scorm2004(ScormVersion.SCORM_2004_2))) {
            ScoRuntime runtime = ScormRuntimes.begin(launch, null);
            runtime.initialize("");
            for (int i = 0; i < 20_000; i++) {
                StringBuilder element = new StringBuilder(parts[random.nextInt(2)]);
                for (int n = random.nextInt(5); n >= 0; n--) {
                    element.append('.').append(parts[random.nextInt(parts.length)]);
                }
                String value = values[random.nextInt(values.length)];
                if (random.nextBoolean()) {
                    runtime.setValue(element.toString(), value);
                } else {
                    runtime.getValue(element.toString());
                }
                runtime.errorString(runtime.lastError());
            }
            runtime.outcome();
            String state = runtime.stateJson();
            assertEquals(state, ScormRuntimes.resume(launch, state).stateJson());
            assertEquals("true", runtime.terminate(""));
            ScormRuntimes.begin(launch, runtime.stateJson()).outcome();
        }
    }
}
