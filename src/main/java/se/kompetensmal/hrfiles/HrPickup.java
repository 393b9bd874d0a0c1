package se.kompetensmal.hrfiles;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.data.connection.annotation.Connectable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.roster.CsvReader;
import se.kompetensmal.roster.RosterImportKind;
import se.kompetensmal.roster.RosterImportQueries;
import se.kompetensmal.roster.RosterImportService;
import se.kompetensmal.roster.RosterImportStatus;
import se.kompetensmal.roster.RosterImportView;
import se.kompetensmal.roster.RowError;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Reads the organisations' pick-up folders on a schedule. Each file goes through the organisation's column mapping,
 * the encoding read from it, and the one all-or-nothing import of people files (as a full import where the organisation
 * chose so); it is then moved aside, to {@code behandlade/} when imported and to {@code fel/} when not, its name
 * prefixed with the time, and the result is mailed to the organisation's coordinators. A bad file changes nothing.
 *
 * <p>Every instance runs the schedule; a file is taken by one of them only, through a conditional update of its claim.
 */
@Singleton
@Connectable
public class HrPickup implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(HrPickup.class);
    public static final String PROCESSED = "behandlade";
    public static final String FAILED = "fel";
    /** How many bad rows a mail and the run record quote; the import status page has them all. */
    static final int QUOTED_ERRORS = 10;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** A claim older than this belongs to an instance that stopped while reading the file: the file is taken again. */
    private static final Duration STALE_CLAIM = Duration.ofHours(6);
    private static final Duration IMPORT_LIMIT = Duration.ofHours(2);

    private final PickupSettings settings;
    private final ColumnMappings mappings;
    private final RosterImportService imports;
    private final RosterImportQueries importQueries;
    private final OrgNodeRepository nodes;
    private final NamedSql sql;
    private final PickupMails mails;
    private final long maxBytes;
    private final Duration settle;
    private final Duration interval;
    private final Duration firstRunAfter;
    /** This instance, in claims: host, process and a random part, so that a restarted process is another claimant. */
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);

    public HrPickup(PickupSettings settings, ColumnMappings mappings, RosterImportService imports,
                    RosterImportQueries importQueries, OrgNodeRepository nodes, NamedSql sql, @Nullable PickupMails mails,
                    @Value("${kompetensmal.import.max-bytes:200MB}") @ReadableBytes long maxBytes,
                    @Value("${kompetensmal.pickup.settle:1m}") Duration settle,
                    @Value("${kompetensmal.pickup.interval:15m}") Duration interval,
                    @Value("${kompetensmal.pickup.initial-delay:2m}") Duration firstRunAfter) {
        this.interval = interval;
        this.firstRunAfter = firstRunAfter;
        this.settings = settings;
        this.mappings = mappings;
        this.imports = imports;
        this.importQueries = importQueries;
        this.nodes = nodes;
        this.sql = sql;
        this.mails = mails;
        this.maxBytes = maxBytes;
        this.settle = settle;
    }

    @Override
    public String kind() {
        return "hr-pickup";
    }

    @Override
    public String title() {
        return "Hämtning av HR-filer från mapp";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Duration firstRunAfter() {
        return firstRunAfter;
    }

    /** The background job kind {@code hr-pickup}: one instance at a time reads the folders (see {@link BackgroundJob}). */
    @Override
    public void run() {
        runOnce();
    }

    /**
     * Reads every enabled folder once and returns the runs it recorded (one per file it took). A file still being
     * written (changed within the settle time, {@code kompetensmal.pickup.settle}) waits for the next time.
     */
    public List<PickupSettings.Run> runOnce() {
        List<PickupSettings.Run> runs = new ArrayList<>();
        for (PickupSettings.Pickup pickup : settings.enabled()) {
            try {
                runs.addAll(read(pickup));
            } catch (RuntimeException e) {
                LOG.error("Pick-up folder of organisation {} could not be read", pickup.orgNodeId(), e);
            }
        }
        return runs;
    }

    private List<PickupSettings.Run> read(PickupSettings.Pickup pickup) {
        Path folder = settings.resolve(pickup.folder());
        if (!Files.isDirectory(folder)) {
            LOG.warn("Pick-up folder {} of organisation {} does not exist", folder, pickup.orgNodeId());
            return List.of();
        }
        List<Path> files;
        Instant settled = Instant.now().minus(settle);
        try (Stream<Path> listed = Files.list(folder)) {
            files = listed.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().startsWith("~"))
                    .filter(f -> modified(f).isBefore(settled) || settle.isZero())
                    .sorted().toList();
        } catch (IOException e) {
            LOG.error("Pick-up folder {} could not be listed", folder, e);
            return List.of();
        }
        List<PickupSettings.Run> runs = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.length() > 255 || !claim(pickup.orgNodeId(), name)) {
                continue;
            }
            try {
                if (Files.isRegularFile(file)) {
                    runs.add(process(pickup, folder, file));
                }
            } finally {
                release(pickup.orgNodeId(), name);
            }
        }
        return runs;
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    /** Takes the file for this instance: true only for the one instance whose conditional update changed the row. */
    boolean claim(long orgNodeId, String fileName) {
        sql.update("INSERT IGNORE INTO hr_pickup_claim (org_node_id, file_name) VALUES (:node, :name)",
                NamedSql.with("node", orgNodeId).and("name", fileName));
        return sql.update("""
                UPDATE hr_pickup_claim SET claimed_by = :me, claimed_at = CURRENT_TIMESTAMP
                WHERE org_node_id = :node AND file_name = :name
                  AND (claimed_by IS NULL OR claimed_at < CURRENT_TIMESTAMP - INTERVAL :staleMinutes MINUTE)""",
                NamedSql.with("me", instance).and("node", orgNodeId).and("name", fileName)
                        .and("staleMinutes", STALE_CLAIM.toMinutes())) == 1;
    }

    private void release(long orgNodeId, String fileName) {
        try {
            sql.update("""
                    UPDATE hr_pickup_claim SET claimed_by = NULL, claimed_at = NULL
                    WHERE org_node_id = :node AND file_name = :name AND claimed_by = :me""",
                    NamedSql.with("node", orgNodeId).and("name", fileName).and("me", instance));
        } catch (RuntimeException e) {
            LOG.warn("Claim of pick-up file {} could not be let go; it is taken again after {}", fileName, STALE_CLAIM, e);
        }
    }

    /** How one file went, before it is recorded. */
    private record Result(String outcome, @Nullable Long importId, int created, int updated, int left, String message,
                          List<RowError> errors, long errorCount) {
        boolean imported() {
            return outcome.equals("SUCCEEDED") || outcome.equals("AWAITING_CONFIRMATION");
        }
    }

    private PickupSettings.Run process(PickupSettings.Pickup pickup, Path folder, Path file) {
        String name = file.getFileName().toString();
        long runId = sql.insert("INSERT INTO hr_pickup_run (org_node_id, file_name) VALUES (:node, :name)",
                NamedSql.with("node", pickup.orgNodeId()).and("name", name));
        Result result;
        try {
            result = importFile(pickup, file);
        } catch (Exception e) {
            LOG.error("Pick-up file {} of organisation {} failed", name, pickup.orgNodeId(), e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            result = failed("Ett tekniskt fel stoppade importen. Inget ändrades. Försök igen eller kontakta support.");
        }
        String movedTo = moveAside(folder, file, result.imported() ? PROCESSED : FAILED);
        if (movedTo == null && Files.exists(file)) {
            result = new Result(result.outcome(), result.importId(), result.created(), result.updated(), result.left(),
                    result.message() + " Filen kunde inte flyttas undan (behörighet i mappen?) och läses därför igen nästa gång.",
                    result.errors(), result.errorCount());
        }
        sql.update("""
                UPDATE hr_pickup_run SET finished_at = CURRENT_TIMESTAMP, outcome = :outcome, import_id = :import,
                    created_count = :created, updated_count = :updated, left_count = :left, message = :message, moved_to = :moved
                WHERE id = :id""", NamedSql.with("outcome", result.outcome()).and("import", result.importId())
                .and("created", result.created()).and("updated", result.updated()).and("left", result.left())
                .and("message", fit(result.message(), 2000)).and("moved", movedTo).and("id", runId));
        PickupSettings.Run run = settings.run(runId);
        if (mails != null) {
            mails.report(pickup, nodes.require(pickup.orgNodeId()).name(), run, result.errors(), result.errorCount());
        }
        return run;
    }

    private Result importFile(PickupSettings.Pickup pickup, Path file) throws IOException, InterruptedException,
            ExecutionException {
        long size = Files.size(file);
        if (size > maxBytes) {
            return failed("Filen är större än " + maxBytes / (1024 * 1024) + " MB, som är det mesta som kan importeras på en gång. "
                    + "Dela upp den i flera filer.");
        }
        if (size == 0) {
            return failed("Filen är tom.");
        }
        FileEncoding encoding = pickup.encoding() != null ? pickup.encoding() : detect(file);
        ColumnMapping mapping = mappings.inForceAt(pickup.orgNodeId());
        Path canonical = Files.createTempFile("hr-pickup-", ".csv");
        try {
            HrFile.Layout layout;
            try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(canonical)) {
                layout = HrFile.writeCanonical(in, encoding, RosterImportKind.PEOPLE, mapping.byKey(), out);
            } catch (CsvReader.MalformedCsvException e) {
                return failed("Filen kunde inte läsas (" + encoding.labelSv() + "): rad " + e.row() + ": " + e.getMessage()
                        + ". Inget ändrades.");
            }
            if (!layout.importable()) {
                List<String> said = new ArrayList<>();
                if (!layout.missing().isEmpty()) {
                    said.add("Fält som krävs men som ingen kolumn fyller: " + String.join(", ", layout.missing()) + ".");
                }
                said.addAll(layout.conflicts());
                return failed("Filens rubriker räcker inte för en import. " + String.join(" ", said)
                        + " Lägg till rubrikerna i kolumnmappningen. Inget ändrades.");
            }
            RosterImportService.StartedImport started;
            try (InputStream content = Files.newInputStream(canonical)) {
                started = imports.start(RosterImportKind.PEOPLE, pickup.fullImport(), pickup.orgNodeId(),
                        file.getFileName().toString(), content, "hämtning från mapp");
            }
            try {
                started.done().get(IMPORT_LIMIT.toMinutes(), TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                return new Result("FAILED", started.id(), 0, 0, 0, "Importen blev inte klar inom " + IMPORT_LIMIT.toHours()
                        + " timmar; se importens sida.", List.of(), 0);
            }
            RosterImportView view = importQueries.view(started.id());
            var done = view.rosterImport();
            String message = done.message() == null ? done.statusSv() : done.message();
            if (done.status() == RosterImportStatus.SUCCEEDED) {
                return new Result("SUCCEEDED", done.id(), done.createdCount(), done.updatedCount(), done.leftCount(), message,
                        List.of(), 0);
            }
            if (done.status() == RosterImportStatus.AWAITING_CONFIRMATION) {
                return new Result("AWAITING_CONFIRMATION", done.id(), 0, 0, 0, message
                        + " Bekräfta eller avbryt importen på dess sida; inget är ändrat ännu.", List.of(), 0);
            }
            List<RowError> errors = view.errors().stream().limit(QUOTED_ERRORS).toList();
            return new Result(done.status() == RosterImportStatus.REJECTED ? "REJECTED" : "FAILED", done.id(), 0, 0, 0,
                    message + describe(errors, view.errorCount()), errors, view.errorCount());
        } finally {
            Files.deleteIfExists(canonical);
        }
    }

    /** The first bad rows, one a line, for the run record. */
    static String describe(List<RowError> errors, long count) {
        if (errors.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" " + count + (count == 1 ? " fel" : " fel") + ", de första:");
        for (RowError e : errors) {
            text.append(" rad ").append(e.row()).append(e.column() == null ? "" : " (" + e.column() + ")").append(": ")
                    .append(e.reason()).append(';');
        }
        return text.toString();
    }

    private static Result failed(String message) {
        return new Result("FAILED", null, 0, 0, 0, message, List.of(), 0);
    }

    private static FileEncoding detect(Path file) throws IOException {
        FileEncoding.Detector detector = new FileEncoding.Detector();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                detector.update(buffer, 0, n);
            }
        }
        return detector.result();
    }

    /**
     * Moves the file into the subfolder, named with the time it was read first, so that the folder holds only what is
     * still to be read and every file read stays for whoever wants to look. Answers where it went, relative to the folder.
     */
    private static String moveAside(Path folder, Path file, String subfolder) {
        String stamped = LocalDateTime.now(SwedishTime.ZONE).format(STAMP) + "-" + file.getFileName();
        try {
            Path target = Files.createDirectories(folder.resolve(subfolder));
            Path destination = target.resolve(stamped);
            for (int n = 2; Files.exists(destination); n++) {
                destination = target.resolve(LocalDateTime.now(SwedishTime.ZONE).format(STAMP) + "-" + n + "-" + file.getFileName());
            }
            try {
                Files.move(file, destination, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(file, destination);
            }
            return subfolder + "/" + destination.getFileName();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.error("Pick-up file {} could not be moved to {}", file, subfolder, e);
            return null;
        }
    }

    private static String fit(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
