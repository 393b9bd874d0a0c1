package se.kompetensmal.roster;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.learning.HistoryCompletions;
import se.kompetensmal.routines.RecomputeJobs;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Imports completions from the previous system: {@code hsa_id;modulkod;genomförd;resultat;källa;externt_id}, one row
 * per completion (README, "Historik från tidigare system"). The file is streamed once to count its rows and once into
 * the staging table {@code history_import_row}, a thousand rows per batch, checking each row's fields on the way;
 * people and modules are then looked up set-based, by joins over the staged rows, never a query per row, so that a
 * million rows need neither a million queries nor memory that grows with the file. Only a file without a single bad
 * row is written; whichever way the import ends, its staged rows are deleted.
 *
 * <p><b>All or nothing, with bounded write sets (Galera).</b> The import was one transaction holding every completion
 * and its success: about 1.5 MB of write set per 10,000 rows, 150 MB for the million rows of LargeHistoryImportTest,
 * replicated and certified as one unit, with a minute of row locks, and more where "completed" statements were asked
 * for (a statement is about 1 KB: a gigabyte for a million, half of {@code wsrep_max_ws_size}). Now no transaction of
 * the import writes more than a chunk ({@link HistoryCompletions#chunkRows}, 5,000 rows, about 0.75 MB):
 * <ol>
 * <li>staging: a thousand rows per batch, each committed by itself (as before);</li>
 * <li>writing: the completions, a chunk per transaction, carrying the import's id and seen by nobody yet: the one home
 * of "a completion is there", the view {@code visible_completion} (and {@code counted_completion} on it, which every
 * reader of completions that count goes through), shows an imported completion only once its import is SUCCEEDED;</li>
 * <li>making visible: one small transaction ({@link #write}) that counts the import's completions, asks for the
 * recomputation and marks the import SUCCEEDED with those counts (a few rows, whatever the file's size): the moment
 * every reader sees all of the import at once, with exactly what the database holds reported;</li>
 * <li>after: "completed" statements, where the setting asks for them, a batch per transaction.</li>
 * </ol>
 * Measured on LargeHistoryImportTest (a million rows, the 2-core machine shared with other test runs): 200 chunks
 * written in 115 s (190 s with the foreign key checks on), made visible in 0.6 s; sampled from
 * {@code information_schema.INNODB_TRX} meanwhile, no transaction of the import modified more than 5,000 rows (the
 * people import of 10,000 people before it: 40,001 rows in its one transaction).
 * An import that is rolled back part-way (1213), or whose holder died (taken over once its lease ends, from its stored
 * file), is run again: it stages and checks the file again and goes on from the chunks already written (a chunk run
 * twice adds nothing: a person's external id is written once), never duplicating a row. An import that ends without
 * succeeding (rejected, failed after its attempts, or abandoned after {@link RosterImportJob#MAX_RUNS}) never showed a
 * row; its written chunks are deleted afterwards, a chunk per statement ({@link #afterEnd}), and before any later history
 * import writes, so that a left-over row can never hide a later import's record of the same person and external id.
 */
@Singleton
class HistoryImporter {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryImporter.class);

    static final List<String> REQUIRED = List.of("hsa_id", "modulkod", "genomford", "resultat", "kalla", "externt_id");

    private static final int BATCH = 1_000;
    /** The lengths of the columns the values are kept in. */
    private static final int HSA_ID_LENGTH = 64;
    private static final int MODULE_CODE_LENGTH = 80;
    static final int WHERE_LENGTH = 200;
    static final int EXTERNAL_ID_LENGTH = 100;
    private static final Pattern SCORE = Pattern.compile("\\d{1,3}");

    private final NamedSql sql;
    private final HistoryCompletions completions;
    private final RecomputeJobs recomputeJobs;

    HistoryImporter(NamedSql sql, HistoryCompletions completions, RecomputeJobs recomputeJobs) {
        this.sql = sql;
        this.completions = completions;
        this.recomputeJobs = recomputeJobs;
    }

    /**
     * Stages, checks and writes the file. The staged rows (and, unless it succeeded, its unseen completions) are left
     * for {@link #afterEnd} whichever way it ends: the caller deletes them after it has reported the outcome, so that
     * the person waiting sees the import done without also waiting for a million rows to be deleted (8 s of 76 s in the
     * benchmark).
     */
    ImportOutcome importFile(RosterImport rosterImport, Path file, ImportProgress progress, String requestedBy)
            throws IOException {
        long importId = rosterImport.id();
        // Rows staged by an earlier attempt: one the database rolled back, or one whose instance stopped. Its written
        // chunks of completions stay: this run goes on from them.
        discard(importId);
        // The unseen completions of imports that ended without succeeding, which their run could not delete: before
        // this import writes, as one of them would otherwise stand for this import's record of the same person and
        // external id, and be deleted later.
        completions.discardAllUnseen();
        long started = System.nanoTime();
        int total = RosterFile.countRows(file, REQUIRED);
        progress.start(RosterImportStatus.VALIDATING, total);
        RowErrors fieldErrors = stage(importId, file, progress);
        long staged = System.nanoTime();
        LOG.info("History import {}: {} rows read and staged in {} ms", importId, total, (staged - started) / 1_000_000);
        ImportOutcome refused = refusals(importId, rosterImport.scopeOrgId(), fieldErrors);
        long checked = System.nanoTime();
        LOG.info("History import {}: checked in {} ms", importId, (checked - staged) / 1_000_000);
        if (refused != null) {
            return refused;
        }
        progress.start(RosterImportStatus.WRITING, total);
        completions.writeStaged(importId, progress::reached);
        long records = completions.stagedRecords(importId);
        long chunked = System.nanoTime();
        ImportOutcome written = write(rosterImport, requestedBy, progress, records);
        LOG.info("History import {}: {} completions written in chunks of at most {} rows in {} ms, made visible in {} ms",
                importId, written.created(), completions.chunkRows(), (chunked - checked) / 1_000_000,
                (System.nanoTime() - chunked) / 1_000_000);
        return written;
    }

    /**
     * The import's final transaction, small whatever the size of the file: its completions, written in chunks before
     * it, become visible with its success (the views show an imported completion once its import is SUCCEEDED), and
     * what it reports is counted here, in the database. Its writes: the proof row of {@link ImportWrites} (inserted,
     * deleted), the recomputation asked for and the import's status.
     */
    @Transactional
    ImportOutcome write(RosterImport rosterImport, String requestedBy, ImportProgress progress, long records) {
        progress.beginWrite();
        HistoryCompletions.Written written = completions.written(rosterImport.id(), records);
        // The recomputation the new completions call for, asked for in this transaction: it exists exactly when they are
        // visible (no instance stopping between the commit and the request can lose it), and the import's page shows it
        // from the moment it shows the import done. Its holder picks it up once this has committed.
        Long job = written.created() > 0 ? recomputeJobs.request(rosterImport.scopeOrgId(), requestedBy).id() : null;
        // Its statements are owed from this commit on, and whichever instance holds the kind goes on with them
        // (RosterImportJob) until afterSuccess has written every one.
        sql.update("UPDATE roster_import SET statements_pending = TRUE WHERE id = :id", NamedSql.with("id", rosterImport.id()));
        return progress.succeeded(ImportOutcome.written(written.created(), written.existing(), 0), job);
    }

    /**
     * After the import succeeded and was reported: "completed" statements for its completions where the setting asks for
     * them, a batch per transaction; then the import owes none. The import stands whatever happens here; cut short, it
     * still owes them, and the roster-import job goes on ({@link #statementsPending}).
     */
    void afterSuccess(long importId) {
        completions.announce(importId);
        sql.update("UPDATE roster_import SET statements_pending = FALSE WHERE id = :id", NamedSql.with("id", importId));
    }

    /** The succeeded imports whose statements an instance that stopped left half written, oldest first. */
    List<Long> statementsPending() {
        return sql.list("SELECT id FROM roster_import WHERE statements_pending AND status = 'SUCCEEDED' ORDER BY id",
                Map.of(), row -> row.number("id"));
    }

    /**
     * Once the import has ended, whichever way: its staged rows, and, unless it succeeded, the completions it wrote but
     * never showed, deleted a slice at a time.
     */
    void afterEnd(long importId) {
        discard(importId);
        long unseen = completions.discardUnseen(importId);
        if (unseen > 0) {
            LOG.info("History import {}: {} completions written but never made visible were deleted", importId, unseen);
        }
    }

    /** Reads the file into the staging table, checking every field; answers the rows whose fields are bad. */
    private RowErrors stage(long importId, Path file, ImportProgress progress) throws IOException {
        RowErrors errors = new RowErrors();
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        List<NamedSql.Params> batch = new ArrayList<>(BATCH);
        try (CsvReader csv = RosterFile.open(file, REQUIRED)) {
            int read = 0;
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                NamedSql.Params parsed = parse(row, csv.header().size(), today, errors);
                if (parsed != null) {
                    batch.add(parsed.and("import", importId));
                    if (batch.size() == BATCH) {
                        insert(batch);
                    }
                }
                progress.rowsDone(++read);
            }
        }
        insert(batch);
        return errors;
    }

    /**
     * One JDBC batch per thousand rows, which the driver sends in one round trip (its bulk protocol for inserts). A million
     * rows staged in 21 s on the 2-core machine, where one multi-row VALUES per thousand rows (8,000 named parameters
     * parsed and bound each time) took about 30 s, and 51 s with the other test JVM busy.
     */
    private void insert(List<NamedSql.Params> batch) {
        sql.batch("""
                INSERT INTO history_import_row (import_id, row_no, hsa_id, module_code, completed_on, score, done_where, history_id)
                VALUES (:import, :row, :hsa, :module, :on, :score, :where, :history)""", batch);
        batch.clear();
    }

    /** Checks one row's fields; adds its problems to {@code errors} and answers its values when it has none. */
    private static NamedSql.Params parse(CsvReader.Row row, int columns, LocalDate today, RowErrors errors) {
        int n = row.number();
        if (row.fieldCount() != columns) {
            errors.add(n, null, "raden har " + row.fieldCount() + " fält men rubrikraden har " + columns);
            return null;
        }
        int before = errors.count();
        String hsaId = RosterFields.text(row, "hsa_id", "HSA-id", HSA_ID_LENGTH, true, errors);
        String module = RosterFields.text(row, "modulkod", "modulkoden", MODULE_CODE_LENGTH, true, errors);
        LocalDate completedOn = completedOn(row, today, errors);
        Integer score = score(row, errors);
        String where = RosterFields.text(row, "kalla", "källan", WHERE_LENGTH, false, errors);
        String historyId = RosterFields.text(row, "externt_id", "externt id", EXTERNAL_ID_LENGTH, true, errors);
        if (errors.count() > before) {
            return null;
        }
        return NamedSql.with("row", n).and("hsa", hsaId).and("module", module).and("on", completedOn).and("score", score)
                .and("where", where.isEmpty() ? null : where).and("history", historyId);
    }

    /** The day it was completed: a date as ÅÅÅÅ-MM-DD, from 1900, and not later than today. */
    private static LocalDate completedOn(CsvReader.Row row, LocalDate today, RowErrors errors) {
        int before = errors.count();
        LocalDate date = RosterFields.date(row, "genomford", true, errors);
        if (errors.count() == before && date.isAfter(today)) {
            errors.add(row.number(), "genomford", "datumet " + date + " ligger i framtiden; ange dagen utbildningen genomfördes");
            return null;
        }
        return date;
    }

    /** The score: empty, or a whole number from 0 to 100. */
    private static Integer score(CsvReader.Row row, RowErrors errors) {
        int before = errors.count();
        String text = RosterFields.text(row, "resultat", "resultatet", 3, false, errors);
        if (errors.count() > before || text.isEmpty()) {
            return null;
        }
        int score = SCORE.matcher(text).matches() ? Integer.parseInt(text) : -1;
        if (score < 0 || score > 100) {
            errors.add(row.number(), "resultat", "ogiltigt resultat '" + RosterFields.shown(text)
                    + "' (ett heltal från 0 till 100, eller tomt)");
            return null;
        }
        return score;
    }

    /**
     * SQL: the staged row {@code s} joined to its person, {@code p}, found by HSA-id only within the organisation the
     * import covers: someone elsewhere is answered as unknown, so that a file cannot be used to find out who works where.
     */
    private static final String PERSON = """
            history_import_row s
            LEFT JOIN (person p JOIN org_closure within ON within.descendant_id = p.org_node_id AND within.ancestor_id = :node)
              ON p.hsa_id = s.hsa_id""";

    /**
     * SQL condition: the row's module is in the catalogue, has a published version, and may be used at the person's
     * unit ({@link ModuleReach}); for a row whose person is not found, at the organisation or somewhere under it, so
     * that the row is not also refused for a module its person might well have. Another organisation's own module is
     * answered as unknown.
     */
    private static final String MODULE_USABLE = """
            EXISTS (SELECT 1 FROM catalogue_module cm
                    WHERE cm.code = s.module_code AND EXISTS (SELECT 1 FROM module_version mv WHERE mv.module_code = cm.code)
                      AND ((p.id IS NOT NULL AND %s) OR (p.id IS NULL AND %s)))"""
            .formatted(ModuleReach.usableAt("p.org_node_id"), ModuleReach.USABLE_UNDER);

    /**
     * SQL: the rows repeating an earlier row's person and external id with other content ({@code s}, beside the first
     * row {@code f}): an error in the file. The same content repeated is the same record, written once.
     */
    private static final String CONFLICTING = """
            (SELECT hsa_id, history_id, MIN(row_no) AS first_row_no FROM history_import_row
             WHERE import_id = :import GROUP BY hsa_id, history_id HAVING COUNT(*) > 1) d
            JOIN history_import_row f ON f.import_id = :import AND f.row_no = d.first_row_no
            JOIN history_import_row s ON s.import_id = :import AND s.hsa_id = d.hsa_id AND s.history_id = d.history_id
                                     AND s.row_no > d.first_row_no
            WHERE NOT (f.module_code <=> s.module_code AND f.completed_on <=> s.completed_on AND f.score <=> s.score
                       AND f.done_where <=> s.done_where)""";

    /**
     * The report when any row is bad: the bad fields found while reading, and what the set-based checks over the
     * staged rows refuse (people, modules, repeated external ids), every one counted, the first {@link RowErrors#KEPT}
     * by row kept. Null when there is none. The checks only read: a million rows are not written a second time.
     */
    private ImportOutcome refusals(long importId, long scopeOrgId, RowErrors fieldErrors) {
        NamedSql.Params params = NamedSql.with("import", importId).and("node", scopeOrgId).and("limit", RowErrors.KEPT);
        long refused = sql.number("SELECT COALESCE(SUM(p.id IS NULL) + SUM(NOT " + MODULE_USABLE + "), 0) FROM " + PERSON
                + " WHERE s.import_id = :import", params);
        long conflicting = sql.number("SELECT COUNT(*) FROM " + CONFLICTING, params);
        if (refused + conflicting == 0 && fieldErrors.isEmpty()) {
            return null;
        }
        List<RowError> found = new ArrayList<>(fieldErrors.kept());
        if (refused > 0) {
            sql.list("""
                    SELECT s.row_no, s.hsa_id, s.module_code, p.id IS NULL AS unknown_person, NOT %2$s AS unknown_module
                    FROM %1$s WHERE s.import_id = :import AND (p.id IS NULL OR NOT %2$s) ORDER BY s.row_no LIMIT :limit"""
                    .formatted(PERSON, MODULE_USABLE), params, row -> {
                int rowNo = (int) row.number("row_no");
                if (row.flag("unknown_person")) {
                    found.add(new RowError(rowNo, "hsa_id", "HSA-id:t " + RosterFields.shown(row.string("hsa_id"))
                            + " finns inte bland personerna i den valda organisationen"));
                }
                if (row.flag("unknown_module")) {
                    found.add(new RowError(rowNo, "modulkod", "modulkoden '" + RosterFields.shown(row.string("module_code"))
                            + "' finns inte i katalogen för personens enhet; rader gissas aldrig till en annan modul"));
                }
                return rowNo;
            });
        }
        if (conflicting > 0) {
            sql.list("SELECT s.row_no, s.history_id, d.first_row_no FROM " + CONFLICTING + " ORDER BY s.row_no LIMIT :limit",
                    params, row -> found.add(new RowError((int) row.number("row_no"), "externt_id", "externt id "
                            + RosterFields.shown(row.string("history_id")) + " finns redan på rad " + row.number("first_row_no")
                            + " för samma person men med annat innehåll")));
        }
        List<RowError> first = found.stream().sorted(Comparator.comparingInt(RowError::row)).limit(RowErrors.KEPT).toList();
        return new ImportOutcome(first, fieldErrors.count() + (int) (refused + conflicting), 0, 0, 0, null);
    }

    /**
     * Deletes an import's staged rows, a chunk at a time ({@link HistoryCompletions#chunkRows}), each statement committed
     * by itself: no one statement holds a million row locks, and no write set is larger than a chunk. By ranges of row
     * numbers (the primary key), not by {@code LIMIT}: each {@code LIMIT} statement would first step over the rows the
     * ones before it deleted, which InnoDB keeps until they are purged.
     */
    void discard(long importId) {
        long started = System.nanoTime();
        NamedSql.Params params = NamedSql.with("import", importId);
        long first = sql.number("SELECT COALESCE(MIN(row_no), 0) FROM history_import_row WHERE import_id = :import", params);
        long last = sql.number("SELECT COALESCE(MAX(row_no), 0) FROM history_import_row WHERE import_id = :import", params);
        for (long from = first - 1; from < last; from += completions.chunkRows()) {
            sql.update("DELETE FROM history_import_row WHERE import_id = :import AND row_no > :from AND row_no <= :to",
                    NamedSql.with("import", importId).and("from", from).and("to", from + completions.chunkRows()));
        }
        LOG.info("History import {}: staged rows deleted in {} ms", importId, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Staged rows and unseen completions of imports that have ended, which their run could not delete (it logs that):
     * deleted by the next run of the import job. Rows of an import still in progress are left alone: its holder may be
     * running it now.
     */
    void discardEnded() {
        sql.list("""
                SELECT DISTINCT s.import_id FROM history_import_row s JOIN roster_import i ON i.id = s.import_id
                WHERE i.status NOT IN (:queued, :validating, :writing)""", NamedSql.with("queued", RosterImportStatus.QUEUED)
                        .and("validating", RosterImportStatus.VALIDATING).and("writing", RosterImportStatus.WRITING),
                row -> row.number("import_id")).forEach(this::discard);
        completions.discardAllUnseen();
    }
}
