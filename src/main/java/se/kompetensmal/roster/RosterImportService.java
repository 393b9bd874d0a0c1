package se.kompetensmal.roster;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import se.kompetensmal.files.StoredFiles;
import se.kompetensmal.jobs.Jobs;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.sql.NamedSql;

import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Receives roster files and queues them for import in the background ({@link RosterImportJob}), so that a large file
 * never holds up a web request. The file is stored in the database ({@link StoredFiles}), where whichever instance runs
 * the import reaches it. Each import is all or nothing: a file with bad rows is rejected with a report of every one of
 * them.
 */
@Singleton
public class RosterImportService {

    /** The length of the column the file's name is kept in. */
    private static final int FILE_NAME_LENGTH = 255;
    /** Who a stored roster upload belongs to ({@code stored_file.purpose}). */
    static final String FILE_PURPOSE = "roster-import";

    private final RosterImportRepository imports;
    private final OrgNodeRepository nodes;
    private final StoredFiles files;
    /** A provider: the jobs hold every BackgroundJob, and one of them (the HR pick-up) imports through this. */
    private final Provider<Jobs> jobs;
    private final NamedSql sql;
    private final long maxBytes;

    public RosterImportService(RosterImportRepository imports, OrgNodeRepository nodes, StoredFiles files, Provider<Jobs> jobs,
                               NamedSql sql, @Value("${kompetensmal.import.max-bytes:200MB}") @ReadableBytes long maxBytes) {
        this.imports = imports;
        this.nodes = nodes;
        this.files = files;
        this.jobs = jobs;
        this.sql = sql;
        this.maxBytes = maxBytes;
    }

    /**
     * An import that has been accepted for processing; {@code done} completes when it has ended either way (or stopped
     * for a confirmation), seen by polling its status: the instance that runs it may be another one.
     */
    public record StartedImport(long id, Future<RosterImportStatus> done) {
    }

    public StartedImport start(RosterImportKind kind, boolean fullImport, Long scopeOrgId, String fileName,
                               InputStream content) {
        return start(kind, fullImport, scopeOrgId, fileName, content, "import");
    }

    /**
     * Accepts a file for import; {@code requestedBy} (the uploader's name) is who the recomputation of assignments a
     * history import starts afterwards is recorded as asked for by.
     */
    public StartedImport start(RosterImportKind kind, boolean fullImport, Long scopeOrgId, String fileName,
                               InputStream content, String requestedBy) {
        if (kind == RosterImportKind.HISTORY && scopeOrgId == null) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST,
                    "En import av historik kräver att du väljer vilken organisation filen gäller: personerna söks där.");
        }
        if (fullImport && (kind != RosterImportKind.PEOPLE || scopeOrgId == null)) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST,
                    "En fullständig import gäller personer och kräver att du väljer vilken organisation filen omfattar.");
        }
        if (fileName != null && fileName.length() > FILE_NAME_LENGTH) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST,
                    "Filnamnet (fileName) är längre än " + FILE_NAME_LENGTH + " tecken; byt namn på filen och försök igen.");
        }
        if (scopeOrgId != null && nodes.findById(scopeOrgId).isEmpty()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "Organisationen " + scopeOrgId + " finns inte.");
        }
        StoredFiles.StoredFile file;
        try {
            file = files.store(FILE_PURPOSE, content, maxBytes);
        } catch (StoredFiles.TooLarge e) {
            throw ImportSizeLimit.tooLarge(maxBytes);
        } catch (RuntimeException | Error e) {
            if (ImportSizeLimit.isSizeLimit(e)) {
                throw ImportSizeLimit.tooLarge(maxBytes);
            }
            throw e;
        }
        long id;
        try {
            id = sql.insert("""
                    INSERT INTO roster_import (kind, full_import, scope_org_id, file_name, status, file_id, requested_by)
                    VALUES (:kind, :full, :scope, :name, :status, :file, :by)""", NamedSql.with("kind", kind.name())
                    .and("full", fullImport).and("scope", scopeOrgId)
                    .and("name", fileName == null || fileName.isBlank() ? "namnlös.csv" : fileName)
                    .and("status", RosterImportStatus.QUEUED.name()).and("file", file.id())
                    .and("by", requestedBy.length() > 100 ? requestedBy.substring(0, 100) : requestedBy));
        } catch (RuntimeException | Error e) {
            files.delete(file.id());
            throw e;
        }
        // Committed (every statement here commits by itself): whoever holds the job sees the import now.
        jobs.get().nudge(RosterImportJob.KIND);
        return new StartedImport(id, new ImportEnd(imports, id));
    }

    /**
     * Runs a held full import after all, marking as left whoever it does not list: queued again, confirmed, and run by
     * whichever instance holds the import job.
     */
    public StartedImport confirm(long id) {
        awaiting(id);
        if (imports.queueConfirmed(id) == 0) {
            throw notAwaiting();
        }
        jobs.get().nudge(RosterImportJob.KIND);
        return new StartedImport(id, new ImportEnd(imports, id));
    }

    /** Drops a held full import: nothing is written, and its stored file is deleted. */
    public void cancel(long id) {
        awaiting(id);
        if (imports.leaveAwaiting(id, RosterImportStatus.CANCELLED) == 0) {
            throw notAwaiting();
        }
        Long file = sql.one("SELECT file_id FROM roster_import WHERE id = :id", NamedSql.with("id", id),
                row -> row.nullableNumber("file_id")).orElse(null);
        imports.finish(id, RosterImportStatus.CANCELLED, "Importen avbröts. Inget sparades.", 0, 0, 0);
        if (file != null) {
            files.delete(file);
        }
    }

    private RosterImport awaiting(long id) {
        RosterImport found = imports.findById(id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "Importen " + id + " finns inte."));
        if (found.status() != RosterImportStatus.AWAITING_CONFIRMATION) {
            throw notAwaiting();
        }
        return found;
    }

    private static HttpStatusException notAwaiting() {
        return new HttpStatusException(HttpStatus.CONFLICT, "Importen väntar inte på bekräftelse (den är redan bekräftad, avbruten eller klar).");
    }

    /** The end of an import, seen by polling its status (every instance sees the same database). */
    private static final class ImportEnd implements Future<RosterImportStatus> {

        private static final long POLL_MILLIS = 200;
        private final RosterImportRepository imports;
        private final long id;

        ImportEnd(RosterImportRepository imports, long id) {
            this.imports = imports;
            this.id = id;
        }

        private RosterImportStatus status() {
            return imports.findById(id).map(RosterImport::status).orElse(RosterImportStatus.FAILED);
        }

        private static boolean ended(RosterImportStatus status) {
            return status.finished() || status.awaitingConfirmation();
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return ended(status());
        }

        @Override
        public RosterImportStatus get() throws InterruptedException, ExecutionException {
            while (true) {
                RosterImportStatus status = status();
                if (ended(status)) {
                    return status;
                }
                Thread.sleep(POLL_MILLIS);
            }
        }

        @Override
        public RosterImportStatus get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException,
                TimeoutException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                RosterImportStatus status = status();
                if (ended(status)) {
                    return status;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("Roster import " + id + " has not ended");
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }
}
