package se.kompetensmal.roster;

import se.kompetensmal.Waiting;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.HttpCalls;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.Routine;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history import from the previous system: a file is written whole or not at all, every bad row is reported in
 * Swedish, the same file imported twice changes nothing, the module version is the one in force on the day, and the
 * assignments are recomputed afterwards. The facts are listed in each test and the expected figures derived from them.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryImportTest extends ServiceTest {

    private static final String HEADER = "hsa_id;modulkod;genomförd;resultat;källa;externt_id\n";
    private static final String INTRO = "vardskador-grunder";
    private static final String HYGIENE = "basala-hygienrutiner";

    @Inject
    EmbeddedServer server;

    long municipality;
    long unitA;
    long unitB;
    long otherMunicipality;
    String coordinator;
    RosterApi api;
    String hsa;
    long anna;
    long bo;
    String olle;

    @BeforeEach
    void aMunicipalityWithTwoUnitsAndAnotherBeside() {
        String p = "HIS" + System.nanoTime();
        municipality = tree.add(p, "Kommun H", OrgNodeKind.MUNICIPALITY, null).id();
        unitA = tree.add(p + "-A", "Boende A", OrgNodeKind.UNIT, municipality).id();
        unitB = tree.add(p + "-B", "Boende B", OrgNodeKind.UNIT, municipality).id();
        otherMunicipality = tree.add(p + "-O", "Kommun O", OrgNodeKind.MUNICIPALITY, null).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        api = new RosterApi(http.toBlocking(), coordinator);
        hsa = PersonFixture.hsaPrefix();
        anna = people.create(hsa + "1", "Anna", "Lind", null, unitA, LocalDate.parse("2015-03-01"), LocalDate.parse("2015-03-01"),
                "LICENSED");
        bo = people.create(hsa + "2", "Bo", "Ek", null, unitB, LocalDate.parse("2016-04-01"), LocalDate.parse("2016-04-01"),
                "NON_LICENSED");
        olle = hsa + "3";
        people.create(olle, "Olle", "Berg", null, otherMunicipality, LocalDate.parse("2016-04-01"), LocalDate.parse("2016-04-01"),
                "LICENSED");
    }

    @Test
    void theFileIsWrittenOnceTheAssignmentsFollowAndImportingItAgainChangesNothing() {
        // Anna is existing staff under an introduction routine with a catch-up date: INTRO is due for her.
        http.toBlocking().retrieve(HttpRequest.POST("/api/organisations/" + unitA + "/routines", new RoutineForm(
                "Introduktion", RoutineKind.INTRODUCTION, "LICENSED", List.of(INTRO), 30, CountsFrom.ORG_START,
                LocalDate.parse("2026-01-15"), LocalDate.parse("2027-03-31"), null, null, null, DocumentationLevel.EXISTS, null,
                null, null)).bearerAuth(coordinator), Routine.class);
        recomputeUnder(municipality, coordinator);
        assertEquals(1, openAssignments(anna));
        // Three rows, two records: row 4 repeats row 2 exactly (the old system exported it twice).
        String csv = HEADER
                + hsa + "1;" + INTRO + ";2019-05-02;85;Gamla LMS;A-1\n"
                + hsa + "2;" + HYGIENE + ";2020-02-03;;Gamla LMS;B-1\n"
                + hsa + "1;" + INTRO + ";2019-05-02;85;Gamla LMS;A-1\n";

        RosterImportView first = api.history(csv, municipality);

        assertEquals(RosterImportStatus.SUCCEEDED, first.rosterImport().status(), first.toString());
        assertEquals(List.of(2, 0), List.of(first.rosterImport().createdCount(), first.rosterImport().updatedCount()));
        assertTrue(first.rosterImport().message().startsWith("Importen är klar: 2 nya, 0 fanns redan."), first.rosterImport().message());
        assertEquals(List.of(
                        "A-1 " + INTRO + " 2019-05-02 85 IMPORTED Gamla LMS " + anna,
                        "B-1 " + HYGIENE + " 2020-02-03 - IMPORTED Gamla LMS " + bo),
                imported(first.rosterImport().id()));
        Waiting.until(() -> sql.number("SELECT COUNT(*) FROM history_import_row WHERE import_id = ?", first.rosterImport().id()),
                staged -> staged == 0, Duration.ofMinutes(2), "the staged rows deleted after the import is done");
        // The recomputation it asked for runs in the background: Anna's INTRO is then done by the imported completion.
        assertNotNull(first.rosterImport().recomputeJobId());
        sql.awaitRecomputations();
        assertEquals(0, openAssignments(anna));
        assertEquals(sql.number("SELECT id FROM completion WHERE person_id = ? AND history_id = 'A-1'", anna),
                sql.number("SELECT completion_id FROM assignment WHERE person_id = ? AND module_code = ? AND withdrawn_at IS NULL",
                        anna, INTRO));
        String page = http.toBlocking().retrieve(HttpRequest.GET("/import/" + first.rosterImport().id())
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", coordinator)));
        assertTrue(page.contains("2 nya, 0 fanns redan") && page.contains("Omräkning av uppdrag: klar"), page);

        RosterImportView again = api.history(csv, municipality);

        assertEquals(RosterImportStatus.SUCCEEDED, again.rosterImport().status(), again.toString());
        assertEquals(List.of(0, 2), List.of(again.rosterImport().createdCount(), again.rosterImport().updatedCount()));
        assertEquals("Importen är klar: 0 nya, 2 fanns redan.", again.rosterImport().message());
        assertNull(again.rosterImport().recomputeJobId(), "nothing new, nothing to recompute");
        assertEquals(2, sql.number("SELECT COUNT(*) FROM completion WHERE person_id IN (?, ?)", anna, bo));
    }

    @Test
    void oneBadRowWritesNothingAndEveryBadRowIsReportedInSwedish() {
        String tomorrow = LocalDate.now(SwedishTime.ZONE).plusDays(1).toString();
        String othersOwn = ownModule(otherMunicipality, "O");
        String csv = HEADER
                + hsa + "1;" + INTRO + ";2019-05-02;85;Gamla LMS;A-1\n"          // 2: good
                + hsa + "2;" + INTRO + ";2019-13-01;;Gamla LMS;B-1\n"            // 3: no such date
                + hsa + "2;" + INTRO + ";" + tomorrow + ";;;B-2\n"               // 4: in the future
                + hsa + "2;" + INTRO + ";2019-05-02;101;;B-3\n"                  // 5: score above 100
                + hsa + "2;" + INTRO + ";2019-05-02;;;\n"                        // 6: no external id
                + hsa + "2;finns-inte-i-katalogen;2019-05-02;;;B-5\n"            // 7: unknown module
                + olle + ";" + INTRO + ";2019-05-02;;;O-1\n"                     // 8: a person of another organisation
                + hsa + "999;" + INTRO + ";2019-05-02;;;X-1\n"                   // 9: nobody
                + hsa + "1;" + INTRO + ";2019-06-30;85;Gamla LMS;A-1\n"          // 10: A-1 again, another day
                + hsa + "2;" + INTRO + ";1899-12-31;;;B-6\n"                     // 11: before 1900
                + hsa + "2;" + othersOwn + ";2019-05-02;;;B-7\n"                 // 12: another organisation's own module
                + hsa + "2;" + INTRO + ";2019-05-02;;Gamla LMS\n";               // 13: a field short

        RosterImportView result = api.history(csv, municipality);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status(), result.toString());
        assertEquals(11, result.errorCount());
        assertTrue(result.rosterImport().message().startsWith("Filen har 11 fel."), result.rosterImport().message());
        assertEquals(List.of("3 genomförd", "4 genomförd", "5 resultat", "6 externt_id", "7 modulkod", "8 hsa_id", "9 hsa_id",
                        "10 externt_id", "11 genomförd", "12 modulkod", "13 -"),
                result.errors().stream().map(e -> e.row() + " " + (e.column() == null ? "-" : e.column())).toList());
        List<String> reasons = result.errors().stream().map(RowError::reason).toList();
        assertTrue(reasons.get(0).contains("ogiltigt datum '2019-13-01'"), reasons.get(0));
        assertTrue(reasons.get(1).contains("ligger i framtiden"), reasons.get(1));
        assertTrue(reasons.get(2).contains("ogiltigt resultat '101'"), reasons.get(2));
        assertTrue(reasons.get(3).contains("externt id saknas"), reasons.get(3));
        assertTrue(reasons.get(4).contains("modulkoden 'finns-inte-i-katalogen' finns inte i katalogen"), reasons.get(4));
        assertTrue(reasons.get(7).contains("externt id A-1 finns redan på rad 2 för samma person men med annat innehåll"),
                reasons.get(7));
        assertTrue(reasons.get(8).contains("1899-12-31 är orimligt"), reasons.get(8));
        assertTrue(reasons.get(10).contains("raden har 5 fält men rubrikraden har 6"), reasons.get(10));
        // Someone elsewhere reads exactly as nobody, and another organisation's module as no module: nothing is told.
        assertEquals(reasons.get(6).replace(hsa + "999", "X"), reasons.get(5).replace(olle, "X"));
        assertEquals(reasons.get(4).replace("finns-inte-i-katalogen", "X"), reasons.get(9).replace(othersOwn, "X"));
        // All or nothing: the good row 2 is not written either, and nothing is left staged.
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id IN (?, ?)", anna, bo));
        Waiting.until(() -> sql.number("SELECT COUNT(*) FROM history_import_row WHERE import_id = ?", result.rosterImport().id()),
                staged -> staged == 0, Duration.ofMinutes(2), "the staged rows deleted after the import is done");
        assertNull(result.rosterImport().recomputeJobId());
    }

    @Test
    void theVersionIsTheNewestPublishedOnOrBeforeTheDayElseTheFirst() {
        String own = ownModule(municipality, "V");
        sql.update("UPDATE module_version SET created_at = '2020-01-01 12:00:00' WHERE module_code = ? AND version = 1", own);
        sql.update("""
                INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash, created_at)
                VALUES (?, 2, 'Version 2', 'Ny.', 10, 50, ?, '2023-06-01 12:00:00')""", own, "1".repeat(64));
        String csv = HEADER
                + hsa + "1;" + own + ";2019-01-01;;;V-1\n"   // before version 1 was published here: the first version
                + hsa + "1;" + own + ";2021-01-01;;;V-2\n"   // version 1 in force
                + hsa + "1;" + own + ";2023-06-01;;;V-3\n"   // the day version 2 was published
                + hsa + "2;" + own + ";2024-01-01;;;V-4\n";  // version 2 in force

        RosterImportView result = api.history(csv, municipality);

        assertEquals(RosterImportStatus.SUCCEEDED, result.rosterImport().status(), result.toString());
        assertEquals(List.of("V-1 1", "V-2 1", "V-3 2", "V-4 2"), sql.strings("""
                SELECT CONCAT(c.history_id, ' ', mv.version) FROM completion c JOIN module_version mv ON mv.id = c.module_version_id
                WHERE c.import_id = ? ORDER BY c.history_id""", result.rosterImport().id()));
    }

    @Test
    void onlyCoordinatorsOfTheOrganisationImportItsHistoryAndAnOrganisationIsRequired() {
        String p = "HIS" + System.nanoTime();
        String elsewhere = users.token(users.account(p + "-annan", null, Role.COORDINATOR, otherMunicipality));
        String leader = users.token(users.account(p + "-ledare", null, Role.LEADER, municipality));
        String csv = HEADER + hsa + "1;" + INTRO + ";2019-05-02;85;Gamla LMS;A-1\n";

        assertEquals(HttpStatus.NOT_FOUND, post("/api/imports/history?organisation=" + municipality, csv, elsewhere));
        assertEquals(HttpStatus.FORBIDDEN, post("/api/imports/history?organisation=" + municipality, csv, leader));
        assertEquals(HttpStatus.BAD_REQUEST, post("/api/imports/history", csv, coordinator));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", anna));
    }

    @Test
    void thePageOffersTheHistoryImportAndAsksForTheOrganisation() throws Exception {
        String form = http.toBlocking().retrieve(HttpRequest.GET("/import").accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", coordinator)));
        assertTrue(form.contains("Genomförd utbildning från tidigare system") && form.contains("<code>externt_id</code>"), form);
        String csrf = TestUsers.csrfTokenOf(form);
        String csv = HEADER + hsa + "2;" + HYGIENE + ";2020-02-03;;Gamla LMS;B-1\n";

        java.net.http.HttpResponse<String> withoutOrganisation = HttpCalls.send(upload(csrf, "", csv),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        java.net.http.HttpResponse<String> uploaded = HttpCalls.send(upload(csrf, String.valueOf(municipality), csv),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertEquals(400, withoutOrganisation.statusCode());
        assertTrue(withoutOrganisation.body().contains("En import av historik kräver att du väljer vilken organisation"),
                withoutOrganisation.body());
        assertEquals(303, uploaded.statusCode(), uploaded.body());
        String location = uploaded.headers().firstValue("Location").orElseThrow();
        RosterImportView done = api.await("/api/imports/" + location.substring("/import/".length()), view -> { });
        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ? AND source = 'IMPORTED'", bo));
    }

    /** The import page's form, as the browser sends it, with a history file. */
    private java.net.http.HttpRequest upload(String csrfToken, String organisation, String csv) {
        String boundary = "----kompetensmal" + System.nanoTime();
        String body = field(boundary, "csrfToken", csrfToken) + field(boundary, "kind", "HISTORY")
                + field(boundary, "organisation", organisation)
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"historik.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        return java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/import"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Accept", "text/html")
                .header("Cookie", "JWT=" + coordinator)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private static String field(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private HttpStatus post(String uri, String csv, String token) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST(uri, csv.getBytes(StandardCharsets.UTF_8)).contentType(MediaType.of("text/csv")).bearerAuth(token)));
        return e.getStatus();
    }

    /** An organisation's own module, version 1, written straight here as the editor would publish it. */
    private String ownModule(long owner, String name) {
        String code = ("his-" + name + "-" + System.nanoTime()).toLowerCase();
        sql.update("INSERT INTO catalogue_module (code, source, owner_org_id) VALUES (?, 'EDITOR', ?)", code, owner);
        sql.update("""
                INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash)
                VALUES (?, 1, 'Egen rutin', 'Hur vi gör.', 10, 50, ?)""", code, "0".repeat(64));
        return code;
    }

    /** The import's completions: external id, module, day, score, source, where, person. */
    private List<String> imported(long importId) {
        return sql.strings("""
                SELECT CONCAT_WS(' ', c.history_id, mv.module_code, c.completed_on, COALESCE(c.score, '-'), c.source, c.done_where,
                                 c.person_id)
                FROM completion c JOIN module_version mv ON mv.id = c.module_version_id WHERE c.import_id = ? ORDER BY c.history_id""",
                importId);
    }

    private long openAssignments(long personId) {
        return sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND withdrawn_at IS NULL AND completion_id IS NULL",
                personId);
    }
}
