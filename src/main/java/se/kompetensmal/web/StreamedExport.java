package se.kompetensmal.web;

import io.micronaut.http.MediaType;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import se.kompetensmal.sql.NamedSql;

import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * An export written to the browser as it is read from the database, never held whole: a region's follow-up list is
 * tens of thousands of people. The writer runs on a thread of its own and writes into a pipe the server sends from, in
 * chunks (no Content-Length); when the browser stops reading, the writer's next write fails and its query ends.
 * Micronaut's {@code Writable} would not do: the server collects what it writes before sending any of it.
 *
 * <p>A writer that fails part-way makes the download fail, not end: the browser reports an interrupted download rather
 * than keeping a file that silently lacks its last rows.
 */
@Singleton
public class StreamedExport {

    private static final Logger LOG = LoggerFactory.getLogger(StreamedExport.class);
    /** Exports written at once: each holds a database connection (of the pool's 20) while it writes; more wait their turn. */
    static final int AT_ONCE = 4;
    /** The pipe between the writer and the server: the rows ahead of what the browser has taken. */
    private static final int PIPE = 64 * 1024;

    private final ExecutorService writers;
    private final Semaphore turns = new Semaphore(AT_ONCE, true);

    StreamedExport(@Named(TaskExecutors.BLOCKING) ExecutorService writers) {
        this.writers = writers;
    }

    /** Writes the body to what the browser receives. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** An export's rows, handed on one by one as they are read. */
    @FunctionalInterface
    public interface Rows {
        void each(NamedSql.Each<List<Object>> row) throws IOException;
    }

    /** The rows as CSV ({@link CsvText}: what Excel opens right), under the header. */
    public StreamedFile csv(String what, List<String> header, Rows rows) throws IOException {
        return of(MediaType.of("text/csv; charset=utf-8"), what, out -> {
            Writer csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), PIPE);
            csv.write(CsvText.header(header.toArray(String[]::new)));
            rows.each(row -> csv.write(CsvText.row(row)));
            csv.flush();
        });
    }

    /** The rows as a one-sheet workbook ({@link Spreadsheet.Streamed}), columns as wide as given (characters). */
    public StreamedFile xlsx(String what, String sheetName, List<String> header, List<Integer> widths, Rows rows)
            throws IOException {
        return of(MediaType.of(Spreadsheet.CONTENT_TYPE), what, out -> {
            Spreadsheet.Streamed sheet = new Spreadsheet.Streamed(out, sheetName, header, widths);
            rows.each(sheet::row);
            sheet.finish();
        });
    }

    /** The response body for {@code type}, written by {@code body} on a thread of its own. */
    public StreamedFile of(MediaType type, String what, Body body) throws IOException {
        PipedInputStream read = new PipedInputStream(PIPE);
        PipedOutputStream written = new PipedOutputStream(read);
        Outcome outcome = new Outcome();
        writers.execute(() -> {
            boolean turn = false;
            try {
                turns.acquire();
                turn = true;
                body.writeTo(written);
            } catch (IOException e) {
                // The browser went away (the pipe closed on the server's side): nothing to send to anyone.
                LOG.debug("Export {} not finished: {}", what, e.getMessage());
                outcome.failed = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome.failed = true;
            } catch (RuntimeException | Error e) {
                LOG.error("Export {} failed part-way", what, e);
                outcome.failed = true;
            } finally {
                // After the outcome: the reader looks at it once it reaches the end.
                if (turn) {
                    turns.release();
                }
                closeQuietly(written);
            }
        });
        return new StreamedFile(new FailingAtTheEnd(read, outcome), type);
    }

    private static final class Outcome {
        volatile boolean failed;
    }

    /** The pipe's end, but for a writer that failed: then an error instead of the end, so the transfer is cut off. */
    private static final class FailingAtTheEnd extends FilterInputStream {
        private final Outcome outcome;

        FailingAtTheEnd(InputStream in, Outcome outcome) {
            super(in);
            this.outcome = outcome;
        }

        @Override
        public int read() throws IOException {
            return ended(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return ended(super.read(b, off, len));
        }

        private int ended(int result) throws IOException {
            if (result < 0 && outcome.failed) {
                throw new IOException("the export failed part-way");
            }
            return result;
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("Closing a failed export's pipe: {}", e.getMessage());
        }
    }
}
