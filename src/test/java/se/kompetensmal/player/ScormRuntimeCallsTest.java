package se.kompetensmal.player;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.HttpCalls;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.packages.TestPackages;
import se.kompetensmal.routines.ManualAssignments;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A package's frame calling the runtime on the package origin as its adapter does, over HTTP: what a SCO sets is kept
 * and resumed after a reload, a retried call is not applied twice, the module's completion is recorded once (also when
 * commit and terminate race) with the score and time rolled up from its SCOs, failed attempts are kept, and a learner's
 * token reaches that learner's attempt alone.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScormRuntimeCallsTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    @Inject
    ScormAttempts attempts;

    @Inject
    PackageFixture packages;

    @Inject
    ApplicationContext context;

    @Inject
    ManualAssignments manual;

    private String packageOrigin() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private PackagePlayer play(PackageFixture.Published published, long person) {
        ScormAttempts.Attempt attempt = attempts.openOrStart(person, published.code());
        return new PackagePlayer(packageOrigin(), attempts.issueToken(attempt.id(), person, false), published.items().get(0));
    }

    @Test
    void whatTheScoSetsIsKeptAndResumedAfterTheFrameIsReloaded() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        long learner = packages.learner(published, "Ada");
        PackagePlayer frame = play(published, learner);
        String suspendData = "x".repeat(64000);

        assertEquals("true", frame.initialize().get("value").getAsString());
        assertEquals("true", frame.set("cmi.location", "sida-7").get("value").getAsString());
        frame.set("cmi.suspend_data", suspendData);
        frame.set("cmi.exit", "suspend");
        frame.commit();
        assertEquals("true", frame.terminate().get("value").getAsString());

        frame.reload();
        assertEquals("true", frame.initialize().get("value").getAsString());
        assertEquals("sida-7", frame.get("cmi.location"));
        assertEquals(suspendData, frame.get("cmi.suspend_data"));
        assertEquals("resume", frame.get("cmi.entry"));
        assertEquals(1, attempts.items(attempts.latest(learner, published.code()).orElseThrow().id()).stream()
                .filter(i -> "SCO".equals(i.kind()) && "unknown".equals(i.completion())).count(),
                "the SCO committed no completion status: the stand-in reports unknown");
    }

    @Test
    void theSameCallSentAgainGetsTheStoredAnswerAndIsNotAppliedTwice() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        PackagePlayer frame = play(published, packages.learner(published, "Retry"));

        String initialize = frame.next("Initialize", "", "");
        JsonObject first = frame.send(initialize);
        JsonObject again = frame.send(initialize);
        assertEquals("true", first.get("value").getAsString());
        assertEquals(first, again, "a second Initialize applied would answer false with error 103");

        String set = frame.next("SetValue", "cmi.location", "a");
        frame.send(set);
        frame.set("cmi.location", "b");
        JsonObject late = frame.send(set);
        assertEquals("b", frame.get("cmi.location"), "the older call retried late does not undo the newer one: " + late);
    }

    @Test
    void aCompletedAndPassedScoRecordsTheCompletionOnceWithScoreAndTime() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        long learner = packages.learner(published, "Klar");
        PackagePlayer frame = play(published, learner);

        frame.initialize();
        frame.set("cmi.completion_status", "completed");
        frame.set("cmi.success_status", "passed");
        frame.set("cmi.score.scaled", "0.8");
        frame.set("cmi.session_time", "PT2M5S");
        JsonObject committed = frame.commit();
        assertEquals("COMPLETED", committed.get("attempt").getAsString());
        JsonObject sco = committed.getAsJsonArray("items").get(0).getAsJsonObject();
        assertEquals(published.items().get(0), sco.get("id").getAsLong());
        assertEquals("completed", sco.get("completion").getAsString());
        assertEquals("passed", sco.get("success").getAsString());
        frame.commit();
        JsonObject terminated = frame.terminate();
        assertEquals("true", terminated.get("value").getAsString(), "the SCO's session goes on after its attempt ended");

        assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ? AND module_version_id = ?", learner,
                published.versionId()));
        assertEquals(List.of("80"), sql.strings("SELECT score FROM completion WHERE person_id = ?", learner));
        ScormAttempts.Attempt attempt = attempts.latest(learner, published.code()).orElseThrow();
        assertEquals("COMPLETED", attempt.status());
        assertEquals(sql.strings("SELECT id FROM completion WHERE person_id = ?", learner),
                List.of(String.valueOf(attempt.completionId())));
    }

    @Test
    void commitAndTerminateRacingFromTwoRequestsRecordOneCompletion() throws Exception {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        List<Long> learners = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            long learner = packages.learner(published, "Kapp" + round);
            learners.add(learner);
            PackagePlayer frame = play(published, learner);
            frame.initialize();
            frame.set("cmi.completion_status", "completed");
            frame.set("cmi.success_status", "passed");
            String commit = frame.next("Commit", "", "");
            String terminate = frame.next("Terminate", "", "");
            // A second frame of the same learner (a reloaded page) commits too.
            PackagePlayer other = play(published, learner);
            other.initialize();
            other.set("cmi.completion_status", "completed");
            String otherCommit = other.next("Commit", "", "");
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<JsonObject>> racing = new ArrayList<>();
            for (String body : List.of(commit, terminate, otherCommit)) {
                PackagePlayer sender = body == otherCommit ? other : frame;
                racing.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return sender.send(body);
                }));
            }
            start.countDown();
            CompletableFuture.allOf(racing.toArray(CompletableFuture[]::new)).get();
        }
        for (long learner : learners) {
            assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner));
            assertEquals(1, sql.number("SELECT COUNT(*) FROM scorm_attempt WHERE person_id = ? AND status = 'COMPLETED'", learner));
        }
    }

    @Test
    void aMultiScoModuleIsCompletedWhenEveryScoIsAndFailedWhenOneFails() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("intro", "Intro"),
                PackageFixture.Sco.plain("ovning", "Övning"), PackageFixture.Sco.plain("prov", "Prov")));
        long learner = packages.learner(published, "Flera");
        PackagePlayer first = play(published, learner);
        double[] scores = {0.5, 0.7, 0.9};
        for (int i = 0; i < 3; i++) {
            PackagePlayer sco = first.sco(published.items().get(i));
            sco.initialize();
            sco.set("cmi.completion_status", "completed");
            sco.set("cmi.score.scaled", String.valueOf(scores[i]));
            sco.set("cmi.session_time", "PT1M");
            JsonObject answer = sco.terminate();
            assertEquals(i < 2 ? "OPEN" : "COMPLETED", answer.get("attempt").getAsString(), "after SCO " + (i + 1));
            assertEquals(i < 2 ? 0 : 1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner));
        }
        assertEquals(List.of("70"), sql.strings("SELECT score FROM completion WHERE person_id = ?", learner),
                "the mean of 50, 70 and 90");
        assertEquals(List.of("180"), sql.strings("SELECT seconds_spent FROM completion WHERE person_id = ?", learner));

        long failing = packages.learner(published, "Underkänd");
        PackagePlayer second = play(published, failing);
        for (int i = 0; i < 3; i++) {
            PackagePlayer sco = second.sco(published.items().get(i));
            sco.initialize();
            sco.set("cmi.completion_status", "completed");
            sco.set("cmi.success_status", i == 2 ? "failed" : "passed");
            sco.terminate();
        }
        ScormAttempts.Attempt failed = attempts.latest(failing, published.code()).orElseThrow();
        assertEquals("FAILED", failed.status());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", failing));
        ScormAttempts.Attempt next = attempts.startNew(failing, published.code());
        assertNotEquals(failed.id(), next.id());
        assertEquals("OPEN", next.status());
        assertEquals(List.of("FAILED", "OPEN"), sql.strings("SELECT status FROM scorm_attempt WHERE person_id = ? ORDER BY id",
                failing), "the failed attempt is kept");
        assertEquals(List.of("SCO:not attempted", "SCO:not attempted", "SCO:not attempted"),
                attempts.items(next.id()).stream().map(i -> i.kind() + ":" + i.completion()).toList());
    }

    @Test
    void aTokenOfOneLearnerReachesThatLearnersAttemptAlone() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        long x = packages.learner(published, "X");
        long y = packages.learner(published, "Y");
        PackagePlayer yFrame = play(published, y);
        yFrame.initialize();
        yFrame.set("cmi.location", "ys-sida");
        yFrame.commit();
        String yState = sql.strings("SELECT state FROM scorm_sco_state s JOIN scorm_attempt a ON a.id = s.attempt_id "
                + "WHERE a.person_id = ?", y).get(0);

        PackagePlayer xFrame = play(published, x);
        xFrame.initialize();
        xFrame.set("cmi.location", "xs-sida");
        xFrame.set("cmi.completion_status", "completed");
        xFrame.commit();

        assertEquals(yState, sql.strings("SELECT state FROM scorm_sco_state s JOIN scorm_attempt a ON a.id = s.attempt_id "
                + "WHERE a.person_id = ?", y).get(0), "Y's data is as Y left it");
        long yAttempt = attempts.latest(y, published.code()).orElseThrow().id();
        assertThrows(PackageNotPlayable.class, () -> attempts.issueToken(yAttempt, x, false),
                "no token for another learner's attempt");

        PackagePlayer forged = new PackagePlayer(packageOrigin(), "A".repeat(43), published.items().get(0));
        assertEquals(404, forged.post("/anrop", forged.next("Initialize", "", ""), "application/json").statusCode());
        String xToken = attempts.issueToken(attempts.latest(x, published.code()).orElseThrow().id(), x, false);
        sql.update("UPDATE scorm_runtime_token SET expires_at = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3)) WHERE token_hash = ?",
                RuntimeTokens.hash(xToken));
        PackagePlayer expired = new PackagePlayer(packageOrigin(), xToken, published.items().get(0));
        assertEquals(404, expired.post("/anrop", expired.next("Initialize", "", ""), "application/json").statusCode());
        assertEquals(404, expired.file("sco1/index.html").statusCode());
    }

    @Test
    void aCallFromAReplacedSessionChangesNothing() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        PackagePlayer old = play(published, packages.learner(published, "Gammal"));
        old.initialize();
        old.set("cmi.location", "1");
        String lateTerminate = old.next("Terminate", "", "");
        PackagePlayer reloaded = old.sco(published.items().get(0));
        reloaded.initialize();
        reloaded.set("cmi.location", "2");

        JsonObject late = old.send(lateTerminate);
        assertEquals("false", late.get("value").getAsString(), "the old session's frame is gone: " + late);
        assertEquals("2", reloaded.get("cmi.location"));
        assertEquals("true", reloaded.terminate().get("value").getAsString(), "the new session was not ended by the old one");
    }

    @Test
    void aBatchSentAtPageDismissalIsAppliedInOrder() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        long learner = packages.learner(published, "Beacon");
        PackagePlayer frame = play(published, learner);
        frame.initialize();
        JsonArray batch = PackagePlayer.array(frame.next("SetValue", "cmi.completion_status", "completed"),
                frame.next("SetValue", "cmi.exit", "suspend"), frame.next("Commit", "", ""), frame.next("Terminate", "", ""));

        // sendBeacon with a string sends text/plain.
        HttpResponse<String> response = frame.post("/anrop/sats", batch.toString(), "text/plain;charset=UTF-8");
        assertEquals(200, response.statusCode(), response.body());
        JsonArray answers = JsonParser.parseString(response.body()).getAsJsonArray();
        assertEquals(4, answers.size());
        answers.forEach(a -> assertEquals("true", a.getAsJsonObject().get("value").getAsString(), answers.toString()));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner));
        HttpResponse<String> again = frame.post("/anrop/sats", batch.toString(), "application/json");
        assertEquals(answers.get(3), JsonParser.parseString(again.body()).getAsJsonArray().get(3), "sent twice, applied once");
    }

    @Test
    void callsThatAreNotSoundAreRefusedWithAProblemAndStoreNothing() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        PackageFixture.Published another = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Annat")));
        long learner = packages.learner(published, "Fel");
        PackagePlayer frame = play(published, learner);

        HttpResponse<String> method = frame.post("/anrop", frame.next("Hacka", "", ""), "application/json");
        assertEquals(400, method.statusCode());
        assertTrue(method.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), method.body());
        assertTrue(method.body().contains("method ska vara"), method.body());
        assertEquals(400, frame.post("/anrop", "{\"item\": 1", "application/json").statusCode());
        assertEquals(400, frame.post("/anrop", frame.next("SetValue", "cmi.location", "x".repeat(200_001)), "application/json")
                .statusCode());
        PackagePlayer elsewhere = frame.sco(another.items().get(0));
        assertEquals(404, elsewhere.post("/anrop", elsewhere.next("Initialize", "", ""), "application/json").statusCode(),
                "an item of another package");
        assertEquals(413, frame.post("/anrop", "[" + "1,".repeat(1_100_000) + "1]", "application/json").statusCode());
        // A body of unknown length (chunked) is refused before it is read: the adapter always says how long its body is.
        byte[] call = frame.next("Initialize", "", "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(411, HttpCalls.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + server.getPort() + "/scorm-innehall/x/anrop")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(call))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM scorm_sco_state s JOIN scorm_attempt a ON a.id = s.attempt_id "
                + "WHERE a.person_id = ?", learner));
    }

    @Test
    void theRuntimeEventsBecomeStatementsOfTheScormProfile() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco.1", "Del 1")));
        long learner = packages.learner(published, "Xapi");
        PackagePlayer frame = play(published, learner);
        frame.initialize();
        frame.set("cmi.completion_status", "completed");
        frame.set("cmi.success_status", "passed");
        frame.set("cmi.score.scaled", "0.75");
        frame.set("cmi.session_time", "PT30S");
        frame.terminate();

        assertEquals(List.of("launched", "initialized", "completed", "passed", "terminated", "passed", "completed"),
                sql.strings("SELECT verb FROM xapi_outbox WHERE person_id = ? ORDER BY id", learner));
        String registration = sql.strings("SELECT registration FROM scorm_attempt WHERE person_id = ?", learner).get(0);
        String course = "http://localhost:8080/xapi/paket/" + published.manifestIdentifier();
        List<JsonObject> statements = sql.strings("SELECT payload FROM xapi_outbox WHERE person_id = ? ORDER BY id", learner)
                .stream().map(p -> JsonParser.parseString(p).getAsJsonObject()).toList();
        for (JsonObject statement : statements) {
            JsonObject context = statement.getAsJsonObject("context");
            assertEquals(registration, context.get("registration").getAsString());
            assertEquals("http://adlnet.gov/xapi/profile/scorm", context.getAsJsonObject("contextActivities")
                    .getAsJsonArray("category").get(0).getAsJsonObject().get("id").getAsString());
            assertTrue(statement.getAsJsonObject("verb").get("id").getAsString().startsWith("http://adlnet.gov/expapi/verbs/"));
        }
        JsonObject initialized = statements.get(1);
        assertEquals(course + "/sco.1", initialized.getAsJsonObject("object").get("id").getAsString());
        assertEquals("http://adlnet.gov/expapi/activities/lesson",
                initialized.getAsJsonObject("object").getAsJsonObject("definition").get("type").getAsString());
        assertEquals(course, initialized.getAsJsonObject("context").getAsJsonObject("contextActivities").getAsJsonArray("grouping")
                .get(0).getAsJsonObject().get("id").getAsString());
        JsonObject modulePassed = statements.get(5);
        assertEquals(course, modulePassed.getAsJsonObject("object").get("id").getAsString());
        assertEquals(0.75, modulePassed.getAsJsonObject("result").getAsJsonObject("score").get("scaled").getAsDouble(), 1e-6);
        assertEquals("PT30S", statements.get(4).getAsJsonObject("result").get("duration").getAsString());
    }

    @Test
    void aTokenForAnEndedAttemptOnlyLooksAndRecordsNothing() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1")));
        long learner = packages.learner(published, "Granska");
        PackagePlayer frame = play(published, learner);
        frame.initialize();
        frame.set("cmi.location", "slutet");
        frame.set("cmi.exit", "suspend");
        frame.set("cmi.completion_status", "completed");
        frame.terminate();
        ScormAttempts.Attempt ended = attempts.latest(learner, published.code()).orElseThrow();
        assertEquals("COMPLETED", ended.status());
        String state = sql.strings("SELECT state FROM scorm_sco_state WHERE attempt_id = ?", ended.id()).get(0);
        long statements = sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ?", learner);

        PackagePlayer review = new PackagePlayer(packageOrigin(), attempts.issueToken(ended.id(), learner, false),
                published.items().get(0));
        assertEquals("true", review.initialize().get("value").getAsString());
        assertEquals("slutet", review.get("cmi.location"));
        review.set("cmi.location", "ändrat");
        review.set("cmi.completion_status", "incomplete");
        review.commit();
        review.terminate();

        assertEquals(state, sql.strings("SELECT state FROM scorm_sco_state WHERE attempt_id = ?", ended.id()).get(0));
        assertEquals(statements, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ?", learner));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner));
    }

    @Test
    void aScorm12ScoIsPassedByItsMasteryScoreAndToleratesWhatRealPackagesDo() {
        PackageFixture.Published published = packages.publish("1.2",
                List.of(new PackageFixture.Sco("sco-1", "Del 1", "80", null)));
        long learner = packages.learner(published, "Tolv");
        PackagePlayer frame = play(published, learner);

        assertEquals("true", frame.initialize().get("value").getAsString());
        assertEquals("", frame.get("cmi.core.lesson_location"), "read before it is set");
        assertEquals("80", frame.get("cmi.student_data.mastery_score"));
        frame.set("cmi.suspend_data", "s".repeat(64000));
        frame.set("cmi.core.score.raw", "85");
        frame.set("cmi.core.lesson_status", "completed");
        frame.set("cmi.core.session_time", "00:03:00");
        JsonObject finished = frame.terminate();
        assertEquals("COMPLETED", finished.get("attempt").getAsString(), finished.toString());
        assertEquals("passed", finished.getAsJsonArray("items").get(0).getAsJsonObject().get("success").getAsString(),
                "85 reaches the mastery score 80");

        JsonObject twice = frame.terminate();
        assertEquals("false", twice.get("value").getAsString(), "finish called twice: " + twice);
        assertNotEquals(0, twice.get("error").getAsInt());
        JsonObject commitAfter = frame.commit();
        assertEquals("false", commitAfter.get("value").getAsString(), "commit after finish: " + commitAfter);
        assertEquals(List.of("85"), sql.strings("SELECT score FROM completion WHERE person_id = ?", learner));
        assertEquals(List.of("180"), sql.strings("SELECT seconds_spent FROM completion WHERE person_id = ?", learner));
    }

    @Test
    void aScorm2004ScoBelowItsScaledPassingScoreFailsAndTheNextAttemptCanPass() {
        PackageFixture.Published published = packages.publish("2004-4",
                List.of(new PackageFixture.Sco("sco-1", "Prov", null, "0.7")));
        long learner = packages.learner(published, "Gräns");
        PackagePlayer frame = play(published, learner);
        frame.initialize();
        assertEquals("0.7", frame.get("cmi.scaled_passing_score"));
        frame.set("cmi.completion_status", "completed");
        frame.set("cmi.score.scaled", "0.6");
        assertEquals("FAILED", frame.terminate().get("attempt").getAsString());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner));

        ScormAttempts.Attempt next = attempts.startNew(learner, published.code());
        PackagePlayer again = new PackagePlayer(packageOrigin(), attempts.issueToken(next.id(), learner, false),
                published.items().get(0));
        again.initialize();
        assertEquals("ab-initio", again.get("cmi.entry"), "a new attempt starts afresh");
        again.set("cmi.completion_status", "completed");
        again.set("cmi.score.scaled", "0.9");
        assertEquals("COMPLETED", again.terminate().get("attempt").getAsString());
        assertEquals(List.of("90"), sql.strings("SELECT score FROM completion WHERE person_id = ?", learner));
        assertEquals(List.of("FAILED", "COMPLETED"), sql.strings("SELECT status FROM scorm_attempt WHERE person_id = ? ORDER BY id",
                learner));
    }

    @Test
    void aFailedTryCommittedInTheMiddleOfASessionLeavesTheAttemptOpenForTheQuizTakenAgain() {
        // Authoring tools offer "try the quiz again" inside the SCO: the failed first try is committed, the second passes.
        PackageFixture.Published published = packages.publish("2004-4",
                List.of(new PackageFixture.Sco("sco-1", "Prov", null, "0.8")));
        long learner = packages.learner(published, "Omtag");
        PackagePlayer frame = play(published, learner);
        frame.initialize();
        frame.set("cmi.completion_status", "completed");
        frame.set("cmi.score.scaled", "0.67");
        JsonObject failedTry = frame.commit();
        assertEquals("OPEN", failedTry.get("attempt").getAsString(), "a failed try committed mid-session: " + failedTry);
        assertEquals("failed", frame.get("cmi.success_status"));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner));

        frame.set("cmi.score.scaled", "1");
        assertEquals("COMPLETED", frame.commit().get("attempt").getAsString(), "the second try passes the same attempt");
        assertEquals(List.of("100"), sql.strings("SELECT score FROM completion WHERE person_id = ?", learner));
        assertEquals(List.of("COMPLETED"), sql.strings("SELECT status FROM scorm_attempt WHERE person_id = ?", learner));

        // Leaving a failed try with "suspend" keeps the attempt open to come back to; ending the session ends it failed.
        long leaving = packages.learner(published, "Paus");
        PackagePlayer suspended = play(published, leaving);
        suspended.initialize();
        suspended.set("cmi.completion_status", "completed");
        suspended.set("cmi.score.scaled", "0.5");
        suspended.set("cmi.exit", "suspend");
        assertEquals("OPEN", suspended.terminate().get("attempt").getAsString());
        PackagePlayer back = play(published, leaving);
        back.initialize();
        assertEquals("resume", back.get("cmi.entry"));
        back.set("cmi.exit", "normal");
        assertEquals("FAILED", back.terminate().get("attempt").getAsString());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", leaving));
    }

    @Test
    void aClusterIsAsFarAsTheScosBelowIt() {
        long unit = tree.add("K" + System.nanoTime(), "Enhet kluster", OrgNodeKind.UNIT, null).id();
        String code = "kluster-" + System.nanoTime();
        byte[] zip = TestPackages.scorm2004("com.example." + code, Map.of(),
                TestPackages.Sco.cluster("del-1", "Del 1",
                        TestPackages.Sco.of("a", "A", "a.html"),
                        TestPackages.Sco.of("b", "B", "b.html")),
                TestPackages.Sco.of("c", "C", "c.html"));
        TestPackages.publish(context, zip, code, unit);
        long learner = people.create(PersonFixture.hsaPrefix() + "K", "Kluster", "Spelare", null, unit,
                java.time.LocalDate.now().minusYears(1), java.time.LocalDate.now().minusYears(1));
        ScormAttempts.Attempt attempt = attempts.openOrStart(learner, code);
        List<ScormAttempts.ItemStatus> items = attempts.items(attempt.id());
        assertEquals(List.of("del-1:CLUSTER:0:false", "a:SCO:1:true", "b:SCO:1:true", "c:SCO:0:true"), items.stream()
                .map(i -> i.identifier() + ":" + i.kind() + ":" + i.depth() + ":" + i.launchable()).toList());
        PackagePlayer a = new PackagePlayer(packageOrigin(), attempts.issueToken(attempt.id(), learner, false),
                items.get(1).itemId());
        a.initialize();
        a.set("cmi.completion_status", "completed");
        JsonObject answer = a.commit();
        assertEquals("incomplete", answer.getAsJsonArray("items").get(0).getAsJsonObject().get("completion").getAsString(),
                "one of its two SCOs completed");
        PackagePlayer b = a.sco(items.get(2).itemId());
        b.initialize();
        b.set("cmi.completion_status", "completed");
        answer = b.commit();
        assertEquals("completed", answer.getAsJsonArray("items").get(0).getAsJsonObject().get("completion").getAsString());
        assertEquals("OPEN", answer.get("attempt").getAsString(), "SCO c is still to do");
    }

    @Test
    void manyLearnersStartingAtOnceAreAllAnswered() throws Exception {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("sco1", "Del 1"),
                PackageFixture.Sco.plain("sco2", "Del 2")));
        List<PackagePlayer> frames = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            frames.add(play(published, packages.learner(published, "Samtidig" + i)).sco(published.items().get(i % 2)));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<String>> runs = new ArrayList<>();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(frames.size());
        for (PackagePlayer frame : frames) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                frame.initialize();
                frame.set("cmi.location", "1");
                return frame.commit().get("value").getAsString();
            }, threads));
        }
        start.countDown();
        for (CompletableFuture<String> run : runs) {
            assertEquals("true", run.get());
        }
        threads.shutdown();
    }

    @Test
    void thePackagesCompletionFulfilsTheLearnersAssignmentLikeANativeModules() {
        PackageFixture.Published published = packages.publish("1.2", List.of(PackageFixture.Sco.plain("sco-1", "Del 1")));
        long learner = packages.learner(published, "Uppdrag");
        manual.request(published.unitId(), null, published.code(), java.time.LocalDate.now().plusDays(30), "samordnare");
        sql.awaitManualAssignments();
        sql.awaitRecomputations();
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ? "
                + "AND completion_id IS NULL", learner, published.code()));

        PackagePlayer frame = play(published, learner);
        frame.initialize();
        frame.set("cmi.core.lesson_status", "passed");
        frame.terminate();

        assertEquals(sql.strings("SELECT id FROM completion WHERE person_id = ?", learner),
                sql.strings("SELECT completion_id FROM assignment WHERE person_id = ? AND module_code = ?", learner,
                        published.code()), "the assignment is fulfilled by the completion, in the same transaction");
    }
}
