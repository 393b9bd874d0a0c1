package se.kompetensmal.packages;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package store: a folder every instance reaches (a shared volume in production), configured as
 * {@code kompetensmal.packages.dir}. Each package's files are in {@code {dir}/{storage_key}/{path inside the package}},
 * where the storage key is the sha256 of the uploaded zip: written once, by unpacking into a temporary folder in the
 * store's own {@code .tmp} folder and renaming it into place atomically, and never changed afterwards. The same zip
 * uploaded twice is stored once. The temporary folder is on the same volume so that the rename is atomic and an
 * instance that stops half-way leaves nothing a reader could take for a package.
 */
@Singleton
public class PackageStore {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
    private static final String TEMP = ".tmp";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("xhtml", "application/xhtml+xml"),
            Map.entry("js", "text/javascript"), Map.entry("mjs", "text/javascript"), Map.entry("css", "text/css"),
            Map.entry("json", "application/json"), Map.entry("xml", "application/xml"), Map.entry("xsd", "application/xml"),
            Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("vtt", "text/vtt"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"), Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"), Map.entry("bmp", "image/bmp"), Map.entry("avif", "image/avif"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("wav", "audio/wav"),
            Map.entry("oga", "audio/ogg"), Map.entry("ogg", "audio/ogg"), Map.entry("mp4", "video/mp4"),
            Map.entry("m4v", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("ogv", "video/ogg"),
            Map.entry("pdf", "application/pdf"), Map.entry("swf", "application/x-shockwave-flash"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"), Map.entry("eot", "application/vnd.ms-fontobject"),
            Map.entry("wasm", "application/wasm"), Map.entry("zip", "application/zip"));

    private final Path root;

    public PackageStore(@Value("${kompetensmal.packages.dir:data/packages}") String dir) {
        this.root = Path.of(dir).toAbsolutePath().normalize();
    }

    /** The store's folder. */
    public Path root() {
        return root;
    }

    /** The folder of a stored package (which may not exist: the key is only checked for its form). */
    public Path folder(String storageKey) {
        if (storageKey == null || !KEY.matcher(storageKey).matches()) {
            throw new IllegalArgumentException("Ogiltig lagringsnyckel för ett paket");
        }
        return root.resolve(storageKey);
    }

    /** Whether a package with this key is in the store. */
    public boolean contains(String storageKey) {
        return Files.isDirectory(folder(storageKey), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * A file of a stored package by its path inside the package ("/" separated, already URL-decoded): empty when it is
     * not a regular file there, and for any path that would leave the package's folder ({@code ..}, absolute paths,
     * backslashes, NUL) or pass through a link.
     */
    public Optional<Path> file(String storageKey, String relPath) {
        if (relPath == null || relPath.isEmpty() || relPath.indexOf('\0') >= 0 || relPath.indexOf('\\') >= 0
                || relPath.startsWith("/") || java.util.Arrays.asList(relPath.split("/")).contains("..")) {
            return Optional.empty();
        }
        Path folder = folder(storageKey);
        Path file;
        try {
            file = folder.resolve(relPath).normalize();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!file.startsWith(folder) || file.equals(folder)) {
            return Optional.empty();
        }
        // Nothing in the store is a link (links are refused at upload), but a link put there by hand is not followed.
        for (Path p = file; p != null && !p.equals(folder); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                return Optional.empty();
            }
        }
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Optional.of(file) : Optional.empty();
    }

    /** The content type a package file is served with, by its extension; unknown ones are application/octet-stream. */
    public String contentType(String fileName) {
        String name = fileName == null ? "" : fileName;
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        if (dot <= slash) {
            return "application/octet-stream";
        }
        return TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    // ------------------------------------------------------------------------------------------------ writing (intake)

    /** A new, empty temporary file in the store's temporary folder (on the store's volume). */
    Path newTempFile(String suffix) {
        try {
            Files.createDirectories(root.resolve(TEMP));
            return Files.createTempFile(root.resolve(TEMP), "upload-", suffix);
        } catch (IOException e) {
            throw new UncheckedIOException("Paketlagret " + root + " går inte att skriva i", e);
        }
    }

    /** A new, empty temporary folder in the store's temporary folder. */
    Path newTempFolder() {
        try {
            Files.createDirectories(root.resolve(TEMP));
            return Files.createDirectory(root.resolve(TEMP).resolve("unpack-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException("Paketlagret " + root + " går inte att skriva i", e);
        }
    }

    /**
     * Moves an unpacked temporary folder into place as the package with this key, atomically. Returns true when it was
     * put there now; false when the package was stored already (the same zip, by another upload), and the temporary
     * folder is removed.
     */
    boolean install(Path unpacked, String storageKey) {
        Path target = folder(storageKey);
        if (contains(storageKey)) {
            delete(unpacked);
            return false;
        }
        try {
            Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            delete(unpacked);
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("Paketlagret " + root + " kan inte flytta mappar atomiskt", e);
        } catch (IOException e) {
            if (contains(storageKey)) {
                delete(unpacked);
                return false;
            }
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Clears what uploads left in the temporary folder when an instance stopped half-way: anything older than a day (an
     * upload in progress on another instance is younger).
     */
    @io.micronaut.scheduling.annotation.Scheduled(fixedDelay = "1h", initialDelay = "5m")
    void clearAbandoned() {
        Path tmp = root.resolve(TEMP);
        if (!Files.isDirectory(tmp)) {
            return;
        }
        java.time.Instant dayAgo = java.time.Instant.now().minus(java.time.Duration.ofDays(1));
        try (Stream<Path> entries = Files.list(tmp)) {
            entries.filter(p -> {
                try {
                    return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(dayAgo);
                } catch (IOException e) {
                    return false;
                }
            }).forEach(PackageStore::delete);
        } catch (IOException e) {
            // tried again in an hour
        }
    }

    /** Removes a package's folder (only for one installed by an upload that was then not recorded). */
    void remove(String storageKey) {
        delete(folder(storageKey));
    }

    /** Deletes a file or a folder with everything in it; quietly, since it is cleaning up. */
    static void delete(Path path) {
        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next clean-up; it is in the temporary folder or unreferenced
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // as above
        }
    }
}
