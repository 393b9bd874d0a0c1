package se.kompetensmal.xapi;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.Waiting;
import se.kompetensmal.jobs.Jobs;
import se.kompetensmal.organization.OrgNodeKind;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history import's statements, with {@code kompetensmal.xapi.send-imported-history=true}: one import's completions
 * become "completed" statements with the source IMPORTED and where they were done, read in batches (1,001 completions,
 * one past a batch), a voided one left out and another import's not touched; asked again nothing is written twice. With
 * the setting off (the default, {@code RegisteredCompletionTest}'s service) nothing is sent.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportedHistoryStatementsTest extends ServiceTest {

    static final int ROWS = LearningRecords.IMPORT_BATCH + 1;

    @Inject
    LearningRecords records;

    @Inject
    TransactionOperations<?> tx;

    @Inject
    Jobs jobs;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("kompetensmal.xapi.send-imported-history", "true");
        return properties;
    }

    @Test
    void everyCountedCompletionOfTheImportBecomesACompletedStatementOnce() {
        long municipality = tree.add("IHS" + System.nanoTime(), "Kommun H", OrgNodeKind.MUNICIPALITY, null).id();
        long person = personIn(municipality, "Hilda", "Holm");
        long thisImport = historyImport(municipality, "historik.csv");
        long otherImport = historyImport(municipality, "annan.csv");
        long version = completionsOf(thisImport, person, "H-");
        sql.update("""
                INSERT INTO completion (person_id, module_version_id, completed_on, source, done_where, import_id, history_id,
                                        voided_at, void_reason)
                VALUES (?, ?, '2014-01-01', 'IMPORTED', 'Gamla systemet', ?, 'V-1', CURRENT_TIMESTAMP, 'Fel')""",
                person, version, thisImport);
        sql.update("""
                INSERT INTO completion (person_id, module_version_id, completed_on, source, done_where, import_id, history_id)
                VALUES (?, ?, '2013-01-01', 'IMPORTED', 'Annat system', ?, 'A-1')""", person, version, otherImport);

        long written = tx.executeWrite(status -> records.importedHistory(thisImport));

        assertEquals(ROWS, written);
        List<String> payloads = sql.strings("SELECT payload FROM xapi_outbox WHERE person_id = ? AND verb = 'completed'", person);
        assertEquals(ROWS, payloads.size());
        assertTrue(payloads.stream().allMatch(s -> s.contains("/xapi/extensions/source\":\"IMPORTED\"")
                && s.contains("/xapi/extensions/done-where\":\"Gamla systemet\"")), payloads.get(0));
        assertTrue(payloads.stream().noneMatch(s -> s.contains("2014-01-01") || s.contains("Annat system")),
                "neither the voided one nor the other import's");
        assertTrue(payloads.stream().anyMatch(s -> s.contains("\"timestamp\":\"2015-01-02T00:00:00Z\"")),
                "dated the day it was done");

        // The statement ids come from the completions, so asking again writes nothing new.
        tx.executeWrite(status -> records.importedHistory(thisImport));
        assertEquals(ROWS, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND verb = 'completed'", person));
    }

    @Test
    void statementsAnInstanceLeftHalfWrittenAreFinishedByTheImportJobWithoutWritingOneTwice() {
        long municipality = tree.add("IHT" + System.nanoTime(), "Kommun T", OrgNodeKind.MUNICIPALITY, null).id();
        long person = personIn(municipality, "Tove", "Tall");
        long cutShort = historyImport(municipality, "avbruten.csv");
        completionsOf(cutShort, person, "T-");
        // The instance that ran it wrote the first batch of statements, then stopped: the import still owes the rest.
        List<Long> firstBatch = sql.strings("SELECT id FROM completion WHERE import_id = ? ORDER BY id LIMIT ?", cutShort,
                LearningRecords.IMPORT_BATCH).stream().map(Long::valueOf).toList();
        tx.executeWrite(status -> {
            records.completedElsewhere(firstBatch);
            return null;
        });
        sql.update("UPDATE roster_import SET statements_pending = TRUE WHERE id = ?", cutShort);
        assertEquals(LearningRecords.IMPORT_BATCH, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ?", person));

        jobs.nudge("roster-import");
        Waiting.until(() -> sql.number("SELECT statements_pending FROM roster_import WHERE id = ?", cutShort), owing -> owing == 0,
                Duration.ofSeconds(30), "the roster-import job writing the statements owed");

        assertEquals(ROWS, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND verb = 'completed'", person),
                "every completion's statement, the first batch's once");
        assertEquals(ROWS, sql.number("SELECT COUNT(DISTINCT statement_id) FROM xapi_outbox WHERE person_id = ?", person));
    }

    /**
     * {@link #ROWS} imported completions of the person, brought by the import, one a day from 2015-01-02, their history
     * ids the prefix and a number; answers the module version they are of.
     */
    private long completionsOf(long importId, long person, String historyIdPrefix) {
        long version = sql.number("SELECT MAX(id) FROM module_version WHERE module_code = 'basala-hygienrutiner'");
        sql.update("""
                INSERT INTO completion (person_id, module_version_id, completed_on, source, done_where, import_id, history_id)
                WITH RECURSIVE d (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 40),
                     n (i) AS (SELECT a.i * 41 + b.i + 1 FROM d a CROSS JOIN d b)
                SELECT ?, ?, DATE_ADD('2015-01-01', INTERVAL i DAY), 'IMPORTED', 'Gamla systemet', ?, CONCAT(?, i) FROM n
                WHERE i <= ?""", person, version, importId, historyIdPrefix, ROWS);
        return version;
    }

    /** A person placed in the municipality since 2010, with an HSA-id of this run's own. */
    private long personIn(long municipality, String givenName, String familyName) {
        return people.create(PersonFixture.hsaPrefix() + "1", givenName, familyName, null, municipality,
                LocalDate.parse("2010-01-01"), LocalDate.parse("2010-01-01"));
    }

    private long historyImport(long scope, String file) {
        sql.update("INSERT INTO roster_import (kind, scope_org_id, file_name, status) VALUES ('HISTORY', ?, ?, 'SUCCEEDED')",
                scope, file);
        return sql.number("SELECT MAX(id) FROM roster_import WHERE file_name = ? AND scope_org_id = ?", file, scope);
    }
}
