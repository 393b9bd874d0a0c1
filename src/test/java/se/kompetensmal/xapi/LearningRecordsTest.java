package se.kompetensmal.xapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.Assessments;
import se.kompetensmal.learning.ModuleProgress;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.ManualAssignments;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning records reach a real LRS (Learning Locker's statement service on loopback, through a proxy that counts what
 * is delivered): every kind of statement is stored as it was written; an outage loses nothing and the backlog arrives
 * exactly once, in order, when the LRS is back; two service instances on one database never send a statement twice.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LearningRecordsTest extends ServiceTest {

    private static final String MODULE = "vardskador-grunder";

    private TestLrs lrs;
    private CountingProxy proxy;

    @Inject
    ModuleProgress progress;

    @Inject
    Assessments assessments;

    @Inject
    ManualAssignments manual;

    @Inject
    OutboxSender sender;

    @Inject
    ExternalCompletions external;

    @Inject
    se.kompetensmal.jobs.Jobs jobs;

    @Override
    public Map<String, String> getProperties() {
        if (lrs == null) {
            lrs = TestLrs.start();
            proxy = new CountingProxy(lrs.endpoint());
        }
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.putAll(Map.of("kompetensmal.xapi.endpoint", proxy.endpoint(), "kompetensmal.xapi.username", TestLrs.USER,
                "kompetensmal.xapi.password", TestLrs.PASSWORD, "kompetensmal.xapi.interval", "1h",
                "kompetensmal.xapi.longest-wait", "1s", "kompetensmal.public-url", "https://kompetensmal.test"));
        return properties;
    }

    @AfterAll
    void stopTheLrs() {
        proxy.close();
        lrs.close();
    }

    @Test
    void everyKindOfLearningEventIsStoredInTheLrsAsItWasWritten() {
        Learner learner = learner("Alla");
        long version = progress.start(learner.id(), MODULE).moduleVersionId();
        progress.read(learner.id(), MODULE, version, 1, "Om modulen");
        Assessments.OpenAttempt first = assessments.open(learner.id(), version);
        assessments.submit(learner.id(), first.id(), answers(first, false));
        Assessments.OpenAttempt second = assessments.open(learner.id(), version);
        assessments.submit(learner.id(), second.id(), answers(second, true));
        manual.exempt(learner.id(), "basala-hygienrutiner", "Genomgått i tidigare anställning", null, "samordnare");

        sender.deliverAll();

        Map<String, String> written = outbox(learner.id());
        Map<String, Long> verbs = sql.strings("SELECT verb FROM xapi_outbox WHERE person_id = ?", learner.id()).stream()
                .collect(Collectors.groupingBy(v -> v, LinkedHashMap::new, Collectors.counting()));
        int questions = first.questions().size();
        assertEquals(Map.of("registered", 1L, "launched", 1L, "experienced", 1L, "answered", 2L * questions, "failed", 1L,
                "passed", 1L, "completed", 1L, "waived", 1L), verbs);
        assertEquals(0, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND status <> 'SENT'", learner.id()));
        for (Map.Entry<String, String> statement : written.entrySet()) {
            JsonObject sent = JsonParser.parseString(statement.getValue()).getAsJsonObject();
            JsonObject stored = JsonParser.parseString(lrs.get("statements?statementId=" + statement.getKey()).body()).getAsJsonObject();
            for (String field : List.of("id", "verb", "object", "result", "context", "timestamp")) {
                assertEquals(normalised(sent.get(field)), normalised(stored.get(field)), field + " of " + statement.getValue());
            }
            JsonObject account = stored.getAsJsonObject("actor").getAsJsonObject("account");
            assertEquals(learner.hsaId(), account.get("name").getAsString());
            assertEquals("https://kompetensmal.test", account.get("homePage").getAsString());
            assertTrue(stored.getAsJsonObject("actor").get("mbox") == null, "no e-mail address identifies the learner");
            assertEquals(1, proxy.deliveries(statement.getKey()));
        }
        JsonObject passed = stored(written, "passed");
        assertEquals(1.0, passed.getAsJsonObject("result").getAsJsonObject("score").get("scaled").getAsDouble());
        assertEquals("https://kompetensmal.test/xapi/moduler/" + MODULE, passed.getAsJsonObject("object").get("id").getAsString());
        assertEquals(registration(learner), passed.getAsJsonObject("context").get("registration").getAsString(),
                "the registration is the assignment cycle");
    }

    @Test
    void anOutageOfTheLrsLosesNothingAndTheBacklogArrivesOnceInOrder() throws Exception {
        Learner learner = learner("Avbrott");
        sender.deliverAll();
        lrs.down();
        long version = progress.start(learner.id(), MODULE).moduleVersionId();
        for (int i = 1; i <= 999; i++) {
            progress.read(learner.id(), MODULE, version, 1 + i % 6, "Sida");
        }
        assertEquals(1000, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND status = 'PENDING'", learner.id()),
                "launched + 999 pages");

        sender.deliverAll();
        assertEquals(1000, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND status = 'PENDING'", learner.id()),
                "every statement kept and waiting for the LRS");
        assertTrue(sql.number("""
                SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND attempts > 0 AND last_error LIKE 'HTTP 502%'""", learner.id()) > 0,
                "the failed delivery is recorded with the answer: "
                        + sql.strings("SELECT DISTINCT CONCAT(attempts, ' ', COALESCE(last_error, '-')) FROM xapi_outbox WHERE person_id = ?", learner.id()));

        lrs.up();
        Thread.sleep(1100);
        sender.deliverAll();

        // The LRS came back empty (it keeps statements in memory): what it holds now is what was recorded while it was away.
        Set<String> duringTheOutage = Set.copyOf(sql.strings(
                "SELECT statement_id FROM xapi_outbox WHERE person_id = ? AND verb IN ('launched', 'experienced')", learner.id()));
        assertEquals(1000, duringTheOutage.size());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND status <> 'SENT'", learner.id()));
        duringTheOutage.forEach(id -> assertEquals(1, proxy.deliveries(id), id));
        assertEquals(duringTheOutage, storedIdsOf(learner));
        List<String> sentOrder = sql.strings("SELECT id FROM xapi_outbox WHERE person_id = ? ORDER BY sent_at, id", learner.id());
        assertEquals(sql.strings("SELECT id FROM xapi_outbox WHERE person_id = ? ORDER BY id", learner.id()), sentOrder,
                "delivered oldest first");
    }

    @Test
    void twoInstancesOnOneDatabaseNeverSendAStatementTwice() {
        Learner learner = learner("Tvilling");
        long version = progress.start(learner.id(), MODULE).moduleVersionId();
        for (int i = 1; i < 600; i++) {
            progress.read(learner.id(), MODULE, version, 1 + i % 6, "Sida");
        }
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.put("micronaut.server.port", -1);
        try (ApplicationContext other = ApplicationContext.run(properties, "test")) {
            OutboxSender second = other.getBean(OutboxSender.class);
            CompletableFuture<Void> one = CompletableFuture.runAsync(sender::deliverAll);
            CompletableFuture<Void> two = CompletableFuture.runAsync(second::deliverAll);
            CompletableFuture.allOf(one, two).join();
        }

        Map<String, String> written = outbox(learner.id());
        assertEquals(601, written.size(), "registered, launched and 599 pages");
        assertEquals(0, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND status <> 'SENT'", learner.id()));
        written.keySet().forEach(id -> assertEquals(1, proxy.deliveries(id), "statement " + id + " delivered once"));
        assertEquals(written.keySet(), storedIdsOf(learner));
    }

    @Test
    void aStatementTheLrsRefusesIsHeldWithItsAnswerForAdministratorsAndTheRestIsDelivered() {
        Learner learner = learner("Avvisad");
        long version = progress.start(learner.id(), MODULE).moduleVersionId();
        progress.read(learner.id(), MODULE, version, 1, "Om modulen");
        // A statement the LRS must refuse: its verb is not an IRI. Written straight to the outbox, as no event makes one.
        String broken = java.util.UUID.randomUUID().toString();
        sql.update("INSERT INTO xapi_outbox (statement_id, verb, person_id, payload) VALUES (?, 'broken', ?, ?)", broken, learner.id(),
                "{\"id\":\"" + broken + "\",\"actor\":{\"objectType\":\"Agent\",\"account\":{\"homePage\":\"https://kompetensmal.test\","
                        + "\"name\":\"" + learner.hsaId() + "\"}},\"verb\":{\"id\":\"not an iri\"},\"object\":{\"id\":\"https://kompetensmal.test/x\"}}");
        progress.read(learner.id(), MODULE, version, 2, "Vad är en vårdskada?");

        sender.deliverAll();

        assertEquals(List.of("registered SENT", "launched SENT", "experienced SENT", "broken FAILED", "experienced SENT"),
                sql.strings("SELECT CONCAT(verb, ' ', status) FROM xapi_outbox WHERE person_id = ? ORDER BY id", learner.id()));
        assertEquals(0, proxy.deliveries(broken));
        String admin = users.admin();
        String page = http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET("/admin/xapi")
                .cookie(io.micronaut.http.cookie.Cookie.of("JWT", admin)));
        assertTrue(page.contains(broken) && page.contains("400"), page);
        Outbox.State state = http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET("/api/xapi/outbox").bearerAuth(admin),
                Outbox.State.class);
        assertTrue(state.refusedStatements().stream().anyMatch(w -> w.statementId().equals(broken) && w.answer().contains("400")));
        assertTrue(state.deliveredPerDay().get(0).statements() >= 3);

        http.toBlocking().exchange(io.micronaut.http.HttpRequest.POST("/admin/xapi/forsok-igen", Map.of("csrfToken",
                        se.kompetensmal.TestUsers.csrfTokenOf(page))).contentType(io.micronaut.http.MediaType.APPLICATION_FORM_URLENCODED)
                .cookie(io.micronaut.http.cookie.Cookie.of("JWT", admin)));
        assertEquals(List.of("PENDING"), sql.strings("SELECT status FROM xapi_outbox WHERE statement_id = ?", broken),
                "back in line for another try");
        sql.update("DELETE FROM xapi_outbox WHERE statement_id = ?", broken);
    }

    @Test
    void completionsOfAnExternalModuleAreReadFromTheLrsForTheRightPeopleOnce() {
        String activity = sql.strings("SELECT xapi_activity_id FROM module_version WHERE module_code = 'saker-vard-nationell'").get(0);
        Learner anna = learner("Anna");
        Learner bo = learner("Bo");
        sql.update("INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by) VALUES (?, 'saker-vard-nationell', 1, 'MANUAL', ?, 'test')",
                anna.id(), LocalDate.now(SwedishTime.ZONE).plusDays(30));
        String annaDone = java.util.UUID.randomUUID().toString();
        String boPassed = java.util.UUID.randomUUID().toString();
        String stranger = java.util.UUID.randomUUID().toString();
        String onlyLaunched = java.util.UUID.randomUUID().toString();
        assertEquals(200, lrs.post("[" + external(annaDone, anna.hsaId(), "completed", activity, "2026-10-05T09:30:00Z", null) + ","
                + external(boPassed, bo.hsaId(), "passed", activity, "2026-11-01T13:00:00Z", 0.9) + ","
                + external(stranger, "SE0000000000-9999", "completed", activity, "2026-11-02T08:00:00Z", null) + ","
                + external(onlyLaunched, anna.hsaId(), "launched", activity, "2026-10-01T08:00:00Z", null) + "]").statusCode());
        String admin = users.admin();
        String page = http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET("/admin/xapi")
                .cookie(io.micronaut.http.cookie.Cookie.of("JWT", admin)));

        String after = readExternalCompletions(admin, page);

        assertTrue(after.contains("2 nya genomföranden") && after.contains("1 om personer som inte finns"), after);
        assertEquals(List.of("2026-10-05 - EXTERNAL " + annaDone), completionsOf(anna));
        assertEquals(List.of("2026-11-01 90 EXTERNAL " + boPassed), completionsOf(bo));
        assertEquals(1, sql.number("""
                SELECT COUNT(*) FROM assignment a JOIN completion c ON c.id = a.completion_id
                WHERE a.person_id = ? AND a.module_code = 'saker-vard-nationell'""", anna.id()),
                "the external completion fulfils the assignment like any other");

        String again = readExternalCompletions(admin, page);
        // Read again since the cursor less the overlap: this test's statements (and any another test posted just before)
        // come back, and are known.
        java.util.regex.Matcher known = java.util.regex.Pattern.compile("(\\d+) redan registrerade").matcher(again);
        assertTrue(again.contains("0 nya genomföranden") && known.find() && Integer.parseInt(known.group(1)) >= 2, again);
        assertEquals(1, completionsOf(anna).size());
    }

    @Test
    void theLrsReaderAsksOnlyForStatementsStoredSinceItsLastReading() {
        String activity = sql.strings("SELECT xapi_activity_id FROM module_version WHERE module_code = 'saker-vard-nationell'").get(0);
        Learner hanna = learner("Hanna");
        Learner ivar = learner("Ivar");
        String hannaDone = java.util.UUID.randomUUID().toString();
        assertEquals(200, lrs.post("[" + external(hannaDone, hanna.hsaId(), "completed", activity, "2026-10-05T09:30:00Z", null) + "]")
                .statusCode());
        external.read();
        assertEquals(1, completionsOf(hanna).size());
        String cursor = sql.strings("SELECT DATE_FORMAT(stored_until, '%Y-%m-%dT%H:%i:%s.%f') FROM lrs_reading_cursor WHERE activity_id = ?",
                activity).get(0);
        assertEquals(storedOf(hannaDone), cursor.substring(0, 23), "the cursor is the newest statement read");

        String ivarPassed = java.util.UUID.randomUUID().toString();
        assertEquals(200, lrs.post("[" + external(ivarPassed, ivar.hsaId(), "passed", activity, "2026-11-01T13:00:00Z", 0.8) + "]")
                .statusCode());
        proxy.forgetReads();
        ExternalCompletions.Reading second = external.read();

        assertEquals(1, second.recorded(), "only the statement stored since the last reading is new");
        // The first page of each verb's reading names the activity and verb; the LRS's "more" links name a cursor only.
        List<String> reads = proxy.reads().stream().filter(q -> q.contains("verb=")).toList();
        assertEquals(2, reads.size(), "one reading per verb: " + proxy.reads());
        reads.forEach(q -> assertTrue(q.contains(activity) && q.contains("since="), "never the whole LRS again: " + q));
        assertEquals(List.of("2026-11-01 80 EXTERNAL " + ivarPassed), completionsOf(ivar));
        assertEquals(1, completionsOf(hanna).size());
        assertEquals(storedOf(ivarPassed), sql.strings("""
                SELECT DATE_FORMAT(stored_until, '%Y-%m-%dT%H:%i:%s.%f') FROM lrs_reading_cursor WHERE activity_id = ?""",
                activity).get(0).substring(0, 23));
    }

    @Test
    void theOutboxIsSentByItsBackgroundJobAndItsBacklogIsWhatWaits() {
        Learner learner = learner("Jobbet");
        long version = progress.start(learner.id(), MODULE).moduleVersionId();
        progress.read(learner.id(), MODULE, version, 1, "Om modulen");
        se.kompetensmal.jobs.Backlog waiting = sender.backlog();
        assertTrue(waiting.waiting() >= 3 && waiting.oldestQueuedAt() != null, waiting.toString());
        assertTrue(jobs.kinds().containsAll(List.of("outbox", "lrs-reading")), jobs.kinds().toString());

        jobs.nudge("outbox");

        se.kompetensmal.Waiting.until(() -> sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND status <> 'SENT'",
                learner.id()), n -> n == 0, java.time.Duration.ofSeconds(60), "the outbox job sending the statements");
        outbox(learner.id()).keySet().forEach(id -> assertEquals(1, proxy.deliveries(id), "statement " + id + " delivered once"));
    }

    /** The LRS's stored time of a statement, to the millisecond, as the cursor keeps it (UTC, no zone). */
    private String storedOf(String statementId) {
        String stored = JsonParser.parseString(lrs.get("statements?statementId=" + statementId).body()).getAsJsonObject()
                .get("stored").getAsString();
        return java.time.OffsetDateTime.parse(stored).toInstant().atOffset(java.time.ZoneOffset.UTC).toLocalDateTime()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS"));
    }

    /** The administrator's "Hämta genomföranden nu", and the page it leads to. */
    private String readExternalCompletions(String admin, String page) {
        var response = http.toBlocking().exchange(io.micronaut.http.HttpRequest.POST("/admin/xapi/hamta", Map.of("csrfToken",
                        se.kompetensmal.TestUsers.csrfTokenOf(page))).contentType(io.micronaut.http.MediaType.APPLICATION_FORM_URLENCODED)
                .cookie(io.micronaut.http.cookie.Cookie.of("JWT", admin)), String.class);
        String location = response.getHeaders().get("Location");
        return http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET(location == null ? "/admin/xapi" : location)
                .cookie(io.micronaut.http.cookie.Cookie.of("JWT", admin)));
    }

    private List<String> completionsOf(Learner learner) {
        return sql.strings("""
                SELECT CONCAT(c.completed_on, ' ', COALESCE(c.score, '-'), ' ', c.source, ' ', c.external_statement_id)
                FROM completion c JOIN module_version m ON m.id = c.module_version_id
                WHERE c.person_id = ? AND m.module_code = 'saker-vard-nationell'""", learner.id());
    }

    /** A statement as an external course would send it: the learner's HSA-id account, an ADL verb, the course activity. */
    private static String external(String id, String hsaId, String verb, String activity, String timestamp, Double scaled) {
        return "{\"id\":\"" + id + "\",\"timestamp\":\"" + timestamp + "\",\"actor\":{\"objectType\":\"Agent\",\"account\":"
                + "{\"homePage\":\"https://hsa.example\",\"name\":\"" + hsaId + "\"}},\"verb\":{\"id\":\"" + LearningRecords.ADL + verb
                + "\"},\"object\":{\"id\":\"" + activity + "\"}"
                + (scaled == null ? "" : ",\"result\":{\"success\":true,\"score\":{\"scaled\":" + scaled + "}}") + "}";
    }

    record Learner(long id, String hsaId) {
    }

    private Learner learner(String name) {
        String p = "XAPI" + System.nanoTime();
        long unit = tree.add(p, "Enhet " + name, OrgNodeKind.UNIT, null).id();
        String hsaId = PersonFixture.hsaPrefix() + "1";
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        long id = people.create(hsaId, name, "Lärling", null, unit, today.minusYears(1), today.minusYears(1), "LICENSED");
        manual.request(unit, null, MODULE, today.plusDays(30), "samordnare");
        sql.awaitManualAssignments();
        return new Learner(id, hsaId);
    }

    private String registration(Learner learner) {
        long assignment = sql.number("SELECT id FROM assignment WHERE person_id = ? AND module_code = ?", learner.id(), MODULE);
        return java.util.UUID.nameUUIDFromBytes(("kompetensmal:assignment:" + assignment).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Each question's field: exactly its right options, or one wrong one. */
    private Map<Long, Set<Long>> answers(Assessments.OpenAttempt attempt, boolean right) {
        Map<Long, Set<Long>> answers = new HashMap<>();
        for (Assessments.AskedQuestion question : attempt.questions()) {
            Set<Long> correct = sql.strings("SELECT id FROM question_option WHERE question_id = ? AND correct", question.id())
                    .stream().map(Long::valueOf).collect(Collectors.toSet());
            Set<Long> chosen = new HashSet<>();
            if (right) {
                chosen.addAll(correct);
            } else {
                question.options().stream().map(Assessments.Choice::id).filter(o -> !correct.contains(o)).findFirst()
                        .ifPresent(chosen::add);
            }
            answers.put(question.id(), chosen);
        }
        return answers;
    }

    /** The person's statements as written to the outbox, by statement id. */
    private Map<String, String> outbox(long personId) {
        Map<String, String> statements = new LinkedHashMap<>();
        sql.strings("SELECT CONCAT(statement_id, ' ', payload) FROM xapi_outbox WHERE person_id = ? ORDER BY id", personId)
                .forEach(row -> statements.put(row.substring(0, 36), row.substring(37)));
        return statements;
    }

    private JsonObject stored(Map<String, String> written, String verb) {
        String id = written.entrySet().stream().filter(e -> e.getValue().contains(LearningRecords.ADL + verb + "\""))
                .findFirst().orElseThrow().getKey();
        return JsonParser.parseString(lrs.get("statements?statementId=" + id).body()).getAsJsonObject();
    }

    /** The ids of every statement the LRS holds about the learner, following its pages. */
    private Set<String> storedIdsOf(Learner learner) {
        String agent = "{\"objectType\":\"Agent\",\"account\":{\"homePage\":\"https://kompetensmal.test\",\"name\":\"" + learner.hsaId() + "\"}}";
        List<String> ids = new ArrayList<>();
        // One page large enough for the test's statements: this LRS's "more" links lose the agent filter.
        JsonObject page = JsonParser.parseString(lrs.get("statements?limit=5000&agent="
                + URLEncoder.encode(agent, StandardCharsets.UTF_8)).body()).getAsJsonObject();
        JsonArray statements = page.getAsJsonArray("statements");
        statements.forEach(s -> ids.add(s.getAsJsonObject().get("id").getAsString()));
        assertTrue(statements.size() < 5000, "all on one page");
        assertEquals(ids.size(), new HashSet<>(ids).size(), "no statement stored twice");
        return new HashSet<>(ids);
    }

    /** JSON compared without regard to key order, with numbers compared as numbers. */
    private static Object normalised(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element.isJsonObject()) {
            Map<String, Object> map = new java.util.TreeMap<>();
            element.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), normalised(e.getValue())));
            // The LRS fills in what xAPI lets a statement leave out: an activity's type.
            map.remove("objectType", "Activity");
            return map;
        }
        if (element.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            element.getAsJsonArray().forEach(e -> list.add(normalised(e)));
            return list;
        }
        return element.getAsJsonPrimitive().isNumber() ? (Object) element.getAsDouble() : element.getAsString();
    }
}
