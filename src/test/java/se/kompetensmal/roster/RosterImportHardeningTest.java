package se.kompetensmal.roster;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Roster files made to break the import: huge rows, endless quotes, absurd dates, control characters, empty full imports. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RosterImportHardeningTest extends ServiceTest {

    private static final String HEADER = "hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation;startdatum_roll\n";

    RosterApi api;
    String org;
    long orgId;
    String hsa;

    @BeforeEach
    void anOrganisationOfItsOwn() {
        api = new RosterApi(http.toBlocking(), users.admin());
        long n = System.nanoTime() % 10_000_000_000L;
        org = "H" + n;
        hsa = "SE" + String.format("%010d", n) + "-";
        RosterImportView created = api.organisations("kod;namn;typ;överordnad\n"
                + org + ";Härdkommun;kommun;\n"
                + org + "-A;Hemtjänst Väst;enhet;" + org + "\n");
        assertEquals(RosterImportStatus.SUCCEEDED, created.rosterImport().status(), created.toString());
        orgId = sql.number("SELECT id FROM org_node WHERE code = ?", org);
    }

    private String row(String suffix, String givenName, String audiences, String orgStart) {
        return hsa + suffix + ";" + givenName + ";Berg;;" + org + "-A;" + audiences + ";" + orgStart + ";\n";
    }

    private long written() {
        return sql.number("SELECT COUNT(*) FROM person WHERE hsa_id LIKE ?", hsa + "%");
    }

    @Test
    void oneRowWithAMillionAudienceCodesIsARowErrorNotAnExhaustedHeap() {
        StringBuilder csv = new StringBuilder(HEADER).append(hsa).append("1;Anna;Berg;;").append(org).append("-A;");
        csv.append("LICENSED|".repeat(1_000_000)).append("LICENSED;2020-01-01;\n");

        RosterImportView result = api.people(csv.toString(), orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status(), result.rosterImport().toString());
        assertEquals(List.of(new RowError(2, null, CsvReader.TOO_LONG)), result.errors());
        assertEquals(0, written());
    }

    @Test
    void moreThanTwentyAudiencesForOnePersonIsARowError() {
        RosterImportView result = api.people(HEADER + row("1", "Anna", "LICENSED|".repeat(21) + "LICENSED", "2020-01-01"),
                orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertEquals(List.of(new RowError(2, "målgrupper", "fler än 20 målgrupper")), result.errors());
    }

    @Test
    void fiveThousandBadRowsStoreTheFirstThousandAndCountTheRest() {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 5_000; i++) {
            csv.append("SE1;Anna;Berg;;").append(org).append("-A;LICENSED;2020-01-01;\n");
        }

        RosterImportView result = api.people(csv.toString(), orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertEquals(1_000, result.errorCount());
        assertEquals(1_000, sql.number("SELECT COUNT(*) FROM roster_import_error WHERE import_id = ?", result.rosterImport().id()));
        assertEquals(2, result.errors().get(0).row());
        assertTrue(result.rosterImport().message().contains("Filen har 5000 fel; rapporten visar de första 1000 och 4000 fel till"),
                result.rosterImport().message());
    }

    @Test
    void anUnclosedQuoteIsReportedAtItsLineWithoutReadingTheRestOfTheFileAsOneField() {
        StringBuilder csv = new StringBuilder(HEADER).append(row("1", "Anna", "LICENSED", "2020-01-01"))
                .append(hsa).append("2;\"Bo;Ek;;").append(org).append("-A;LICENSED;2020-01-01;\n");
        for (int i = 3; i < 64_000; i++) {
            csv.append(row(Integer.toString(i), "Cia", "LICENSED", "2020-01-01"));
        }

        RosterImportView result = api.people(csv.toString(), orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertEquals(List.of(new RowError(3, null, CsvReader.TOO_LONG)), result.errors());
        assertEquals(0, written());
    }

    @Test
    void implausibleStartDatesAreRowErrorsAndNothingIsWritten() {
        RosterImportView result = api.people(HEADER
                + row("1", "Anna", "LICENSED", "2020-01-01")
                + row("2", "Bo", "LICENSED", "9999-12-31")
                + row("3", "Cia", "LICENSED", "0000-01-01")
                + row("4", "Dan", "LICENSED", "+10000-01-01")
                + row("5", "Eva", "LICENSED", "1899-12-31")
                + row("6", "Fia", "LICENSED", LocalDate.now().plusYears(2).toString()), orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status(), result.rosterImport().toString());
        assertEquals(List.of(2, 3, 4, 5), result.errors().stream().map(e -> e.row() - 1).toList(), result.errors().toString());
        assertTrue(result.errors().stream().allMatch(e -> e.column().equals("startdatum_organisation")
                && e.reason().contains("är orimligt")), result.errors().toString());
        assertEquals(0, written());
    }

    @Test
    void controlCharactersInAnyFieldAreRowErrorsNamingTheColumn() {
        RosterImportView result = api.people(HEADER
                + row("1", "\"An\tna\"", "LICENSED", "2020-01-01")
                + row("2", "\"Bo\nLars\"", "LICENSED", "2020-01-01")
                + row("3", "Cia\u0007", "LICENSED", "2020-01-01")
                + hsa + "4;Dan;Berg;dan\u0000@kommun.example;" + org + "-A;LICENSED;2020-01-01;\n"
                + row("5", "Eva", "LICENSED\u001b", "2020-01-01"), orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status(), result.rosterImport().toString());
        assertEquals(List.of("2 förnamn", "3 förnamn", "4 förnamn", "5 epost", "6 målgrupper"),
                result.errors().stream().map(e -> e.row() + " " + e.column()).toList(), result.errors().toString());
        assertTrue(result.errors().get(0).reason().contains("otillåtet styrtecken"), result.errors().toString());
        assertEquals(0, written());

        RosterImportView organisations = api.organisations("kod;namn;typ;överordnad\n" + org + "-B;\"Enhet\r\nB\";enhet;" + org + "\n");
        assertEquals(List.of(new RowError(2, "namn", "namn innehåller ett otillåtet styrtecken (tecken nr 6), t.ex. tabb eller radbrytning")),
                organisations.errors());
    }

    @Test
    void aHeaderOnlyFullImportIsHeldUntilConfirmedAndThenMarksEveryoneLeft() {
        api.people(HEADER + row("1", "Anna", "LICENSED", "2020-01-01") + row("2", "Bo", "LICENSED", "2020-01-01")
                + row("3", "Cia", "LICENSED", "2020-01-01"), orgId, false);

        RosterImportView held = api.people(HEADER, orgId, true);

        assertEquals(RosterImportStatus.AWAITING_CONFIRMATION, held.rosterImport().status());
        assertEquals("Importen skulle markera 3 av 3 personer (100 %) som slutade. Stämmer det?", held.rosterImport().message());
        assertEquals(0, left(), "nobody is marked as left before the coordinator has answered");

        RosterImportView confirmed = api.confirm(held.rosterImport().id());

        assertEquals(RosterImportStatus.SUCCEEDED, confirmed.rosterImport().status(), confirmed.rosterImport().toString());
        assertEquals(3, confirmed.rosterImport().leftCount());
        assertEquals(3, left());
        HttpClientResponseException again = assertThrows(HttpClientResponseException.class,
                () -> api.confirm(held.rosterImport().id()));
        assertEquals(HttpStatus.CONFLICT, again.getStatus());
    }

    @Test
    void aHeldFullImportCancelledWritesNothing() {
        api.people(HEADER + row("1", "Anna", "LICENSED", "2020-01-01") + row("2", "Bo", "LICENSED", "2020-01-01"), orgId, false);
        RosterImportView held = api.people(HEADER + row("1", "Anna", "LICENSED", "2020-01-01"), orgId, true);
        assertEquals("Importen skulle markera 1 av 2 personer (50 %) som slutade. Stämmer det?", held.rosterImport().message());

        RosterImportView cancelled = api.cancel(held.rosterImport().id());

        assertEquals(RosterImportStatus.CANCELLED, cancelled.rosterImport().status());
        assertEquals(0, left());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM person WHERE hsa_id LIKE ? AND last_import_id = ?", hsa + "%",
                held.rosterImport().id()), "the held file wrote nothing, not even its listed people");
    }

    @Test
    void aHeldFullImportIsConfirmedOnItsPageWithTheFormsToken() {
        api.people(HEADER + row("1", "Anna", "LICENSED", "2020-01-01"), orgId, false);
        long id = api.people(HEADER, orgId, true).rosterImport().id();
        String session = users.admin();
        String page = http.toBlocking().retrieve(HttpRequest.GET("/import/" + id).accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", session)));
        assertTrue(page.contains("Importen skulle markera 1 av 1 personer (100 %) som slutade. Stämmer det?"), page);
        assertTrue(!page.contains("http-equiv=\"refresh\""), "a page waiting for an answer does not reload under the reader");

        HttpClientResponseException forged = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/import/" + id + "/bekrafta", Map.of("csrfToken", "fel"))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(Cookie.of("JWT", session))));
        assertEquals(HttpStatus.FORBIDDEN, forged.getStatus());
        assertEquals(0, left());

        HttpResponse<?> answered = http.toBlocking().exchange(HttpRequest.POST("/import/" + id + "/bekrafta",
                        Map.of("csrfToken", TestUsers.csrfTokenOf(page)))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(Cookie.of("JWT", session)));
        assertEquals(HttpStatus.SEE_OTHER, answered.getStatus());
        RosterImportView done = api.await("/api/imports/" + id, view -> { });
        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status());
        assertEquals(1, left());
    }

    @Test
    void aFileNameLongerThanItsColumnAndAnOrganisationThatIsNoNumberAreRefusedWithSwedishMessages() {
        HttpClientResponseException api = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/api/imports/people?fileName=" + "a".repeat(300) + ".csv", HEADER + row("1", "Anna", "LICENSED", "2020-01-01"))
                        .contentType(MediaType.of("text/csv")).bearerAuth(users.admin()), String.class));
        assertEquals(HttpStatus.BAD_REQUEST, api.getStatus());
        assertTrue(api.getResponse().getBody(String.class).orElseThrow().contains("Filnamnet (fileName) är längre än 255 tecken"));

        String session = users.admin();
        String form = http.toBlocking().retrieve(HttpRequest.GET("/import").accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
        HttpClientResponseException page = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/import", io.micronaut.http.client.multipart.MultipartBody.builder()
                                .addPart("csrfToken", TestUsers.csrfTokenOf(form)).addPart("kind", "PEOPLE").addPart("organisation", "x1")
                                .addPart("file", "p.csv", MediaType.of("text/csv"), HEADER.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .build())
                        .contentType(MediaType.MULTIPART_FORM_DATA).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class));
        assertEquals(HttpStatus.BAD_REQUEST, page.getStatus());
        assertTrue(page.getResponse().getBody(String.class).orElseThrow().contains("Välj en organisation i listan."));
        assertEquals(0, written());
    }

    private long left() {
        return sql.number("SELECT COUNT(*) FROM person WHERE hsa_id LIKE ? AND status = 'LEFT'", hsa + "%");
    }
}
