package se.kompetensmal.authoring;

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

/** A learner taking a module over the learner pages, as a browser does: session cookie, pages, forms with their token. */
record Learning(URI server, String jwt) {

    String page(String path) {
        HttpResponse<String> response = HttpCalls.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Opens the assessment and sends the answers (question id → option ids); returns the attempt's id. */
    long submit(String module, Map<Long, List<Long>> answers) {
        String assessment = page("/utbildning/" + module + "/prov");
        Matcher m = Pattern.compile("action=\"/utbildning/[^/]+/prov/(\\d+)\"").matcher(assessment);
        if (!m.find()) {
            throw new AssertionError("no assessment form: " + assessment);
        }
        long attempt = Long.parseLong(m.group(1));
        String body = "csrfToken=" + encode(TestUsers.csrfTokenOf(assessment)) + answers.entrySet().stream()
                .flatMap(q -> q.getValue().stream().map(o -> "&q" + q.getKey() + "=" + o))
                .collect(Collectors.joining());
        HttpResponse<String> sent = HttpCalls.send(request("/utbildning/" + module + "/prov/" + attempt)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (sent.statusCode() != 303) {
            throw new AssertionError("submitting answered " + sent.statusCode() + ": " + sent.body());
        }
        return attempt;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.resolve(path)).header("Cookie", "JWT=" + jwt).header("Accept", "text/html");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
