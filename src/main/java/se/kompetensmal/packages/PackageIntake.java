package se.kompetensmal.packages;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.authoring.ModuleAuthoring;
import se.kompetensmal.catalog.CatalogueStore;
import se.kompetensmal.catalog.CourseContent;
import se.kompetensmal.catalog.ModuleRules;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Takes an uploaded SCORM package in: streams the upload to a temporary file in the package store while hashing it,
 * checks the zip (every entry's name, links, the number of files), reads and checks the manifest, unpacks the files
 * into the store counting their real size, and records the module version with its package and items. Any refusal
 * ({@link PackageRefused}, with the reason in Swedish) leaves nothing behind: no version, no files.
 * <p>
 * A package belongs to a module by its manifest identifier: an upload whose identifier is already a package module's of
 * the same owner becomes that module's next version (learners who started an earlier version finish it, as with every
 * module), otherwise a new module. Versions are stored by {@link CatalogueStore#storeVersion} like every other module's,
 * the package's sha256 part of the content hash.
 */
@Singleton
public class PackageIntake {

    public static final String SOURCE = "PACKAGE";
    static final String MANIFEST = "imsmanifest.xml";
    /** A manifest is a few hundred kB at most; this is far beyond any real one and far below harm. */
    static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
    /** The central directory of a zip at the file limit is a few MB; a larger one is not read into memory. */
    static final long MAX_DIRECTORY_BYTES = 64L * 1024 * 1024;
    private static final Pattern ABSOLUTE = Pattern.compile("^(/|[A-Za-z]:).*", Pattern.DOTALL);
    private static final Set<String> AICC_FILES = Set.of("crs", "au", "des", "cst", "ort", "pre", "cmp");
    /** Codes that are also the editor's own path words under /egna-moduler/{code}/...: never made from a manifest. */
    private static final Set<String> RESERVED = Set.of("paket", "ny", "importera", "sidor", "fragor", "bilder", "prova",
            "uppgifter", "publicera", "dra-tillbaka", "forhandsvisning", "utkast");

    /** The outcome: the module the package became (a new one or a next version) and the version written. */
    public record Published(String moduleCode, int version, long moduleVersionId, boolean newModule) {
    }

    private final PackageStore store;
    private final PackageLimits limits;
    private final NamedSql sql;
    private final CatalogueStore catalogue;
    private final ModuleAuthoring authoring;
    private final TransactionOperations<Connection> transactions;
    private final ObjectMapper json;

    public PackageIntake(PackageStore store, PackageLimits limits, NamedSql sql, CatalogueStore catalogue,
                         ModuleAuthoring authoring, TransactionOperations<Connection> transactions, ObjectMapper json) {
        this.store = store;
        this.limits = limits;
        this.sql = sql;
        this.catalogue = catalogue;
        this.authoring = authoring;
        this.transactions = transactions;
        this.json = json;
    }

    /**
     * Publishes an uploaded package as a module version. The caller has checked that the account may publish for the
     * owner ({@code 0}: for everyone) and, with {@code expectedModuleCode}, may change that module; the manifest
     * identifier must then be the module's.
     */
    public Published publish(InputStream zip, PackageMetadata meta, @Nullable String expectedModuleCode, long ownerOrgId,
                             long accountId) {
        Long owner = ownerOrgId == 0 ? null : ownerOrgId;
        checkParticulars(meta, owner);
        Path upload = store.newTempFile(".zip");
        Path unpacked = null;
        try {
            String sha256 = copy(zip, upload);
            Inspected inspected = inspect(upload);
            // Checked before unpacking, so that a package that cannot be taken costs no unpacking; again when recording.
            transactions.executeRead(status -> target(inspected.manifest(), meta, expectedModuleCode, owner, false));
            unpacked = store.newTempFolder();
            long bytes = unpack(upload, inspected, unpacked);
            boolean installed = store.install(unpacked, sha256);
            unpacked = null;
            try {
                return transactions.executeWrite(status -> record(inspected, sha256, bytes, meta, expectedModuleCode,
                        owner, accountId));
            } catch (RuntimeException e) {
                if (installed && sql.number("SELECT COUNT(*) FROM package_version WHERE storage_key = :key",
                        NamedSql.with("key", sha256)) == 0) {
                    store.remove(sha256);
                }
                throw e;
            }
        } finally {
            PackageStore.delete(upload);
            PackageStore.delete(unpacked);
        }
    }

    // ------------------------------------------------------------------------------------------------------ upload

    /** Copies the upload to the temporary file, hashing it; more than the upload limit is refused as it arrives. */
    private String copy(InputStream in, Path file) {
        MessageDigest digest = sha256();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > limits.maxUploadBytes()) {
                    throw new PackageRefused("Filen är större än " + PackageLimits.readable(limits.maxUploadBytes())
                            + ", den största zip-fil som tas emot. Inget sparades.");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Uppladdningen kunde inte sparas i paketlagret", e);
        }
        if (total == 0) {
            throw new PackageRefused("Filen är tom. Välj SCORM-paketets zip-fil.");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A checked zip: its manifest, and its files by the path they get in the store. */
    private record Inspected(PackageManifest manifest, Charset names, Map<String, String> files) {
    }

    private Inspected inspect(Path upload) {
        try {
            Charset names = StandardCharsets.UTF_8;
            ZipFile zip;
            try {
                zip = new ZipFile(upload.toFile(), names);
            } catch (ZipException e) {
                // Names written by old tools in the DOS code page, without the zip's UTF-8 flag.
                names = Charset.forName("IBM437");
                try {
                    zip = new ZipFile(upload.toFile(), names);
                } catch (ZipException again) {
                    throw notZip();
                }
            }
            try (ZipFile open = zip) {
                ZipLinks.Directory directory = ZipLinks.read(upload, names, MAX_DIRECTORY_BYTES);
                if (!directory.found()) {
                    throw notZip();
                }
                if (directory.entries() > 2L * limits.maxFiles() + 1000) {
                    throw tooManyFiles();
                }
                if (directory.firstLink().isPresent()) {
                    throw new PackageRefused("Zip-filen innehåller en länk («" + ManifestReader.shorten(directory.firstLink().get())
                            + "»), inte en fil. Länkar tas inte emot, eftersom de kan peka ut ur paketet. Packa paketet "
                            + "med vanliga filer. Inget sparades.");
                }
                return entries(open, names);
            }
        } catch (IOException e) {
            throw notZip();
        }
    }

    private Inspected entries(ZipFile zip, Charset names) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        Set<String> folders = new HashSet<>();
        String manifestEntry = null;
        String nestedManifest = null;
        boolean aicc = false;
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry entry = all.nextElement();
            String raw = entry.getName();
            String path = checkedPath(raw);
            if (entry.isDirectory() || raw.endsWith("/") || path.isEmpty()) {
                continue;
            }
            if (files.size() >= limits.maxFiles()) {
                throw tooManyFiles();
            }
            if (files.containsKey(path) || folders.contains(path)) {
                throw new PackageRefused("Zip-filen har filen «" + ManifestReader.shorten(path) + "» mer än en gång. Inget sparades.");
            }
            files.put(path, raw);
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                folders.add(path.substring(0, slash));
            }
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.equals(MANIFEST)) {
                manifestEntry = raw;
            } else if (lower.endsWith("/" + MANIFEST) && (nestedManifest == null || path.length() < nestedManifest.length())) {
                nestedManifest = path;
            }
            int dot = lower.lastIndexOf('.');
            if (dot > lower.lastIndexOf('/') && AICC_FILES.contains(lower.substring(dot + 1))) {
                aicc = true;
            }
        }
        for (String path : files.keySet()) {
            if (folders.contains(path)) {
                throw new PackageRefused("Zip-filen har «" + ManifestReader.shorten(path) + "» både som fil och som mapp. "
                        + "Inget sparades.");
            }
        }
        if (manifestEntry == null) {
            if (nestedManifest != null) {
                throw new PackageRefused("imsmanifest.xml ligger i mappen «" + nestedManifest.substring(0,
                        nestedManifest.length() - MANIFEST.length()) + "», men ska ligga överst i zip-filen. Packa om "
                        + "innehållet i den mappen (inte mappen själv) och ladda upp igen. Inget sparades.");
            }
            if (aicc) {
                throw new PackageRefused("Det här är ett AICC-paket (kursfiler som .crs och .au) utan imsmanifest.xml. "
                        + "Kompetensmål spelar SCORM 1.2 och SCORM 2004; exportera kursen som SCORM från verktyget som gjorde "
                        + "den. Inget sparades.");
            }
            throw new PackageRefused("Zip-filen har ingen imsmanifest.xml överst, så det är inget SCORM-paket. Exportera "
                    + "kursen som SCORM 1.2 eller SCORM 2004 och ladda upp den zip-filen. Inget sparades.");
        }
        byte[] manifest;
        try (InputStream in = zip.getInputStream(zip.getEntry(manifestEntry))) {
            manifest = ManifestReader.readBounded(in, MAX_MANIFEST_BYTES);
        } catch (ZipException e) {
            throw notZip();
        }
        return new Inspected(ManifestReader.read(manifest, files.keySet()), names, files);
    }

    /** The entry's path in the store, "/"-separated; names that could leave the package's folder are refused. */
    private static String checkedPath(String raw) {
        String name = raw.replace('\\', '/');
        if (name.indexOf('\0') >= 0 || name.chars().anyMatch(c -> c < 0x20)) {
            throw new PackageRefused("Zip-filen har ett filnamn med otillåtna tecken («" + ManifestReader.shorten(
                    name.replaceAll("[\\x00-\\x1f]", "?")) + "»). Inget sparades.");
        }
        if (ABSOLUTE.matcher(name).matches()) {
            throw new PackageRefused("Zip-filen har en fil med absolut sökväg («" + ManifestReader.shorten(name) + "»). "
                    + "Alla filer i ett paket ska ligga relativt paketets rot. Inget sparades.");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new PackageRefused("Zip-filen har en fil vars sökväg innehåller «..» («" + ManifestReader.shorten(name)
                        + "»), som skulle hamna utanför paketet. Inget sparades.");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
    }

    /** Unpacks every file into the folder, counting the bytes written: past the limit the package is refused. */
    private long unpack(Path upload, Inspected inspected, Path folder) {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipFile zip = new ZipFile(upload.toFile(), inspected.names())) {
            for (Map.Entry<String, String> file : inspected.files().entrySet()) {
                Path target = folder.resolve(file.getKey()).normalize();
                if (!target.startsWith(folder)) {
                    throw new PackageRefused("Zip-filen har en fil som skulle hamna utanför paketet («"
                            + ManifestReader.shorten(file.getKey()) + "»). Inget sparades.");
                }
                Files.createDirectories(target.getParent());
                ZipEntry entry = zip.getEntry(file.getValue());
                try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        total += n;
                        if (total > limits.maxUnpackedBytes()) {
                            throw new PackageRefused("Paketet blir större än " + PackageLimits.readable(limits.maxUnpackedBytes())
                                    + " uppackat, mer än vad som tas emot. Inget sparades.");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (ZipException e) {
            throw new PackageRefused("Zip-filen är skadad och kan inte packas upp (" + e.getMessage() + "). Inget sparades.");
        } catch (java.nio.file.InvalidPathException e) {
            throw new PackageRefused("Zip-filen har ett filnamn som inte kan sparas («" + ManifestReader.shorten(e.getInput())
                    + "»). Inget sparades.");
        } catch (IOException e) {
            throw new UncheckedIOException("Paketet kunde inte packas upp i paketlagret", e);
        }
        return total;
    }

    private static PackageRefused notZip() {
        return new PackageRefused("Filen är ingen zip-fil (eller så är den skadad). Ett SCORM-paket är en zip-fil med "
                + "imsmanifest.xml överst. Inget sparades.");
    }

    private PackageRefused tooManyFiles() {
        return new PackageRefused("Paketet har fler än " + limits.maxFiles() + " filer, fler än vad som tas emot. Inget sparades.");
    }

    // ---------------------------------------------------------------------------------------------------- particulars

    /** What can be checked of the particulars without the manifest: their form, and the codes the owner may name. */
    private void checkParticulars(PackageMetadata meta, @Nullable Long owner) {
        if (meta.title() != null && meta.title().length() > ModuleRules.MAX_TITLE) {
            throw new PackageRefused("Titeln får vara högst " + ModuleRules.MAX_TITLE + " tecken.");
        }
        if (meta.summary() != null && meta.summary().length() > ModuleRules.MAX_SUMMARY) {
            throw new PackageRefused("Beskrivningen får vara högst " + ModuleRules.MAX_SUMMARY + " tecken.");
        }
        if (meta.code() != null && !ModuleRules.MODULE_CODE.matcher(meta.code()).matches()) {
            throw new PackageRefused("Koden får bara innehålla små bokstäver a–z, siffror och bindestreck, börja med en "
                    + "bokstav eller siffra och vara högst 80 tecken.");
        }
        if (meta.estimatedMinutes() != null && (meta.estimatedMinutes() < 1 || meta.estimatedMinutes() > 240)) {
            throw new PackageRefused("Ange en beräknad tid i hela minuter, mellan 1 och 240.");
        }
        ModuleRules.Known known = authoring.knownAt(owner == null ? 0 : owner);
        for (String audience : meta.audiences()) {
            if (!known.audiences().contains(audience)) {
                throw new PackageRefused("Målgruppen «" + audience + "» kan inte väljas för en modul som ägs här.");
            }
        }
        for (String goal : meta.goals()) {
            if (!known.goals().contains(goal)) {
                throw new PackageRefused("Kompetensmålet «" + goal + "» kan inte väljas för en modul som ägs här.");
            }
        }
    }

    /** The module the package becomes: the expected one, the owner's module with the same identifier, or a new one. */
    private record Target(String code, boolean newModule) {
    }

    private Target target(PackageManifest manifest, PackageMetadata meta, @Nullable String expectedModuleCode,
                          @Nullable Long owner, boolean lock) {
        String forUpdate = lock ? " FOR UPDATE" : "";
        record Module(String code, String source, @Nullable Long owner, @Nullable String identifier, boolean withdrawn) {
        }
        if (expectedModuleCode != null) {
            Module module = sql.one("""
                    SELECT code, source, owner_org_id, package_identifier, withdrawn_at IS NOT NULL AS withdrawn
                    FROM catalogue_module WHERE code = :code""" + forUpdate, NamedSql.with("code", expectedModuleCode),
                    row -> new Module(row.string("code"), row.string("source"), row.nullableNumber("owner_org_id"),
                            row.string("package_identifier"), row.flag("withdrawn")))
                    .filter(m -> SOURCE.equals(m.source()))
                    .orElseThrow(() -> new PackageRefused("Modulen «" + expectedModuleCode + "» är ingen paketmodul, så "
                            + "den kan inte få en ny version från ett paket."));
            if (module.withdrawn()) {
                throw new PackageRefused("Modulen är tillbakadragen och kan inte få nya versioner. Ladda upp paketet som en "
                        + "ny modul om det ska användas på nytt.");
            }
            if (!Objects.equals(module.owner(), owner)) {
                throw new PackageRefused("Modulen ägs av en annan del av organisationen än den som angavs.");
            }
            if (!manifest.identifier().equals(module.identifier())) {
                throw new PackageRefused("Paketets manifest har identifieraren «" + ManifestReader.shorten(manifest.identifier())
                        + "», men modulen kommer från paketet «" + ManifestReader.shorten(String.valueOf(module.identifier()))
                        + "». En ny version ska vara samma paket (samma identifierare). Ladda upp ett annat paket som en ny "
                        + "modul i stället. Inget sparades.");
            }
            return new Target(module.code(), false);
        }
        Optional<String> same = sql.one("""
                SELECT code FROM catalogue_module
                WHERE source = 'PACKAGE' AND package_identifier = :identifier AND owner_org_id <=> :owner
                  AND withdrawn_at IS NULL
                ORDER BY created_at DESC, code LIMIT 1""" + forUpdate,
                NamedSql.with("identifier", manifest.identifier()).and("owner", owner), row -> row.string("code"));
        if (same.isPresent()) {
            return new Target(same.get(), false);
        }
        if (meta.code() != null) {
            if (taken(meta.code())) {
                throw new PackageRefused("Koden «" + meta.code() + "» används redan av en annan modul. Välj en annan kod.");
            }
            return new Target(meta.code(), true);
        }
        return new Target(freeCode(manifest), true);
    }

    private boolean taken(String code) {
        return RESERVED.contains(code)
                || sql.number("SELECT COUNT(*) FROM catalogue_module WHERE code = :code", NamedSql.with("code", code)) > 0;
    }

    /** A code made from the manifest identifier (or title), with -2, -3, ... when it is taken. */
    private String freeCode(PackageManifest manifest) {
        String base = slug(manifest.identifier());
        if (base.length() < 3) {
            base = slug(manifest.title());
        }
        if (base.length() < 3) {
            base = "paket-" + base;
        }
        base = base.length() > 70 ? base.substring(0, 70).replaceAll("-+$", "") : base;
        String code = base;
        for (int n = 2; taken(code); n++) {
            code = base + "-" + n;
        }
        return code;
    }

    static String slug(String text) {
        String plain = java.text.Normalizer.normalize(text == null ? "" : text, java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        return plain.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    // --------------------------------------------------------------------------------------------------------- record

    private Published record(Inspected inspected, String sha256, long bytes, PackageMetadata meta,
                             @Nullable String expectedModuleCode, @Nullable Long owner, long accountId) {
        PackageManifest manifest = inspected.manifest();
        // 0: no account (a package loaded by code, as tests do), recorded as nobody's upload.
        Long by = accountId > 0 ? accountId : null;
        Target target = target(manifest, meta, expectedModuleCode, owner, true);
        CourseContent.Module previous = target.newModule() ? null
                : catalogue.version(target.code(), null).map(CatalogueStore.Stored::module).orElse(null);
        String title = meta.title() != null ? meta.title()
                : previous != null ? previous.title() : shortTitle(manifest.title());
        String summary = meta.summary() != null ? meta.summary() : previous != null ? previous.summary() : "";
        Integer minutes = meta.estimatedMinutes() != null ? meta.estimatedMinutes()
                : previous != null ? Integer.valueOf(previous.estimatedMinutes()) : null;
        List<String> audiences = !meta.audiences().isEmpty() ? meta.audiences()
                : previous != null ? previous.audiences() : List.of();
        List<String> goals = !meta.goals().isEmpty() ? meta.goals() : previous != null ? previous.goals() : List.of();
        if (minutes == null) {
            throw new PackageRefused("Ange en beräknad tid i hela minuter, mellan 1 och 240.");
        }
        if (audiences.isEmpty()) {
            throw new PackageRefused("Välj minst en målgrupp för modulen.");
        }
        if (goals.isEmpty()) {
            throw new PackageRefused("Välj minst ett kompetensmål som modulen täcker.");
        }
        CourseContent.Module module = new CourseContent.Module(target.code(), title, summary, minutes, audiences, goals, 0,
                List.of(), List.of(), null, List.of());
        if (target.newModule()) {
            // Written here rather than left to storeVersion's INSERT IGNORE: an upload that took the same code a moment
            // ago (two uploads of one package at once) must not make this package a version of that module.
            try {
                sql.update("""
                        INSERT INTO catalogue_module (code, source, owner_org_id, created_by, package_identifier)
                        VALUES (:code, 'PACKAGE', :owner, :by, :identifier)""",
                        NamedSql.with("code", target.code()).and("owner", owner).and("by", by)
                                .and("identifier", manifest.identifier()));
            } catch (RuntimeException e) {
                throw new PackageRefused("Koden «" + target.code() + "» togs av en annan modul medan paketet laddades upp. "
                        + "Ladda upp det igen.");
            }
        }
        int before = target.newModule() ? 0 : latestVersion(target.code());
        int version = catalogue.storeVersion(module, List.of(), SOURCE, owner, by, sha256);
        if (version == before) {
            throw new PackageRefused("Samma paket med samma uppgifter är redan version " + version + " av modulen, så "
                    + "ingen ny version skapades.");
        }
        sql.update("UPDATE catalogue_module SET package_identifier = :identifier WHERE code = :code",
                NamedSql.with("identifier", manifest.identifier()).and("code", target.code()));
        long versionId = sql.number("SELECT id FROM module_version WHERE module_code = :code AND version = :version",
                NamedSql.with("code", target.code()).and("version", version));
        sql.update("""
                INSERT INTO package_version (module_version_id, scorm_version, manifest_identifier, storage_key, file_count,
                                             total_bytes, uploaded_by)
                VALUES (:version, :scorm, :identifier, :key, :files, :bytes, :by)""",
                NamedSql.with("version", versionId).and("scorm", manifest.version().stored())
                        .and("identifier", manifest.identifier()).and("key", sha256)
                        .and("files", inspected.files().size()).and("bytes", bytes).and("by", by));
        Map<Integer, Long> ids = new HashMap<>();
        int position = 1;
        for (int i = 0; i < manifest.items().size(); i++) {
            PackageManifest.Item item = manifest.items().get(i);
            sql.update("""
                    INSERT INTO package_item (module_version_id, position, parent_id, depth, item_identifier, title, kind,
                                              launch_href, data_from_lms, mastery_score, scaled_passing_score,
                                              completion_threshold, max_time_allowed, time_limit_action, objective_ids)
                    VALUES (:version, :position, :parent, :depth, :identifier, :title, :kind, :launch, :data, :mastery,
                            :passing, :threshold, :maxTime, :action, :objectives)""",
                    NamedSql.with("version", versionId).and("position", position++)
                            .and("parent", item.parent() < 0 ? null : ids.get(item.parent())).and("depth", item.depth())
                            .and("identifier", item.identifier()).and("title", item.title()).and("kind", item.kind().name())
                            .and("launch", item.launchHref()).and("data", item.dataFromLms())
                            .and("mastery", item.masteryScore()).and("passing", item.scaledPassingScore())
                            .and("threshold", item.completionThreshold()).and("maxTime", item.maxTimeAllowed())
                            .and("action", item.timeLimitAction())
                            .and("objectives", item.objectiveIds().isEmpty() ? null : jsonOf(item.objectiveIds())));
            ids.put(i, sql.number("SELECT LAST_INSERT_ID()", Map.of()));
        }
        return new Published(target.code(), version, versionId, target.newModule());
    }

    private int latestVersion(String code) {
        return sql.one("SELECT MAX(version) AS v FROM module_version WHERE module_code = :code", NamedSql.with("code", code),
                row -> row.nullableInt("v")).map(v -> v == null ? 0 : v).orElse(0);
    }

    private static String shortTitle(String title) {
        String t = title.strip();
        return t.length() <= ModuleRules.MAX_TITLE ? t : t.substring(0, ModuleRules.MAX_TITLE - 1) + "…";
    }

    private String jsonOf(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
