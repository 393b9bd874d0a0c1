package se.kompetensmal.hrfiles;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.data.connection.annotation.Connectable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.files.StoredFiles;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.roster.ImportSizeLimit;
import se.kompetensmal.roster.RosterImportKind;
import se.kompetensmal.sql.NamedSql;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * Uploaded files kept between the upload and the confirmation on the preview page, in the database a piece at a time
 * ({@link StoredFiles}), so that every instance reaches them and none is held whole in memory. Bounded like the import itself
 * ({@code kompetensmal.import.max-bytes}); removed once imported or dropped, and after a day at the latest.
 */
@Singleton
@Connectable
public class HrUploads implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(HrUploads.class);

    private final NamedSql sql;
    private final StoredFiles files;
    private final long maxBytes;

    public HrUploads(NamedSql sql, StoredFiles files, @Value("${kompetensmal.import.max-bytes:200MB}") @ReadableBytes long maxBytes) {
        this.sql = sql;
        this.files = files;
        this.maxBytes = maxBytes;
    }

    /** An upload waiting for its confirmation. */
    public record Upload(long id, RosterImportKind kind, boolean fullImport, Long scopeOrgId, String fileName, long byteCount,
                         FileEncoding detected, String uploadedBy) {
    }

    /**
     * Reads the upload into the database as it arrives ({@link StoredFiles}), and its encoding from its bytes on the way.
     * A file over the limit is refused with 413 and whatever part of it was stored is removed, as is the part of an
     * upload that broke off.
     */
    public Upload store(RosterImportKind kind, boolean fullImport, Long scopeOrgId, String fileName, InputStream content,
                        String uploadedBy) {
        FileEncoding.Detector detector = new FileEncoding.Detector();
        StoredFiles.StoredFile file;
        try {
            file = files.store("hr-upload", content, maxBytes, (bytes, length) -> detector.update(bytes, 0, length));
        } catch (StoredFiles.TooLarge e) {
            throw ImportSizeLimit.tooLarge(maxBytes);
        } catch (RuntimeException | Error e) {
            if (ImportSizeLimit.isSizeLimit(e)) {
                throw ImportSizeLimit.tooLarge(maxBytes);
            }
            throw e;
        }
        try {
            long id = sql.insert("""
                    INSERT INTO hr_upload (kind, full_import, scope_org_id, file_name, byte_count, detected, uploaded_by, file_id)
                    VALUES (:kind, :full, :scope, :name, :bytes, :detected, :by, :file)""", NamedSql.with("kind", kind.name())
                    .and("full", fullImport).and("scope", scopeOrgId).and("name", fileName).and("bytes", file.byteCount())
                    .and("detected", detector.result().name()).and("by", uploadedBy).and("file", file.id()));
            return find(id).orElseThrow();
        } catch (RuntimeException | Error e) {
            files.delete(file.id());
            throw e;
        }
    }

    public Optional<Upload> find(long id) {
        return sql.one("""
                SELECT id, kind, full_import, scope_org_id, file_name, byte_count, detected, uploaded_by
                FROM hr_upload WHERE id = :id""", NamedSql.with("id", id), row -> new Upload(row.number("id"),
                RosterImportKind.valueOf(row.string("kind")), row.flag("full_import"), row.nullableNumber("scope_org_id"),
                row.string("file_name"), row.number("byte_count"), FileEncoding.valueOf(row.string("detected")),
                row.string("uploaded_by")));
    }

    /** The upload bytes, fetched a piece at a time as they are read; nothing for an upload that is gone. */
    public InputStream open(long id) {
        Long file = fileOf(id);
        return file == null ? InputStream.nullInputStream() : files.open(file);
    }

    public void delete(long id) {
        Long file = fileOf(id);
        sql.update("DELETE FROM hr_upload WHERE id = :id", NamedSql.with("id", id));
        if (file != null) {
            files.delete(file);
        }
    }

    private Long fileOf(long id) {
        return sql.one("SELECT file_id FROM hr_upload WHERE id = :id", NamedSql.with("id", id),
                row -> row.nullableNumber("file_id")).orElse(null);
    }

    @Override
    public String kind() {
        return "upload-cleanup";
    }

    @Override
    public String title() {
        return "Rensning av bortglömda uppladdningar";
    }

    @Override
    public Duration interval() {
        return Duration.ofHours(1);
    }

    @Override
    public Duration firstRunAfter() {
        return Duration.ofMinutes(5);
    }

    /**
     * The background job kind {@code upload-cleanup}, one instance at a time: uploads nobody confirmed or dropped within a
     * day are dropped, and so are files whose upload broke off.
     */
    @Override
    public void run() {
        removeForgotten();
        int brokenOff = files.deleteBrokenOff();
        if (brokenOff > 0) {
            LOG.info("{} stored file(s) whose upload broke off were removed", brokenOff);
        }
    }

    void removeForgotten() {
        for (Long id : sql.list("SELECT id FROM hr_upload WHERE created_at < NOW() - INTERVAL 1 DAY",
                new NamedSql.Params(), row -> row.number("id"))) {
            try {
                delete(id);
            } catch (RuntimeException e) {
                LOG.warn("Forgotten upload {} could not be removed", id, e);
            }
        }
    }


}
