package se.kompetensmal.scorm;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCORM 1.2 RTE: LMS* state machine, cmi data model, CMI types, arrays, lesson_status and mastery score. */
class Scorm12RuntimeTest {

    private static ScoCalls started() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm12(), null);
        assertEquals("true", sco.initialize());
        return sco;
    }

    @Test
    void theStateMachineAnswersWithThe12Codes() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm12(), null);
        sco.unreadable("cmi.core.lesson_location", 301);
        sco.refused("cmi.core.lesson_location", "p1", 301);
        assertEquals("false", sco.commit());
        assertEquals(301, sco.error());
        assertEquals("false", sco.terminate());
        assertEquals(301, sco.error());
        assertEquals("false", sco.initialize("x"));
        assertEquals(201, sco.error());

        assertEquals("true", sco.initialize());
        assertEquals("false", sco.initialize());
        assertEquals(101, sco.error());
        assertEquals("false", sco.commit("x"));
        assertEquals(201, sco.error());
        assertEquals("true", sco.commit());
        assertEquals("false", sco.terminate("x"));
        assertEquals(201, sco.error());
        assertTrue(sco.running());

        assertEquals("true", sco.terminate());
        assertFalse(sco.running());
        assertEquals("false", sco.terminate(), "LMSFinish twice: refused, nothing changes");
        assertEquals(101, sco.error());
        assertEquals("false", sco.commit(), "LMSCommit after LMSFinish");
        assertEquals(101, sco.error());
        sco.unreadable("cmi.core.lesson_status", 101);
        sco.refused("cmi.core.lesson_location", "p1", 101);
        assertEquals("false", sco.initialize());
        assertEquals(101, sco.error());
    }

    @Test
    void errorStringsAreThe12Table() {
        ScoRuntime runtime = started().current();
        assertEquals("No error", runtime.errorString(0));
        assertEquals("General exception", runtime.errorString(101));
        assertEquals("Invalid argument error", runtime.errorString(201));
        assertEquals("Element cannot have children", runtime.errorString(202));
        assertEquals("Element not an array - cannot have count", runtime.errorString(203));
        assertEquals("Not initialized", runtime.errorString(301));
        assertEquals("Not implemented error", runtime.errorString(401));
        assertEquals("Invalid set value, element is a keyword", runtime.errorString(402));
        assertEquals("Element is read only", runtime.errorString(403));
        assertEquals("Element is write only", runtime.errorString(404));
        assertEquals("Incorrect data type", runtime.errorString(405));
        assertEquals("", runtime.errorString(122));
        assertEquals(11, runtime.errorStrings().size());
    }

    @Test
    void readOnlyValuesComeFromTheLaunch() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm12(new BigDecimal("80.00")), null);
        sco.initialize();
        assertEquals("3.4", sco.read("cmi._version"));
        assertEquals("p-17", sco.read("cmi.core.student_id"));
        assertEquals("Andersson, Anna", sco.read("cmi.core.student_name"));
        assertEquals("credit", sco.read("cmi.core.credit"));
        assertEquals("normal", sco.read("cmi.core.lesson_mode"));
        assertEquals("ab-initio", sco.read("cmi.core.entry"));
        assertEquals("not attempted", sco.read("cmi.core.lesson_status"));
        assertEquals("0000:00:00.00", sco.read("cmi.core.total_time"));
        assertEquals("chapter=2", sco.read("cmi.launch_data"));
        assertEquals("80", sco.read("cmi.student_data.mastery_score"));
        assertEquals("00:30:00", sco.read("cmi.student_data.max_time_allowed"));
        assertEquals("continue,no message", sco.read("cmi.student_data.time_limit_action"));
        assertEquals("", sco.read("cmi.comments_from_lms"));
        sco.refused("cmi._version", "4.0", 402);
        for (String readOnly : List.of("cmi.core.student_id", "cmi.core.student_name",
                "cmi.core.credit", "cmi.core.entry", "cmi.core.total_time", "cmi.core.lesson_mode", "cmi.launch_data",
                "cmi.comments_from_lms", "cmi.student_data.mastery_score", "cmi.student_data.max_time_allowed",
                "cmi.student_data.time_limit_action")) {
            sco.refused(readOnly, "x", 403);
        }
        sco.unreadable("cmi.core.exit", 404);
        sco.unreadable("cmi.core.session_time", 404);
    }

    @Test
    void unsetValuesReadAsEmptyWithoutError() {
        ScoCalls sco = started();
        assertEquals("", sco.read("cmi.core.lesson_location"));
        assertEquals("", sco.read("cmi.suspend_data"));
        assertEquals("", sco.read("cmi.core.score.raw"));
        assertEquals("", sco.read("cmi.comments"));
        assertEquals("0", sco.read("cmi.student_preference.audio"));
        assertEquals("", sco.read("cmi.student_preference.language"));
        assertEquals("0", sco.read("cmi.student_preference.speed"));
        assertEquals("0", sco.read("cmi.student_preference.text"));
        assertEquals("", sco.read("cmi.student_data.mastery_score"), "no mastery score in the manifest");
    }

    @Test
    void keywordsAndUnknownElements() {
        ScoCalls sco = started();
        assertEquals("student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,"
                + "exit,session_time", sco.read("cmi.core._children"));
        assertEquals("raw,min,max", sco.read("cmi.core.score._children"));
        assertEquals("id,score,status", sco.read("cmi.objectives._children"));
        assertEquals("mastery_score,max_time_allowed,time_limit_action", sco.read("cmi.student_data._children"));
        assertEquals("audio,language,speed,text", sco.read("cmi.student_preference._children"));
        assertEquals("id,objectives,time,type,correct_responses,weighting,student_response,result,latency",
                sco.read("cmi.interactions._children"));
        assertEquals("0", sco.read("cmi.objectives._count"));
        assertEquals("0", sco.read("cmi.interactions._count"));
        sco.unreadable("cmi.core.lesson_location._children", 202);
        sco.unreadable("cmi.core._count", 203);
        sco.refused("cmi.core._children", "x", 402);
        sco.refused("cmi.objectives._count", "1", 402);
        sco.unreadable("cmi.core.nothing", 201);
        sco.refused("cmi.completion_status", "completed", 201);
        sco.unreadable("", 201);
    }

    @Test
    void typesOfTheCoreElements() {
        ScoCalls sco = started();
        sco.write("cmi.core.lesson_location", "x".repeat(255));
        sco.refused("cmi.core.lesson_location", "x".repeat(256), 405);
        sco.refused("cmi.core.lesson_status", "not attempted", 405);
        sco.refused("cmi.core.lesson_status", "complete", 405);
        for (String status : List.of("passed", "completed", "failed", "incomplete", "browsed")) {
            sco.write("cmi.core.lesson_status", status);
        }
        sco.write("cmi.core.score.raw", "85.5");
        sco.write("cmi.core.score.raw", "");
        sco.refused("cmi.core.score.raw", "101", 405);
        sco.refused("cmi.core.score.raw", "-1", 405);
        sco.refused("cmi.core.score.raw", "8O", 405);
        sco.write("cmi.core.score.min", "0");
        sco.write("cmi.core.score.max", "100");
        sco.write("cmi.core.session_time", "0001:02:03.5");
        sco.write("cmi.core.session_time", "00:00:07");
        sco.refused("cmi.core.session_time", "PT1H", 405);
        sco.refused("cmi.core.session_time", "00:61:00", 405);
        sco.refused("cmi.core.session_time", "1:00:00", 405);
        for (String exit : List.of("time-out", "suspend", "logout", "")) {
            sco.write("cmi.core.exit", exit);
        }
        sco.refused("cmi.core.exit", "normal", 405);
        sco.write("cmi.student_preference.audio", "-1");
        sco.refused("cmi.student_preference.audio", "101", 405);
        sco.write("cmi.student_preference.speed", "-100");
        sco.refused("cmi.student_preference.text", "2", 405);
        sco.refused("cmi.student_preference.text", "yes", 405);
        sco.write("cmi.student_preference.language", "svenska");
        assertEquals("svenska", sco.read("cmi.student_preference.language"));
    }

    @Test
    void suspendDataTakes64000Characters() {
        ScoCalls sco = started();
        String data = "ö".repeat(64000);
        sco.write("cmi.suspend_data", data);
        assertEquals(data, sco.read("cmi.suspend_data"));
        sco.refused("cmi.suspend_data", data + "!", 405);
    }

    @Test
    void commentsAreAddedToEachOther() {
        ScoCalls sco = started();
        sco.write("cmi.comments", "Bra. ");
        sco.write("cmi.comments", "Mer exempel.");
        assertEquals("Bra. Mer exempel.", sco.read("cmi.comments"));
        sco.refused("cmi.comments", "x".repeat(4096), 405);
    }

    @Test
    void objectivesAreReadWriteAndTakeIndexesInOrder() {
        ScoCalls sco = started();
        sco.refused("cmi.objectives.1.id", "obj2", 201);
        sco.write("cmi.objectives.0.id", "obj1");
        sco.refused("cmi.objectives.0.id", "has space", 405);
        sco.write("cmi.objectives.0.score.raw", "12.5");
        sco.write("cmi.objectives.0.status", "not attempted");
        sco.refused("cmi.objectives.0.status", "done", 405);
        assertEquals("obj1", sco.read("cmi.objectives.0.id"));
        assertEquals("12.5", sco.read("cmi.objectives.0.score.raw"));
        assertEquals("raw,min,max", sco.read("cmi.objectives.0.score._children"));
        assertEquals("1", sco.read("cmi.objectives._count"));
        sco.unreadable("cmi.objectives.1.id", 201);
    }

    @Test
    void interactionsAreWriteOnlyExceptTheirCounts() {
        ScoCalls sco = started();
        sco.write("cmi.interactions.0.id", "q1");
        sco.write("cmi.interactions.0.type", "true-false");
        sco.write("cmi.interactions.0.student_response", "t");
        sco.write("cmi.interactions.0.student_response", "1");
        sco.refused("cmi.interactions.0.student_response", "yes", 405);
        sco.write("cmi.interactions.0.correct_responses.0.pattern", "f");
        sco.write("cmi.interactions.0.objectives.0.id", "obj1");
        sco.write("cmi.interactions.0.time", "13:45:00");
        sco.refused("cmi.interactions.0.time", "25:00:00", 405);
        sco.write("cmi.interactions.0.weighting", "1.5");
        sco.write("cmi.interactions.0.result", "wrong");
        sco.write("cmi.interactions.0.result", "0.5");
        sco.refused("cmi.interactions.0.result", "incorrect", 405);
        sco.write("cmi.interactions.0.latency", "00:00:12.30");
        sco.refused("cmi.interactions.0.type", "other", 405);
        sco.unreadable("cmi.interactions.0.id", 404);
        sco.unreadable("cmi.interactions.0.student_response", 404);
        assertEquals("1", sco.read("cmi.interactions._count"));
        assertEquals("1", sco.read("cmi.interactions.0.objectives._count"));
        assertEquals("1", sco.read("cmi.interactions.0.correct_responses._count"));
        sco.refused("cmi.interactions.2.id", "q3", 201);

        sco.write("cmi.interactions.1.id", "q2");
        sco.write("cmi.interactions.1.type", "numeric");
        sco.refused("cmi.interactions.1.student_response", "many", 405);
        sco.write("cmi.interactions.1.student_response", "42");
        sco.write("cmi.interactions.2.id", "q3");
        sco.write("cmi.interactions.2.type", "choice");
        sco.write("cmi.interactions.2.student_response", "Alternativ B: röd");
    }

    @Test
    void masteryScoreDecidesPassedOrFailedAtFinish() {
        ScoCalls failed = ScoCalls.launch(ScoCalls.scorm12(new BigDecimal("80")), null);
        failed.initialize();
        failed.write("cmi.core.score.raw", "79");
        assertEquals(ScoOutcome.Completion.NOT_ATTEMPTED, failed.outcome().completion(), "not done before finish");
        failed.write("cmi.core.lesson_status", "completed");
        assertEquals(ScoOutcome.Success.FAILED, failed.outcome().success(), "the outcome applies the mastery score");
        failed.terminate();
        ScoOutcome outcome = failed.outcome();
        assertEquals(ScoOutcome.Completion.COMPLETED, outcome.completion());
        assertEquals(ScoOutcome.Success.FAILED, outcome.success());
        assertEquals(0, new BigDecimal("0.79").compareTo(outcome.scaledScore()));
        ScoCalls again = ScoCalls.launch(ScoCalls.scorm12(new BigDecimal("80")), failed.state());
        again.initialize();
        assertEquals("failed", again.read("cmi.core.lesson_status"));

        ScoCalls passed = ScoCalls.launch(ScoCalls.scorm12(new BigDecimal("80")), null);
        passed.initialize();
        passed.write("cmi.core.score.raw", "80");
        passed.terminate();
        assertEquals(ScoOutcome.Success.PASSED, passed.outcome().success(), "no status set: completed, then mastery");
        assertEquals(ScoOutcome.Completion.COMPLETED, passed.outcome().completion());

        ScoCalls incomplete = ScoCalls.launch(ScoCalls.scorm12(new BigDecimal("80")), null);
        incomplete.initialize();
        incomplete.write("cmi.core.lesson_status", "incomplete");
        incomplete.write("cmi.core.score.raw", "95");
        incomplete.terminate();
        assertEquals(ScoOutcome.Completion.INCOMPLETE, incomplete.outcome().completion(), "incomplete is the SCO's word");
        assertEquals(ScoOutcome.Success.UNKNOWN, incomplete.outcome().success());
    }

    @Test
    void finishWithoutStatusIsCompletedAndStatusesMapToTheOutcome() {
        ScoCalls sco = started();
        assertEquals(ScoOutcome.Completion.NOT_ATTEMPTED, sco.outcome().completion());
        sco.terminate();
        assertEquals(ScoOutcome.Completion.COMPLETED, sco.outcome().completion());
        assertEquals(ScoOutcome.Success.UNKNOWN, sco.outcome().success());

        ScoCalls passed = started();
        passed.write("cmi.core.lesson_status", "passed");
        assertEquals(ScoOutcome.Completion.COMPLETED, passed.outcome().completion());
        assertEquals(ScoOutcome.Success.PASSED, passed.outcome().success());
        passed.write("cmi.core.lesson_status", "browsed");
        assertEquals(ScoOutcome.Completion.INCOMPLETE, passed.outcome().completion());
    }

    @Test
    void scoreIsScaledByMinAndMaxOrAHundred() {
        ScoCalls sco = started();
        sco.write("cmi.core.score.raw", "30");
        assertEquals(0, new BigDecimal("0.3").compareTo(sco.outcome().scaledScore()));
        sco.write("cmi.core.score.max", "60");
        assertEquals(0, new BigDecimal("0.5").compareTo(sco.outcome().scaledScore()));
        sco.write("cmi.core.score.min", "20");
        assertEquals(0, new BigDecimal("0.25").compareTo(sco.outcome().scaledScore()));
        sco.write("cmi.core.score.raw", "");
        assertNull(sco.outcome().scaledScore());
    }

    @Test
    void sessionTimeGoesIntoTotalTimeAtFinish() {
        ScoCalls sco = started();
        sco.write("cmi.core.session_time", "0000:10:00.50");
        sco.write("cmi.core.session_time", "0001:00:00");
        assertEquals("0000:00:00.00", sco.read("cmi.core.total_time"));
        sco.terminate();
        sco.terminate();
        assertEquals(3600_000, sco.outcome().totalTime().toMillis(), "the last value counts, once");
        ScoCalls next = ScoCalls.launch(ScoCalls.scorm12(), sco.state());
        next.initialize();
        assertEquals("0001:00:00.00", next.read("cmi.core.total_time"));
        next.unreadable("cmi.core.session_time", 404);
    }

    @Test
    void reviewIsNoCreditAndLeavesTheStatus() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.review(ScoCalls.scorm12(new BigDecimal("50"))), null);
        sco.initialize();
        assertEquals("review", sco.read("cmi.core.lesson_mode"));
        assertEquals("no-credit", sco.read("cmi.core.credit"));
        sco.write("cmi.core.score.raw", "90");
        sco.terminate();
        assertEquals(ScoOutcome.Completion.NOT_ATTEMPTED, sco.outcome().completion());
    }
}
