package se.kompetensmal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports whose cells or text come from people: formulas typed as names stay text, control characters do not break a
 * workbook, and names in any script print in the PDFs.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportSafetyTest extends ServiceTest {

    private static final String FORMULA_USERNAME = "=HYPERLINK(\"http://x\",\"y\")";

    @Inject
    Completions completions;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    @Test
    void aFormulaTypedAsUserNameOnTheSignInPageIsTextInTheAuditExport() {
        http.toBlocking().exchange(HttpRequest.POST("/login", Map.of("username", FORMULA_USERNAME, "password", "fel"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED), String.class);

        String export = http.toBlocking().retrieve(HttpRequest.GET("/admin/logg.csv").cookie(Cookie.of("JWT", users.admin())));

        // User names are kept in lower case.
        String lower = export.toLowerCase();
        assertTrue(lower.contains(";\"'=hyperlink(\"\"http://x\"\",\"\"y\"\")\";\"sign_in_failed\";"), export);
        assertFalse(lower.contains("\"=hyperlink"), "no cell starts with the formula");
    }

    @Test
    void formulasTypedAsNamesAreTextInTheFollowUpExports() {
        FollowUpSheet followUp = followUpWith("-2+3", "=1+2", "@SUM(A1)");

        assertTrue(followUp.csv.contains("\"" + followUp.hsa + "1\";\"'=1+2 Efternamn\";\"'-2+3\";\"Vårdskador och patientsäkerhet – grunderna\";"
                + today.minusDays(10) + ";\"ja\""), followUp.csv);
        assertTrue(followUp.csv.contains(";\"'@SUM(A1) Efternamn\";"), followUp.csv);
        List<Row> rows = ExportedWorkbook.rows(followUp.xlsx);
        assertEquals(List.of("'=1+2 Efternamn", "'@SUM(A1) Efternamn"), rows.stream().skip(1).map(r -> r.getCell(1).getText()).toList());
        for (Row row : rows.subList(1, rows.size())) {
            assertEquals(CellType.STRING, row.getCell(1).getType(), "never a formula");
            assertEquals("'-2+3", row.getCell(2).getText());
        }
    }

    @Test
    void controlCharactersInANameLeaveTheFollowUpWorkbookReadableWithDatesAndAFilteredFrozenHeader() {
        FollowUpSheet followUp = followUpWith("Hemtjänst", "Kon\u0001troll", "Sara\u000B");

        List<Row> rows = ExportedWorkbook.rows(followUp.xlsx);

        assertEquals(3, rows.size(), "a header row and one row per person behind");
        assertEquals(List.of("Kontroll Efternamn", "Sara Efternamn"), rows.stream().skip(1).map(r -> r.getCell(1).getText()).toList());
        for (Row row : rows.subList(1, rows.size())) {
            assertEquals(CellType.NUMBER, row.getCell(4).getType(), "the due date is a date cell");
            assertTrue(row.getCell(4).getDataFormatString().contains("yyyy"), row.getCell(4).getDataFormatString());
        }
        assertEquals(today.minusDays(10), rows.get(1).getCell(4).asDate().toLocalDate());
        String sheet = ExportedWorkbook.sheetXml(followUp.xlsx);
        assertTrue(sheet.contains("state=\"frozen\"") && sheet.contains("<autoFilter ref=\"A1:G3\""), sheet);
    }

    private record FollowUpSheet(String hsa, String csv, byte[] xlsx) {
    }

    /** A unit with an introduction routine and one overdue person per given name, the first 40 days in, and its exports. */
    private FollowUpSheet followUpWith(String unitName, String... givenNames) {
        String p = "EXP" + System.nanoTime();
        long municipality = tree.add(p, "Kommun E", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add(p + "-A", unitName, OrgNodeKind.UNIT, municipality).id();
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", new RoutineForm(
                "Introduktion", RoutineKind.INTRODUCTION, "NON_LICENSED", List.of("vardskador-grunder"), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
        String hsa = PersonFixture.hsaPrefix();
        for (int i = 0; i < givenNames.length; i++) {
            LocalDate start = today.minusDays(40 - i);
            people.create(hsa + (i + 1), givenNames[i], "Efternamn", null, unit, start, start, "NON_LICENSED");
        }
        recomputeUnder(municipality, coordinator);
        String query = "/api/organisations/" + municipality + "/follow-up";
        return new FollowUpSheet(hsa, http.toBlocking().retrieve(HttpRequest.GET(query + ".csv").bearerAuth(coordinator)),
                http.toBlocking().retrieve(HttpRequest.GET(query + ".xlsx").bearerAuth(coordinator), byte[].class));
    }

    @Test
    void aCertificateForANameOutsideLatinScriptIsAPdfWithTheName() throws IOException {
        String p = "CJK" + System.nanoTime();
        long ward = tree.add(p, "Avdelning C", OrgNodeKind.UNIT, null).id();
        long nurse = people.create(PersonFixture.hsaPrefix() + "1", "王小明 😀", "Åsa", null, ward, today.minusYears(1),
                today.minusYears(1), "LICENSED");
        long version = sql.number("SELECT MAX(id) FROM module_version WHERE module_code = 'basala-hygienrutiner'");
        long completion = completions.record(nurse, version, today, 95, 600, Completions.Source.INTERNAL);
        String learner = users.token(users.account(p + "-learner", nurse, Role.LEARNER, ward));

        HttpResponse<byte[]> pdf = http.toBlocking().exchange(HttpRequest.GET("/min-utbildning/intyg/" + completion)
                .cookie(Cookie.of("JWT", learner)), byte[].class);

        assertPdfWith(pdf, "王小明", "Åsa");
    }

    @Test
    void theStatisticsPdfOfANodeNamedInChineseIsAPdfWithTheName() throws IOException {
        String p = "CJKS" + System.nanoTime();
        long region = tree.add(p, "Region 王", OrgNodeKind.REGION, null).id();
        String leader = users.token(users.account(p + "-ledare", null, Role.LEADER, region));

        HttpResponse<byte[]> pdf = http.toBlocking().exchange(HttpRequest.GET("/organisationer/" + region + "/statistik.pdf")
                .cookie(Cookie.of("JWT", leader)), byte[].class);

        assertPdfWith(pdf, "Region 王", "Patientsäkerhetsutbildning");
    }

    private static void assertPdfWith(HttpResponse<byte[]> pdf, String... texts) throws IOException {
        assertEquals(200, pdf.code());
        assertTrue(pdf.getContentType().orElseThrow().toString().startsWith("application/pdf"));
        byte[] body = pdf.body();
        // Only the glyphs used are embedded: the fallback font file alone is 4 MB.
        assertTrue(body.length < 200_000, body.length + " bytes");
        try (PDDocument document = Loader.loadPDF(body)) {
            String text = new PDFTextStripper().getText(document);
            for (String expected : texts) {
                assertTrue(text.contains(expected), text);
            }
        }
    }
}
