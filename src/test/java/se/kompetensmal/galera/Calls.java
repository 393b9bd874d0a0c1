package se.kompetensmal.galera;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * HTTP to the instances as a client behind a load balancer sees it: a request that fails (no answer, or a 5xx) is sent
 * once more, as a client or balancer retries; a request whose retry fails too is recorded, and the test asserts there is
 * none to an instance that is alive.
 */
final class Calls {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** One request that failed even when sent again: to which instance, what, and how. */
    record Failure(String instance, String request, String how) {
    }

    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    final List<Failure> failedBeyondRetry = new CopyOnWriteArrayList<>();
    final List<String> firstFailures = new CopyOnWriteArrayList<>();
    /** Instances stopped or killed on purpose: failures of requests to them are expected and not counted. */
    final java.util.Set<String> down = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicInteger toDownInstances = new AtomicInteger();

    /** A form sign-in; the JWT of the session cookie, which API clients also send as a bearer token. */
    String signIn(AppInstance instance, String username, String password) {
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> response = send(instance, HttpRequest.newBuilder(URI.create(instance.url() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JWT="))
                .map(c -> c.substring(4, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie from " + instance.name + ": " + response.statusCode()));
    }

    /**
     * While tokens of one instance are refused by the others (issue 21), the scenario would stop at its first request to
     * another instance; with a sticky user set, a bearer request answered 401 is sent again with a token that instance
     * issued itself (signing in there once), as a client behind a balancer with sticky sessions would. Counted, and the
     * token checks themselves never use it.
     */
    private volatile String stickyUser;
    private volatile String stickyPassword;
    private final Map<String, String> ownTokens = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger ownTokenRetries = new AtomicInteger();

    void sticky(String user, String password) {
        stickyUser = user;
        stickyPassword = password;
    }

    HttpResponse<String> get(AppInstance instance, String path, String token) {
        return withOwnToken(instance, token, t -> HttpRequest.newBuilder(URI.create(instance.url() + path))
                .header("Authorization", "Bearer " + t).GET());
    }

    /** A GET with exactly this token, never another. */
    HttpResponse<String> getStrict(AppInstance instance, String path, String token) {
        return send(instance, HttpRequest.newBuilder(URI.create(instance.url() + path)).header("Authorization", "Bearer " + token).GET());
    }

    private HttpResponse<String> withOwnToken(AppInstance instance, String token,
                                              java.util.function.Function<String, HttpRequest.Builder> request) {
        HttpResponse<String> response = send(instance, request.apply(token));
        if (response.statusCode() == 401 && stickyUser != null) {
            ownTokenRetries.incrementAndGet();
            String own = ownTokens.get(instance.name);
            response = own == null ? null : send(instance, request.apply(own));
            if (response == null || response.statusCode() == 401) {
                own = signIn(instance, stickyUser, stickyPassword);
                ownTokens.put(instance.name, own);
                response = send(instance, request.apply(own));
            }
        }
        return response;
    }

    /** A page with the session cookie, as a browser asks for it. */
    HttpResponse<String> page(AppInstance instance, String path, String cookie) {
        return send(instance, HttpRequest.newBuilder(URI.create(instance.url() + path)).header("Cookie", "JWT=" + cookie).GET());
    }

    HttpResponse<String> post(AppInstance instance, String path, String token, String contentType, byte[] body) {
        return withOwnToken(instance, token, t -> HttpRequest.newBuilder(URI.create(instance.url() + path))
                .header("Authorization", "Bearer " + t).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<String> postJson(AppInstance instance, String path, String token, String json) {
        return post(instance, path, token, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> putJson(AppInstance instance, String path, String token, String json) {
        return withOwnToken(instance, token, t -> HttpRequest.newBuilder(URI.create(instance.url() + path))
                .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The request, once more if it failed; a second failure is recorded and returned (or thrown, with no answer). */
    HttpResponse<String> send(AppInstance instance, HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
        requests.incrementAndGet();
        String what = request.method() + " " + request.uri().getPath();
        String first;
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 500) {
                return response;
            }
            first = response.statusCode() + " " + abbreviated(response.body());
        } catch (IOException e) {
            first = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (down.contains(instance.name)) {
            toDownInstances.incrementAndGet();
            throw new java.io.UncheckedIOException(new IOException(instance.name + " is down on purpose: " + first));
        }
        retried.incrementAndGet();
        firstFailures.add(instance.name + " " + what + ": " + first);
        AppInstance.sleep(1000);
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500 && !down.contains(instance.name)) {
                failedBeyondRetry.add(new Failure(instance.name, what, response.statusCode() + " " + abbreviated(response.body())));
            }
            return response;
        } catch (IOException e) {
            if (!down.contains(instance.name)) {
                failedBeyondRetry.add(new Failure(instance.name, what, e.toString()));
            }
            throw new java.io.UncheckedIOException(instance.name + " " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonElement json(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + abbreviated(response.body()));
        }
        return JsonParser.parseString(response.body());
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static String abbreviated(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
