package se.kompetensmal.hrfiles;

import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.roster.RosterImportStatus;
import se.kompetensmal.roster.RosterImportView;
import se.kompetensmal.roster.RowError;
import se.kompetensmal.security.Role;

import java.nio.charset.Charset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Heroma-like export, saved in Windows-1252 with the HR system's own headers, imported as it is through the import
 * page: the municipality's saved column mapping says what the headers mean, the encoding is read from the bytes, and
 * the names come out with å, ä, ö (and the typographic apostrophe only Windows-1252 has) intact.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Windows1252MappingTest extends ServiceTest {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    /** The export's header row as Heroma-like systems write it (no HSA-id: staff are known by employee number), plus a column nobody maps. */
    static final String HEROMA_HEADER = "Anställningsnr;Förnamn;Efternamn;E-post;Enhetskod;Befattningskategori/Målgrupp;"
            + "Anställningsdatum;Kostnadsställe\r\n";

    String p;
    long municipality;
    HrCalls coordinator;

    @BeforeEach
    void aMunicipalityWithItsHeromaMappingSaved() {
        p = "W" + System.nanoTime();
        municipality = tree.add(p, "Kommun Väst", OrgNodeKind.MUNICIPALITY, null).id();
        tree.add(p + "-HT", "Hemtjänst Väst", OrgNodeKind.UNIT, municipality);
        String token = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        coordinator = new HrCalls(http.toBlocking(), token);
        http.toBlocking().exchange(HttpRequest.PUT("/api/organisations/" + municipality + "/column-mapping",
                new ColumnMapping.Change(List.of(
                        new ColumnMapping.Column("Anställningsnr", "anstallningsnummer"),
                        new ColumnMapping.Column("E-post", "epost"),
                        new ColumnMapping.Column("Enhetskod", "enhet"),
                        new ColumnMapping.Column("Befattningskategori/Målgrupp", "malgrupper"),
                        new ColumnMapping.Column("Anställningsdatum", "startdatum_organisation")))).bearerAuth(token));
    }

    private byte[] heromaExport() {
        return (HEROMA_HEADER
                + "10001;Åsa;Ängström;asa.angstrom@vast.example;" + p + "-HT;NON_LICENSED;2024-03-01;4711\r\n"
                + "10002;Märta;O’Neill-Öst;;" + p + "-HT;LICENSED;2019-08-19;4711\r\n").getBytes(WINDOWS_1252);
    }

    @Test
    void theExportIsShownReadRightAndImportedUnedited() {
        String preview = coordinator.upload(municipality, false, "heroma-export.csv", heromaExport());
        assertTrue(preview.matches("/import/forhandsgranskning/\\d+"), preview);

        String page = coordinator.get(preview);
        assertTrue(page.contains("Windows-1252") && page.contains("(identifierad i filen)"), page);
        assertTrue(page.contains("<option value=\"WINDOWS_1252\" selected>"), "the detected encoding is the one chosen");
        assertTrue(page.contains("Kolumnmappningen för Kommun Väst används."), page);
        assertTrue(page.contains("<th scope=\"row\">Befattningskategori/Målgrupp</th><td>Målgrupper</td>"), page);
        assertTrue(page.contains("<th scope=\"row\">Förnamn</th><td>Förnamn</td>"), "a header that is ours needs no mapping");
        assertTrue(page.contains("<th scope=\"row\">Kostnadsställe</th><td>används inte</td>"), page);
        assertFalse(page.contains("Fält som krävs men som ingen kolumn"), page);
        assertTrue(page.contains("<td>Åsa</td><td>Ängström</td>") && page.contains("<td>O’Neill-Öst</td>"), page);

        long file = sql.number("SELECT file_id FROM hr_upload WHERE id = ?", id(preview));
        RosterImportView done = coordinator.confirm(preview, "WINDOWS_1252");

        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(2, done.rosterImport().createdCount());
        assertEquals("heroma-export.csv", done.rosterImport().fileName());
        assertEquals(List.of("Åsa Ängström asa.angstrom@vast.example Hemtjänst Väst 2024-03-01",
                        "Märta O’Neill-Öst - Hemtjänst Väst 2019-08-19"),
                sql.strings("SELECT CONCAT(p.given_name, ' ', p.family_name, ' ', COALESCE(p.email, '-'), ' ', n.name, ' ', p.org_start_date) "
                        + "FROM person p JOIN org_node n ON n.id = p.org_node_id WHERE p.huvudman_id = ? ORDER BY p.employee_number", municipality));
        assertEquals(List.of("10001 NON_LICENSED", "10002 LICENSED"), sql.strings("SELECT CONCAT(p.employee_number, ' ', a.code) "
                + "FROM person p JOIN person_audience pa ON pa.person_id = p.id JOIN audience a ON a.id = pa.audience_id "
                + "WHERE p.huvudman_id = ? AND p.hsa_id IS NULL ORDER BY p.employee_number", municipality));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM hr_upload WHERE id = ?", id(preview)), "the upload is removed once imported");
        assertEquals(0, sql.number("SELECT COUNT(*) FROM stored_file_chunk WHERE file_id = ?", file), "and its stored bytes");
    }

    @Test
    void readAsIsoLatin1TheApostropheIsAControlCharacterAndNothingIsImported() {
        String preview = coordinator.upload(municipality, false, "heroma-export.csv", heromaExport());

        String page = coordinator.get(preview + "?kodning=ISO_8859_1");
        assertTrue(page.contains("<option value=\"ISO_8859_1\" selected>") && page.contains("vald av dig"), page);

        RosterImportView done = coordinator.confirm(preview, "ISO_8859_1");

        assertEquals(RosterImportStatus.REJECTED, done.rosterImport().status(), done.toString());
        assertEquals(List.of(new RowError(3, "efternamn",
                "efternamn innehåller ett otillåtet styrtecken (tecken nr 2), t.ex. tabb eller radbrytning")), done.errors());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM person WHERE huvudman_id = ?", municipality), "the good row is not written either");
    }

    private static long id(String preview) {
        return Long.parseLong(preview.substring(preview.lastIndexOf('/') + 1));
    }
}
