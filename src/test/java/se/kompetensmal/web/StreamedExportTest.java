package se.kompetensmal.web;

import io.micronaut.http.MediaType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the browser receives of a streamed export: the whole file when the writer finishes, and an error (a cut-off
 * transfer) rather than a quietly shorter file when the writer fails part-way.
 */
class StreamedExportTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final StreamedExport exports = new StreamedExport(threads);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aListLongerThanThePipeArrivesWholeAndInOrder() throws IOException {
        int rows = 20_000; // about 400 KB: six times the pipe, so the writer waits for the reader many times
        try (InputStream in = exports.csv("test", List.of("Namn", "Nummer"),
                each -> {
                    for (int i = 1; i <= rows; i++) {
                        each.accept(List.of("Person " + i, i));
                    }
                }).getInputStream()) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals(rows + 1, lines.size());
            assertEquals("\uFEFFNamn;Nummer", lines.get(0));
            assertEquals("\"Person 1\";1", lines.get(1));
            assertEquals("\"Person 20000\";20000", lines.get(rows));
        }
    }

    @Test
    void aWriterFailingPartWayCutsTheDownloadOffInsteadOfEndingIt() throws IOException {
        try (InputStream in = exports.of(MediaType.TEXT_PLAIN_TYPE, "test", out -> {
            out.write("the first rows\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            throw new IllegalStateException("the database went away");
        }).getInputStream()) {
            byte[] first = in.readNBytes(15);
            assertEquals("the first rows\n", new String(first, StandardCharsets.UTF_8));
            IOException cut = assertThrows(IOException.class, in::readAllBytes);
            assertTrue(cut.getMessage().contains("failed part-way"), cut.getMessage());
        }
    }

    @Test
    void aBrowserThatStopsReadingEndsTheWriter() throws Exception {
        java.util.concurrent.CompletableFuture<Integer> written = new java.util.concurrent.CompletableFuture<>();
        InputStream in = exports.of(MediaType.TEXT_PLAIN_TYPE, "test", out -> {
            int rows = 0;
            try {
                for (; rows < 1_000_000; rows++) {
                    out.write(new byte[100]);
                }
            } finally {
                written.complete(rows);
            }
        }).getInputStream();
        in.readNBytes(1_000);
        in.close();
        int rows = written.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(rows < 1_000_000, "stopped after " + rows + " rows of a million");
    }
}
