package se.kompetensmal.roster;

import se.kompetensmal.Waiting;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.HeapWatch;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestDatabase;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A million completions from the previous system in one file, on the small heap the tests run with (512 MB, see
 * pom.xml). The file is generated straight to disk and sent from there, so the test never holds it either; the heap is
 * watched while it is imported. Held whole, the file's rows would be hundreds of megabytes of objects (a parsed row is
 * a map of six strings): the live heap after collections would grow with the file, and a 512 MB heap could not even
 * finish. A streaming import keeps it at the service's own size.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeHistoryImportTest extends ServiceTest {

    private static final int ROWS = 1_000_000;
    private static final int PEOPLE = 10_000;
    private static final long MB = 1024 * 1024;

    /**
     * A database of its own on the test server: in the shared one, the million completions and ten thousand people left
     * behind made every later class's statistics slow (LinkWalkIT's statistics pages took seconds each after it, in the
     * same JVM). Made afresh for each run (dropped first when a kept server still has it).
     */
    private static final String DATABASE = "km_large_history";

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return TestDatabase.Server.freshDatabase(DATABASE);
    }

    @Test
    void aMillionRowsImportWithProgressSeenAndTheHeapNotGrowingWithTheFile() throws Exception {
        RosterApi api = new RosterApi(http.toBlocking(), users.admin());
        long n = System.nanoTime() % 10_000_000_000L;
        String org = "HIST" + n;
        String hsa = "SE" + String.format("%010d", n) + "-";
        RosterImportView units = api.organisations("kod;namn;typ;överordnad\n" + org + ";Historiekommunen;kommun;\n"
                + org + "-E;Enheten;enhet;" + org + "\n");
        assertEquals(RosterImportStatus.SUCCEEDED, units.rosterImport().status(), units.toString());
        long orgId = sql.number("SELECT id FROM org_node WHERE code = ?", org);
        ByteArrayOutputStream roster = new ByteArrayOutputStream();
        roster.writeBytes("hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation\n".getBytes(StandardCharsets.UTF_8));
        for (int p = 0; p < PEOPLE; p++) {
            roster.writeBytes((hsa + p + ";Förnamn;Efternamn;;" + org + "-E;LICENSED;2010-01-01\n").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(RosterImportStatus.SUCCEEDED, api.people(roster.toByteArray(), orgId, false).rosterImport().status());
        sql.awaitRecomputations();
        List<String> modules = sql.strings("SELECT code FROM catalogue_module WHERE owner_org_id IS NULL ORDER BY code LIMIT 10");

        // A hundred completions per person, ten modules, days spread over eleven years, an external id per row.
        Path file = Files.createTempFile("historik-", ".csv");
        long generated = System.nanoTime();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("hsa_id;modulkod;genomförd;resultat;källa;externt_id\n");
            LocalDate first = LocalDate.parse("2010-01-01");
            for (int i = 0; i < ROWS; i++) {
                out.write(hsa + (i % PEOPLE) + ";" + modules.get((i / PEOPLE) % modules.size()) + ";" + first.plusDays(i % 4000)
                        + ";" + (i % 101) + ";Gamla systemet;H" + i + "\n");
            }
        }
        double generatedSeconds = (System.nanoTime() - generated) / 1e9;
        long bytes = Files.size(file);

        HeapWatch heap = new HeapWatch();
        heap.start();
        long started = System.nanoTime();
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + server.getPort() + "/api/imports/history?fileName=historik.csv&organisation=" + orgId))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "text/csv").header("Authorization", "Bearer " + users.admin())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        AtomicBoolean readingSeen = new AtomicBoolean();
        AtomicBoolean writingSeen = new AtomicBoolean();
        RosterImportView result = api.await(accepted.headers().firstValue("Location").orElseThrow(), view -> {
            RosterImport state = view.rosterImport();
            boolean partway = state.processedRows() > 0 && state.processedRows() < state.totalRows();
            if (partway && state.totalRows() == ROWS && state.status() == RosterImportStatus.VALIDATING) {
                readingSeen.set(true);
            }
            if (partway && state.totalRows() == ROWS && state.status() == RosterImportStatus.WRITING) {
                writingSeen.set(true);
            }
            // A generous limit: the machine the tests run on may be shared (the time taken is printed below).
        }, Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;
        heap.stop();
        Files.delete(file);

        assertEquals(RosterImportStatus.SUCCEEDED, result.rosterImport().status(), result.toString());
        assertEquals(List.of(ROWS, ROWS, ROWS, 0), List.of(result.rosterImport().totalRows(), result.rosterImport().processedRows(),
                result.rosterImport().createdCount(), result.rosterImport().updatedCount()));
        assertEquals(ROWS, sql.number("SELECT COUNT(*) FROM completion WHERE import_id = ?", result.rosterImport().id()));
        Waiting.until(() -> sql.number("SELECT COUNT(*) FROM history_import_row WHERE import_id = ?", result.rosterImport().id()),
                staged -> staged == 0, Duration.ofMinutes(2), "the staged rows deleted after the import is done");
        assertTrue(readingSeen.get(), "progress is visible while the rows are read and checked");
        assertTrue(writingSeen.get(), "progress is visible while the completions are written");
        System.out.printf("History import of %d rows (%d MB): %.1f s (file generated in %.1f s); live heap %d MB before, "
                        + "peak %d MB; peak used heap %d MB%n", ROWS, bytes / MB, seconds, generatedSeconds,
                heap.baselineBytes() / MB, heap.peakLiveBytes() / MB, heap.peakUsedBytes() / MB);
        assertTrue(Runtime.getRuntime().maxMemory() <= 768L * MB, "the test must run on a small heap to prove anything");
        // Held rows would stay live after a collection: a million of them take well over 300 MB, so the live heap
        // would climb with the file past the bound below (or the import would fail with OutOfMemoryError on the 512 MB
        // heap, caught above as a failed import). Streamed and in chunks, the peak live heap (HeapWatch collects the
        // heap whole every second) was 71 MB in one run and 194 to 214 MB in others, counting what the JVM held before;
        // the rise above that start is asserted. The heap in use between collections is printed, not asserted: it says
        // when the collector ran, not what the import holds (459-498 MB in CI runs).
        assertTrue(heap.peakGrowthBytes() < 200L * MB, "the live heap after full collections rose by " + heap.peakGrowthBytes() / MB
                + " MB during the import of a " + bytes / MB + " MB file");
    }
}
