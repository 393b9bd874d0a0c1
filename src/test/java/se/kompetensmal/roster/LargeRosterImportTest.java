package se.kompetensmal.roster;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100,000 people in one file. The test JVM runs with a small heap (see pom.xml), so a reader or writer that held the
 * file or its rows in memory would fail here with OutOfMemoryError.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeRosterImportTest extends ServiceTest {

    private static final int PEOPLE = 100_000;

    /**
     * A database of its own, like the large history import's: in the shared one its hundred thousand people (and their
     * recomputed assignments) stayed for every later class of its JVM, whose statistics, follow-up and start pages then
     * read them. Which classes came later depended on how the two JVMs shared the classes out: LinkWalkTest (now LinkWalkIT) took 247 s
     * in CI when it came after this class, its statistics and follow-up pages taking seconds each (a statistics page with
     * the demo's 185 people alone runs its three queries in under 0.1 s).
     */
    private static final String DATABASE = "km_large_roster";

    @Override
    public Map<String, String> getProperties() {
        return TestDatabase.Server.freshDatabase(DATABASE);
    }

    @Test
    void hundredThousandRowsImportInFullWithProgressRecorded() {
        RosterApi api = new RosterApi(http.toBlocking(), users.admin());
        long n = System.nanoTime() % 10_000_000_000L;
        String org = "BIG" + n;
        String hsa = "SE" + String.format("%010d", n) + "-";
        StringBuilder units = new StringBuilder("kod;namn;typ;överordnad\n" + org + ";Storregionen;region;\n");
        for (int u = 0; u < 100; u++) {
            units.append(org).append("-E").append(u).append(";Enhet ").append(u).append(";enhet;").append(org).append('\n');
        }
        assertEquals(RosterImportStatus.SUCCEEDED, api.organisations(units.toString()).rosterImport().status());
        long orgId = sql.number("SELECT id FROM org_node WHERE code = ?", org);

        ByteArrayOutputStream csv = new ByteArrayOutputStream(12 * 1024 * 1024);
        csv.writeBytes("hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation;startdatum_roll\n"
                .getBytes(StandardCharsets.UTF_8));
        String[] audiences = {"LICENSED", "NON_LICENSED", "LICENSED|FRONTLINE_MANAGER", "LOCAL_SUPPORT"};
        for (int i = 0; i < PEOPLE; i++) {
            csv.writeBytes((hsa + i + ";Förnamn" + i + ";Efternamnsson;p" + i + "@region.example;" + org + "-E" + (i % 100)
                    + ";" + audiences[i % 4] + ";2015-01-01;2020-06-01\n").getBytes(StandardCharsets.UTF_8));
        }

        List<RosterImportView> partway = new ArrayList<>();
        RosterImportView result = api.people(csv.toByteArray(), orgId, true, view -> {
            RosterImport state = view.rosterImport();
            if (!state.finished() && state.processedRows() > 0 && state.processedRows() < state.totalRows()) {
                partway.add(view);
            }
        });

        assertEquals(RosterImportStatus.SUCCEEDED, result.rosterImport().status(), result.toString());
        assertEquals(PEOPLE, result.rosterImport().createdCount());
        assertEquals(PEOPLE, result.rosterImport().totalRows());
        assertEquals(PEOPLE, result.rosterImport().processedRows());
        assertTrue(!partway.isEmpty(), "progress is visible while the import runs");
        assertTrue(partway.stream().allMatch(v -> v.rosterImport().totalRows() == PEOPLE && v.rosterImport().percent() < 100));
        assertEquals(PEOPLE, sql.number("SELECT COUNT(*) FROM person p JOIN org_closure c ON c.descendant_id = p.org_node_id "
                + "WHERE c.ancestor_id = ? AND p.status = 'ACTIVE'", orgId));
        assertEquals(PEOPLE / 4, sql.number("SELECT COUNT(*) FROM person_audience pa JOIN person p ON p.id = pa.person_id "
                + "JOIN audience a ON a.id = pa.audience_id WHERE a.code = 'FRONTLINE_MANAGER' AND p.hsa_id LIKE ?", hsa + "%"));
        assertTrue(Runtime.getRuntime().maxMemory() <= 768L * 1024 * 1024, "the test must run on a small heap to prove anything");
    }
}
