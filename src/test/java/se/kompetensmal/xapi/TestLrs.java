package se.kompetensmal.xapi;

import org.junit.jupiter.api.Assumptions;
import se.kompetensmal.HttpCalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * A real Learning Record Store on loopback for the tests: Learning Locker's statement service (npm package
 * xapi-statements) run by Node with its in-memory stores. It validates statements strictly, as an LRS in production
 * would. .ci/run installs it into .lrs/; elsewhere, without it, the xAPI tests are skipped unless
 * KOMPETENSMAL_LRS_TESTS=required. It can be stopped and started again on the same port, as an outage; being in memory,
 * it then starts empty.
 */
public final class TestLrs implements AutoCloseable {

    static final Path SERVICE = Path.of(System.getProperty("kompetensmal.lrs", ".lrs/node_modules/xapi-statements/dist/index.js"));
    public static final String USER = "kompetensmal";
    public static final String PASSWORD = "lrs-test";

    private final int port;
    private Process process;

    private TestLrs(int port) {
        this.port = port;
    }

    public static TestLrs start() {
        if (!Files.isRegularFile(SERVICE)) {
            String why = "no LRS at " + SERVICE.toAbsolutePath() + " (npm install --prefix .lrs xapi-statements@5.0.1)";
            if ("required".equals(System.getenv("KOMPETENSMAL_LRS_TESTS"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        TestLrs lrs = new TestLrs(freePort());
        lrs.up();
        return lrs;
    }

    /** The statements API, as the service is configured with it. */
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/xAPI/";
    }

    void up() {
        try {
            // Run in target/, where the service leaves its access logs.
            ProcessBuilder builder = new ProcessBuilder("node", SERVICE.toAbsolutePath().toString())
                    .directory(Path.of("target").toFile())
                    .redirectErrorStream(true).redirectOutput(Path.of("target", "lrs-" + port + ".log").toFile());
            builder.environment().put("AUTH_REPO", "test");
            builder.environment().put("EVENTS_REPO", "test");
            builder.environment().put("MODELS_REPO", "memory");
            builder.environment().put("STORAGE_REPO", "memory");
            builder.environment().put("EXPRESS_PORT", String.valueOf(port));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant limit = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(limit)) {
            try {
                if (get("statements?limit=1").statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // starting
            }
            pause();
        }
        throw new IllegalStateException("the LRS did not start; see target/lrs-" + port + ".log");
    }

    /** An outage: the LRS process is gone, and its port refuses connections. */
    void down() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public HttpResponse<String> get(String query) {
        return HttpCalls.send(request(query).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts statements straight to the LRS, as an external e-learning would. */
    HttpResponse<String> post(String statements) {
        return HttpCalls.send(request("statements").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(statements)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(endpoint() + path)).header("X-Experience-API-Version", "1.0.3")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        down();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
