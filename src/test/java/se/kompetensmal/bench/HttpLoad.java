package se.kompetensmal.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import se.kompetensmal.TestSql;
import se.kompetensmal.security.Account;
import se.kompetensmal.security.AccountRepository;
import se.kompetensmal.security.PasswordHasher;
import se.kompetensmal.security.Role;
import se.kompetensmal.security.RoleGrant;
import se.kompetensmal.security.RoleGrantRepository;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pages under load from wrk, a second process on loopback (Debian's package): the product's HTTP server, signed-in
 * sessions, 64 connections. Each request carries the session cookie of the next of many learners, so that the database
 * answers for many people, not one cached page.
 */
final class HttpLoad {

    static final int CONNECTIONS = 64;
    private static final String PASSWORD = "Bench-lösenord-2026";
    private static final Pattern RESULT = Pattern.compile("RESULT (\\S+) (\\S+) (\\S+) (\\S+) (\\d+) (\\d+)");

    /** What wrk measured: latencies in ms, requests per second, and the requests that failed (status ≥ 400 or socket). */
    record Measured(double medianMs, double p95Ms, double p99Ms, double perSecond, long requests, long errors) {
    }

    private final ApplicationContext context;
    private final String base;
    /** HTTP/1.1, as wrk speaks it. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path scripts;
    /** One hash for all the benchmark's accounts: hashing is slow by design, and it is not what is measured. */
    private final String passwordHash;

    HttpLoad(ApplicationContext context, Path scripts) {
        this.context = context;
        // localhost, the main origin of the default public URL: 127.0.0.1 is then the package origin (player/PackageOrigin),
        // which answers 404 to every page (the benchmark signed in there and got 404 until it used this name).
        this.base = "http://localhost:" + context.getBean(EmbeddedServer.class).start().getPort();
        this.scripts = scripts;
        this.passwordHash = context.getBean(PasswordHasher.class).hash(PASSWORD);
    }

    /** Session cookies of learners (people of the node with open assignments), each signed in through the login form. */
    List<String> learners(long nodeId, int count) throws Exception {
        List<Long> people = context.getBean(TestSql.class).strings("""
                SELECT DISTINCT p.id FROM org_closure c JOIN person p ON p.org_node_id = c.descendant_id
                JOIN assignment a ON a.person_id = p.id AND a.withdrawn_at IS NULL
                WHERE c.ancestor_id = ? AND p.status = 'ACTIVE' ORDER BY p.id LIMIT ?""", nodeId, count)
                .stream().map(Long::valueOf).toList();
        List<String> cookies = new ArrayList<>();
        for (long person : people) {
            cookies.add(signIn(account("bench-learner-" + person, person, null, null)));
        }
        return cookies;
    }

    /** The session cookie of a coordinator of the node. */
    String coordinator(long nodeId) throws Exception {
        return signIn(account("bench-coordinator-" + nodeId, null, Role.COORDINATOR, nodeId));
    }

    /** The page must answer 200 with the text for every session, or the load would measure error pages. */
    void check(String path, List<String> cookies, String expected) throws Exception {
        for (String cookie : cookies) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200 || !page.body().contains(expected)) {
                throw new IllegalStateException(path + " answered " + page.statusCode() + " without '" + expected + "'");
            }
        }
    }

    /** wrk with two threads (one a core) and 64 connections for the duration, after a warm-up of a third of it. */
    Measured run(String name, String path, List<String> cookies, int seconds) throws Exception {
        Path script = scripts.resolve(name + ".lua");
        Files.createDirectories(scripts);
        StringBuilder lua = new StringBuilder("local cookies = {\n");
        for (String cookie : cookies) {
            lua.append("  \"").append(cookie).append("\",\n");
        }
        lua.append("""
                }
                local n = 0
                request = function()
                  n = n + 1
                  return wrk.format("GET", "%s", { ["Cookie"] = cookies[n %% #cookies + 1] })
                end
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("RESULT %%f %%f %%f %%f %%d %%d\\n", latency:percentile(50) / 1000,
                    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
                    summary.requests / (summary.duration / 1e6), summary.requests,
                    e.status + e.connect + e.read + e.write + e.timeout))
                end
                """.formatted(path));
        Files.writeString(script, lua);
        wrk(script, Math.max(2, seconds / 3));
        Matcher result = RESULT.matcher(wrk(script, seconds));
        if (!result.find()) {
            throw new IllegalStateException("wrk printed no result");
        }
        return new Measured(Double.parseDouble(result.group(1)), Double.parseDouble(result.group(2)),
                Double.parseDouble(result.group(3)), Double.parseDouble(result.group(4)), Long.parseLong(result.group(5)),
                Long.parseLong(result.group(6)));
    }

    private String wrk(Path script, int seconds) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + CONNECTIONS, "-d" + seconds + "s", "--timeout", "10s",
                "-s", script.toString(), base).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        return output;
    }

    private String account(String username, Long personId, Role role, Long nodeId) {
        AccountRepository accounts = context.getBean(AccountRepository.class);
        Account account = accounts.findByUsername(username).orElseGet(() -> accounts.save(new Account(null, username, username,
                passwordHash, personId, 0, null)));
        if (role != null) {
            context.getBean(RoleGrantRepository.class).save(new RoleGrant(null, account.id(), role, nodeId, "benchmark", null));
        }
        return username;
    }

    private String signIn(String username) throws Exception {
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JWT="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no session for " + username + ": " + response.statusCode() + " "
                        + response.body()));
    }
}
