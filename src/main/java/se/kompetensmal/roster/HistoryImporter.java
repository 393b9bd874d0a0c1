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
import java.util.regex.Pattern;

/**
 * Imports completions from the previous system: {@code hsa_id;modulkod;genomförd;resultat;källa;externt_id}, one row
 * per completion (README, "Historik från tidigare system"). The file is streamed once to count its rows and once into
 * the staging table {@code history_import_row}, a thousand rows per batch, checking each row's fields on the way;
 * people and modules are then looked up set-based, by joins over the staged rows, never a query per row, so that a
 * million rows need neither a million queries nor memory that grows with the file. Only a file without a single bad
 * row is written ({@link HistoryCompletions}), in one transaction; whichever way the import ends, its staged rows are
 * deleted.
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
     * Stages, checks and writes the file. The staged rows are left for {@link #discard} whichever way it ends: the caller
     * deletes them after it has reported the outcome, so that the person waiting sees the import done without also
     * waiting for a million rows to be deleted (8 s of 76 s in the benchmark).
     */
    ImportOutcome importFile(RosterImport rosterImport, Path file, ImportProgress progress, String requestedBy)
            throws IOException {
        long importId = rosterImport.id();
        // Rows staged by an earlier attempt: one the database rolled back, or one whose instance stopped.
        discard(importId);
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
        ImportOutcome written = write(rosterImport, requestedBy, progress);
        LOG.info("History import {}: {} completions written in {} ms", importId, written.created(),
                (System.nanoTime() - checked) / 1_000_000);
        return written;
    }

    /**
     * The one transaction of the import: its completions and its success, committed together or not at all. Staging
     * and checking happened before it, a thousand rows per commit; this is where the rows become visible. Its write set,
     * for Galera ({@code wsrep_max_ws_size}, 2 GB by default), estimated by rows times row size: a completion row with
     * its key hashes is about 150 bytes, so about 1.5 MB per 10,000 rows and 150 MB for the million rows of
     * LargeHistoryImportTest (more where the setting asks for "completed" statements); within the limit, and written by
     * INSERT ... SELECT on the server, never sent row by row.
     */
    @Transactional
    ImportOutcome write(RosterImport rosterImport, String requestedBy, ImportProgress progress) {
        progress.beginWrite();
        HistoryCompletions.Written written = completions.insertStaged(rosterImport.id(), progress::reached);
        // The recomputation the new completions call for, asked for in this transaction: it exists exactly when they do
        // (no instance stopping between the commit and the request can lose it), and the import's page shows it from
        // the moment it shows the import done. Its holder picks it up once this has committed.
        Long job = written.created() > 0 ? recomputeJobs.request(rosterImport.scopeOrgId(), requestedBy).id() : null;
        return progress.succeeded(ImportOutcome.written(written.created(), written.existing(), 0), job);
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

    /** Deletes an import's staged rows, a slice at a time so that no one statement holds a million row locks. */
    void discard(long importId) {
        long started = System.nanoTime();
        int deleted;
        do {
            deleted = sql.update("DELETE FROM history_import_row WHERE import_id = :import LIMIT 50000",
                    NamedSql.with("import", importId));
        } while (deleted > 0);
        LOG.info("History import {}: staged rows deleted in {} ms", importId, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Staged rows of imports that have ended, which their run could not delete (it logs that): deleted by the next run
     * of the import job. Rows of an import still in progress are left alone: its holder may be running it now.
     */
    void discardEnded() {
        sql.list("""
                SELECT DISTINCT s.import_id FROM history_import_row s JOIN roster_import i ON i.id = s.import_id
                WHERE i.status NOT IN (:queued, :validating, :writing)""", NamedSql.with("queued", RosterImportStatus.QUEUED)
                        .and("validating", RosterImportStatus.VALIDATING).and("writing", RosterImportStatus.WRITING),
                row -> row.number("import_id")).forEach(this::discard);
    }
}
