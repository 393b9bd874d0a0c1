package se.kompetensmal.roster;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.Waiting;
import se.kompetensmal.files.StoredFiles;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Roster imports with two services on one database. This test's own service runs no background jobs
 * ({@code kompetensmal.jobs.enabled=false}); a second service, {@code tjanst-b}, started beside it, does. So an upload
 * to the first is imported by the second, from the file stored in the database; and an import left WRITING by a holder
 * that died is taken over by the live service once the dead one's lease has ended, and run again from its stored file:
 * a history import goes on from the chunks of completions the dead holder committed, which no reader saw meanwhile.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiInstanceImportTest extends ServiceTest {

    @Inject
    StoredFiles files;

    EmbeddedServer other;
    RosterApi api;
    ImportedMunicipality municipality;
    String org;
    long orgId;
    String hsa;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("kompetensmal.jobs.enabled", "false");
        properties.put("kompetensmal.instance-name", "tjanst-a");
        return properties;
    }

    @BeforeAll
    void aSecondServiceOnTheSameDatabase() {
        Map<String, Object> properties = new HashMap<>(super.getProperties());
        properties.put("kompetensmal.instance-name", "tjanst-b");
        properties.put("kompetensmal.jobs.enabled", "true");
        properties.put("micronaut.server.port", -1);
        other = ApplicationContext.run(EmbeddedServer.class, properties, "test");
    }

    @AfterAll
    void stopTheSecondService() {
        sql.awaitRecomputations(Duration.ofMinutes(2));
        if (other != null) {
            other.getApplicationContext().close();
        }
    }

    @BeforeEach
    void anOrganisationOfItsOwn() {
        api = new RosterApi(http.toBlocking(), users.admin());
        municipality = ImportedMunicipality.make(api, sql, "M", "Två tjänsters kommun", "Hemtjänst Två");
        org = municipality.code();
        orgId = municipality.id();
        hsa = municipality.hsaPrefix();
    }

    private String peopleFile(int rows) {
        return municipality.peopleFile(rows);
    }

    private long peopleInTheFile() {
        return municipality.peopleInTheDatabase(sql);
    }

    @Test
    void anUploadToOneServiceIsImportedByTheOtherFromTheStoredFile() {
        RosterImportView done = api.people(peopleFile(3_000), orgId, false);

        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(3_000, done.rosterImport().createdCount());
        assertEquals(3_000, peopleInTheFile());
        // This import's own file: an earlier class's held or failed import keeps its own.
        Waiting.until(() -> sql.number("""
                        SELECT COUNT(*) FROM stored_file f JOIN roster_import i ON i.file_id = f.id WHERE i.id = ?""",
                        done.rosterImport().id()), n -> n == 0, Duration.ofSeconds(20), "the stored upload deleted once imported");
    }

    /** The holder that died: it held the kind's lease (its heartbeat stopped a minute ago) and was writing an import. */
    private void theHolderDies() {
        Waiting.until(() -> sql.update("""
                UPDATE scheduled_tasks SET picked = TRUE, picked_by = 'dod-tjanst', last_heartbeat = UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE,
                       version = version + 1
                WHERE task_name = 'roster-import' AND NOT picked"""), n -> n == 1, Duration.ofSeconds(30),
                "the lease free to be taken by the holder that dies");
    }

    @Test
    void anImportLeftWritingByADeadHolderIsRunAgainByTheLiveServiceOnceTheLeaseHasEnded() {
        theHolderDies();
        StoredFiles.StoredFile file = files.store(RosterImportService.FILE_PURPOSE,
                new ByteArrayInputStream(peopleFile(2_500).getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE);
        sql.update("""
                INSERT INTO roster_import (kind, full_import, scope_org_id, file_name, status, total_rows, processed_rows,
                                           file_id, runs)
                VALUES ('PEOPLE', FALSE, ?, 'lamnad.csv', 'WRITING', 2500, 1000, ?, 1)""", orgId, file.id());
        long id = sql.number("SELECT MAX(id) FROM roster_import WHERE file_name = 'lamnad.csv'");

        RosterImportView done = api.await("/api/imports/" + id, view -> { }, Duration.ofMinutes(2));

        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(2_500, done.rosterImport().createdCount());
        assertEquals(2_500, peopleInTheFile(), "the counts the import reports are the rows in the database");
        assertNotEquals("dod-tjanst", sql.strings("SELECT COALESCE(picked_by, '-') FROM scheduled_tasks WHERE task_name = 'roster-import'")
                .get(0), "the live service took the kind over");
    }

    @Test
    void aHistoryImportWhoseHolderDiedMidWriteIsTakenOverFromItsChunksAndReportsWhatTheDatabaseHolds() {
        int rows = 1_000;
        int written = 400;
        assertEquals(RosterImportStatus.SUCCEEDED, api.people(peopleFile(rows), orgId, false).rosterImport().status());
        String module = sql.strings("SELECT code FROM catalogue_module WHERE owner_org_id IS NULL ORDER BY code LIMIT 1").get(0);
        StringBuilder csv = new StringBuilder("hsa_id;modulkod;genomförd;resultat;källa;externt_id\n");
        for (int i = 0; i < rows; i++) {
            csv.append(hsa).append(i).append(';').append(module).append(";2020-02-03;80;Gamla systemet;H").append(i).append('\n');
        }
        theHolderDies();
        StoredFiles.StoredFile file = files.store(RosterImportService.FILE_PURPOSE,
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE);
        sql.update("""
                INSERT INTO roster_import (kind, full_import, scope_org_id, file_name, status, total_rows, processed_rows,
                                           file_id, runs)
                VALUES ('HISTORY', FALSE, ?, 'historik-lamnad.csv', 'WRITING', ?, ?, ?, 1)""", orgId, rows, written, file.id());
        long id = sql.number("SELECT MAX(id) FROM roster_import WHERE file_name = 'historik-lamnad.csv'");
        // What it left: the file staged, and the first chunks of completions committed (the file's first 400 records).
        sql.update("""
                INSERT INTO history_import_row (import_id, row_no, hsa_id, module_code, completed_on, score, done_where, history_id)
                SELECT ?, CAST(SUBSTRING(p.hsa_id, LENGTH(?) + 1) AS UNSIGNED) + 2, p.hsa_id, ?, '2020-02-03', 80,
                       'Gamla systemet', CONCAT('H', SUBSTRING(p.hsa_id, LENGTH(?) + 1))
                FROM person p WHERE p.hsa_id LIKE ?""", id, hsa, module, hsa, hsa + "%");
        assertEquals(written, sql.update("""
                INSERT INTO completion (person_id, module_version_id, completed_on, score, source, done_where, import_id, history_id)
                SELECT p.id, (SELECT MAX(v.id) FROM module_version v WHERE v.module_code = ?), '2020-02-03', 80, 'IMPORTED',
                       'Gamla systemet', ?, CONCAT('H', SUBSTRING(p.hsa_id, LENGTH(?) + 1))
                FROM person p WHERE p.hsa_id LIKE ? AND CAST(SUBSTRING(p.hsa_id, LENGTH(?) + 1) AS UNSIGNED) < ?""",
                module, id, hsa, hsa + "%", hsa, written));
        long lastWritten = sql.number("SELECT MAX(id) FROM completion WHERE import_id = ?", id);
        assertEquals(List.of("0", "0"), sql.strings("""
                SELECT COUNT(*) FROM counted_completion WHERE import_id = ? UNION ALL
                SELECT COUNT(*) FROM visible_completion c JOIN person p ON p.id = c.person_id WHERE p.hsa_id LIKE ?""",
                id, hsa + "%"), "no reader sees the dead holder's chunks");

        RosterImportView done = api.await("/api/imports/" + id, view -> { }, Duration.ofMinutes(2));

        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(List.of(rows, 0), List.of(done.rosterImport().createdCount(), done.rosterImport().updatedCount()),
                "every record reported new: the dead holder's chunks and the rest, as the database holds them");
        assertEquals(rows, sql.number("SELECT COUNT(*) FROM counted_completion WHERE import_id = ?", id));
        assertEquals(rows, sql.number("SELECT COUNT(*) FROM completion c JOIN person p ON p.id = c.person_id WHERE p.hsa_id LIKE ?",
                hsa + "%"), "one completion per row of the file: none written twice");
        assertEquals(written, sql.number("SELECT COUNT(*) FROM completion WHERE import_id = ? AND id <= ?", id, lastWritten),
                "the dead holder's chunks were kept and gone on from");
        assertTrue(done.rosterImport().message().startsWith("Importen är klar: " + rows + " nya, 0 fanns redan."),
                done.rosterImport().message());
    }
}
