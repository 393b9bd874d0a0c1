package se.kompetensmal.roster;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.routines.RecomputeJobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Receives roster files and imports them one at a time in the background, so that a large file never holds up a web
 * request. Each import is all or nothing: a file with bad rows is rejected with a report of every one of them.
 */
@Singleton
public class RosterImportService {

    private static final Logger LOG = LoggerFactory.getLogger(RosterImportService.class);
    /** The length of the column the file's name is kept in. */
    private static final int FILE_NAME_LENGTH = 255;

    private final RosterImportRepository imports;
    private final OrgNodeRepository nodes;
    private final OrganisationRosterImporter organisations;
    private final PeopleRosterImporter people;
    private final HistoryImporter history;
    private final RecomputeJobs recomputeJobs;
    private final RosterImportErrorRepository errors;
    private final ApplicationEventPublisher<RosterImported> events;
    private final Path uploadDir;
    private final long maxBytes;
    // One import at a time: two files touching the same people must not interleave.
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "roster-import"));

    public RosterImportService(RosterImportRepository imports, OrgNodeRepository nodes,
                               OrganisationRosterImporter organisations, PeopleRosterImporter people, HistoryImporter history,
                               RecomputeJobs recomputeJobs, RosterImportErrorRepository errors,
                               ApplicationEventPublisher<RosterImported> events,
                               @Value("${kompetensmal.upload-dir:}") String uploadDir,
                               @Value("${kompetensmal.import.max-bytes:200MB}") @ReadableBytes long maxBytes) throws IOException {
        this.imports = imports;
        this.nodes = nodes;
        this.organisations = organisations;
        this.people = people;
        this.history = history;
        this.recomputeJobs = recomputeJobs;
        this.errors = errors;
        this.events = events;
        this.maxBytes = maxBytes;
        this.uploadDir = uploadDir.isBlank()
                ? Files.createTempDirectory("kompetensmal-uploads")
                : Files.createDirectories(Path.of(uploadDir));
    }

    /** An import that has been accepted for processing; {@code done} completes when it has ended either way. */
    public record StartedImport(long id, Future<?> done) {
    }

    /** An import left unfinished by a stopped service wrote nothing (its transaction never committed): say so. */
    @EventListener
    void onStartup(StartupEvent event) {
        int failed = imports.failUnfinished();
        if (failed > 0) {
            LOG.warn("{} roster import(s) were interrupted by a restart and are marked as failed", failed);
        }
        history.discardUnfinished();
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
        Path file = save(content);
        RosterImport created = imports.save(new RosterImport(null, kind, fullImport, scopeOrgId,
                fileName == null || fileName.isBlank() ? "namnlös.csv" : fileName, RosterImportStatus.QUEUED,
                0, 0, 0, 0, 0, null, null, null, null));
        Path kept = fileOf(created.id());
        try {
            Files.move(file, kept);
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException(e);
        }
        Future<?> done = worker.submit(() -> run(created, kept, false, requestedBy));
        return new StartedImport(created.id(), done);
    }

    /** Runs a held full import after all, marking as left whoever it does not list. */
    public StartedImport confirm(long id) {
        RosterImport held = awaiting(id);
        if (imports.leaveAwaiting(id, RosterImportStatus.QUEUED) == 0) {
            throw notAwaiting();
        }
        Path file = fileOf(id);
        if (!Files.exists(file)) {
            imports.finish(id, RosterImportStatus.FAILED,
                    "Den uppladdade filen finns inte längre (tjänsten har startats om). Inget sparades; ladda upp filen igen.", 0, 0, 0);
            return new StartedImport(id, CompletableFuture.completedFuture(null));
        }
        return new StartedImport(id, worker.submit(() -> run(held, file, true, "import")));
    }

    /** Drops a held full import: nothing is written. */
    public void cancel(long id) {
        awaiting(id);
        if (imports.leaveAwaiting(id, RosterImportStatus.CANCELLED) == 0) {
            throw notAwaiting();
        }
        imports.finish(id, RosterImportStatus.CANCELLED, "Importen avbröts. Inget sparades.", 0, 0, 0);
        delete(fileOf(id));
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

    /** Where an accepted file waits for its import, and for a confirmation when one is asked for. */
    private Path fileOf(long id) {
        return uploadDir.resolve("roster-" + id + ".csv");
    }

    /**
     * Streams the upload to disk, never into memory, and at most {@code maxBytes} of it: a larger upload is refused with
     * 413, and whatever part of it was written is removed, as is the file of an upload that broke off.
     */
    private Path save(InputStream content) {
        Path file;
        try {
            file = Files.createTempFile(uploadDir, "upload-", ".csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long written = 0;
            for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                written += n;
                if (written > maxBytes) {
                    throw ImportSizeLimit.tooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
            }
            return file;
        } catch (IOException e) {
            delete(file);
            if (ImportSizeLimit.isSizeLimit(e)) {
                throw ImportSizeLimit.tooLarge(maxBytes);
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            delete(file);
            if (ImportSizeLimit.isSizeLimit(e)) {
                throw ImportSizeLimit.tooLarge(maxBytes);
            }
            throw e;
        }
    }



    private void run(RosterImport rosterImport, Path file, boolean confirmed, String requestedBy) {
        long id = rosterImport.id();
        ImportProgress progress = new ImportProgress(imports, id);
        boolean keepFile = false;
        try {
            ImportOutcome outcome = switch (rosterImport.kind()) {
                case ORGANISATIONS -> organisations.importFile(rosterImport, file, progress);
                case PEOPLE -> people.importFile(rosterImport, file, progress, confirmed);
                case HISTORY -> history.importFile(rosterImport, file, progress);
            };
            if (outcome.held()) {
                keepFile = true;
                imports.finish(id, RosterImportStatus.AWAITING_CONFIRMATION, outcome.question(), 0, 0, 0);
                return;
            }
            if (outcome.accepted() && rosterImport.kind() == RosterImportKind.HISTORY && outcome.created() > 0) {
                // The completions are committed: the job, run in the background, sees them. Asked for before the import
                // is marked as done, so that its status page shows the job from the moment it shows the import done.
                requestRecomputation(id, rosterImport.scopeOrgId(), requestedBy);
            }
            finish(id, rosterImport.kind(), outcome);
            if (outcome.accepted() && rosterImport.kind() == RosterImportKind.PEOPLE) {
                events.publishEvent(new RosterImported(rosterImport.scopeOrgId()));
            }
        } catch (CsvReader.MalformedCsvException e) {
            finish(id, rosterImport.kind(), ImportOutcome.rejected(List.of(new RowError(e.row(), null, e.getMessage()))));
        } catch (Throwable e) {
            // Errors too, out of memory included: an import must never stay "in progress" with nothing said.
            LOG.error("Roster import {} failed", id, e);
            try {
                imports.finish(id, RosterImportStatus.FAILED,
                        "Ett tekniskt fel stoppade importen. Inget sparades. Försök igen eller kontakta support.", 0, 0, 0);
            } catch (RuntimeException notRecorded) {
                LOG.error("Roster import {} could not be marked as failed", id, notRecorded);
            }
        } finally {
            if (!keepFile) {
                delete(file);
            }
            if (rosterImport.kind() == RosterImportKind.HISTORY) {
                // After the outcome is recorded: whoever waits for the import does not wait for this.
                discardStaged(id);
            }
        }
    }

    private void discardStaged(long importId) {
        try {
            history.discard(importId);
        } catch (RuntimeException e) {
            // Left for the next start (discardUnfinished); the import's outcome stands.
            LOG.error("History import {}: its staged rows could not be deleted", importId, e);
        }
    }

    /**
     * The completions are written whatever happens here: a recomputation that could not be asked for is logged, and
     * the next one (any roster import or routine change, or the coordinator's "räkna om") brings the assignments up to
     * date, rather than the import being reported as failed with its completions saved.
     */
    private void requestRecomputation(long importId, long scopeOrgId, String requestedBy) {
        try {
            imports.recomputeRequested(importId, recomputeJobs.request(scopeOrgId, requestedBy).id());
        } catch (RuntimeException e) {
            LOG.error("History import {}: the recomputation of assignments could not be requested", importId, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete uploaded file {}", file, e);
        }
    }

    private void finish(long id, RosterImportKind kind, ImportOutcome outcome) {
        if (outcome.accepted() && kind == RosterImportKind.HISTORY) {
            imports.finish(id, RosterImportStatus.SUCCEEDED, "Importen är klar: " + outcome.created() + " nya, "
                    + outcome.updated() + " fanns redan." + (outcome.created() > 0
                            ? " Personernas uppdrag räknas om i bakgrunden." : ""),
                    outcome.created(), outcome.updated(), 0);
            return;
        }
        if (outcome.accepted()) {
            imports.finish(id, RosterImportStatus.SUCCEEDED, "Importen är klar: " + outcome.created() + " nya, "
                    + outcome.updated() + " uppdaterade, " + outcome.left() + " markerade som slutat.",
                    outcome.created(), outcome.updated(), outcome.left());
            return;
        }
        errors.saveAll(outcome.errors().stream().map(e -> RosterImportError.of(id, e)).toList());
        int notKept = outcome.errorCount() - outcome.errors().size();
        imports.finish(id, RosterImportStatus.REJECTED, outcome.errorCount() == 1
                ? "Filen har ett fel. Inget sparades; rätta felet och ladda upp filen igen."
                : "Filen har " + outcome.errorCount() + " fel" + (notKept > 0
                        ? "; rapporten visar de första " + outcome.errors().size() + " och " + notKept + " fel till"
                        : "") + ". Inget sparades; rätta felen och ladda upp filen igen.",
                0, 0, 0);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
