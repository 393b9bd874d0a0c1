package se.kompetensmal.browser;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The accessibility scan every browser test relies on finds what it should, in the page and in its frames (the SCORM
 * player shows its package in a frame): an image without a text alternative in each. Without this a scan that checked
 * nothing, or skipped the frames, would pass every page.
 */
class BrowserScanTest {

    static final Map<String, String> PAGES = Map.of(
            "/sida", """
                    <!doctype html><html lang="sv"><head><title>Prov</title></head><body><main><h1>Prov</h1>
                    <img src="bild.png"><iframe title="Ram" src="/ram"></iframe></main></body></html>""",
            "/ram", """
                    <!doctype html><html lang="sv"><head><title>Ram</title></head><body><main><p>Ram</p>
                    <img src="ram.png"></main></body></html>""");

    @Test
    void theScanReportsAViolationInThePageAndInAFrame() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = PAGES.getOrDefault(exchange.getRequestURI().getPath(), "").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (Browser browser = new Browser()) {
            browser.open("http://127.0.0.1:" + server.getAddress().getPort() + "/sida");
            List<Browser.Violation> violations = browser.accessibilityViolations();

            assertEquals(List.of("image-alt"), violations.stream().map(Browser.Violation::rule).toList(), violations.toString());
            assertEquals(List.of("img", "iframe >>> img"), violations.get(0).targets(), violations.toString());
        } finally {
            server.stop(0);
        }
    }
}
