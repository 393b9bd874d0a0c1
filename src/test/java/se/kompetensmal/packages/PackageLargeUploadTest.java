package se.kompetensmal.packages;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.HeapWatch;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 500 MB package uploads through the page while the heap stays far below its size. The zip is made while it is sent
 * (STORED entries of a repeated random megabyte, written into the request as it goes), so neither the test nor the
 * service ever has it in memory or on disk before the service writes it; surefire runs with -Xmx512m, so a service
 * holding the upload in memory could not even finish. The live heap after each collection is watched throughout.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageLargeUploadTest extends ServiceTest {

    private static final int MB = 1024 * 1024;
    private static final int ENTRIES = 10;
    private static final int ENTRY_MB = 50;

    @Inject
    EmbeddedServer server;

    @Inject
    PackageStore store;

    private String p;
    private long region;
    private String coordinator;

    @BeforeAll
    void organisation() {
        p = "PLU" + System.nanoTime();
        region = tree.add(p, "Region Storland", OrgNodeKind.REGION, null).id();
        coordinator = users.token(users.account(p + "-region", null, Role.COORDINATOR, region));
    }

    @Test
    void aFiveHundredMegabytePackageUploadsThroughThePageWithoutTheHeapGrowingWithIt() throws Exception {
        String form = http.toBlocking().retrieve(HttpRequest.GET("/egna-moduler/paket/ny").accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", coordinator)));
        String identifier = "se.example." + p.toLowerCase() + ".stor";
        String code = p.toLowerCase() + "-stor";
        String boundary = "----paket" + UUID.randomUUID();
        String fields = field(boundary, "csrfToken", TestUsers.csrfTokenOf(form)) + field(boundary, "owner", String.valueOf(region))
                + field(boundary, "code", code) + field(boundary, "audiences", TestPackages.AUDIENCE)
                + field(boundary, "goals", TestPackages.GOAL) + field(boundary, "estimatedMinutes", "45")
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"stor.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n";
        String end = "\r\n--" + boundary + "--\r\n";

        byte[] block = new byte[MB];
        new Random(500).nextBytes(block);
        CRC32 crc = new CRC32();
        for (int i = 0; i < ENTRY_MB; i++) {
            crc.update(block);
        }
        long entryCrc = crc.getValue();
        String manifest = TestPackages.manifest12(identifier, "Stort paket", TestPackages.Sco.of("sco-1", "Film", "index.html"));

        PipedInputStream zipIn = new PipedInputStream(MB);
        PipedOutputStream zipOut = new PipedOutputStream(zipIn);
        AtomicLong zipBytes = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (ZipOutputStream zip = new ZipOutputStream(new CountingOutputStream(zipOut, zipBytes))) {
                zip.setMethod(ZipOutputStream.STORED);
                stored(zip, "imsmanifest.xml", manifest.getBytes(StandardCharsets.UTF_8));
                stored(zip, "index.html", TestPackages.page("Film").getBytes(StandardCharsets.UTF_8));
                for (int e = 0; e < ENTRIES; e++) {
                    ZipEntry entry = new ZipEntry("media/film-" + e + ".bin");
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize((long) ENTRY_MB * MB);
                    entry.setCompressedSize((long) ENTRY_MB * MB);
                    entry.setCrc(entryCrc);
                    zip.putNextEntry(entry);
                    for (int i = 0; i < ENTRY_MB; i++) {
                        zip.write(block);
                    }
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "zip-writer");

        HeapWatch heap = new HeapWatch();
        heap.start();
        writer.start();
        InputStream body = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(fields.getBytes(StandardCharsets.UTF_8)), zipIn,
                new ByteArrayInputStream(end.getBytes(StandardCharsets.UTF_8)))));
        long started = System.nanoTime();
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + "/egna-moduler/paket"))
                        .timeout(Duration.ofMinutes(5))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("Cookie", "JWT=" + coordinator).header("Accept", "text/html")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                HttpResponse.BodyHandlers.ofString());
        writer.join();
        heap.stop();
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        assertEquals(303, response.statusCode(), response.body());
        assertEquals("/egna-moduler/paket/" + code + "?uppladdad=1", response.headers().firstValue("Location").orElse(""));
        assertTrue(zipBytes.get() > 500L * MB, "the zip sent was " + zipBytes.get() + " bytes");
        long unpacked = sql.number("""
                SELECT pv.total_bytes FROM package_version pv JOIN module_version v ON v.id = pv.module_version_id
                WHERE v.module_code = ?""", code);
        assertTrue(unpacked >= (long) ENTRIES * ENTRY_MB * MB, "stored " + unpacked + " bytes");
        // Live data after collections rose far less than the package's size (a 512 MB heap could not hold it anyway).
        // The rise, not the peak: the peak counts what the test JVM held before (130 MB after thirty classes). The heap
        // in use between collections is printed, not asserted: it says when the collector ran.
        System.out.println("500 MB upload: " + seconds + " s, live heap " + heap.baselineBytes() / MB + " MB before, peak "
                + heap.peakLiveBytes() / MB + " MB, peak used heap " + heap.peakUsedBytes() / MB + " MB");
        assertTrue(heap.peakGrowthBytes() < 100L * MB, "the live heap after collections rose by " + heap.peakGrowthBytes() / MB
                + " MB during a " + zipBytes.get() / MB + " MB upload (" + seconds + " s)");

        String key = sql.strings("""
                SELECT pv.storage_key FROM package_version pv JOIN module_version v ON v.id = pv.module_version_id
                WHERE v.module_code = ?""", code).get(0);
        assertTrue(store.file(key, "media/film-9.bin").isPresent());
        // Half a gigabyte is not left behind in the test store.
        PackageStore.delete(store.folder(key));
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String field(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        private final AtomicLong count;

        CountingOutputStream(OutputStream out, AtomicLong count) {
            this.out = out;
            this.count = count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count.addAndGet(len);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
