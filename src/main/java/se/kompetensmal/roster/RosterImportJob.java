package se.kompetensmal.roster;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.files.StoredFiles;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.jobs.Backlog;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.sql.Retried;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The background job {@value #KIND}: runs the queued roster imports one at a time, in the order they were queued, on
 * whichever instance holds the kind (one at a time across all instances: two files touching the same people must not
 * interleave). Each import is read from its stored file ({@link StoredFiles}), so any instance can run it.
 *
 * <p>As only one instance runs the kind, an import found in progress (VALIDATING, WRITING) was left by an instance that
 * stopped: it is run again from its stored file, which is safe because an import is all or nothing to its readers. An
 * organisation or people import writes in one transaction that also records its success, so it either committed, and
 * is no longer in progress, or left nothing. A history import writes its completions in chunks, each a transaction of
 * its own, seen by nobody until one small transaction marks the import SUCCEEDED ({@link HistoryImporter}): run again,
 * it goes on from the chunks already written, without duplicating one; ended otherwise, its chunks are deleted. An
 * import the database rolls back (a deadlock or a Galera certification conflict, 1213) is run again a few times, then
 * marked as failed; one that committed is never marked as failed.
 */
@Singleton
class RosterImportJob implements BackgroundJob {

    static final String KIND = "roster-import";
    private static final Logger LOG = LoggerFactory.getLogger(RosterImportJob.class);
    /** Runs of one import the database rolled back, before it is marked as failed. */
    static final int ATTEMPTS = 3;
    /** Runs of one import begun (an import left in progress is run again), before it is marked as failed. */
    static final int MAX_RUNS = 3;
    private static final List<RosterImportStatus> IN_LINE = List.of(RosterImportStatus.QUEUED,
            RosterImportStatus.VALIDATING, RosterImportStatus.WRITING);

    private final NamedSql sql;
    private final RosterImportRepository imports;
    private final RosterImportErrorRepository errors;
    private final StoredFiles files;
    private final ImportWrites writes;
    private final OrganisationRosterImporter organisations;
    private final PeopleRosterImporter people;
    private final HistoryImporter history;
    private final ApplicationEventPublisher<RosterImported> events;
    private final TransactionOperations<Connection> transactions;

    RosterImportJob(NamedSql sql, RosterImportRepository imports, RosterImportErrorRepository errors, StoredFiles files,
                    ImportWrites writes, OrganisationRosterImporter organisations, PeopleRosterImporter people,
                    HistoryImporter history, ApplicationEventPublisher<RosterImported> events,
                    TransactionOperations<Connection> transactions) {
        this.sql = sql;
        this.imports = imports;
        this.errors = errors;
        this.files = files;
        this.writes = writes;
        this.organisations = organisations;
        this.people = people;
        this.history = history;
        this.events = events;
        this.transactions = transactions;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String title() {
        return "Import av organisationer, personal och historik";
    }

    /** An upload nudges the kind at once; this is only how often a holder looks when nothing nudged it. */
    @Override
    public Duration interval() {
        return Duration.ofSeconds(30);
    }

    @Override
    public Backlog backlog() {
        return Backlog.read(sql, "SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest FROM roster_import WHERE status = :queued",
                NamedSql.with("queued", RosterImportStatus.QUEUED.name()));
    }

    /** The import next in line and what it needs to run, as the queue table has it. */
    private record InLine(long id, RosterImportStatus status, Long fileId, boolean confirmed, String requestedBy, int runs) {
    }

    @Override
    public void run() {
        statementsLeftOwing();
        for (Optional<InLine> next = next(); next.isPresent(); next = next()) {
            runOne(next.get());
        }
        cleanUp();
    }

    /**
     * The statements of succeeded history imports that an instance stopped while writing: written now, from the first
     * (those already in the outbox are not written again). Only the holder of the kind runs this, so an import found
     * owing was left by an instance that stopped; its own holder clears the flag as it finishes.
     */
    private void statementsLeftOwing() {
        for (long id : history.statementsPending()) {
            LOG.warn("History import {} succeeded but its statements were cut short; writing the rest", id);
            try {
                history.afterSuccess(id);
            } catch (RuntimeException e) {
                LOG.error("History import {}: its statements could not be written now; the next run tries again", id, e);
            }
        }
    }

    private Optional<InLine> next() {
        return sql.one("""
                SELECT id, status, file_id, confirmed, requested_by, runs FROM roster_import
                WHERE status IN (:queued, :validating, :writing) ORDER BY id LIMIT 1""",
                NamedSql.with("queued", IN_LINE.get(0).name()).and("validating", IN_LINE.get(1).name())
                        .and("writing", IN_LINE.get(2).name()),
                row -> new InLine(row.number("id"), RosterImportStatus.valueOf(row.string("status")),
                        row.nullableNumber("file_id"), row.flag("confirmed"), row.string("requested_by"),
                        row.nullableInt("runs")));
    }

    private void runOne(InLine next) {
        long id = next.id();
        if (next.status() != RosterImportStatus.QUEUED) {
            LOG.warn("Roster import {} was left {} by an instance that stopped; running it again from its stored file",
                    id, next.status());
        }
        if (next.runs() >= MAX_RUNS) {
            end(id, RosterImportStatus.FAILED, "Importen avbröts " + next.runs() + " gånger innan den blev klar (tjänsten "
                    + "stannade under importen) och har inte körts igen. Inget sparades; kontrollera filen och ladda upp den igen.");
            return;
        }
        sql.update("UPDATE roster_import SET runs = runs + 1 WHERE id = :id", NamedSql.with("id", id));
        if (next.fileId() == null || !files.exists(next.fileId())) {
            end(id, RosterImportStatus.FAILED,
                    "Den uppladdade filen finns inte längre. Inget sparades; ladda upp filen igen.");
            return;
        }
        RosterImport rosterImport = imports.findById(id).orElseThrow();
        // The previous run's report, when an instance stopped after recording it and before ending the import.
        sql.update("DELETE FROM roster_import_error WHERE import_id = :id", NamedSql.with("id", id));
        Path copy = files.copyToTemporaryFile(next.fileId(), "roster-import-" + id + "-");
        try {
            run(rosterImport, copy, next);
        } finally {
            deleteQuietly(copy);
            if (rosterImport.kind() == RosterImportKind.HISTORY) {
                // After the outcome is recorded: whoever waits for the import does not wait for this.
                discardStaged(id);
            }
            dropFileOnceEnded(id, next.fileId());
        }
    }

    private void run(RosterImport rosterImport, Path file, InLine next) {
        long id = rosterImport.id();
        ImportOutcome outcome;
        try {
            outcome = Retried.whenRolledBack(ATTEMPTS, () -> {
                RosterImport now = imports.findById(id).orElseThrow();
                if (now.status().finished()) {
                    // Committed after all, though the commit answered with an error: never run (or reported) twice.
                    return ImportOutcome.written(now.createdCount(), now.updatedCount(), now.leftCount());
                }
                ImportProgress progress = new ImportProgress(imports, writes, rosterImport);
                try {
                    return switch (rosterImport.kind()) {
                        case ORGANISATIONS -> organisations.importFile(rosterImport, file, progress);
                        case PEOPLE -> people.importFile(rosterImport, file, progress, next.confirmed());
                        case HISTORY -> history.importFile(rosterImport, file, progress, next.requestedBy());
                    };
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CsvReader.MalformedCsvException malformed) {
                reject(id, ImportOutcome.rejected(List.of(new RowError(malformed.row(), null, malformed.getMessage()))));
            } else {
                failed(id, e);
            }
            return;
        } catch (Throwable e) {
            // Errors too, out of memory included: an import must never stay "in progress" with nothing said.
            failed(id, e);
            return;
        }
        if (outcome.held()) {
            end(id, RosterImportStatus.AWAITING_CONFIRMATION, outcome.question());
            return;
        }
        if (!outcome.accepted()) {
            reject(id, outcome);
            return;
        }
        // Committed, with its success: nothing after this may mark the import as failed.
        afterCommit(rosterImport);
    }

    /**
     * What follows a committed import (a history import asked for its recomputation in its own transaction; its
     * "completed" statements, where the setting asks for them, follow here, a batch per transaction). The import stands
     * whatever happens here: a recomputation that could not be asked for is logged, and the next one (any roster import
     * or routine change, or the coordinator's "räkna om") brings the assignments up to date.
     */
    private void afterCommit(RosterImport rosterImport) {
        try {
            if (rosterImport.kind() == RosterImportKind.PEOPLE) {
                events.publishEvent(new RosterImported(rosterImport.scopeOrgId()));
            }
            if (rosterImport.kind() == RosterImportKind.HISTORY) {
                history.afterSuccess(rosterImport.id());
            }
        } catch (RuntimeException e) {
            LOG.error("Roster import {} succeeded; what follows it (the recomputation of assignments) could not be asked for",
                    rosterImport.id(), e);
        }
    }

    /** The rejected file's report and its status, in one transaction: a run again never reports a row twice. */
    private void reject(long id, ImportOutcome outcome) {
        int notKept = outcome.errorCount() - outcome.errors().size();
        String message = outcome.errorCount() == 1
                ? "Filen har ett fel. Inget sparades; rätta felet och ladda upp filen igen."
                : "Filen har " + outcome.errorCount() + " fel" + (notKept > 0
                        ? "; rapporten visar de första " + outcome.errors().size() + " och " + notKept + " fel till"
                        : "") + ". Inget sparades; rätta felen och ladda upp filen igen.";
        Retried.whenRolledBack(ATTEMPTS, () -> transactions.executeWrite(status -> {
            errors.saveAll(outcome.errors().stream().map(e -> RosterImportError.of(id, e)).toList());
            imports.recordEnd(id, RosterImportStatus.REJECTED, message, 0, 0, 0);
            return null;
        }));
    }

    private void failed(long id, Throwable e) {
        LOG.error("Roster import {} failed", id, e);
        end(id, RosterImportStatus.FAILED, Retried.rolledBack(e)
                ? "Databasen avbröt importen " + ATTEMPTS + " gånger (krockar med samtidiga ändringar). Inget sparades; "
                        + "försök igen om en stund."
                : "Ett tekniskt fel stoppade importen. Inget sparades. Försök igen eller kontakta support.");
    }

    /**
     * Ends an import that wrote nothing. Only an import still in line: one the database shows as ended (its write
     * committed, with its status) is never marked otherwise. A failure to record it is the run's failure: the import
     * stays in line and the kind's next run tries again.
     */
    private void end(long id, RosterImportStatus status, String message) {
        Retried.whenRolledBack(ATTEMPTS, () -> sql.update("""
                UPDATE roster_import SET status = :status, message = :message, created_count = 0, updated_count = 0,
                       left_count = 0, finished_at = CURRENT_TIMESTAMP
                WHERE id = :id AND status IN (:queued, :validating, :writing)""",
                NamedSql.with("status", status.name()).and("message", message).and("id", id)
                        .and("queued", IN_LINE.get(0).name()).and("validating", IN_LINE.get(1).name())
                        .and("writing", IN_LINE.get(2).name())));
    }

    /** The stored file is deleted once the import has ended; a held import keeps it until it is confirmed or cancelled. */
    private void dropFileOnceEnded(long id, long fileId) {
        try {
            RosterImportStatus status = imports.findById(id).map(RosterImport::status).orElse(RosterImportStatus.FAILED);
            if (status.finished()) {
                files.delete(fileId);
            }
        } catch (RuntimeException e) {
            LOG.warn("The stored file {} of roster import {} could not be deleted now; the next run of the job does", fileId, id, e);
        }
    }

    /**
     * What earlier runs could not remove: the stored files of ended imports, uploads whose import was never recorded
     * (the instance stopped between storing the file and queueing the import) after a day, and the staged rows and
     * unseen completions of ended history imports.
     */
    private void cleanUp() {
        try {
            NamedSql.Params ended = NamedSql.with("queued", IN_LINE.get(0).name()).and("validating", IN_LINE.get(1).name())
                    .and("writing", IN_LINE.get(2).name()).and("awaiting", RosterImportStatus.AWAITING_CONFIRMATION.name());
            sql.list("""
                    SELECT file_id FROM roster_import
                    WHERE file_id IS NOT NULL AND status NOT IN (:queued, :validating, :writing, :awaiting)""", ended,
                    row -> row.number("file_id")).forEach(files::delete);
            sql.list("""
                    SELECT f.id FROM stored_file f WHERE f.purpose = :purpose AND f.created_at < NOW() - INTERVAL 1 DAY
                      AND NOT EXISTS (SELECT 1 FROM roster_import i WHERE i.file_id = f.id)""",
                    NamedSql.with("purpose", RosterImportService.FILE_PURPOSE), row -> row.number("id")).forEach(files::delete);
            history.discardEnded();
        } catch (RuntimeException e) {
            LOG.warn("Roster imports: left-over files and staged rows could not all be removed now", e);
        }
    }

    private void discardStaged(long importId) {
        try {
            history.afterEnd(importId);
        } catch (RuntimeException e) {
            // Left for the job's clean-up (and for the next history import, before it writes); the outcome stands.
            LOG.error("History import {}: its staged rows or unseen completions could not be deleted", importId, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the working copy {}", file, e);
        }
    }
}
