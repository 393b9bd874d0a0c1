package se.kompetensmal.galera;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One instance of the production application in a JVM of its own: {@code java -jar} of the packaged jar (no test class,
 * test bean or {@code application-test.yml} can be in it), configured only through environment variables as in
 * production.
 */
final class AppInstance implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    final String name;
    final int port;
    private final Map<String, String> environment;
    private final Path log;
    private volatile Process process;
    private int starts;

    AppInstance(String name, Map<String, String> environment, Path logFolder) {
        this.name = name;
        this.port = GaleraCluster.freePort();
        this.environment = new HashMap<>(environment);
        this.environment.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        this.environment.put("KOMPETENSMAL_INSTANCE_NAME", name);
        this.log = logFolder.resolve(name + ".log");
    }

    void environment(String name, String value) {
        environment.put(name, value);
    }

    /**
     * The runnable jar that {@code package} built (the shaded production artifact, as the Dockerfile runs it), named by
     * failsafe's system property {@code kompetensmal.jar}; this test runs in {@code verify}, after {@code package}.
     */
    static Path productionJar() {
        String jar = System.getProperty("kompetensmal.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no production jar (system property kompetensmal.jar: " + jar + "); run the "
                    + "cluster test in the integration-test phase, e.g. ./mvnw -B verify");
        }
        return Path.of(jar).toAbsolutePath();
    }

    String url() {
        return "http://localhost:" + port;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Starts the JVM (with the arguments given to main, e.g. {@code migrate}) and returns at once. */
    void launch(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", classArchive(),
                "-jar", productionJar().toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            Files.writeString(log, "==== start " + (++starts) + " " + Instant.now() + " " + String.join(" ", arguments) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The JVM's class-data sharing for the jar's classes: the first JVM of the run (the refused start) writes the archive
     * of the classes it loaded when it ends, and every later start maps it instead of loading and verifying them again,
     * a few seconds of each start on two busy cores. A missing or unusable archive only costs that time (-Xshare:auto).
     */
    private String classArchive() {
        Path archive = log.getParent().resolve("kompetensmal-classes.jsa");
        if (Files.exists(archive)) {
            return "-XX:SharedArchiveFile=" + archive;
        }
        return ARCHIVE_WRITER.compareAndSet(false, true) ? "-XX:ArchiveClassesAtExit=" + archive : "-Xshare:auto";
    }

    private static final java.util.concurrent.atomic.AtomicBoolean ARCHIVE_WRITER = new java.util.concurrent.atomic.AtomicBoolean();

    /** Starts the instance and waits until it answers /health with 200. */
    void start(Duration limit) {
        Instant started = Instant.now();
        launch();
        awaitHealthy(limit);
        Timings.log("app: " + name + " started and healthy", started);
    }

    void awaitHealthy(Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!running()) {
                throw new AssertionError(name + " ended (exit " + process.exitValue() + ") while starting:\n" + tail(60));
            }
            try {
                HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new AssertionError(name + " not healthy within " + limit + ":\n" + tail(60));
    }

    /** Runs the application to its end (for a command such as {@code migrate}); its exit code. */
    int runToEnd(Duration limit, String... arguments) {
        launch(arguments);
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError(name + " " + String.join(" ", arguments) + " did not end within " + limit);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a JVM that should stop by itself (a refused start); its exit code, or an AssertionError while it runs. */
    int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still runs after " + limit + ":\n" + tail(30));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code kill -9}: no shutdown hook, no ending of leases; whatever it was doing is left half-done. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An orderly stop (SIGTERM), as a rolling deploy does; killed after 30 s. */
    void stop() {
        if (running()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        kill();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
