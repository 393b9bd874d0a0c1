package se.kompetensmal.roster;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.organization.OrgNodeRepository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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

    private final RosterImportRepository imports;
    private final OrgNodeRepository nodes;
    private final OrganisationRosterImporter organisations;
    private final PeopleRosterImporter people;
    private final RosterImportErrorRepository errors;
    private final ApplicationEventPublisher<RosterImported> events;
    private final Path uploadDir;
    // One import at a time: two files touching the same people must not interleave.
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "roster-import"));

    public RosterImportService(RosterImportRepository imports, OrgNodeRepository nodes,
                               OrganisationRosterImporter organisations, PeopleRosterImporter people, RosterImportErrorRepository errors,
                               ApplicationEventPublisher<RosterImported> events,
                               @Value("${kompetensmal.upload-dir:}") String uploadDir) throws IOException {
        this.imports = imports;
        this.nodes = nodes;
        this.organisations = organisations;
        this.people = people;
        this.errors = errors;
        this.events = events;
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
    }

    public StartedImport start(RosterImportKind kind, boolean fullImport, Long scopeOrgId, String fileName,
                               InputStream content) {
        if (fullImport && (kind != RosterImportKind.PEOPLE || scopeOrgId == null)) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST,
                    "En fullständig import gäller personer och kräver att du väljer vilken organisation filen omfattar.");
        }
        if (scopeOrgId != null && nodes.findById(scopeOrgId).isEmpty()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "Organisationen " + scopeOrgId + " finns inte.");
        }
        Path file = save(content);
        RosterImport created = imports.save(new RosterImport(null, kind, fullImport, scopeOrgId,
                fileName == null || fileName.isBlank() ? "namnlös.csv" : fileName, RosterImportStatus.QUEUED,
                0, 0, 0, 0, 0, null, null, null));
        Future<?> done = worker.submit(() -> run(created, file));
        return new StartedImport(created.id(), done);
    }

    private Path save(InputStream content) {
        try {
            Path file = Files.createTempFile(uploadDir, "roster-", ".csv");
            Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(RosterImport rosterImport, Path file) {
        long id = rosterImport.id();
        ImportProgress progress = new ImportProgress(imports, id);
        try {
            ImportOutcome outcome = switch (rosterImport.kind()) {
                case ORGANISATIONS -> organisations.importFile(rosterImport, file, progress);
                case PEOPLE -> people.importFile(rosterImport, file, progress);
            };
            finish(id, outcome);
            if (outcome.accepted() && rosterImport.kind() == RosterImportKind.PEOPLE) {
                events.publishEvent(new RosterImported(rosterImport.scopeOrgId()));
            }
        } catch (CsvReader.MalformedCsvException e) {
            finish(id, ImportOutcome.rejected(List.of(new RowError(e.row(), null, e.getMessage()))));
        } catch (Exception e) {
            LOG.error("Roster import {} failed", id, e);
            imports.finish(id, RosterImportStatus.FAILED,
                    "Ett tekniskt fel stoppade importen. Inget sparades. Försök igen eller kontakta support.", 0, 0, 0);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Could not delete uploaded file {}", file, e);
            }
        }
    }

    private void finish(long id, ImportOutcome outcome) {
        if (outcome.accepted()) {
            imports.finish(id, RosterImportStatus.SUCCEEDED, "Importen är klar: " + outcome.created() + " nya, "
                    + outcome.updated() + " uppdaterade, " + outcome.left() + " markerade som slutat.",
                    outcome.created(), outcome.updated(), outcome.left());
            return;
        }
        errors.saveAll(outcome.errors().stream().map(e -> RosterImportError.of(id, e)).toList());
        imports.finish(id, RosterImportStatus.REJECTED, outcome.errors().size() == 1
                ? "Filen har ett fel. Inget sparades; rätta felet och ladda upp filen igen."
                : "Filen har " + outcome.errors().size() + " fel. Inget sparades; rätta felen och ladda upp filen igen.",
                0, 0, 0);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
