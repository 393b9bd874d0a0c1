package se.kompetensmal.roster;

import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.learning.HistoryCompletions;
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

    HistoryImporter(NamedSql sql, HistoryCompletions completions) {
        this.sql = sql;
        this.completions = completions;
    }

    ImportOutcome importFile(RosterImport rosterImport, Path file, ImportProgress progress) throws IOException {
        long importId = rosterImport.id();
        try {
            int total = RosterFile.countRows(file, REQUIRED);
            progress.start(RosterImportStatus.VALIDATING, total);
            RowErrors fieldErrors = stage(importId, file, progress);
            check(importId, rosterImport.scopeOrgId());
            ImportOutcome refused = refusals(importId, fieldErrors);
            if (refused != null) {
                return refused;
            }
            progress.start(RosterImportStatus.WRITING, total);
            HistoryCompletions.Written written = completions.insertStaged(importId, progress::reached);
            return ImportOutcome.written(written.created(), written.existing(), 0);
        } finally {
            discard(importId);
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
     * The set-based checks over the staged rows. A person is found by HSA-id only within the organisation the import
     * covers: someone elsewhere is answered as unknown, so that a file cannot be used to find out who works where. A
     * module must be in the catalogue, usable at the person's unit ({@link ModuleReach}) and have a published version;
     * for a row whose person is not found, usable at the organisation or somewhere under it, so that the row is not
     * also refused for a module its person might well have. Another organisation's own module is answered as unknown.
     * A row repeating an earlier row's person and external id is marked: the same record if its content is the same,
     * an error in the file if not.
     */
    private void check(long importId, long scopeOrgId) {
        NamedSql.Params params = NamedSql.with("import", importId).and("node", scopeOrgId);
        sql.update("""
                UPDATE history_import_row s
                JOIN person p ON p.hsa_id = s.hsa_id
                JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = :node
                SET s.person_id = p.id
                WHERE s.import_id = :import""", params);
        String published = "EXISTS (SELECT 1 FROM module_version mv WHERE mv.module_code = cm.code)";
        sql.update("""
                UPDATE history_import_row s
                JOIN person p ON p.id = s.person_id
                JOIN catalogue_module cm ON cm.code = s.module_code
                SET s.module_ok = TRUE
                WHERE s.import_id = :import AND %s AND %s""".formatted(ModuleReach.usableAt("p.org_node_id"), published), params);
        sql.update("""
                UPDATE history_import_row s
                JOIN catalogue_module cm ON cm.code = s.module_code
                SET s.module_ok = TRUE
                WHERE s.import_id = :import AND s.person_id IS NULL AND %s AND %s""".formatted(ModuleReach.USABLE_UNDER, published),
                params);
        sql.update("""
                UPDATE history_import_row s
                JOIN (SELECT hsa_id, history_id, MIN(row_no) AS first_row_no FROM history_import_row
                      WHERE import_id = :import GROUP BY hsa_id, history_id HAVING COUNT(*) > 1) d
                  ON d.hsa_id = s.hsa_id AND d.history_id = s.history_id
                JOIN history_import_row f ON f.import_id = s.import_id AND f.row_no = d.first_row_no
                SET s.first_row_no = d.first_row_no,
                    s.conflicting = NOT (f.module_code <=> s.module_code AND f.completed_on <=> s.completed_on
                                         AND f.score <=> s.score AND f.done_where <=> s.done_where)
                WHERE s.import_id = :import AND s.row_no > d.first_row_no""", params);
    }

    /** A refused row found by the set-based checks. */
    private record Refused(int rowNo, String hsaId, String moduleCode, String historyId, Integer firstRowNo,
                           boolean unknownPerson, boolean unknownModule, boolean conflicting) {
    }

    /**
     * The report when any row is bad: the bad fields found while reading and the refusals of the set-based checks,
     * every one counted, the first {@link RowErrors#KEPT} by row kept. Null when there is none.
     */
    private ImportOutcome refusals(long importId, RowErrors fieldErrors) {
        NamedSql.Params params = NamedSql.with("import", importId).and("limit", RowErrors.KEPT);
        long refusedCount = sql.number("""
                SELECT COALESCE(SUM(person_id IS NULL) + SUM(NOT module_ok) + SUM(conflicting), 0)
                FROM history_import_row WHERE import_id = :import""", params);
        if (refusedCount == 0 && fieldErrors.isEmpty()) {
            return null;
        }
        List<RowError> found = new ArrayList<>(fieldErrors.kept());
        sql.list("""
                SELECT row_no, hsa_id, module_code, history_id, first_row_no, person_id IS NULL AS unknown_person,
                       NOT module_ok AS unknown_module, conflicting
                FROM history_import_row
                WHERE import_id = :import AND (person_id IS NULL OR NOT module_ok OR conflicting)
                ORDER BY row_no LIMIT :limit""", params, row -> new Refused((int) row.number("row_no"),
                row.string("hsa_id"), row.string("module_code"), row.string("history_id"), row.nullableInt("first_row_no"),
                row.flag("unknown_person"), row.flag("unknown_module"), row.flag("conflicting"))).forEach(refused -> {
            if (refused.unknownPerson()) {
                found.add(new RowError(refused.rowNo(), "hsa_id", "HSA-id:t " + RosterFields.shown(refused.hsaId())
                        + " finns inte bland personerna i den valda organisationen"));
            }
            if (refused.unknownModule()) {
                found.add(new RowError(refused.rowNo(), "modulkod", "modulkoden '" + RosterFields.shown(refused.moduleCode())
                        + "' finns inte i katalogen för personens enhet; rader gissas aldrig till en annan modul"));
            }
            if (refused.conflicting()) {
                found.add(new RowError(refused.rowNo(), "externt_id", "externt id " + RosterFields.shown(refused.historyId())
                        + " finns redan på rad " + refused.firstRowNo() + " för samma person men med annat innehåll"));
            }
        });
        List<RowError> first = found.stream().sorted(Comparator.comparingInt(RowError::row)).limit(RowErrors.KEPT).toList();
        return new ImportOutcome(first, fieldErrors.count() + (int) refusedCount, 0, 0, 0, null);
    }

    /** Deletes an import's staged rows, a slice at a time so that no one statement holds a million row locks. */
    void discard(long importId) {
        int deleted;
        do {
            deleted = sql.update("DELETE FROM history_import_row WHERE import_id = :import LIMIT 50000",
                    NamedSql.with("import", importId));
        } while (deleted > 0);
    }

    /** Staged rows left by an import a restart cut short (it is marked as failed), deleted at startup. */
    void discardUnfinished() {
        sql.list("""
                SELECT DISTINCT s.import_id FROM history_import_row s JOIN roster_import i ON i.id = s.import_id
                WHERE i.status NOT IN (:queued, :validating, :writing)""", NamedSql.with("queued", RosterImportStatus.QUEUED)
                        .and("validating", RosterImportStatus.VALIDATING).and("writing", RosterImportStatus.WRITING),
                row -> row.number("import_id")).forEach(this::discard);
    }
}
