package se.kompetensmal.learning;

import se.kompetensmal.HttpCalls;
import se.kompetensmal.TestUsers;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A learner's browser session without the browser: the session cookie, pages as HTML, forms posted as a browser posts
 * them (with the page's CSRF token), and redirects not followed so that tests see where a form leads.
 */
record LearnerSession(URI server, String jwt) {

    HttpResponse<String> get(String path) {
        return HttpCalls.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    String page(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A file behind a link, asked for as a browser asks when following one. */
    HttpResponse<byte[]> download(String path) {
        return HttpCalls.send(request(path).setHeader("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Posts the fields (each with its values) as a form, with the CSRF token of {@code page}. */
    HttpResponse<String> post(String path, String page, Map<String, List<String>> fields) {
        String body = "csrfToken=" + encode(TestUsers.csrfTokenOf(page)) + fields.entrySet().stream()
                .flatMap(field -> field.getValue().stream().map(value -> "&" + encode(field.getKey()) + "=" + encode(value)))
                .collect(Collectors.joining());
        return HttpCalls.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The attempt id in the assessment form on the page. */
    static long attemptOf(String assessmentPage) {
        Matcher m = Pattern.compile("action=\"/utbildning/[^/]+/prov/(\\d+)\"").matcher(assessmentPage);
        if (!m.find()) {
            throw new AssertionError("no assessment form on the page: " + assessmentPage);
        }
        return Long.parseLong(m.group(1));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.resolve(path)).header("Cookie", "JWT=" + jwt).header("Accept", "text/html");
    }


    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
