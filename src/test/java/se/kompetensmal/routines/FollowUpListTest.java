package se.kompetensmal.routines;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.ExportedWorkbook;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The follow-up list as a coordinator uses it: one row per person, counts at the top, filters, search, sorting, pages, and
 * exports of exactly what is filtered.
 *
 * <p>The facts, in Kommun L with the units Hemtjänst Norr (and Norr Natt under it) and Hemtjänst Söder; an introduction
 * routine for non-licensed staff (Vårdskador, 30 days from the start) and one for licensed staff (Basala hygienrutiner, 30
 * days), and Basala hygienrutiner assigned by hand to the non-licensed of Hemtjänst Norr, due in 10 days:
 * <ul>
 *   <li>Anna Ahlström, Norr, non-licensed, started 40 days ago: Vårdskador due 10 days ago (overdue), Basala in 10 days.</li>
 *   <li>Bo Berg, Norr Natt, non-licensed, started 25 days ago: Vårdskador in 5 days, Basala in 10 days (due soon).</li>
 *   <li>Cecilia Ceder, Söder, licensed, started 50 days ago: Basala due 20 days ago (overdue).</li>
 *   <li>David Dahl, Söder, non-licensed, started 5 days ago: Vårdskador in 25 days (open, beyond the 14 days looked ahead).</li>
 * </ul>
 * So by default (overdue or due within 14 days): Cecilia (-20), Anna (-10), Bo (+5); 2 people overdue, 1 due soon,
 * 2 + 2 + 1 + 1 = 6 open assignments.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FollowUpListTest extends ServiceTest {

    static final String VARDSKADOR = "Vårdskador och patientsäkerhet – grunderna";
    static final String BASALA = "Basala hygienrutiner och klädregler";
    static final Pattern PERSON_LINK = Pattern.compile("<a href=\"/personer/(\\d+)\">");

    @Inject
    FollowUp followUp;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    long municipality;
    long north;
    long northNight;
    long south;
    long licensedRoutine;
    String coordinator;
    String hsa;
    long anna;
    long bo;
    long cecilia;
    long david;

    @BeforeAll
    void theMunicipality() {
        String p = "FUL" + System.nanoTime();
        municipality = tree.add(p, "Kommun L", OrgNodeKind.MUNICIPALITY, null).id();
        north = tree.add(p + "-N", "Hemtjänst Norr", OrgNodeKind.UNIT, municipality).id();
        northNight = tree.add(p + "-NN", "Norr Natt", OrgNodeKind.UNIT, north).id();
        south = tree.add(p + "-S", "Hemtjänst Söder", OrgNodeKind.UNIT, municipality).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        hsa = PersonFixture.hsaPrefix();
        routine("Introduktion", "NON_LICENSED", "vardskador-grunder");
        licensedRoutine = routine("Introduktion legitimerade", "LICENSED", "basala-hygienrutiner");
        anna = people.create(hsa + "1", "Anna", "Ahlström", null, north, today.minusDays(40), today.minusDays(40), "NON_LICENSED");
        bo = people.create(hsa + "2", "Bo", "Berg", null, northNight, today.minusDays(25), today.minusDays(25), "NON_LICENSED");
        cecilia = people.create(hsa + "3", "Cecilia", "Ceder", null, south, today.minusDays(50), today.minusDays(50), "LICENSED");
        david = people.create(hsa + "4", "David", "Dahl", null, south, today.minusDays(5), today.minusDays(5), "NON_LICENSED");
        recomputeUnder(municipality, coordinator);
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + north + "/assignments",
                Map.of("module", "basala-hygienrutiner", "dueDate", today.plusDays(10).toString(), "audience", "NON_LICENSED"))
                .bearerAuth(coordinator));
        sql.awaitManualAssignments();
        sql.awaitRecomputations();
    }

    @Test
    void onePersonARowWithTheirModulesByTitleAndTheCountsAtTheTop() {
        String page = page("");

        assertEquals(List.of(cecilia, anna, bo), people(page), "earliest due date first; David's is beyond 14 days");
        assertEquals(List.of(2, 1, 6), counts(page), "overdue people, due-soon people, open assignments");
        String annasRow = row(page, anna);
        assertTrue(annasRow.contains("Anna Ahlström") && annasRow.contains(hsa + "1") && annasRow.contains("Hemtjänst Norr"), annasRow);
        assertTrue(annasRow.contains("Försenade:</strong> " + VARDSKADOR) && annasRow.contains("Förfaller: " + BASALA), annasRow);
        assertTrue(annasRow.contains(today.minusDays(10).toString()) && annasRow.contains(">2<"), annasRow);
        assertFalse(page.contains("vardskador-grunder<") || page.contains("basala-hygienrutiner<"), "titles, not codes");
        assertTrue(row(page, bo).contains("Förfaller snart") && row(page, bo).contains(today.plusDays(5).toString()));
        assertTrue(page.contains("3 personer"), page);
    }

    @Test
    void countsForAStartPageWholeAndByUnit() {
        assertEquals(new FollowUp.Counts(2, 1, 6), followUp.counts(municipality, FollowUp.Filter.everyone(), today));
        assertEquals(new FollowUp.Counts(1, 0, 2), followUp.counts(municipality, new FollowUp.Filter(south, null, null, null, 14), today));
        assertEquals(List.of(new FollowUp.UnitCounts(north, "Hemtjänst Norr", new FollowUp.Counts(1, 1, 4)),
                        new FollowUp.UnitCounts(south, "Hemtjänst Söder", new FollowUp.Counts(1, 0, 2))),
                followUp.countsByUnitUnder(municipality, FollowUp.Filter.everyone(), today), "Norr Natt counts in Hemtjänst Norr");
    }

    @Test
    void filtersNarrowTheListAndItsCounts() {
        assertEquals(List.of(anna, bo), people(page("?enhet=" + north)), "a unit with the units under it");
        assertEquals(List.of(bo), people(page("?enhet=" + northNight)));
        assertEquals(List.of(1, 1, 4), counts(page("?enhet=" + north)));
        assertEquals(List.of(cecilia), people(page("?malgrupp=LICENSED")));
        assertEquals(List.of(cecilia, anna, bo), people(page("?modul=basala-hygienrutiner")));
        assertEquals(List.of(1, 2, 3), counts(page("?modul=basala-hygienrutiner")), "Anna is only due soon with Basala");
        assertEquals(List.of(cecilia), people(page("?rutin=" + licensedRoutine)));
        assertEquals(List.of(cecilia, anna), people(page("?status=forsenad")));
        assertEquals(List.of(bo), people(page("?status=snart")));
        assertEquals(List.of(cecilia, anna, bo, david), people(page("?status=alla")));
        assertEquals(List.of(cecilia, anna, bo, david), people(page("?dagar=30")), "David is due within 30 days");
        assertEquals(List.of(bo), people(page("?enhet=" + north + "&status=snart")));
        String none = page("?malgrupp=LICENSED&enhet=" + north);
        assertTrue(people(none).isEmpty() && none.contains("Ingen i urvalet"), none);
    }

    @Test
    void searchByNameOrHsaIdWithWildcardsTakenLiterally() {
        assertEquals(List.of(anna), people(page("?sok=ahlstr")), "part of a name, any case");
        assertEquals(List.of(anna), people(page("?sok=Anna+Ahl")));
        assertEquals(List.of(bo), people(page("?sok=Berg+Bo")), "family name first");
        assertEquals(List.of(cecilia), people(page("?sok=" + hsa + "3")));
        assertEquals(List.of(), people(page("?sok=%25")), "% is a character, not a wildcard");
        assertEquals(List.of(), people(page("?sok=_")), "_ is a character, not a wildcard");
        String tooLong = pageResponse("?sok=" + "x".repeat(101)).getBody().orElseThrow();
        assertTrue(tooLong.contains("högst 100 tecken"), tooLong);
    }

    @Test
    void sortedByEachColumnBothWays() {
        assertEquals(List.of(anna, bo, cecilia), people(page("?sortera=namn")));
        assertEquals(List.of(cecilia, bo, anna), people(page("?sortera=namn&ordning=fallande")));
        assertEquals(List.of(anna, cecilia, bo), people(page("?sortera=enhet")), "Hemtjänst Norr, Hemtjänst Söder, Norr Natt");
        assertEquals(List.of(bo, anna, cecilia), people(page("?sortera=forfallodag&ordning=fallande")));
        assertEquals(List.of(anna, bo, cecilia), people(page("?sortera=antal&ordning=fallande")), "2, 2 (earlier first), 1");
        assertEquals(List.of(anna, bo, cecilia), people(page("?sortera=hsaid")));
        String page = page("?sortera=namn");
        assertTrue(page.contains("aria-sort=\"ascending\""), page);
        assertTrue(page.replace("&#x3D;", "=").replace("&amp;", "&").contains("?sortera=namn&ordning=fallande\">Namn<"),
                "the sorted column's head sorts the other way: " + page);
    }

    @Test
    void unusableValuesAreSaidInSwedishAndTheDefaultIsShown() {
        for (String query : List.of("?sida=abc", "?sida=-1", "?sortera=lon", "?status=kanske", "?enhet=abc", "?dagar=x")) {
            HttpResponse<String> answer = pageResponse(query);
            String body = answer.getBody().orElseThrow();
            assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, answer.getStatus(), query);
            assertTrue(body.contains("role=\"alert\"") && body.contains("<nav"), "a message on the page with its layout: " + body);
            assertEquals(List.of(cecilia, anna, bo), people(body), query + " shows the default list");
            for (String leak : List.of("Failed to", "java.", "convert argument")) {
                assertFalse(body.contains(leak), leak + " in " + body);
            }
        }
    }

    @Test
    void exportsHoldExactlyTheFilteredPeopleWithTitlesInAWorkbookReadyToWorkWith() {
        HttpResponse<byte[]> xlsx = http.toBlocking().exchange(HttpRequest.GET("/organisationer/" + municipality
                + "/uppfoljning.xlsx?enhet=" + north).cookie(Cookie.of("JWT", coordinator)), byte[].class);

        assertEquals("attachment; filename=\"uppfoljning-hemtjanst-norr-" + today + ".xlsx\"",
                xlsx.getHeaders().get("Content-Disposition"));
        List<Row> rows = ExportedWorkbook.rows(xlsx.body());
        assertEquals(List.of("Namn", "HSA-id", "Enhet", "Försenade moduler", "Övriga moduler", "Antal moduler",
                "Tidigaste förfallodag", "Status"), cells(rows.get(0)));
        assertEquals(3, rows.size(), "a header and Anna and Bo");
        assertEquals(List.of("Anna Ahlström", hsa + "1", "Hemtjänst Norr", VARDSKADOR, BASALA), cells(rows.get(1)).subList(0, 5));
        assertEquals(List.of("Bo Berg", "", "Förfaller snart"), List.of(cells(rows.get(2)).get(0), cells(rows.get(2)).get(3),
                cells(rows.get(2)).get(7)));
        assertEquals(CellType.NUMBER, rows.get(1).getCell(5).getType(), "a count is a number");
        assertEquals(CellType.NUMBER, rows.get(1).getCell(6).getType(), "the due date is a date cell");
        assertEquals(today.minusDays(10), rows.get(1).getCell(6).asDate().toLocalDate());
        assertTrue(rows.get(1).getCell(6).getDataFormatString().contains("yyyy-mm-dd"));
        assertTrue(ExportedWorkbook.headerFrozen(xlsx.body()), "the header stays in view");
        assertEquals("A1:H3", ExportedWorkbook.autoFilter(xlsx.body()), "filter buttons over the header and both rows");
        assertEquals(8, ExportedWorkbook.columnWidths(xlsx.body()).size(), "every column fitted");

        HttpResponse<byte[]> night = http.toBlocking().exchange(HttpRequest.GET("/organisationer/" + municipality
                + "/uppfoljning.xlsx?enhet=" + northNight).cookie(Cookie.of("JWT", coordinator)), byte[].class);
        assertEquals("attachment; filename=\"uppfoljning-norr-natt-" + today + ".xlsx\"", night.getHeaders().get("Content-Disposition"));

        HttpResponse<String> csv = http.toBlocking().exchange(HttpRequest.GET("/organisationer/" + municipality
                + "/uppfoljning.csv?status=forsenad&sortera=namn").cookie(Cookie.of("JWT", coordinator)), String.class);
        assertEquals("attachment; filename=\"uppfoljning-kommun-l-" + today + ".csv\"", csv.getHeaders().get("Content-Disposition"));
        List<String> lines = csv.body().lines().toList();
        assertEquals(3, lines.size(), "a header, Anna and Cecilia: " + lines);
        assertTrue(lines.get(1).startsWith("\"Anna Ahlström\";\"" + hsa + "1\";\"Hemtjänst Norr\";\"" + VARDSKADOR + "\""),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("\"Cecilia Ceder\";"), lines.get(2));
    }

    @Test
    void onlyThoseWhoMaySeeNamesHereSeeTheList() {
        String p = "FULX" + System.nanoTime();
        long other = tree.add(p, "Kommun X", OrgNodeKind.MUNICIPALITY, null).id();
        String outsider = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, other));
        String leader = users.token(users.account(p + "-ledare", null, Role.LEADER, municipality));

        for (String path : List.of("/uppfoljning", "/uppfoljning.csv", "/uppfoljning.xlsx")) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                    HttpRequest.GET("/organisationer/" + municipality + path).cookie(Cookie.of("JWT", outsider)), String.class));
            assertEquals(HttpStatus.NOT_FOUND, e.getStatus(), "another organisation's node reads as unknown: " + path);
            HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                    .exchange(HttpRequest.GET("/organisationer/" + municipality + path).cookie(Cookie.of("JWT", leader)), String.class));
            assertEquals(HttpStatus.FORBIDDEN, refused.getStatus(), "a leader without names: " + path);
        }
    }

    @Test
    void aNodeNoRoutineReachesSaysSo() {
        String p = "FULE" + System.nanoTime();
        long empty = tree.add(p, "Kommun Tom", OrgNodeKind.MUNICIPALITY, null).id();
        String own = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, empty));

        String page = http.toBlocking().retrieve(HttpRequest.GET("/organisationer/" + empty + "/uppfoljning")
                .cookie(Cookie.of("JWT", own)));

        assertTrue(page.contains("Inga rutiner gäller här ännu – lägg upp en under") && page.contains("/rutiner\">Rutiner</a>"), page);
        assertFalse(page.contains("Ingen ligger efter"), page);
    }

    @Test
    void aHundredAndTwentyPeopleMakeThreePagesOfFiftyAndTheExportHoldsThemAll() {
        String p = "FULP" + System.nanoTime();
        long big = tree.add(p, "Kommun Stor", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add(p + "-U", "Storgården", OrgNodeKind.UNIT, big).id();
        String own = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, big));
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + big + "/routines", new RoutineForm(
                "Introduktion", RoutineKind.INTRODUCTION, "NON_LICENSED", List.of("vardskador-grunder"), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(own));
        String prefix = PersonFixture.hsaPrefix();
        List<Long> everyone = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            // Started a day apart, so that the due dates (and so the order) are all different.
            LocalDate start = today.minusDays(200 - i);
            everyone.add(people.create(prefix + i, "Person", String.format("Nummer%03d", i), null, unit, start, start, "NON_LICENSED"));
        }
        recomputeUnder(big, own);
        String base = "/organisationer/" + big + "/uppfoljning";

        String first = get(base, own);
        String third = get(base + "?sida=3", own);

        assertEquals(everyone.subList(0, 50), people(first));
        assertTrue(first.contains("Sida 1 av 3"), first);
        assertEquals(everyone.subList(100, 120), people(third), "page 3 holds the last 20");
        assertTrue(third.contains("Sida 3 av 3") && third.contains("aria-current=\"page\""), third);
        assertEquals(everyone.subList(100, 120), people(get(base + "?sida=9", own)), "a page past the last is the last");
        assertEquals(List.of(120, 0, 120), counts(first));
        HttpResponse<String> csv = http.toBlocking().exchange(HttpRequest.GET(base + ".csv?sida=2").cookie(Cookie.of("JWT", own)),
                String.class);
        List<String> lines = csv.body().lines().toList();
        assertEquals(121, lines.size(), "the export holds every page, not the one shown");
        for (int i = 1; i <= 120; i++) {
            assertTrue(lines.get(i).startsWith("\"Person Nummer" + String.format("%03d", i) + "\";"), "in the list's order: " + lines.get(i));
        }
        // Written as it is read: sent in chunks, its length not known beforehand; and never kept by the browser.
        assertEquals(List.of(), csv.getHeaders().getAll("Content-Length"), "streamed, not collected first");
        assertEquals("chunked", csv.getHeaders().get("Transfer-Encoding"));
        assertTrue(csv.getHeaders().get("Cache-Control").contains("no-store"), csv.getHeaders().get("Cache-Control"));
        HttpResponse<byte[]> xlsx = http.toBlocking().exchange(HttpRequest.GET(base + ".xlsx").cookie(Cookie.of("JWT", own)),
                byte[].class);
        List<Row> rows = ExportedWorkbook.rows(xlsx.body());
        assertEquals(121, rows.size(), "the workbook holds everyone too");
        assertEquals("Person Nummer120", rows.get(120).getCellText(0));
        assertEquals("A1:H121", ExportedWorkbook.autoFilter(xlsx.body()), "filter buttons over the header and every row");
        assertEquals("chunked", xlsx.getHeaders().get("Transfer-Encoding"));
    }

    // --- helpers ---

    private long routine(String name, String audience, String module) {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", new RoutineForm(
                name, RoutineKind.INTRODUCTION, audience, List.of(module), 30, CountsFrom.ORG_START, null, null, null,
                DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
        return sql.number("SELECT id FROM routine WHERE org_node_id = ? AND name = ?", municipality, name);
    }

    private String page(String query) {
        return get("/organisationer/" + municipality + "/uppfoljning" + query, coordinator);
    }

    private HttpResponse<String> pageResponse(String query) {
        try {
            return http.toBlocking().exchange(HttpRequest.GET("/organisationer/" + municipality + "/uppfoljning" + query)
                    .cookie(Cookie.of("JWT", coordinator)), String.class);
        } catch (HttpClientResponseException e) {
            return HttpResponse.status(e.getStatus()).body(e.getResponse().getBody(String.class).orElse(""));
        }
    }

    private String get(String path, String token) {
        return http.toBlocking().retrieve(HttpRequest.GET(path).cookie(Cookie.of("JWT", token)));
    }

    /** The people listed, in order. */
    private static List<Long> people(String page) {
        List<Long> ids = new ArrayList<>();
        Matcher m = PERSON_LINK.matcher(page);
        while (m.find()) {
            ids.add(Long.valueOf(m.group(1)));
        }
        return ids;
    }

    /** The three figures at the top. */
    private static List<Integer> counts(String page) {
        List<Integer> figures = new ArrayList<>();
        Matcher m = Pattern.compile("<span class=\"figure\">(\\d+)</span>").matcher(page);
        while (m.find()) {
            figures.add(Integer.valueOf(m.group(1)));
        }
        return figures;
    }

    /** The table row of one person. */
    private static String row(String page, long person) {
        int at = page.indexOf("<a href=\"/personer/" + person + "\">");
        return page.substring(page.lastIndexOf("<tr>", at), page.indexOf("</tr>", at));
    }

    private static List<String> cells(Row row) {
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < row.getCellCount(); c++) {
            cells.add(row.getCell(c) == null ? "" : row.getCellText(c));
        }
        return cells;
    }
}
