package se.kompetensmal.registration;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.multipart.MultipartBody;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.reporting.Statistics;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.FollowUp;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A completion registered by a coordinator with evidence, and voided. The facts: a municipality with one unit, an
 * introduction routine for non-licensed staff (the introduction module within 30 days of starting), and two non-licensed
 * people, Anna and Bertil, who started 40 days ago and have done nothing, so both are 10 days overdue. Registering Anna's
 * introduction module makes her done and leaves Bertil the only one overdue; voiding it puts everything back as before,
 * while the completion stays in the history struck through.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegisteredCompletionTest extends ServiceTest {

    static final String INTRO = "vardskador-grunder";
    static final String HYGIENE = "basala-hygienrutiner";
    /** A PDF as readers know one: the header first, %%EOF at the end. */
    static final byte[] PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    @Inject
    Statistics statistics;

    @Inject
    ModuleTitles titles;

    @Inject
    se.kompetensmal.learning.Completions completions;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    String p;
    long municipality;
    long ward;
    String coordinatorName;
    String coordinator;
    long anna;
    long bertil;

    @BeforeEach
    void aUnitWhereAnnaAndBertilAreBothOverdueOnTheirIntroduction() {
        p = "REG" + System.nanoTime();
        municipality = tree.add(p, "Kommun R", OrgNodeKind.MUNICIPALITY, null).id();
        ward = tree.add(p + "-N", "Hemtjänst Söder", OrgNodeKind.UNIT, municipality).id();
        coordinatorName = p + "-samordnare";
        coordinator = users.token(users.account(coordinatorName, null, Role.COORDINATOR, municipality));
        String hsa = PersonFixture.hsaPrefix();
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", new RoutineForm(
                "Introduktion hemtjänst", RoutineKind.INTRODUCTION, "NON_LICENSED", List.of(INTRO), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
        anna = people.create(hsa + "anna", "Anna", "Andersson", null, ward, today.minusDays(40), today.minusDays(40),
                "NON_LICENSED");
        bertil = people.create(hsa + "bertil", "Bertil", "Berg", null, ward, today.minusDays(40), today.minusDays(40),
                "NON_LICENSED");
        recomputeUnder(municipality, coordinator);
    }

    @Test
    void aRegisteredCompletionCountsEverywhereAndVoidedItCountsNowhere() {
        Figures before = figures();
        // Two people with the introduction, neither done, both overdue; no completion this month.
        assertEquals(new Figures(2, 0, 2, List.of("Anna Andersson", "Bertil Berg"), 0), before);
        assertEquals(List.of("open"), annasIntroduction());

        String form = get("/personer/" + anna + "/genomforanden/ny", coordinator);
        assertTrue(form.contains("<option value=\"" + INTRO + "\">" + titles.of(INTRO) + "</option>"), "modules by title");
        HttpResponse<String> saved = registerOnPage(form, INTRO, today.toString(), "Region Exempel, introduktionsdag", "85",
                "intyg.pdf", PDF);
        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());
        long completion = sql.number("SELECT id FROM completion WHERE person_id = ?", anna);

        // Anna is done: one introduction done, one overdue (Bertil), one completion this month.
        assertEquals(new Figures(2, 1, 1, List.of("Bertil Berg"), 1), figures());
        assertEquals(List.of("done " + completion), annasIntroduction());
        assertEquals(List.of("REGISTERED Region Exempel, introduktionsdag 85"), sql.strings(
                "SELECT CONCAT(source, ' ', done_where, ' ', score) FROM completion WHERE id = ?", completion));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM audit_event WHERE action = 'COMPLETION_REGISTERED' AND actor = ?",
                coordinatorName));
        String kind = "Registrerad av Test " + coordinatorName + " "
                + today.format(DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.forLanguageTag("sv")))
                + "; genomförd vid Region Exempel, introduktionsdag";
        String page = get(saved.getHeaders().get("Location"), coordinator);
        assertTrue(page.contains("Genomförandet är registrerat") && page.contains(kind)
                && page.contains("/personer/" + anna + "/genomforanden/" + completion + "/underlag")
                && page.contains("/personer/" + anna + "/genomforanden/" + completion + "/ogiltigforklara"), page);

        HttpResponse<byte[]> evidence = http.toBlocking().exchange(HttpRequest.GET("/personer/" + anna + "/genomforanden/"
                + completion + "/underlag").cookie(Cookie.of("JWT", coordinator)), byte[].class);
        assertArrayEquals(PDF, evidence.body());
        assertEquals("application/pdf", evidence.getContentType().orElseThrow().toString());
        assertEquals("no-store", evidence.getHeaders().get(HttpHeaders.CACHE_CONTROL));
        assertEquals("attachment; filename=\"underlag-anna-andersson-" + se.kompetensmal.web.FileNames.slug(titles.of(INTRO))
                + "-" + today + ".pdf\"", evidence.getHeaders().get("Content-Disposition"));

        String learner = users.token(users.account(p + "-anna", anna, null, null));
        assertTrue(get("/min-utbildning/historik", learner).contains(kind));
        assertTrue(get("/", learner).contains(kind), "Min utbildning's done list says what kind it is");

        String voidForm = get("/personer/" + anna + "/genomforanden/" + completion + "/ogiltigforklara", coordinator);
        HttpResponse<String> voided = post("/personer/" + anna + "/genomforanden/" + completion + "/ogiltigforklara",
                coordinator, "reason=Fel+person&csrfToken=" + TestUsers.csrfTokenOf(voidForm));
        assertEquals(HttpStatus.SEE_OTHER, voided.getStatus());

        // Back as before: nothing counts the voided completion; the row is still there with why.
        assertEquals(before, figures());
        assertEquals(List.of("open"), annasIntroduction());
        assertEquals(List.of("Fel person"), sql.strings("SELECT void_reason FROM completion WHERE id = ?", completion));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM audit_event WHERE action = 'COMPLETION_VOIDED' AND actor = ?",
                coordinatorName));
        String history = get("/min-utbildning/historik", learner);
        assertTrue(history.contains("<del>" + titles.of(INTRO) + "</del>") && history.contains("Fel person")
                && !history.contains("/min-utbildning/intyg/" + completion), history);
        assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(
                HttpRequest.GET("/min-utbildning/intyg/" + completion).cookie(Cookie.of("JWT", learner)), byte[].class)),
                "a voided completion certifies nothing");
        String personPage = get(voided.getHeaders().get("Location"), coordinator);
        assertTrue(personPage.contains("Genomförandet är ogiltigförklarat")
                && !personPage.contains("/genomforanden/" + completion + "/ogiltigforklara\""), personPage);
    }

    @Test
    void evidenceIsJudgedByItsContentNotItsName() {
        String form = get("/personer/" + anna + "/genomforanden/ny", coordinator);
        byte[] program = new byte[256];
        program[0] = 'M';
        program[1] = 'Z';
        HttpClientResponseException exe = assertThrows(HttpClientResponseException.class, () -> registerOnPage(form, INTRO,
                today.toString(), "Annan region", "", "intyg.pdf", program));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, exe.getStatus());
        assertTrue(exe.getResponse().getBody(String.class).orElseThrow().contains(EvidenceFile.WRONG_KIND));
        HttpClientResponseException text = assertThrows(HttpClientResponseException.class, () -> registerOnPage(form, INTRO,
                today.toString(), "Annan region", "", "intyg.pdf", "Anna har gått kursen.".getBytes(StandardCharsets.UTF_8)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, text.getStatus());
        String again = text.getResponse().getBody(String.class).orElseThrow();
        assertTrue(again.contains(EvidenceFile.WRONG_KIND) && again.contains("value=\"Annan region\""), "the form as typed");
        HttpClientResponseException large = assertThrows(HttpClientResponseException.class, () -> registerOnPage(form, INTRO,
                today.toString(), "Annan region", "", "stor.pdf", Arrays.copyOf(PDF, EvidenceFile.MAX_BYTES + 1)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, large.getStatus());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", anna), "nothing written");

        // An image named as anything is taken as the image it is.
        assertEquals(HttpStatus.SEE_OTHER, registerOnPage(form, INTRO, today.toString(), "Annan region", "", "intyg.txt", PNG)
                .getStatus());
        assertEquals(List.of("image/png intyg.txt 16"), sql.strings("""
                SELECT CONCAT(e.content_type, ' ', e.file_name, ' ', e.byte_count) FROM completion_evidence e
                JOIN completion c ON c.id = e.completion_id WHERE c.person_id = ?""", anna));
    }

    @Test
    void theApiRefusesBadInputFieldByFieldThenRegistersAddsEvidenceOnceAndVoidsOnce() {
        HttpClientResponseException bad = assertThrows(HttpClientResponseException.class, () -> api(HttpRequest.POST(
                "/api/people/" + anna + "/completions", Map.of("module", "finns-inte", "completedOn", today.plusDays(1).toString(),
                        "doneWhere", "x".repeat(201), "score", 101))));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, bad.getStatus());
        String problem = bad.getResponse().getBody(String.class).orElseThrow();
        assertTrue(problem.contains("Modulen finns inte") && problem.contains("framtiden") && problem.contains("högst 200")
                && problem.contains("0 till 100"), problem);
        HttpClientResponseException old = assertThrows(HttpClientResponseException.class, () -> api(HttpRequest.POST(
                "/api/people/" + anna + "/completions", Map.of("module", INTRO, "completedOn", "1989-12-31", "doneWhere", "x"))));
        assertTrue(old.getResponse().getBody(String.class).orElseThrow().contains("före 1990-01-01"));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", anna));

        HttpResponse<String> created = api(HttpRequest.POST("/api/people/" + anna + "/completions",
                Map.of("module", HYGIENE, "completedOn", today.minusDays(5).toString(), "doneWhere", "Annan vårdgivare")));
        assertEquals(HttpStatus.CREATED, created.getStatus());
        long completion = sql.number("SELECT id FROM completion WHERE person_id = ?", anna);
        String base = "/api/people/" + anna + "/completions/" + completion;

        HttpClientResponseException text = assertThrows(HttpClientResponseException.class, () -> api(HttpRequest.PUT(
                base + "/evidence?fileName=intyg.pdf", "inte en pdf".getBytes(StandardCharsets.UTF_8)).contentType("application/pdf")));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, text.getStatus());
        assertEquals(HttpStatus.OK, api(HttpRequest.PUT(base + "/evidence?fileName=intyg.pdf", PDF)
                .contentType(MediaType.APPLICATION_OCTET_STREAM)).getStatus());
        assertEquals(HttpStatus.CONFLICT, status(() -> api(HttpRequest.PUT(base + "/evidence", PNG)
                .contentType(MediaType.APPLICATION_OCTET_STREAM))), "evidence is written once");

        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, status(() -> api(HttpRequest.POST(base + "/void", Map.of("reason", " ")))));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, status(() -> api(HttpRequest.POST(base + "/void",
                Map.of("reason", "x".repeat(501))))));
        assertEquals(HttpStatus.OK, api(HttpRequest.POST(base + "/void", Map.of("reason", "Intyget gällde en annan kurs")))
                .getStatus());
        assertEquals(HttpStatus.CONFLICT, status(() -> api(HttpRequest.POST(base + "/void", Map.of("reason", "igen")))));

        // A completion taken here is a fact of this system: it cannot be voided.
        sql.update("""
                INSERT INTO completion (person_id, module_version_id, completed_on, source)
                SELECT ?, MAX(id), ?, 'INTERNAL' FROM module_version WHERE module_code = ?""", anna, today, INTRO);
        long internal = sql.number("SELECT MAX(id) FROM completion WHERE person_id = ?", anna);
        assertEquals(HttpStatus.CONFLICT, status(() -> api(HttpRequest.POST("/api/people/" + anna + "/completions/" + internal
                + "/void", Map.of("reason", "Fel")))));
        assertEquals(List.of(""), sql.strings("SELECT COALESCE(void_reason, '') FROM completion WHERE id = ?", internal));
    }

    @Test
    void xapiSaysCompletedWithTheSourceAndThenVoidedWithAReferenceToIt() {
        api(HttpRequest.POST("/api/people/" + anna + "/completions", Map.of("module", INTRO,
                "completedOn", today.minusDays(1).toString(), "doneWhere", "Region Exempel", "score", 90)));
        long completion = sql.number("SELECT id FROM completion WHERE person_id = ?", anna);
        String statementId = UUID.nameUUIDFromBytes(("kompetensmal:completion:" + completion).getBytes(StandardCharsets.UTF_8))
                .toString();
        List<String> completed = sql.strings("SELECT payload FROM xapi_outbox WHERE person_id = ? AND verb = 'completed'", anna);
        assertEquals(1, completed.size());
        assertTrue(completed.get(0).contains("\"id\":\"" + statementId + "\"")
                && completed.get(0).contains("/xapi/extensions/source\":\"REGISTERED\"")
                && completed.get(0).contains("/xapi/extensions/done-where\":\"Region Exempel\"")
                && completed.get(0).contains("\"raw\":90"), completed.get(0));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND verb = 'voided'", anna));

        api(HttpRequest.POST("/api/people/" + anna + "/completions/" + completion + "/void", Map.of("reason", "Fel person")));

        List<String> voided = sql.strings("SELECT payload FROM xapi_outbox WHERE person_id = ? AND verb = 'voided'", anna);
        assertEquals(1, voided.size());
        assertTrue(voided.get(0).contains("http://adlnet.gov/expapi/verbs/voided")
                && voided.get(0).contains("\"objectType\":\"StatementRef\"") && voided.get(0).contains("\"id\":\"" + statementId
                + "\""), voided.get(0));
    }

    @Test
    void onlyCoordinatorsWithinTheirSubtreeRegisterAndVoid() {
        long other = tree.add(p + "X", "Kommun X", OrgNodeKind.MUNICIPALITY, null).id();
        String stranger = users.token(users.account(p + "-annan", null, Role.COORDINATOR, other));
        String leader = users.token(users.account(p + "-ledare", null, Role.LEADER, municipality));
        sql.update("UPDATE org_node SET leaders_see_names = TRUE WHERE id = ?", municipality);
        String learner = users.token(users.account(p + "-anna", anna, null, null));
        Map<String, Object> body = Map.of("module", INTRO, "completedOn", today.toString(), "doneWhere", "Någonstans");

        assertEquals(HttpStatus.NOT_FOUND, status(() -> get("/personer/" + anna + "/genomforanden/ny", stranger)),
                "another organisation's person is unknown");
        assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(HttpRequest.POST("/api/people/" + anna
                + "/completions", body).bearerAuth(stranger))));
        assertEquals(HttpStatus.FORBIDDEN, status(() -> get("/personer/" + anna + "/genomforanden/ny", leader)));
        assertEquals(HttpStatus.FORBIDDEN, status(() -> http.toBlocking().exchange(HttpRequest.POST("/api/people/" + anna
                + "/completions", body).bearerAuth(leader))), "a leader cannot register");
        assertEquals(HttpStatus.FORBIDDEN, status(() -> http.toBlocking().exchange(HttpRequest.POST("/api/people/" + anna
                + "/completions", body).bearerAuth(learner))), "nor the learner herself");
        String leadersView = get("/personer/" + anna, leader);
        assertFalse(leadersView.contains("/genomforanden/ny"), "the leader is not offered it");
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", anna));

        api(HttpRequest.POST("/api/people/" + anna + "/completions", body));
        long completion = sql.number("SELECT id FROM completion WHERE person_id = ?", anna);
        api(HttpRequest.PUT("/api/people/" + anna + "/completions/" + completion + "/evidence", PDF)
                .contentType(MediaType.APPLICATION_OCTET_STREAM));
        assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(HttpRequest.POST("/api/people/" + anna
                + "/completions/" + completion + "/void", Map.of("reason", "Fel")).bearerAuth(stranger))));
        assertEquals(HttpStatus.FORBIDDEN, status(() -> http.toBlocking().exchange(HttpRequest.POST("/api/people/" + anna
                + "/completions/" + completion + "/void", Map.of("reason", "Fel")).bearerAuth(leader))));
        assertEquals(HttpStatus.FORBIDDEN, status(() -> get("/personer/" + anna + "/genomforanden/" + completion + "/underlag",
                leader)), "evidence is for those who act for the person");
        assertEquals(HttpStatus.NOT_FOUND, status(() -> get("/personer/" + anna + "/genomforanden/" + completion + "/underlag",
                stranger)));
        assertEquals(HttpStatus.NOT_FOUND, status(() -> get("/personer/" + bertil + "/genomforanden/" + completion + "/underlag",
                coordinator)), "the completion is Anna's, not Bertil's");
        assertEquals(List.of(""), sql.strings("SELECT COALESCE(void_reason, '') FROM completion WHERE id = ?", completion));
    }

    @Test
    void historyAndCertificatesSayWhatKindEachCompletionIsInTheLearnersLanguage() throws java.io.IOException {
        long account = sql.number("SELECT id FROM user_account WHERE username = ?", coordinatorName);
        long version = sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", HYGIENE);
        // Attended at an occasion in Sal 3 on 12 January 2026 (the occasion written straight to its table).
        sql.update("""
                INSERT INTO session_occasion (module_code, org_node_id, starts_at, duration_minutes, place, capacity,
                                              signup_deadline, created_by)
                VALUES (?, ?, '2026-01-12 09:00:00', 120, 'Sal 3', 10, '2026-01-10', ?)""", HYGIENE, municipality, account);
        long occasion = sql.number("SELECT MAX(id) FROM session_occasion WHERE org_node_id = ?", municipality);
        long session = completions.record(anna, version, LocalDate.parse("2026-01-12"), null, null,
                se.kompetensmal.learning.Completions.Provenance.session(occasion));
        sql.update("""
                INSERT INTO completion (person_id, module_version_id, completed_on, source, done_where, history_id)
                VALUES (?, ?, '2019-03-04', 'IMPORTED', 'Gamla systemet', 'H-1')""", anna, version);
        long imported = sql.number("SELECT id FROM completion WHERE person_id = ? AND source = 'IMPORTED'", anna);
        api(HttpRequest.POST("/api/people/" + anna + "/completions", Map.of("module", INTRO,
                "completedOn", "2026-11-30", "doneWhere", "Region Exempel")));
        long registered = sql.number("SELECT id FROM completion WHERE person_id = ? AND source = 'REGISTERED'", anna);
        String learner = users.token(users.account(p + "-anna", anna, null, null));
        String registeredOn = today.format(DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.forLanguageTag("sv")));

        assertTrue(certificate(session, learner).contains("Slag av genomförande: Lärarledd utbildning 12 januari 2026, Sal 3"));
        assertTrue(certificate(imported, learner).contains("Från tidigare system (Gamla systemet)"));
        assertTrue(certificate(registered, learner).contains("Registrerad av Test " + coordinatorName + " " + registeredOn
                + "; genomförd vid Region Exempel"), certificate(registered, learner));
        String personPage = get("/personer/" + anna, coordinator);
        assertTrue(personPage.contains("Lärarledd utbildning 12 januari 2026, Sal 3")
                && personPage.contains("Från tidigare system (Gamla systemet)"), personPage);

        sql.update("UPDATE user_account SET language = 'en' WHERE username = ?", p + "-anna");
        String history = get("/min-utbildning/historik", learner);
        assertTrue(history.contains("Classroom session 12 January 2026, Sal 3") && history.contains("From the previous system (Gamla systemet)")
                && history.contains("Registered by Test " + coordinatorName + " "
                + today.format(DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)) + "; done at Region Exempel"), history);
        assertTrue(certificate(session, learner).contains("Classroom session 12 January 2026, Sal 3"));

        // Registered at 00:30 Swedish time on 4 December (23:30 UTC on the 3rd): the day is the Swedish one. SQL's DATE()
        // of the timestamp said "3 December", in CI at that hour.
        sql.update("UPDATE completion SET created_at = FROM_UNIXTIME(?) WHERE id = ?",
                java.time.Instant.parse("2026-12-03T23:30:00Z").getEpochSecond(), registered);
        assertTrue(get("/min-utbildning/historik", learner).contains("Registered by Test " + coordinatorName
                + " 4 December 2026; done at Region Exempel"), "the Swedish day of the registration");
    }

    private String certificate(long completion, String token) throws java.io.IOException {
        byte[] pdf = http.toBlocking().exchange(HttpRequest.GET("/min-utbildning/intyg/" + completion)
                .cookie(Cookie.of("JWT", token)), byte[].class).body();
        try (org.apache.pdfbox.pdmodel.PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            return new org.apache.pdfbox.text.PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
    }

    /** The figures the test follows, for the municipality: statistics (all audiences), the follow-up list, the trend. */
    record Figures(long withIntroduction, long introductionDone, long overdue, List<String> overduePeople,
                   long completionsThisMonth) {
    }

    private Figures figures() {
        Statistics.Counts counts = statistics.counts(municipality, today).stream()
                .filter(c -> c.groupId() == municipality && c.audienceId() == 0).findFirst().orElseThrow();
        FollowUp.Row[] rows = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + municipality
                + "/follow-up?withinDays=0").bearerAuth(coordinator), FollowUp.Row[].class);
        long thisMonth = statistics.trend(municipality, today).stream()
                .filter(m -> m.monthEnd().equals(today.withDayOfMonth(today.lengthOfMonth()))).findFirst().orElseThrow()
                .completions();
        return new Figures(counts.withIntroduction(), counts.introductionDone(), counts.overdue(),
                Arrays.stream(rows).filter(FollowUp.Row::overdue).map(FollowUp.Row::name).sorted().toList(), thisMonth);
    }

    /** Anna's introduction cycle: open, or done with the completion that fulfils it. */
    private List<String> annasIntroduction() {
        return sql.strings("""
                SELECT IF(completion_id IS NULL, 'open', CONCAT('done ', completion_id)) FROM assignment
                WHERE person_id = ? AND module_code = ? AND withdrawn_at IS NULL""", anna, INTRO);
    }

    private HttpResponse<String> registerOnPage(String form, String module, String day, String where, String score,
                                                String fileName, byte[] file) {
        MultipartBody body = MultipartBody.builder().addPart("csrfToken", TestUsers.csrfTokenOf(form))
                .addPart("module", module).addPart("completedOn", day).addPart("doneWhere", where).addPart("score", score)
                .addPart("evidence", fileName, MediaType.APPLICATION_OCTET_STREAM_TYPE, file).build();
        return http.toBlocking().exchange(HttpRequest.POST("/personer/" + anna + "/genomforanden/ny", body)
                .contentType(MediaType.MULTIPART_FORM_DATA).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", coordinator)),
                String.class);
    }

    private HttpResponse<String> api(io.micronaut.http.MutableHttpRequest<?> request) {
        return http.toBlocking().exchange(request.bearerAuth(coordinator), String.class);
    }

    private String get(String path, String token) {
        return http.toBlocking().retrieve(HttpRequest.GET(path).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", token)));
    }

    private HttpResponse<String> post(String path, String token, String form) {
        return http.toBlocking().exchange(HttpRequest.POST(path, form).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", token)), String.class);
    }

    private static HttpStatus status(Executable call) {
        return assertThrows(HttpClientResponseException.class, call).getStatus();
    }
}
