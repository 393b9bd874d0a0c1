package se.kompetensmal.files;

import io.micronaut.data.connection.annotation.Connectable;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one home of a stored file: uploads kept in the database ({@code stored_file}, {@code stored_file_chunk}) so that
 * every instance reaches them. The bytes go in a piece at a time, each piece in a transaction of its own (called outside
 * any transaction: every statement commits by itself), so that neither the heap nor a write set (Galera replicates each
 * commit whole, within {@code wsrep_max_ws_size}) grows with the file; they are read back a piece at a time too.
 */
@Singleton
@Connectable
public class StoredFiles {

    /** The size of a piece: one row, one small commit, well below the server max_allowed_packet (16 MB by default). */
    public static final int CHUNK = 1 << 20;

    private final NamedSql sql;

    public StoredFiles(NamedSql sql) {
        this.sql = sql;
    }

    /** More bytes than the caller allows: whatever part of the file was stored has been removed. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(long maxBytes) {
            super("More than " + maxBytes + " bytes");
        }
    }

    /** Sees each piece of the file as it is stored (the HR uploads read the file encoding on the way). */
    @FunctionalInterface
    public interface PieceObserver {
        void piece(byte[] bytes, int length);
    }

    /** A stored file: its id and length. */
    public record StoredFile(long id, long byteCount) {
    }

    public StoredFile store(String purpose, InputStream content, long maxBytes) {
        return store(purpose, content, maxBytes, (bytes, length) -> { });
    }

    /**
     * Reads the content into the database as it arrives, and marks the file complete once all of it is in. A file over
     * {@code maxBytes} is refused ({@link TooLarge}) and the part of it that was stored removed, as is the part of an
     * upload that broke off.
     */
    public StoredFile store(String purpose, InputStream content, long maxBytes, PieceObserver observer) {
        long id = sql.insert("INSERT INTO stored_file (purpose, byte_count, complete) VALUES (:purpose, 0, FALSE)",
                NamedSql.with("purpose", purpose));
        try {
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
                    throw new TooLarge(maxBytes);
                }
                observer.piece(buffer, filled);
                sql.update("INSERT INTO stored_file_chunk (file_id, seq, data) VALUES (:id, :seq, :data)",
                        NamedSql.with("id", id).and("seq", seq++).and("data", Arrays.copyOf(buffer, filled)));
                if (filled < CHUNK) {
                    break;
                }
            }
            sql.update("UPDATE stored_file SET byte_count = :bytes, complete = TRUE WHERE id = :id",
                    NamedSql.with("bytes", total).and("id", id));
            return new StoredFile(id, total);
        } catch (IOException e) {
            delete(id);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            delete(id);
            throw e;
        }
    }

    /** Whether the file is there, whole. */
    public boolean exists(long id) {
        return sql.number("SELECT COUNT(*) FROM stored_file WHERE id = :id AND complete", NamedSql.with("id", id)) > 0;
    }

    public Optional<StoredFile> find(long id) {
        return sql.one("SELECT id, byte_count FROM stored_file WHERE id = :id AND complete", NamedSql.with("id", id),
                row -> new StoredFile(row.number("id"), row.number("byte_count")));
    }

    /** The bytes, fetched a piece at a time as they are read (one small query per megabyte). */
    public InputStream open(long id) {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int position;
            private int seq;
            private boolean ended;

            @Override
            public int read() {
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
                    Optional<byte[]> next = sql.one("SELECT data FROM stored_file_chunk WHERE file_id = :id AND seq = :seq",
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

    /**
     * A working copy of the file on this instance disk, for a reader that goes through it more than once (the roster
     * importers read a file twice): the stored file stays the one that counts; the caller deletes the copy when done.
     */
    public Path copyToTemporaryFile(long id, String prefix) {
        try {
            Path copy = Files.createTempFile(prefix, ".csv");
            try (InputStream in = open(id); OutputStream out = Files.newOutputStream(copy)) {
                in.transferTo(out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(copy);
                throw e;
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the file a piece at a time, each piece its own small commit, then the file itself. */
    public void delete(long id) {
        NamedSql.Params params = NamedSql.with("id", id);
        while (sql.update("DELETE FROM stored_file_chunk WHERE file_id = :id ORDER BY seq LIMIT 8", params) > 0) {
            // 8 MB of pieces at a time
        }
        sql.update("DELETE FROM stored_file WHERE id = :id", params);
    }

    /**
     * Deletes files whose upload broke off (never marked complete) more than a day ago, as when the instance receiving
     * it died: nothing can read them, and a live upload of 200 MB takes minutes, not a day. Answers how many.
     */
    public int deleteBrokenOff() {
        List<Long> ids = sql.list("SELECT id FROM stored_file WHERE NOT complete AND created_at < NOW() - INTERVAL 1 DAY",
                new NamedSql.Params(), row -> row.number("id"));
        ids.forEach(this::delete);
        return ids.size();
    }
}
