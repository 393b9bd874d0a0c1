package se.kompetensmal.xapi;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands between the service and the LRS and counts, per statement id, how often a statement was delivered (posted
 * and accepted). The LRS itself stores a resent statement once, so only a count on the way there shows a double send.
 */
public final class CountingProxy implements AutoCloseable {

    private static final List<String> FORWARDED = List.of("Authorization", "X-Experience-API-Version", "Content-Type");

    private final HttpServer server;
    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();

    public CountingProxy(String target) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("GET".equals(exchange.getRequestMethod())) {
                reads.add(String.valueOf(exchange.getRequestURI().getQuery()));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.replaceFirst("/xAPI/$", "")
                    + exchange.getRequestURI())).method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            FORWARDED.forEach(h -> {
                String value = exchange.getRequestHeaders().getFirst(h);
                if (value != null) {
                    request.header(h, value);
                }
            });
            try {
                HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                if ("POST".equals(exchange.getRequestMethod()) && response.statusCode() / 100 == 2) {
                    count(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                }
                exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
                exchange.getResponseBody().write(response.body());
            } catch (IOException | InterruptedException e) {
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/xAPI/";
    }

    public int deliveries(String statementId) {
        AtomicInteger count = delivered.get(statementId);
        return count == null ? 0 : count.get();
    }

    /** Every statement delivered so far, with how often. */
    public Map<String, Integer> deliveries() {
        Map<String, Integer> copy = new java.util.HashMap<>();
        delivered.forEach((id, count) -> copy.put(id, count.get()));
        return copy;
    }

    /** The query of every statement read (GET) the service made through the proxy, decoded, oldest first. */
    List<String> reads() {
        return List.copyOf(reads);
    }

    void forgetReads() {
        reads.clear();
    }

    private void count(String body) {
        JsonElement json = JsonParser.parseString(body);
        for (JsonElement statement : json.isJsonArray() ? json.getAsJsonArray().asList() : List.of(json)) {
            delivered.computeIfAbsent(statement.getAsJsonObject().get("id").getAsString(), id -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
