package se.kompetensmal.roster;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an import reports is what the database holds, when the database rolls its write transaction back in the middle
 * ({@link FaultyImportWrites}): run again, and reported SUCCEEDED only with every row there; reported FAILED, with
 * nothing written, when it is rolled back every time. Never SUCCEEDED with rows missing.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportRollbackTest extends ServiceTest {

    private static final int ROWS = 5_000;

    RosterApi api;
    String org;
    long orgId;
    String hsa;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("kompetensmal.test.import-faults", "true");
        return properties;
    }

    @BeforeEach
    void anOrganisationOfItsOwn() {
        FaultyImportWrites.SILENT_ROLLBACKS.set(0);
        FaultyImportWrites.DEADLOCKS.set(0);
        FaultyImportWrites.DONE.set(0);
        api = new RosterApi(http.toBlocking(), users.admin());
        long n = System.nanoTime() % 10_000_000_000L;
        org = "R" + n;
        hsa = "SE" + String.format("%010d", n) + "-";
        RosterImportView created = api.organisations("kod;namn;typ;överordnad\n"
                + org + ";Rullkommun;kommun;\n" + org + "-A;Hemtjänst Rull;enhet;" + org + "\n");
        assertEquals(RosterImportStatus.SUCCEEDED, created.rosterImport().status(), created.toString());
        orgId = sql.number("SELECT id FROM org_node WHERE code = ?", org);
    }

    private String peopleFile() {
        StringBuilder csv = new StringBuilder("hsa_id;förnamn;efternamn;enhet;målgrupper;startdatum_organisation\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append(hsa).append(i).append(";Åsa;Öberg;").append(org).append("-A;LICENSED;2024-01-01\n");
        }
        return csv.toString();
    }

    private long peopleInTheFile() {
        return sql.number("SELECT COUNT(*) FROM person WHERE hsa_id LIKE ?", hsa + "%");
    }

    @Test
    void aTransactionRolledBackUnseenMidwayIsRunAgainAndReportsWhatTheDatabaseHolds() {
        FaultyImportWrites.SILENT_ROLLBACKS.set(1);

        RosterImportView done = api.people(peopleFile(), orgId, false);

        assertEquals(1, FaultyImportWrites.DONE.get(), "the transaction was rolled back once, after " + FaultyImportWrites.AT_ROWS + " rows");
        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(ROWS, done.rosterImport().createdCount());
        assertEquals(ROWS, peopleInTheFile(), "every row the import reports is in the database");
        assertEquals(0, sql.number("SELECT COUNT(*) FROM roster_import_write"), "no proof row is ever committed");
    }

    @Test
    void aDeadlockIsRunAgainAsAWhole() {
        FaultyImportWrites.DEADLOCKS.set(2);

        RosterImportView done = api.people(peopleFile(), orgId, false);

        assertEquals(2, FaultyImportWrites.DONE.get());
        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(ROWS, done.rosterImport().createdCount());
        assertEquals(ROWS, peopleInTheFile());
    }

    @Test
    void anImportRolledBackEveryTimeIsReportedFailedWithNothingWritten() {
        FaultyImportWrites.SILENT_ROLLBACKS.set(100);

        RosterImportView done = api.people(peopleFile(), orgId, false);

        assertEquals(RosterImportJob.ATTEMPTS, FaultyImportWrites.DONE.get(), "run again as a whole, a few times");
        assertEquals(RosterImportStatus.FAILED, done.rosterImport().status(), done.toString());
        assertTrue(done.rosterImport().message().contains("Databasen avbröt importen"), done.rosterImport().message());
        assertTrue(done.rosterImport().message().contains("Inget sparades"), done.rosterImport().message());
        assertEquals(0, done.rosterImport().createdCount());
        assertEquals(0, peopleInTheFile(), "a failed import wrote nothing");
    }
}
