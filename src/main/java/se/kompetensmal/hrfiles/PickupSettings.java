package se.kompetensmal.hrfiles;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Role;
import se.kompetensmal.sql.NamedSql;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which organisations have a folder read on a schedule, and how. A folder is named relative to the root the service is
 * configured with ({@code kompetensmal.pickup.root}), never as an absolute path or with "..", so that a coordinator can
 * only name folders under that root.
 */
@Singleton
@Connectable
public class PickupSettings {

    static final int FOLDER_LENGTH = 200;
    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private final NamedSql sql;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final AuditLog audit;
    private final Path root;

    public PickupSettings(NamedSql sql, OrgNodeRepository nodes, Access access, AuditLog audit,
                          @Value("${kompetensmal.pickup.root:data/pickup}") String root) {
        this.sql = sql;
        this.nodes = nodes;
        this.access = access;
        this.audit = audit;
        this.root = Path.of(root).toAbsolutePath().normalize();
    }

    /** An organisation's pick-up. {@code encoding} null: detected in each file. */
    @Serdeable
    public record Pickup(long orgNodeId, String folder, boolean enabled, boolean fullImport, @Nullable FileEncoding encoding) {
    }

    /** One file a pick-up read, and how it went. */
    @Serdeable
    public record Run(long id, long orgNodeId, String fileName, Instant startedAt, @Nullable Instant finishedAt,
                      @Nullable String outcome, @Nullable Long importId, int createdCount, int updatedCount, int leftCount,
                      @Nullable String message, @Nullable String movedTo) {

        public String startedAtSv() {
            return SwedishTime.format(startedAt);
        }

        public String outcomeSv() {
            return outcome == null ? "Pågår" : switch (outcome) {
                case "SUCCEEDED" -> "Importerad";
                case "REJECTED" -> "Avvisad, inget ändrades";
                case "AWAITING_CONFIRMATION" -> "Väntar på bekräftelse";
                default -> "Misslyckades, inget ändrades";
            };
        }
    }

    public Path root() {
        return root;
    }

    public Optional<Pickup> of(long nodeId) {
        return sql.one("SELECT org_node_id, folder, enabled, full_import, encoding FROM hr_pickup WHERE org_node_id = :node",
                NamedSql.with("node", nodeId), PickupSettings::pickup);
    }

    public List<Pickup> enabled() {
        return sql.list("SELECT org_node_id, folder, enabled, full_import, encoding FROM hr_pickup WHERE enabled ORDER BY org_node_id",
                new NamedSql.Params(), PickupSettings::pickup);
    }

    private static Pickup pickup(NamedSql.Row row) throws java.sql.SQLException {
        return new Pickup(row.number("org_node_id"), row.string("folder"), row.flag("enabled"), row.flag("full_import"),
                FileEncoding.of(row.string("encoding")));
    }

    /** The latest files read for the organisation, newest first. */
    public List<Run> runs(long nodeId, int limit) {
        return sql.list("""
                SELECT id, org_node_id, file_name, UNIX_TIMESTAMP(started_at) AS started_s, UNIX_TIMESTAMP(finished_at) AS finished_s, outcome, import_id, created_count, updated_count,
                       left_count, message, moved_to
                FROM hr_pickup_run WHERE org_node_id = :node ORDER BY id DESC LIMIT :limit""",
                NamedSql.with("node", nodeId).and("limit", limit), PickupSettings::run);
    }

    Run run(long id) {
        return sql.one("""
                SELECT id, org_node_id, file_name, UNIX_TIMESTAMP(started_at) AS started_s, UNIX_TIMESTAMP(finished_at) AS finished_s, outcome, import_id, created_count, updated_count,
                       left_count, message, moved_to
                FROM hr_pickup_run WHERE id = :id""", NamedSql.with("id", id), PickupSettings::run).orElseThrow();
    }

    private static Run run(NamedSql.Row row) throws java.sql.SQLException {
        Long finished = row.nullableNumber("finished_s");
        return new Run(row.number("id"), row.number("org_node_id"), row.string("file_name"),
                Instant.ofEpochSecond(row.number("started_s")), finished == null ? null : Instant.ofEpochSecond(finished), row.string("outcome"), row.nullableNumber("import_id"),
                (int) row.number("created_count"), (int) row.number("updated_count"), (int) row.number("left_count"),
                row.string("message"), row.string("moved_to"));
    }

    /** Saves the organisation's pick-up, checked, for its coordinators and administrators; written to the audit log. */
    public Pickup save(long nodeId, @Nullable String folder, boolean enabled, boolean fullImport, @Nullable FileEncoding encoding,
                       HttpRequest<?> request, Authentication caller) {
        OrgNode node = nodes.require(nodeId);
        access.requireOn(caller, nodeId, Role.COORDINATOR, Role.ADMINISTRATOR);
        String checked = checkFolder(folder);
        try {
            // Not INSERT ... ON DUPLICATE KEY UPDATE: a folder already taken would match the other organisation row and
            // change it; here a folder taken is a refused key, whichever statement meets it.
            NamedSql.Params values = NamedSql.with("node", nodeId).and("folder", checked).and("enabled", enabled)
                    .and("full", fullImport).and("encoding", encoding == null ? null : encoding.name()).and("by", caller.getName());
            if (of(nodeId).isPresent()) {
                sql.update("""
                        UPDATE hr_pickup SET folder = :folder, enabled = :enabled, full_import = :full, encoding = :encoding,
                            changed_by = :by
                        WHERE org_node_id = :node""", values);
            } else {
                sql.update("""
                        INSERT INTO hr_pickup (org_node_id, folder, enabled, full_import, encoding, changed_by)
                        VALUES (:node, :folder, :enabled, :full, :encoding, :by)""", values);
            }
        } catch (RuntimeException e) {
            if (isDuplicate(e)) {
                throw new HrSettingsRefused("folder", "Mappen " + checked + " hämtas redan för en annan organisation. Välj en egen mapp.");
            }
            throw e;
        }
        audit.record(caller.getName(), AuditLog.SETTING_CHANGED, "hämtning från mapp för " + node.code() + ": " + checked
                + (enabled ? ", på" : ", av") + (fullImport ? ", fullständig" : ", ändringar"), request);
        return of(nodeId).orElseThrow();
    }

    private static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The folder as it is kept: relative, with / between levels, without "." and "..", within the root. Refused with a
     * Swedish message otherwise.
     */
    String checkFolder(@Nullable String folder) {
        String text = folder == null ? "" : folder.strip();
        if (text.isEmpty()) {
            throw refused("Ange mappen som filerna läggs i.");
        }
        if (text.length() > FOLDER_LENGTH) {
            throw refused("Mappens namn är längre än " + FOLDER_LENGTH + " tecken.");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw refused("Mappens namn innehåller ett styrtecken.");
        }
        if (text.startsWith("/") || text.startsWith("\\") || WINDOWS_DRIVE.matcher(text).matches() || text.startsWith("~")) {
            throw refused("Ange mappen relativt till rotmappen för hämtning, till exempel hr/heroma, inte som en absolut sökväg.");
        }
        if (text.contains("\\")) {
            throw refused("Skriv / mellan mappnivåerna, till exempel hr/heroma.");
        }
        for (String part : text.split("/+")) {
            if (part.equals("..") || part.equals(".")) {
                throw refused("Mappens namn får inte innehålla \"..\" eller \".\": ange en mapp under rotmappen, till exempel hr/heroma.");
            }
        }
        Path resolved;
        try {
            resolved = root.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw refused("Mappens namn går inte att använda som sökväg.");
        }
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw refused("Ange en mapp under rotmappen för hämtning, till exempel hr/heroma.");
        }
        return root.relativize(resolved).toString().replace('\\', '/');
    }

    /** Where the folder is on this server. */
    public Path resolve(String folder) {
        Path resolved = root.resolve(folder).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalStateException("A pick-up folder outside the root: " + folder);
        }
        return resolved;
    }

    private static HrSettingsRefused refused(String message) {
        return new HrSettingsRefused("folder", message);
    }
}
