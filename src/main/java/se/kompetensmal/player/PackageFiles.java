package se.kompetensmal.player;

import jakarta.inject.Singleton;
import se.kompetensmal.packages.PackageStore;
import se.kompetensmal.sql.NamedSql;

import java.nio.file.Path;
import java.util.Optional;

/** The files of the package an attempt plays, from the package store (which keeps every path inside the package). */
@Singleton
public class PackageFiles {

    private final NamedSql sql;
    private final PackageStore store;

    public PackageFiles(NamedSql sql, PackageStore store) {
        this.sql = sql;
        this.store = store;
    }

    /** The file at the path inside the attempt's package, if it is there. */
    public Optional<Path> file(long attemptId, String relPath) {
        return sql.one("""
                SELECT v.storage_key FROM scorm_attempt a JOIN package_version v ON v.module_version_id = a.module_version_id
                WHERE a.id = :attempt""", NamedSql.with("attempt", attemptId), row -> row.string("storage_key"))
                .flatMap(key -> store.file(key, relPath));
    }

    /** The content type by the file name's extension (served with nosniff, so never guessed from the content). */
    public String contentType(String fileName) {
        return store.contentType(fileName);
    }
}
