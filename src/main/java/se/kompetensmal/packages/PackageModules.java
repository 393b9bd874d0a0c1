package se.kompetensmal.packages;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.authoring.ModuleAuthoring;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.scorm.ScormVersion;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.Role;
import se.kompetensmal.sql.NamedSql;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Package modules as coordinators see them: the list on /egna-moduler, one module's package facts, items and version
 * history. Who may see and change them is {@link ModuleReach}'s rule, as for every own module: one the caller may not
 * see is answered as an unknown code (404), and the pages are for coordinators and administrators (403).
 */
@Singleton
public class PackageModules {

    public record Summary(String code, String title, String ownerName, @Nullable Integer latestVersion, boolean withdrawn,
                          boolean editable, @Nullable String edition) {
    }

    public record Item(String identifier, String title, int depth, String kind) {
    }

    public record Version(int version, Instant uploadedAt, String uploadedBy, String edition, int files, long bytes,
                          long learnersStarted, long completions) {
    }

    /** One package module: the module, the latest package's facts and items, every version newest first. */
    public record Details(Summary module, @Nullable Long ownerOrgId, String manifestIdentifier, String edition,
                          long scos, int files, long bytes, List<Item> items, List<Version> versions) {
    }

    private final NamedSql sql;
    private final ModuleReach reach;
    private final Access access;

    public PackageModules(NamedSql sql, ModuleReach reach, Access access) {
        this.sql = sql;
        this.reach = reach;
        this.access = access;
    }

    /** The package modules the caller may see, by title; for coordinators and administrators only (else 403). */
    public List<Summary> visibleTo(Authentication caller) {
        access.requireAnywhere(caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        return summaries(caller, "cm.source = 'PACKAGE' AND " + ModuleReach.VISIBLE_TO,
                NamedSql.with("account", Caller.of(caller).accountId()));
    }

    /** The module, if the caller may read it here: a package module they may see (else 404), and a coordinator (403). */
    public ModuleReach.Owner readable(Authentication caller, String code) {
        ModuleReach.Owner owner = reach.owner(code).filter(ModuleReach.Owner::fromPackage).orElseThrow(Access::notFound);
        if (!reach.visibleTo(caller, code)) {
            throw Access.notFound();
        }
        access.requireAnywhere(caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        return owner;
    }

    /** The module, if the caller may upload its next version: readable, editable by them (403), not withdrawn. */
    public ModuleReach.Owner changeable(Authentication caller, String code) {
        ModuleReach.Owner owner = readable(caller, code);
        if (!reach.editableBy(caller, code)) {
            throw Access.forbidden();
        }
        if (owner.withdrawn()) {
            throw new PackageRefused("Modulen är tillbakadragen och kan inte få nya versioner. Ladda upp paketet som en ny "
                    + "modul om det ska användas på nytt.");
        }
        return owner;
    }

    public Details details(Authentication caller, String code) {
        ModuleReach.Owner owner = readable(caller, code);
        Summary module = summaries(caller, "cm.code = :code", NamedSql.with("code", code)).stream().findFirst()
                .orElseThrow(Access::notFound);
        record Latest(long versionId, String identifier, String edition, int files, long bytes) {
        }
        Latest latest = sql.one("""
                SELECT pv.module_version_id, pv.manifest_identifier, pv.scorm_version, pv.file_count, pv.total_bytes
                FROM package_version pv JOIN module_version v ON v.id = pv.module_version_id
                WHERE v.module_code = :code ORDER BY v.version DESC LIMIT 1""", NamedSql.with("code", code),
                row -> new Latest(row.number("module_version_id"), row.string("manifest_identifier"),
                        row.string("scorm_version"), (int) row.number("file_count"), row.number("total_bytes")))
                .orElseThrow(Access::notFound);
        List<Item> items = sql.list("""
                SELECT item_identifier, title, depth, kind FROM package_item WHERE module_version_id = :version
                ORDER BY position""", NamedSql.with("version", latest.versionId()),
                row -> new Item(row.string("item_identifier"), row.string("title"), (int) row.number("depth"),
                        row.string("kind")));
        long scos = items.stream().filter(i -> "SCO".equals(i.kind())).count();
        return new Details(module, owner.ownerOrgId(), latest.identifier(),
                ScormVersion.fromStored(latest.edition()).label(), scos, latest.files(), latest.bytes(), items,
                versions(code));
    }

    /** Every version, newest first: uploaded when and by whom, the package's edition and size, learners and completions. */
    private List<Version> versions(String code) {
        NamedSql.Params params = NamedSql.with("code", code);
        // Started: anyone with an attempt or a completion on the version.
        java.util.Map<Long, Long> started = new java.util.HashMap<>();
        sql.list("""
                SELECT s.module_version_id, COUNT(DISTINCT s.person_id) AS started
                FROM (SELECT a.module_version_id, a.person_id FROM scorm_attempt a
                      JOIN module_version v ON v.id = a.module_version_id WHERE v.module_code = :code
                      UNION SELECT c.module_version_id, c.person_id FROM counted_completion c
                      JOIN module_version v ON v.id = c.module_version_id WHERE v.module_code = :code) s
                GROUP BY s.module_version_id""", params,
                row -> started.put(row.number("module_version_id"), row.number("started")));
        return sql.list("""
                SELECT v.id, v.version, CAST(UNIX_TIMESTAMP(pv.uploaded_at) * 1000 AS SIGNED) AS uploaded_ms,
                       COALESCE(CONCAT(p.given_name, ' ', p.family_name), ua.display_name, '') AS uploaded_by,
                       pv.scorm_version, pv.file_count, pv.total_bytes,
                       (SELECT COUNT(*) FROM counted_completion c WHERE c.module_version_id = v.id) AS completions
                FROM module_version v JOIN package_version pv ON pv.module_version_id = v.id
                LEFT JOIN user_account ua ON ua.id = pv.uploaded_by LEFT JOIN person p ON p.id = ua.person_id
                WHERE v.module_code = :code ORDER BY v.version DESC""", params,
                row -> new Version((int) row.number("version"), Instant.ofEpochMilli(row.number("uploaded_ms")),
                        row.string("uploaded_by"), ScormVersion.fromStored(row.string("scorm_version")).label(),
                        (int) row.number("file_count"), row.number("total_bytes"),
                        started.getOrDefault(row.number("id"), 0L), row.number("completions")));
    }

    private List<Summary> summaries(Authentication caller, String condition, NamedSql.Params params) {
        record Row(String code, String title, String ownerName, Integer latest, boolean withdrawn, String edition) {
        }
        return sql.list("""
                SELECT cm.code, COALESCE(v.title, cm.code) AS title, o.name AS owner_name, v.version AS latest_version,
                       cm.withdrawn_at IS NOT NULL AS withdrawn, pv.scorm_version
                FROM catalogue_module cm
                LEFT JOIN org_node o ON o.id = cm.owner_org_id
                LEFT JOIN module_version v ON v.module_code = cm.code
                     AND v.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = cm.code)
                LEFT JOIN package_version pv ON pv.module_version_id = v.id
                WHERE\s""" + condition, params,
                row -> new Row(row.string("code"), row.string("title"),
                        row.string("owner_name") == null ? ModuleAuthoring.EVERYONE : row.string("owner_name"),
                        row.nullableInt("latest_version"), row.flag("withdrawn"), row.string("scorm_version")))
                .stream()
                .map(r -> new Summary(r.code(), r.title(), r.ownerName(), r.latest(), r.withdrawn(),
                        !r.withdrawn() && reach.editableBy(caller, r.code()),
                        r.edition() == null ? null : ScormVersion.fromStored(r.edition()).label()))
                .sorted(Comparator.comparing(Summary::title, String.CASE_INSENSITIVE_ORDER).thenComparing(Summary::code))
                .toList();
    }
}
