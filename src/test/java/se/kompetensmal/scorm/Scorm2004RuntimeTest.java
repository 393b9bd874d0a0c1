package se.kompetensmal.scorm;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCORM 2004 RTE (2nd-4th edition): API state machine, data model, types, arrays, statuses and navigation. */
class Scorm2004RuntimeTest {

    private static ScoCalls started() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm2004(ScormVersion.SCORM_2004_4), null);
        assertEquals("true", sco.initialize());
        return sco;
    }

    @Test
    void theStateMachineAnswersEachCallWithTheBooksCodeInEveryEdition() {
        for (ScormVersion version : List.of(ScormVersion.SCORM_2004_2, ScormVersion.SCORM_2004_3,
                ScormVersion.SCORM_2004_4)) {
            stateMachine(version);
        }
    }

    private static void stateMachine(ScormVersion version) {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm2004(version), null);
        sco.unreadable("cmi.location", 122);
        sco.refused("cmi.location", "p1", 132);
        assertEquals("false", sco.commit());
        assertEquals(142, sco.error());
        assertEquals("false", sco.terminate());
        assertEquals(112, sco.error());
        assertEquals("false", sco.initialize("x"));
        assertEquals(201, sco.error());
        assertFalse(sco.running());

        assertEquals("true", sco.initialize());
        assertEquals(0, sco.error());
        assertTrue(sco.running());
        assertEquals("false", sco.initialize());
        assertEquals(103, sco.error());
        assertEquals("false", sco.commit("x"));
        assertEquals(201, sco.error());
        assertEquals("true", sco.commit());
        assertEquals("false", sco.terminate("x"));
        assertEquals(201, sco.error());
        assertTrue(sco.running(), "a refused Terminate leaves the session running");

        assertEquals("true", sco.terminate());
        assertFalse(sco.running());
        sco.unreadable("cmi.location", 123);
        sco.refused("cmi.location", "p1", 133);
        assertEquals("false", sco.commit());
        assertEquals(143, sco.error());
        assertEquals("false", sco.terminate());
        assertEquals(113, sco.error());
        assertEquals("false", sco.initialize());
        assertEquals(104, sco.error());
        assertTrue(sco.outcome().terminated());
    }

    @Test
    void errorStringsAndDiagnosticsAreTheEditions() {
        ScoCalls sco = started();
        ScoRuntime runtime = sco.current();
        assertEquals("No Error", runtime.errorString(0));
        assertEquals("Retrieve Data Before Initialization", runtime.errorString(122));
        assertEquals("Data Model Element Value Not Initialized", runtime.errorString(403));
        assertEquals("Data Model Dependency Not Established", runtime.errorString(408));
        assertEquals("", runtime.errorString(999));
        assertEquals(26, runtime.errorStrings().size());

        sco.refused("cmi.score.scaled", "1.5", 407);
        ScoRuntime after = sco.current();
        assertTrue(after.diagnostic(407).contains("1.5"), after.diagnostic(407));
        assertEquals("Data Model Element Type Mismatch", after.diagnostic(406), "another code: its error string");
        assertEquals(407, after.lastError(), "GetLastError does not change the error");
        sco.write("cmi.score.scaled", "0.5");
        assertEquals(0, sco.error(), "a successful call clears the error");
        assertNull(sco.current().lastDiagnostic());
    }

    @Test
    void readOnlyWriteOnlyAndUndefinedElements() {
        ScoCalls sco = started();
        assertEquals("1.0", sco.read("cmi._version"));
        assertEquals("p-17", sco.read("cmi.learner_id"));
        assertEquals("Andersson, Anna", sco.read("cmi.learner_name"));
        assertEquals("normal", sco.read("cmi.mode"));
        assertEquals("credit", sco.read("cmi.credit"));
        assertEquals("ab-initio", sco.read("cmi.entry"));
        assertEquals("PT0H0M0S", sco.read("cmi.total_time"));
        assertEquals("continue,no message", sco.read("cmi.time_limit_action"));
        for (String readOnly : List.of("cmi._version", "cmi.learner_id", "cmi.learner_name", "cmi.mode", "cmi.credit",
                "cmi.entry", "cmi.total_time", "cmi.launch_data", "cmi.scaled_passing_score",
                "cmi.completion_threshold", "cmi.max_time_allowed", "cmi.time_limit_action",
                "adl.nav.request_valid.continue")) {
            sco.refused(readOnly, "x", 404);
        }
        sco.unreadable("cmi.exit", 405);
        sco.unreadable("cmi.session_time", 405);
        sco.unreadable("cmi.nothing", 401);
        sco.refused("cmi.nothing", "1", 401);
        sco.unreadable("cmi.core.lesson_status", 401);
        sco.unreadable("", 301);
        sco.refused("", "x", 351);
        sco.unreadable("cmi..location", 401);
        sco.unreadable("cmi.interactions.n.id", 401);
    }

    @Test
    void valuesNotYetSetAnswer403AndDefaultsAreGiven() {
        ScoCalls sco = started();
        for (String unset : List.of("cmi.location", "cmi.suspend_data", "cmi.score.raw", "cmi.score.scaled",
                "cmi.progress_measure", "cmi.launch_data", "cmi.scaled_passing_score", "cmi.completion_threshold",
                "cmi.max_time_allowed")) {
            sco.unreadable(unset, 403);
        }
        assertEquals("unknown", sco.read("cmi.completion_status"));
        assertEquals("unknown", sco.read("cmi.success_status"));
        assertEquals("1", sco.read("cmi.learner_preference.audio_level"));
        assertEquals("", sco.read("cmi.learner_preference.language"));
        assertEquals("1", sco.read("cmi.learner_preference.delivery_speed"));
        assertEquals("0", sco.read("cmi.learner_preference.audio_captioning"));
        assertEquals("_none_", sco.read("adl.nav.request"));
        assertEquals("0", sco.read("cmi.interactions._count"));
        assertEquals("0", sco.read("cmi.objectives._count"));
        assertEquals("0", sco.read("cmi.comments_from_lms._count"));
        sco.write("cmi.location", "page-3");
        assertEquals("page-3", sco.read("cmi.location"));
    }

    @Test
    void childrenCountAndVersionKeywords() {
        ScoCalls sco = started();
        assertEquals("scaled,raw,min,max", sco.read("cmi.score._children"));
        assertEquals("audio_level,language,delivery_speed,audio_captioning",
                sco.read("cmi.learner_preference._children"));
        assertEquals("id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
                sco.read("cmi.interactions._children"));
        assertEquals("id,score,success_status,completion_status,progress_measure,description",
                sco.read("cmi.objectives._children"));
        assertEquals("comment,location,timestamp", sco.read("cmi.comments_from_learner._children"));
        sco.unreadable("cmi.location._children", 301);
        sco.unreadable("cmi.score._count", 301);
        sco.unreadable("cmi.foo._children", 401);
        sco.refused("cmi.score._children", "x", 404);
        sco.refused("cmi.interactions._count", "3", 404);
        sco.refused("cmi._version", "2.0", 404);
        sco.write("cmi.objectives.0.id", "obj-1");
        assertEquals("scaled,raw,min,max", sco.read("cmi.objectives.0.score._children"));
        sco.unreadable("cmi.objectives.1.score._children", 301);
    }

    @Test
    void typesAndRangesOfTheDataModel() {
        ScoCalls sco = started();
        sco.write("cmi.score.scaled", "-1");
        sco.write("cmi.score.scaled", "1");
        sco.write("cmi.score.scaled", "0.8765432");
        sco.refused("cmi.score.scaled", "1.0000001", 407);
        sco.refused("cmi.score.scaled", "-1.5", 407);
        sco.refused("cmi.score.scaled", "abc", 406);
        sco.refused("cmi.score.scaled", "1e-1", 406);
        sco.write("cmi.score.raw", "-250.5");
        sco.write("cmi.score.max", "1000");
        sco.refused("cmi.progress_measure", "1.1", 407);
        sco.write("cmi.progress_measure", "0.25");
        sco.refused("cmi.completion_status", "done", 406);
        sco.refused("cmi.completion_status", "Completed", 406);
        sco.write("cmi.completion_status", "not attempted");
        sco.refused("cmi.success_status", "completed", 406);
        sco.write("cmi.success_status", "passed");
        sco.refused("cmi.exit", "time-out ", 406);
        for (String exit : List.of("time-out", "suspend", "logout", "normal", "")) {
            sco.write("cmi.exit", exit);
        }
        sco.write("cmi.session_time", "PT1H30M5.25S");
        sco.write("cmi.session_time", "P1DT2H");
        sco.write("cmi.session_time", "PT0S");
        sco.refused("cmi.session_time", "01:30:00", 406);
        sco.refused("cmi.session_time", "P", 406);
        sco.refused("cmi.session_time", "PT", 406);
        sco.refused("cmi.session_time", "P1W", 406);
        sco.refused("cmi.session_time", "-PT1H", 406);
        sco.write("cmi.location", "x".repeat(1000));
        sco.refused("cmi.location", "x".repeat(1001), 406);
        sco.write("cmi.learner_preference.language", "sv-SE");
        sco.write("cmi.learner_preference.language", "");
        sco.refused("cmi.learner_preference.language", "swedish language", 406);
        sco.refused("cmi.learner_preference.audio_level", "-0.1", 407);
        sco.write("cmi.learner_preference.audio_level", "2.5");
        sco.refused("cmi.learner_preference.audio_captioning", "2", 406);
        sco.write("cmi.learner_preference.audio_captioning", "-1");
        assertEquals("-1", sco.read("cmi.learner_preference.audio_captioning"));
    }

    @Test
    void suspendDataTakes64000CharactersInEveryEdition() {
        for (ScormVersion version : List.of(ScormVersion.SCORM_2004_2, ScormVersion.SCORM_2004_3,
                ScormVersion.SCORM_2004_4)) {
            ScoCalls sco = ScoCalls.launch(ScoCalls.scorm2004(version), null);
            sco.initialize();
            String data = "å{\"slide\":7}".repeat(5333) + "abcd";
            assertEquals(64000, data.length());
            sco.write("cmi.suspend_data", data);
            assertEquals(data, sco.read("cmi.suspend_data"));
            sco.refused("cmi.suspend_data", data + "x", 406);
            assertEquals(data, sco.read("cmi.suspend_data"), "a refused value leaves the old one");
        }
    }

    @Test
    void commentsFromLearnerAreAnArrayOfLocalizedStrings() {
        ScoCalls sco = started();
        sco.write("cmi.comments_from_learner.0.comment", "{lang=sv}Bra kurs");
        sco.write("cmi.comments_from_learner.0.location", "slide-4");
        sco.write("cmi.comments_from_learner.0.timestamp", "2026-12-02T01:15:30.5+01:00");
        assertEquals("1", sco.read("cmi.comments_from_learner._count"));
        assertEquals("{lang=sv}Bra kurs", sco.read("cmi.comments_from_learner.0.comment"));
        sco.refused("cmi.comments_from_learner.2.comment", "skip", 351);
        sco.refused("cmi.comments_from_learner.1.comment", "{lang=not a language}x", 406);
        sco.refused("cmi.comments_from_learner.1.timestamp", "2026-13-01", 406);
        sco.refused("cmi.comments_from_learner.1.timestamp", "1969-12-31", 406);
        sco.refused("cmi.comments_from_learner.1.timestamp", "12/02/2026", 406);
        sco.write("cmi.comments_from_learner.1.timestamp", "2026");
        sco.write("cmi.comments_from_learner.1.timestamp", "2026-12-02T01:15:30Z");
        sco.unreadable("cmi.comments_from_learner.1.comment", 403);
        sco.refused("cmi.comments_from_lms.0.comment", "x", 404);
        sco.unreadable("cmi.comments_from_lms.0.comment", 301);
    }

    @Test
    void interactionsBeginWithTheirIdAndTakeIndexesInOrder() {
        ScoCalls sco = started();
        sco.refused("cmi.interactions.0.type", "choice", 408);
        sco.refused("cmi.interactions.1.id", "q2", 351);
        sco.refused("cmi.interactions.0.id", "has space", 406);
        sco.write("cmi.interactions.0.id", "urn:kompetensmal:q1");
        assertEquals("1", sco.read("cmi.interactions._count"));
        sco.refused("cmi.interactions.0.id", "urn:bad", 406);
        sco.refused("cmi.interactions.0.learner_response", "a", 408);
        sco.write("cmi.interactions.0.type", "choice");
        sco.write("cmi.interactions.0.description", "{lang=sv}Vilken färg?");
        sco.write("cmi.interactions.0.timestamp", "2026-12-02T01:00:00");
        sco.write("cmi.interactions.0.weighting", "2");
        sco.write("cmi.interactions.0.latency", "PT12S");
        sco.write("cmi.interactions.0.result", "correct");
        sco.write("cmi.interactions.0.result", "0.75");
        sco.refused("cmi.interactions.0.result", "wrong", 406);
        sco.refused("cmi.interactions.0.type", "essay", 406);
        sco.write("cmi.interactions.0.objectives.0.id", "obj-colours");
        sco.refused("cmi.interactions.0.objectives.1.id", "obj-colours", 351);
        sco.write("cmi.interactions.0.objectives.1.id", "obj-other");
        assertEquals("2", sco.read("cmi.interactions.0.objectives._count"));
        sco.unreadable("cmi.interactions.1.objectives._count", 301);
        assertEquals("obj-colours", sco.read("cmi.interactions.0.objectives.0.id"));
        assertEquals("choice", sco.read("cmi.interactions.0.type"));
        assertEquals("0.75", sco.read("cmi.interactions.0.result"));
        sco.unreadable("cmi.interactions.0.learner_response", 403);
        sco.unreadable("cmi.interactions.5.id", 301);
        sco.refused("cmi.interactions.1.objectives.0.id", "obj", 408);
    }

    @Test
    void learnerResponsesAndPatternsFollowTheInteractionType() {
        ScoCalls sco = started();
        sco.write("cmi.interactions.0.id", "tf");
        sco.write("cmi.interactions.0.type", "true-false");
        sco.write("cmi.interactions.0.learner_response", "true");
        sco.refused("cmi.interactions.0.learner_response", "t", 406);
        sco.write("cmi.interactions.0.correct_responses.0.pattern", "false");
        sco.refused("cmi.interactions.0.correct_responses.1.pattern", "true", 351);

        sco.write("cmi.interactions.1.id", "choice");
        sco.write("cmi.interactions.1.type", "choice");
        sco.write("cmi.interactions.1.learner_response", "red[,]blue");
        sco.write("cmi.interactions.1.learner_response", "");
        sco.refused("cmi.interactions.1.learner_response", "red[,]red", 406);
        sco.refused("cmi.interactions.1.learner_response", "red, blue", 406);
        sco.write("cmi.interactions.1.correct_responses.0.pattern", "red[,]blue");
        sco.write("cmi.interactions.1.correct_responses.1.pattern", "green");
        sco.refused("cmi.interactions.1.correct_responses.2.pattern", "green", 351);
        assertEquals("2", sco.read("cmi.interactions.1.correct_responses._count"));
        assertEquals("green", sco.read("cmi.interactions.1.correct_responses.1.pattern"));

        sco.write("cmi.interactions.2.id", "fill");
        sco.write("cmi.interactions.2.type", "fill-in");
        sco.write("cmi.interactions.2.learner_response", "{lang=sv}Stockholm[,]Göteborg");
        sco.refused("cmi.interactions.2.learner_response", "x".repeat(251), 406);
        sco.write("cmi.interactions.2.correct_responses.0.pattern", "{case_matters=true}{order_matters=false}Stockholm");
        sco.refused("cmi.interactions.2.correct_responses.1.pattern", "{lang=??}x", 406);

        sco.write("cmi.interactions.3.id", "num");
        sco.write("cmi.interactions.3.type", "numeric");
        sco.write("cmi.interactions.3.learner_response", "3.14");
        sco.refused("cmi.interactions.3.learner_response", "pi", 406);
        sco.write("cmi.interactions.3.correct_responses.0.pattern", "3[:]4");
        sco.write("cmi.interactions.3.correct_responses.0.pattern", "[:]4");
        sco.refused("cmi.interactions.3.correct_responses.0.pattern", "5[:]4", 406);
        sco.refused("cmi.interactions.3.correct_responses.1.pattern", "1[:]2", 351);

        sco.write("cmi.interactions.4.id", "other");
        sco.write("cmi.interactions.4.type", "other");
        sco.write("cmi.interactions.4.learner_response", "anything at all, with spaces");
        sco.refused("cmi.interactions.4.learner_response", "x".repeat(4001), 406);

        sco.write("cmi.interactions.5.id", "match");
        sco.write("cmi.interactions.5.type", "matching");
        sco.write("cmi.interactions.5.learner_response", "a[.]1[,]b[.]2");
        sco.refused("cmi.interactions.5.learner_response", "a-1", 406);

        sco.write("cmi.interactions.6.id", "perf");
        sco.write("cmi.interactions.6.type", "performance");
        sco.write("cmi.interactions.6.learner_response", "step1[.]open[,][.]42");
        sco.write("cmi.interactions.6.correct_responses.0.pattern", "{order_matters=false}step1[.]open[,]step2[.]1[:]5");

        sco.write("cmi.interactions.7.id", "seq");
        sco.write("cmi.interactions.7.type", "sequencing");
        sco.write("cmi.interactions.7.learner_response", "c[,]a[,]b");

        sco.write("cmi.interactions.8.id", "lik");
        sco.write("cmi.interactions.8.type", "likert");
        sco.write("cmi.interactions.8.learner_response", "agree");
        sco.refused("cmi.interactions.8.learner_response", "agree[,]disagree", 406);

        sco.write("cmi.interactions.9.id", "long");
        sco.write("cmi.interactions.9.type", "long-fill-in");
        sco.write("cmi.interactions.9.learner_response", "{lang=en}" + "word ".repeat(800));
        assertEquals("10", sco.read("cmi.interactions._count"));
    }

    @Test
    void objectivesFromTheManifestAreThereAndIdsAreUniqueAndFixed() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm2004(ScormVersion.SCORM_2004_3, null, null,
                List.of("primary", "secondary")), null);
        sco.initialize();
        assertEquals("2", sco.read("cmi.objectives._count"));
        assertEquals("primary", sco.read("cmi.objectives.0.id"));
        assertEquals("secondary", sco.read("cmi.objectives.1.id"));
        assertEquals("unknown", sco.read("cmi.objectives.0.success_status"));
        assertEquals("unknown", sco.read("cmi.objectives.1.completion_status"));
        sco.unreadable("cmi.objectives.0.score.scaled", 403);
        sco.refused("cmi.objectives.0.id", "renamed", 351);
        sco.write("cmi.objectives.0.id", "primary");
        sco.refused("cmi.objectives.2.id", "primary", 351);
        sco.refused("cmi.objectives.2.score.scaled", "0.5", 408);
        sco.write("cmi.objectives.2.id", "third");
        sco.write("cmi.objectives.2.score.scaled", "0.5");
        sco.refused("cmi.objectives.2.score.scaled", "2", 407);
        sco.write("cmi.objectives.2.success_status", "passed");
        sco.write("cmi.objectives.2.completion_status", "completed");
        sco.write("cmi.objectives.2.progress_measure", "1");
        sco.write("cmi.objectives.2.description", "Tredje målet");
        assertEquals("0.5", sco.read("cmi.objectives.2.score.scaled"));
        sco.unreadable("cmi.objectives.2.score.raw", 403);
        sco.unreadable("cmi.objectives.3.id", 301);
    }

    @Test
    void completionFollowsProgressMeasureWhenAThresholdIsSet() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm2004(ScormVersion.SCORM_2004_4, null, new BigDecimal("0.8"),
                List.of()), null);
        sco.initialize();
        assertEquals("0.8", sco.read("cmi.completion_threshold"));
        sco.write("cmi.completion_status", "completed");
        assertEquals("unknown", sco.read("cmi.completion_status"), "no progress measure yet: unknown");
        sco.write("cmi.progress_measure", "0.5");
        assertEquals("incomplete", sco.read("cmi.completion_status"));
        assertEquals(ScoOutcome.Completion.INCOMPLETE, sco.outcome().completion());
        sco.write("cmi.progress_measure", "0.8");
        assertEquals("completed", sco.read("cmi.completion_status"));
        assertEquals(ScoOutcome.Completion.COMPLETED, sco.outcome().completion());
    }

    @Test
    void beforeTheFourthEditionTheScosStatusesStandUntilAMeasureIsReported() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm2004(ScormVersion.SCORM_2004_3, new BigDecimal("0.7"),
                new BigDecimal("0.8"), List.of()), null);
        sco.initialize();
        assertEquals("unknown", sco.read("cmi.completion_status"));
        sco.write("cmi.completion_status", "completed");
        sco.write("cmi.success_status", "passed");
        assertEquals("completed", sco.read("cmi.completion_status"));
        assertEquals("passed", sco.read("cmi.success_status"));
        sco.write("cmi.progress_measure", "0.1");
        sco.write("cmi.score.scaled", "0.1");
        assertEquals("incomplete", sco.read("cmi.completion_status"));
        assertEquals("failed", sco.read("cmi.success_status"));
    }

    @Test
    void successFollowsScaledScoreWhenAPassingScoreIsSet() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm2004(ScormVersion.SCORM_2004_4, new BigDecimal("0.7"), null,
                List.of()), null);
        sco.initialize();
        assertEquals("0.7", sco.read("cmi.scaled_passing_score"));
        sco.write("cmi.success_status", "passed");
        assertEquals("unknown", sco.read("cmi.success_status"), "no scaled score yet: unknown");
        sco.write("cmi.score.scaled", "0.69");
        assertEquals("failed", sco.read("cmi.success_status"));
        assertEquals(ScoOutcome.Success.FAILED, sco.outcome().success());
        sco.write("cmi.score.scaled", "0.7");
        assertEquals("passed", sco.read("cmi.success_status"));
        ScoOutcome outcome = sco.outcome();
        assertEquals(ScoOutcome.Success.PASSED, outcome.success());
        assertEquals(0, new BigDecimal("0.7").compareTo(outcome.scaledScore()));
        sco.write("cmi.score.scaled", "0.123456789012");
        assertEquals("0.123456789012", sco.read("cmi.score.scaled"), "the SCO reads what it set");
        assertEquals(new BigDecimal("0.1234568"), sco.outcome().scaledScore(), "the outcome as DECIMAL(10,7) keeps it");
    }

    @Test
    void withoutThresholdsTheScosOwnStatusesCount() {
        ScoCalls sco = started();
        assertEquals(ScoOutcome.Completion.UNKNOWN, sco.outcome().completion());
        sco.write("cmi.completion_status", "incomplete");
        sco.write("cmi.progress_measure", "1");
        assertEquals("incomplete", sco.read("cmi.completion_status"));
        sco.write("cmi.completion_status", "completed");
        sco.write("cmi.success_status", "failed");
        sco.write("cmi.score.raw", "40");
        sco.write("cmi.score.max", "80");
        ScoOutcome outcome = sco.outcome();
        assertEquals(ScoOutcome.Completion.COMPLETED, outcome.completion());
        assertEquals(ScoOutcome.Success.FAILED, outcome.success());
        assertEquals(0, new BigDecimal("0.5").compareTo(outcome.scaledScore()), "raw scaled by max when no scaled");
        assertEquals("completed", outcome.completion().stored());
    }

    @Test
    void sessionTimeIsAddedToTotalTimeAtTerminateOnce() {
        ScoCalls sco = started();
        sco.write("cmi.session_time", "PT1H2M3.5S");
        assertEquals("PT0H0M0S", sco.read("cmi.total_time"), "added at terminate, not before");
        sco.write("cmi.exit", "suspend");
        sco.terminate();
        assertEquals("false", sco.terminate());
        ScoOutcome outcome = sco.outcome();
        assertEquals(3723_500, outcome.totalTime().toMillis());
        assertTrue(outcome.suspended());

        ScoCalls next = ScoCalls.launch(ScoCalls.scorm2004(ScormVersion.SCORM_2004_4), sco.state());
        next.initialize();
        assertEquals("PT1H2M3.5S", next.read("cmi.total_time"));
        next.write("cmi.session_time", "PT30M");
        next.terminate();
        assertEquals(5523_500, next.outcome().totalTime().toMillis());
    }

    @Test
    void navigationRequestsAndTheirValidity() {
        ScoCalls sco = started();
        assertEquals("true", sco.read("adl.nav.request_valid.continue"));
        assertEquals("false", sco.read("adl.nav.request_valid.previous"));
        assertEquals("true", sco.read("adl.nav.request_valid.choice.{target=quiz}"));
        assertEquals("false", sco.read("adl.nav.request_valid.choice.{target=elsewhere}"));
        assertEquals("false", sco.read("adl.nav.request_valid.jump.{target=elsewhere}"));
        sco.unreadable("adl.nav.request_valid.choice.quiz", 401);
        sco.unreadable("adl.nav.request_valid.retry", 401);
        sco.refused("adl.nav.request_valid.choice.{target=quiz}", "true", 404);
        for (String request : List.of("continue", "previous", "exit", "exitAll", "abandon", "abandonAll",
                "suspendAll", "_none_", "{target=quiz}choice", "{target=intro}jump")) {
            sco.write("adl.nav.request", request);
            assertEquals(request, sco.read("adl.nav.request"));
        }
        sco.refused("adl.nav.request", "next", 406);
        sco.refused("adl.nav.request", "choice", 406);
        sco.refused("adl.nav.request", "{target=}choice", 406);
        sco.write("adl.nav.request", "{target=quiz}choice");
        sco.terminate();
        assertEquals("{target=quiz}choice", sco.outcome().navRequest());
    }

    @Test
    void jumpIsAFourthEditionRequest() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.scorm2004(ScormVersion.SCORM_2004_3), null);
        sco.initialize();
        sco.refused("adl.nav.request", "{target=intro}jump", 406);
        sco.unreadable("adl.nav.request_valid.jump.{target=intro}", 401);
        sco.write("adl.nav.request", "{target=intro}choice");
    }

    @Test
    void noneIsNoNavigationRequestInTheOutcome() {
        ScoCalls sco = started();
        sco.write("adl.nav.request", "_none_");
        sco.terminate();
        assertNull(sco.outcome().navRequest());
    }

    @Test
    void adlDataHasNoStoresWithoutManifestData() {
        ScoCalls sco = started();
        assertEquals("id,store", sco.read("adl.data._children"));
        assertEquals("0", sco.read("adl.data._count"));
        sco.unreadable("adl.data.0.store", 301);
        sco.refused("adl.data.0.store", "x", 351);
    }

    @Test
    void theDataModelIsBounded() {
        ScoCalls sco = started();
        ScoRuntime runtime = sco.current();
        String big = "x".repeat(4000);
        int i = 0;
        String answer;
        do {
            answer = runtime.setValue("cmi.interactions." + i + ".id", "q" + i);
            if (answer.equals("true")) {
                answer = runtime.setValue("cmi.interactions." + i + ".type", "other");
            }
            if (answer.equals("true")) {
                answer = runtime.setValue("cmi.interactions." + i + ".learner_response", big);
            }
            i++;
        } while (answer.equals("true") && i < 1000);
        assertEquals("false", answer);
        assertEquals(351, runtime.lastError());
        assertTrue(runtime.lastDiagnostic().contains("full"), runtime.lastDiagnostic());
        assertTrue(i < 300, "about a million characters: " + i + " interactions");
        String state = runtime.stateJson();
        assertTrue(state.length() < BaseRuntime.MAX_STATE_CHARS + 100_000, "state stays bounded");
        assertEquals(state, ScormRuntimes.resume(ScoCalls.scorm2004(ScormVersion.SCORM_2004_4), state).stateJson());
    }

    @Test
    void interactionsStopAtTheirCapacity() {
        ScoCalls sco = started();
        ScoRuntime runtime = sco.current();
        for (int i = 0; i < 500; i++) {
            assertEquals("true", runtime.setValue("cmi.interactions." + i + ".id", "q" + i));
        }
        assertEquals("false", runtime.setValue("cmi.interactions.500.id", "one-too-many"));
        assertEquals(351, runtime.lastError());
        assertEquals("500", runtime.getValue("cmi.interactions._count"));
    }

    @Test
    void reviewModeIsNoCredit() {
        ScoCalls sco = ScoCalls.launch(ScoCalls.review(ScoCalls.scorm2004(ScormVersion.SCORM_2004_4)), null);
        sco.initialize();
        assertEquals("review", sco.read("cmi.mode"));
        assertEquals("no-credit", sco.read("cmi.credit"));
    }
}
