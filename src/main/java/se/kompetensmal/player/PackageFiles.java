package se.kompetensmal.player;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The files of the package an attempt plays, from the package store, never outside the package's folder. */
@Singleton
public class PackageFiles {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=utf-8"), Map.entry("htm", "text/html;charset=utf-8"),
            Map.entry("js", "text/javascript;charset=utf-8"), Map.entry("mjs", "text/javascript;charset=utf-8"),
            Map.entry("css", "text/css;charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml"), Map.entry("xsd", "application/xml"), Map.entry("txt", "text/plain;charset=utf-8"),
            Map.entry("vtt", "text/vtt"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"),
            Map.entry("webp", "image/webp"), Map.entry("ico", "image/x-icon"), Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"),
            Map.entry("wav", "audio/wav"), Map.entry("ogg", "audio/ogg"), Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"), Map.entry("otf", "font/otf"),
            Map.entry("eot", "application/vnd.ms-fontobject"), Map.entry("pdf", "application/pdf"),
            Map.entry("swf", "application/x-shockwave-flash"));

    private final NamedSql sql;
    private final Path store;

    public PackageFiles(NamedSql sql, @Value("${kompetensmal.packages.dir:data/packages}") String dir) {
        this.sql = sql;
        this.store = Path.of(dir).toAbsolutePath().normalize();
    }

    /** The file at the path inside the attempt's package, if it is there (a regular file, inside the package's folder). */
    public Optional<Path> file(long attemptId, String relPath) {
        Optional<String> key = sql.one("""
                SELECT v.storage_key FROM scorm_attempt a JOIN package_version v ON v.module_version_id = a.module_version_id
                WHERE a.id = :attempt""", NamedSql.with("attempt", attemptId), row -> row.string("storage_key"));
        if (key.isEmpty() || relPath.isEmpty() || relPath.indexOf('\0') >= 0 || relPath.contains("\\")) {
            return Optional.empty();
        }
        try {
            Path folder = store.resolve(key.get()).normalize();
            Path file = folder.resolve(relPath).normalize();
            return file.startsWith(folder) && !file.equals(folder) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    ? Optional.of(file) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The content type by the file name's extension; unknown ones are plain bytes (never sniffed: nosniff). */
    public String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "application/octet-stream"
                : TYPES.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }
}
