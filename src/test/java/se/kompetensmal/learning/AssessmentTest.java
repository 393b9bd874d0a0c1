package se.kompetensmal.learning;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Taking a module's assessment over the real pages and forms, against the real database: exactly one completion however
 * often the form is sent, a failed attempt recorded and retried, answers and place kept across sessions, the right
 * answers kept on the server until submitting, and the certificate's content.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AssessmentTest extends ServiceTest {

    private static final String MODULE = "vardskador-grunder";

    @Inject
    EmbeddedServer server;

    @Inject
    ModuleProgress progress;

    @Inject
    Assessments assessments;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    record Learner(long personId, String hsaId, LearnerSession session) {
    }

    @Test
    void passingFormSentEightTimesAtOnceRecordsExactlyOneCompletion() throws Exception {
        Learner learner = learner("Parallell");
        String assessment = learner.session().page("/utbildning/" + MODULE + "/prov");
        long attempt = LearnerSession.attemptOf(assessment);
        String form = "/utbildning/" + MODULE + "/prov/" + attempt;

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<HttpResponse<String>> submit = () -> {
                start.await();
                return learner.session().post(form, assessment, answers(true));
            };
            sent.add(pool.submit(submit));
        }
        start.countDown();
        for (Future<HttpResponse<String>> response : sent) {
            assertEquals(303, response.get().statusCode(), response.get().body());
            assertEquals(List.of("/utbildning/" + MODULE + "/resultat/" + attempt), response.get().headers().allValues("Location"));
        }
        pool.shutdown();

        assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner.personId()));
        assertEquals(1, sql.number("""
                SELECT COUNT(*) FROM assessment_attempt a JOIN completion c ON c.id = a.completion_id
                WHERE a.id = ? AND a.passed AND a.score = 100 AND c.score = 100 AND c.completed_on = ? AND c.seconds_spent >= 0""",
                attempt, today));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assessment_attempt WHERE person_id = ?", learner.personId()));
        assertEquals(1, sql.number("""
                SELECT COUNT(*) FROM assignment a JOIN completion c ON c.id = a.completion_id
                WHERE a.person_id = ? AND a.module_code = ?""", learner.personId(), MODULE),
                "the completion fulfils the learner's assignment");

        // The same form sent again later (back button, resend) shows the result and records nothing more.
        HttpResponse<String> resent = learner.session().post(form, assessment, answers(true));
        assertEquals(303, resent.statusCode());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner.personId()));
        String result = learner.session().page("/utbildning/" + MODULE + "/resultat/" + attempt);
        assertTrue(result.contains("Godkänt") && result.contains("8 av 8 rätt (100 %)"), result);
    }

    @Test
    void failingRecordsTheAttemptWithoutCompletionAndTheLearnerCanRetryAndPass() {
        Learner learner = learner("Omprov");
        String first = learner.session().page("/utbildning/" + MODULE + "/prov");
        long failedAttempt = LearnerSession.attemptOf(first);

        HttpResponse<String> failed = learner.session().post("/utbildning/" + MODULE + "/prov/" + failedAttempt, first, answers(false));

        assertEquals(303, failed.statusCode(), failed.body());
        String result = learner.session().page("/utbildning/" + MODULE + "/resultat/" + failedAttempt);
        assertTrue(result.contains("Inte godkänt") && result.contains("0 av 8 rätt (0 %)") && result.contains("Gör om provet"), result);
        assertFalse(result.contains("Ladda ner intyg"), result);
        assertEquals(List.of("false 0 0"), sql.strings(
                "SELECT CONCAT(IF(passed, 'true', 'false'), ' ', score, ' ', correct_answers) FROM assessment_attempt WHERE id = ?",
                failedAttempt));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner.personId()));
        assertTrue(learner.session().page("/").contains("id=\"forsenade\""), "still overdue after failing");

        String retry = learner.session().page("/utbildning/" + MODULE + "/prov");
        long secondAttempt = LearnerSession.attemptOf(retry);
        assertNotEquals(failedAttempt, secondAttempt, "retrying opens a new attempt");
        assertFalse(retry.contains("checked"), "a new attempt starts with nothing ticked");
        learner.session().post("/utbildning/" + MODULE + "/prov/" + secondAttempt, retry, answers(true));

        assertEquals(List.of("true"), sql.strings("SELECT IF(passed, 'true', 'false') FROM assessment_attempt WHERE id = ?", secondAttempt));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner.personId()));
        String history = learner.session().page("/min-utbildning/historik");
        assertTrue(history.contains("/utbildning/" + MODULE + "/resultat/" + failedAttempt)
                && history.contains("/utbildning/" + MODULE + "/resultat/" + secondAttempt)
                && history.contains("Inte godkänt") && history.contains("Godkänt"), history);
    }

    @Test
    void placeAndAnswersAreKeptWhenTheLearnerSignsInAgain() {
        Learner learner = learner("Fortsatt");
        int pages = (int) sql.number("SELECT COUNT(*) FROM module_page WHERE module_version_id = ?", latestVersion());
        String pageThree = learner.session().page("/utbildning/" + MODULE + "/sida/3");
        assertTrue(pageThree.contains("Sida 3 av " + pages), pageThree);

        LearnerSession again = new LearnerSession(learner.session().server(), users.token("learner-" + learner.hsaId()));
        String start = again.page("/utbildning/" + MODULE);
        assertTrue(start.contains("Du slutade på sida 3 av " + pages) && start.contains("/utbildning/" + MODULE + "/sida/3"), start);

        String assessment = again.page("/utbildning/" + MODULE + "/prov");
        long attempt = LearnerSession.attemptOf(assessment);
        Map<String, List<String>> right = answers(true);
        String firstQuestion = right.keySet().iterator().next();
        HttpResponse<String> saved = again.post("/utbildning/" + MODULE + "/prov/" + attempt + "/svar", assessment,
                Map.of("question", List.of(firstQuestion.substring(1)), "option", right.get(firstQuestion)));
        assertEquals(204, saved.statusCode(), saved.body());

        // The session ends before submitting; signed in again, the learner finds the same attempt with the answer ticked.
        LearnerSession third = new LearnerSession(learner.session().server(), users.token("learner-" + learner.hsaId()));
        assertTrue(third.page("/utbildning/" + MODULE).contains("Fortsätt till provet"));
        String resumed = third.page("/utbildning/" + MODULE + "/prov");
        assertEquals(attempt, LearnerSession.attemptOf(resumed));
        for (String option : right.get(firstQuestion)) {
            assertTrue(resumed.contains("id=\"o" + option + "\" name=\"" + firstQuestion + "\" value=\"" + option + "\" checked"), resumed);
        }

        // Submitting with questions unanswered submits nothing, says which, and keeps what was ticked.
        HttpResponse<String> incomplete = third.post("/utbildning/" + MODULE + "/prov/" + attempt, resumed, Map.of());
        assertEquals(422, incomplete.statusCode());
        assertTrue(incomplete.body().contains("Det saknas svar på fråga 2, 3, 4, 5, 6, 7, 8."), incomplete.body());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM assessment_attempt WHERE id = ? AND submitted_at IS NOT NULL", attempt));
        assertEquals(right.get(firstQuestion).size(), sql.number("SELECT COUNT(*) FROM attempt_answer WHERE attempt_id = ?", attempt));
    }

    @Test
    void rightAnswersAndTheirExplanationsReachTheBrowserOnlyAfterSubmitting() {
        Learner learner = learner("Facit");
        String assessment = learner.session().page("/utbildning/" + MODULE + "/prov");
        List<String> feedback = sql.strings("""
                SELECT o.feedback FROM question_option o JOIN assessment_question q ON q.id = o.question_id
                WHERE q.module_version_id = ?""", latestVersion());

        feedback.forEach(text -> assertFalse(assessment.contains(escaped(text)), "feedback shown before submitting: " + text));
        assertFalse(assessment.contains("correct"), assessment);

        long attempt = LearnerSession.attemptOf(assessment);
        learner.session().post("/utbildning/" + MODULE + "/prov/" + attempt, assessment, answers(false));
        String result = learner.session().page("/utbildning/" + MODULE + "/resultat/" + attempt);
        List<String> chosenFeedback = sql.strings("""
                SELECT o.feedback FROM attempt_answer a JOIN question_option o ON o.id = a.option_id WHERE a.attempt_id = ?""", attempt);
        chosenFeedback.forEach(text -> assertTrue(result.contains(escaped(text)), "feedback on the chosen answer: " + text));
        assertFalse(result.contains("rätt svar"), "a failed attempt does not hand out the right answers");
    }

    @Test
    void certificateNamesThePersonModuleVersionDateScoreAndGoalsAndOnlyTheLearnerGetsIt() throws IOException {
        Learner learner = learner("Intyg");
        String assessment = learner.session().page("/utbildning/" + MODULE + "/prov");
        long attempt = LearnerSession.attemptOf(assessment);
        learner.session().post("/utbildning/" + MODULE + "/prov/" + attempt, assessment, answers(true));
        long completion = sql.number("SELECT completion_id FROM assessment_attempt WHERE id = ?", attempt);
        assertTrue(learner.session().page("/").contains("/min-utbildning/intyg/" + completion), "certificate linked under done");

        HttpResponse<byte[]> pdf = learner.session().download("/min-utbildning/intyg/" + completion);

        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse(""));
        String text;
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
        String title = sql.strings("SELECT title FROM module_version WHERE id = ?", latestVersion()).get(0);
        int version = (int) sql.number("SELECT version FROM module_version WHERE id = ?", latestVersion());
        assertTrue(text.contains("Intyg"), text);
        assertTrue(text.contains("Intyg Testperson"), text);
        assertTrue(text.contains("HSA-id: " + learner.hsaId()), text);
        assertTrue(text.contains(title), text);
        assertTrue(text.contains("Version: " + version), text);
        assertFalse(text.contains(MODULE), "the module by its title, not its code: " + text);
        // The file is named by the module's title (Vårdskador och patientsäkerhet – grunderna).
        assertTrue(pdf.headers().firstValue("Content-Disposition").orElse("")
                .contains("intyg-vardskador-och-patientsakerhet-grunderna-" + today + ".pdf"));
        assertTrue(text.contains("Genomförd: " + today), text);
        assertTrue(text.contains("Resultat: 100 %"), text);
        List<String> goals = sql.strings("""
                SELECT g.code FROM module_version_goal mg JOIN competence_goal g ON g.id = mg.goal_id WHERE mg.module_version_id = ?""",
                latestVersion());
        assertFalse(goals.isEmpty());
        goals.forEach(goal -> assertTrue(text.contains(goal), goal + " missing: " + text));

        Learner someoneElse = learner("Annan");
        assertEquals(404, someoneElse.session().download("/min-utbildning/intyg/" + completion).statusCode());
    }

    @Test
    void manyLearnersSubmittingAtOnceEachGetTheirOwnCompletion() throws Exception {
        String p = "MANY" + System.nanoTime();
        long unit = tree.add(p, "Avdelning Många", OrgNodeKind.UNIT, null).id();
        Map<Long, Set<Long>> right = new java.util.HashMap<>();
        answers(true).forEach((field, options) -> right.put(Long.valueOf(field.substring(1)),
                options.stream().map(Long::valueOf).collect(java.util.stream.Collectors.toSet())));
        List<long[]> learners = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            long person = people.create(PersonFixture.hsaPrefix() + i, "Nr" + i, "Samtidig", null, unit, today.minusYears(1),
                    today.minusYears(1), "LICENSED");
            long version = progress.start(person, MODULE).moduleVersionId();
            learners.add(new long[] {person, assessments.open(person, version).id()});
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Assessments.Submission>> submitted = new ArrayList<>();
        for (long[] learner : learners) {
            submitted.add(pool.submit(() -> {
                start.await();
                return assessments.submit(learner[0], learner[1], right);
            }));
        }
        start.countDown();
        for (Future<Assessments.Submission> submission : submitted) {
            assertTrue(submission.get().result().passed(), "every submission goes through, none is lost to a deadlock");
        }
        pool.shutdown();

        assertEquals(48, sql.number("""
                SELECT COUNT(*) FROM completion c JOIN person p ON p.id = c.person_id WHERE p.family_name = 'Samtidig'
                  AND p.org_node_id = ?""", unit));
    }

    /** A licensed nurse with the module assigned, signed in. */
    private Learner learner(String givenName) {
        String p = "LRN" + System.nanoTime();
        long unit = tree.add(p, "Avdelning " + givenName, OrgNodeKind.UNIT, null).id();
        String hsaId = PersonFixture.hsaPrefix() + "1";
        long person = people.create(hsaId, givenName, "Testperson", null, unit, today.minusYears(1), today.minusYears(1), "LICENSED");
        sql.update("""
                INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by) VALUES (?, ?, 1, 'MANUAL', ?, 'test')""",
                person, MODULE, today.minusDays(1));
        String username = users.account("learner-" + hsaId, person, Role.LEARNER, unit);
        return new Learner(person, hsaId, new LearnerSession(URI.create(server.getURL().toString()), users.token(username)));
    }

    private long latestVersion() {
        return sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", MODULE);
    }

    /** Each question's field with exactly its right options, or with one wrong option. */
    private Map<String, List<String>> answers(boolean right) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        for (String row : sql.strings("""
                SELECT CONCAT(q.id, ' ', o.id, ' ', o.correct) FROM assessment_question q JOIN question_option o ON o.question_id = q.id
                WHERE q.module_version_id = ? ORDER BY q.position, o.position""", latestVersion())) {
            String[] parts = row.split(" ");
            List<String> options = answers.computeIfAbsent("q" + parts[0], key -> new ArrayList<>());
            boolean correct = parts[2].equals("1");
            if (right ? correct : !correct && options.isEmpty()) {
                options.add(parts[1]);
            }
        }
        return answers;
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#x27;");
    }
}
