package se.kompetensmal.roster;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.Waiting;
import se.kompetensmal.learning.LearningHistory;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an import reports is what the database holds, when the database rolls its write transaction back in the middle
 * ({@link FaultyImportWrites}): run again, and reported SUCCEEDED only with every row there; reported FAILED, with
 * nothing written, when it is rolled back every time. Never SUCCEEDED with rows missing.
 *
 * <p>A history import is written in chunks of {@link #CHUNK} rows here (a transaction each), made visible in one small
 * transaction: a reader meanwhile sees none of it, and afterwards all of it; rolled back part-way, it goes on from the
 * chunks already committed, without a duplicate.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportRollbackTest extends ServiceTest {

    private static final int ROWS = 5_000;
    /** The history import's chunk here: five chunks for the file, the fault after the second. */
    private static final int CHUNK = 1_000;

    @Inject
    LearningHistory histories;

    RosterApi api;
    ImportedMunicipality municipality;
    String org;
    long orgId;
    String hsa;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("kompetensmal.test.import-faults", "true");
        properties.put("kompetensmal.import.chunk-rows", String.valueOf(CHUNK));
        return properties;
    }

    @BeforeEach
    void anOrganisationOfItsOwn() {
        FaultyImportWrites.SILENT_ROLLBACKS.set(0);
        FaultyImportWrites.DEADLOCKS.set(0);
        FaultyImportWrites.DONE.set(0);
        FaultyImportWrites.WHILE_WRITING = (id, rows) -> { };
        api = new RosterApi(http.toBlocking(), users.admin());
        municipality = ImportedMunicipality.make(api, sql, "R", "Rullkommun", "Hemtjänst Rull");
        org = municipality.code();
        orgId = municipality.id();
        hsa = municipality.hsaPrefix();
    }

    private String peopleFile() {
        return municipality.peopleFile(ROWS);
    }

    private long peopleInTheFile() {
        return municipality.peopleInTheDatabase(sql);
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

    /** The people of {@link #peopleFile}, imported, and a history file giving each of them one completion. */
    private String historyFileForThePeople() {
        RosterImportView staff = api.people(peopleFile(), orgId, false);
        assertEquals(RosterImportStatus.SUCCEEDED, staff.rosterImport().status(), staff.toString());
        String module = sql.strings("SELECT code FROM catalogue_module WHERE owner_org_id IS NULL ORDER BY code LIMIT 1").get(0);
        StringBuilder csv = new StringBuilder("hsa_id;modulkod;genomförd;resultat;källa;externt_id\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append(hsa).append(i).append(';').append(module).append(";2020-02-0").append(1 + i % 9)
                    .append(";90;Gamla systemet;H").append(i).append('\n');
        }
        return csv.toString();
    }

    /** What a reader on a connection of its own sees of an import's completions: {written, counted, visible}. */
    private long[] seenFromOutside(long importId) {
        return CompletableFuture.supplyAsync(() -> new long[]{
                sql.number("SELECT COUNT(*) FROM completion WHERE import_id = ?", importId),
                sql.number("SELECT COUNT(*) FROM counted_completion WHERE import_id = ?", importId),
                sql.number("SELECT COUNT(*) FROM visible_completion WHERE import_id = ?", importId)}).join();
    }

    private long firstPerson() {
        return sql.number("SELECT id FROM person WHERE hsa_id = ?", hsa + "0");
    }

    @Test
    void aHistoryImportIsWrittenInBoundedChunksSeenByNoReaderUntilOneSmallTransactionShowsItAll() {
        String csv = historyFileForThePeople();
        long person = firstPerson();
        List<long[]> seen = new ArrayList<>();
        List<Integer> historyShown = new ArrayList<>();
        FaultyImportWrites.WHILE_WRITING = (id, rows) -> {
            seen.add(seenFromOutside(id));
            historyShown.add(CompletableFuture.supplyAsync(() -> histories.of(person, null, LocalDate.now(SwedishTime.ZONE))
                    .completions().size()).join());
        };

        RosterImportView done = api.history(csv, orgId);

        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(List.of(ROWS, 0), List.of(done.rosterImport().createdCount(), done.rosterImport().updatedCount()));
        assertEquals(ROWS / CHUNK, seen.size(), "told after each chunk");
        long before = 0;
        for (long[] now : seen) {
            // Read on another connection after each chunk: the rows committed since the last look are one chunk, so no
            // transaction of the import wrote more; and none of them counted or shown anywhere yet.
            assertTrue(now[0] > before && now[0] - before <= CHUNK, "committed " + (now[0] - before) + " rows in one step");
            assertEquals(List.of(0L, 0L), List.of(now[1], now[2]), "a reader during the write sees none of the import's rows");
            before = now[0];
        }
        assertEquals(ROWS, before, "every row written in the chunks: the final transaction writes no completion");
        assertTrue(historyShown.stream().allMatch(n -> n == 0), "the person's history shows nothing meanwhile: " + historyShown);
        long[] after = seenFromOutside(done.rosterImport().id());
        assertEquals(List.of((long) ROWS, (long) ROWS, (long) ROWS), List.of(after[0], after[1], after[2]),
                "after the final transaction every reader sees all of it");
        assertEquals(1, histories.of(person, null, LocalDate.now(SwedishTime.ZONE)).completions().size());
    }

    @Test
    void aHistoryImportRolledBackPartWayGoesOnFromItsChunksWithoutADuplicate() {
        String csv = historyFileForThePeople();
        FaultyImportWrites.DEADLOCKS.set(1);
        List<long[]> atTheFault = new ArrayList<>();
        FaultyImportWrites.WHILE_WRITING = (id, rows) -> {
            if (rows == FaultyImportWrites.AT_ROWS && atTheFault.isEmpty()) {
                atTheFault.add(new long[]{sql.number("SELECT COUNT(*) FROM completion WHERE import_id = ?", id),
                        sql.number("SELECT MAX(id) FROM completion WHERE import_id = ?", id)});
            }
        };

        RosterImportView done = api.history(csv, orgId);

        assertEquals(1, FaultyImportWrites.DONE.get(), "rolled back once, after " + FaultyImportWrites.AT_ROWS + " rows");
        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(List.of(ROWS, 0), List.of(done.rosterImport().createdCount(), done.rosterImport().updatedCount()),
                "what it reports as new is what it wrote, over both runs");
        long id = done.rosterImport().id();
        assertEquals(FaultyImportWrites.AT_ROWS, atTheFault.get(0)[0], "two chunks were committed before the fault");
        assertEquals(FaultyImportWrites.AT_ROWS, sql.number("SELECT COUNT(*) FROM completion WHERE import_id = ? AND id <= ?",
                id, atTheFault.get(0)[1]), "the chunks committed before the fault were kept, not written again");
        assertEquals(ROWS, sql.number("SELECT COUNT(*) FROM counted_completion WHERE import_id = ?", id));
        assertEquals(ROWS, sql.number("SELECT COUNT(DISTINCT person_id, history_id) FROM completion WHERE import_id = ?", id));
        assertEquals(ROWS, sql.number("SELECT COUNT(*) FROM completion c JOIN person p ON p.id = c.person_id WHERE p.hsa_id LIKE ?",
                hsa + "%"), "one completion per row of the file, none twice");
    }

    @Test
    void aHistoryImportRolledBackEveryTimeIsReportedFailedShowedNothingAndItsChunksAreDeleted() {
        String csv = historyFileForThePeople();
        FaultyImportWrites.DEADLOCKS.set(100);

        RosterImportView done = api.history(csv, orgId);

        // The outcome first: when fewer faults were done, it tells why the attempts stopped.
        assertEquals(RosterImportStatus.FAILED, done.rosterImport().status(), done.toString());
        assertEquals(RosterImportJob.ATTEMPTS, FaultyImportWrites.DONE.get(), "run again as a whole, a few times: " + done);
        assertTrue(done.rosterImport().message().contains("Inget sparades"), done.rosterImport().message());
        long id = done.rosterImport().id();
        assertEquals(0, sql.number("SELECT COUNT(*) FROM visible_completion WHERE import_id = ?", id), "none of it ever shown");
        Waiting.until(() -> sql.number("SELECT COUNT(*) FROM completion WHERE import_id = ?", id), n -> n == 0,
                Duration.ofMinutes(1), "the chunks of the failed import deleted");
        assertFalse(histories.of(firstPerson(), null, LocalDate.now(SwedishTime.ZONE)).completions().size() > 0);

        // The same file again, without faults: every record new, none hidden by the failed import's rows.
        FaultyImportWrites.DEADLOCKS.set(0);
        RosterImportView again = api.history(csv, orgId);
        assertEquals(RosterImportStatus.SUCCEEDED, again.rosterImport().status(), again.toString());
        assertEquals(ROWS, again.rosterImport().createdCount());
        assertEquals(ROWS, sql.number("SELECT COUNT(*) FROM counted_completion WHERE import_id = ?", again.rosterImport().id()));
    }
}
