package se.kompetensmal.hrfiles;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.roster.ImportSizeLimit;
import se.kompetensmal.roster.RosterImportKind;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Uploaded files kept between the upload and the confirmation on the preview page, in the database a piece at a time,
 * so that every instance reaches them and none is held whole in memory. Bounded like the import itself
 * ({@code kompetensmal.import.max-bytes}); removed once imported or dropped, and after a day at the latest.
 */
@Singleton
@Connectable
public class HrUploads {

    private static final Logger LOG = LoggerFactory.getLogger(HrUploads.class);
    static final int CHUNK = 1 << 20;

    private final NamedSql sql;
    private final long maxBytes;

    public HrUploads(NamedSql sql, @Value("${kompetensmal.import.max-bytes:200MB}") @ReadableBytes long maxBytes) {
        this.sql = sql;
        this.maxBytes = maxBytes;
    }

    /** An upload waiting for its confirmation. */
    public record Upload(long id, RosterImportKind kind, boolean fullImport, Long scopeOrgId, String fileName, long byteCount,
                         FileEncoding detected, String uploadedBy) {
    }

    /**
     * Reads the upload into the database as it arrives, and its encoding from its bytes on the way. A file over the limit
     * is refused with 413 and whatever part of it was stored is removed, as is the part of an upload that broke off.
     */
    public Upload store(RosterImportKind kind, boolean fullImport, Long scopeOrgId, String fileName, InputStream content,
                        String uploadedBy) {
        long id = sql.insert("""
                INSERT INTO hr_upload (kind, full_import, scope_org_id, file_name, byte_count, detected, uploaded_by)
                VALUES (:kind, :full, :scope, :name, 0, :detected, :by)""", NamedSql.with("kind", kind.name())
                .and("full", fullImport).and("scope", scopeOrgId).and("name", fileName).and("detected", FileEncoding.UTF8.name())
                .and("by", uploadedBy));
        try {
            FileEncoding.Detector detector = new FileEncoding.Detector();
            byte[] buffer = new byte[CHUNK];
            long total = 0;
            int seq = 0;
            while (true) {
                int filled = content.readNBytes(buffer, 0, CHUNK);
                if (filled == 0) {
                    break;
                }
                total += filled;
                if (total > maxBytes) {
                    throw ImportSizeLimit.tooLarge(maxBytes);
                }
                detector.update(buffer, 0, filled);
                sql.update("INSERT INTO hr_upload_chunk (upload_id, seq, data) VALUES (:id, :seq, :data)",
                        NamedSql.with("id", id).and("seq", seq++).and("data", Arrays.copyOf(buffer, filled)));
                if (filled < CHUNK) {
                    break;
                }
            }
            sql.update("UPDATE hr_upload SET byte_count = :bytes, detected = :detected WHERE id = :id",
                    NamedSql.with("bytes", total).and("detected", detector.result().name()).and("id", id));
            return find(id).orElseThrow();
        } catch (IOException e) {
            delete(id);
            if (ImportSizeLimit.isSizeLimit(e)) {
                throw ImportSizeLimit.tooLarge(maxBytes);
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            delete(id);
            if (ImportSizeLimit.isSizeLimit(e)) {
                throw ImportSizeLimit.tooLarge(maxBytes);
            }
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

    /** The upload bytes, fetched a piece at a time as they are read. */
    public InputStream open(long id) {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int position;
            private int seq;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                while (position == current.length) {
                    if (ended) {
                        return -1;
                    }
                    Optional<byte[]> next = sql.one("SELECT data FROM hr_upload_chunk WHERE upload_id = :id AND seq = :seq",
                            NamedSql.with("id", id).and("seq", seq), row -> row.bytes("data"));
                    seq++;
                    if (next.isEmpty()) {
                        ended = true;
                        return -1;
                    }
                    current = next.get();
                    position = 0;
                }
                int n = Math.min(length, current.length - position);
                System.arraycopy(current, position, into, offset, n);
                position += n;
                return n;
            }
        };
    }

    public void delete(long id) {
        sql.update("DELETE FROM hr_upload_chunk WHERE upload_id = :id", NamedSql.with("id", id));
        sql.update("DELETE FROM hr_upload WHERE id = :id", NamedSql.with("id", id));
    }

    /** Uploads nobody confirmed or dropped within a day are dropped. */
    @Scheduled(fixedDelay = "1h", initialDelay = "5m")
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
