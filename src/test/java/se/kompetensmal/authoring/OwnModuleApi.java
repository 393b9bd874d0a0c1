package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import se.kompetensmal.HttpCalls;
import se.kompetensmal.catalog.ModuleDraft;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** /api/own-modules as an API client calls it: a bearer token, JSON in and out, every answer's status and body. */
record OwnModuleApi(URI server, ObjectMapper json) {

    record Answer(int status, String body, byte[] bytes, String contentType) {
        <T> T as(ObjectMapper json, Class<T> type) {
            if (status >= 300) {
                throw new AssertionError("answered " + status + ": " + body);
            }
            try {
                return json.readValue(body, type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Answer get(String token, String path) {
        return send(request(token, path).GET().build());
    }

    /** A file, asked for as a browser or curl asks (any type). */
    Answer download(String token, String path) {
        return send(request(token, path).setHeader("Accept", "*/*").GET().build());
    }

    Answer post(String token, String path, @Nullable Object body) {
        return send(request(token, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : write(body))).build());
    }

    Answer put(String token, String path, Object body) {
        return send(request(token, path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(body))).build());
    }

    Answer delete(String token, String path) {
        return send(request(token, path).DELETE().build());
    }

    Answer postBytes(String token, String path, String contentType, byte[] body) {
        return send(request(token, path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A file sent as a browser's form sends it: multipart, field {@code file}. */
    Answer upload(String token, String path, String fileName, byte[] bytes) {
        String boundary = "----authoring" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return postBytes(token, path, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    // --- the usual calls, asserting success

    ModuleAuthoring.Summary create(String token, @Nullable Long owner, String code, String title) {
        java.util.Map<String, Object> body = new java.util.HashMap<>();
        body.put("owner", owner);
        body.put("code", code);
        body.put("title", title);
        return post(token, "/api/own-modules", body).as(json, ModuleAuthoring.Summary.class);
    }

    /** The draft; the JSON leaves out empty texts and lists, read here as empty. */
    ModuleAuthoring.Draft draft(String token, String code) {
        return whole(get(token, "/api/own-modules/" + code + "/draft").as(json, ModuleAuthoring.Draft.class));
    }

    static ModuleAuthoring.Draft whole(ModuleAuthoring.Draft draft) {
        ModuleDraft content = draft.content();
        return new ModuleAuthoring.Draft(draft.module(), Drafts.whole(content, content.code(),
                content.images() == null ? List.of() : content.images()), draft.revision());
    }

    Answer save(String token, String code, ModuleDraft content, int revision) {
        return put(token, "/api/own-modules/" + code + "/draft", Map.of("content", content, "revision", revision));
    }

    /** Saves over the current revision, asserting it was saved. */
    ModuleAuthoring.Draft saveCurrent(String token, String code, ModuleDraft content) {
        return whole(save(token, code, content, draft(token, code).revision()).as(json, ModuleAuthoring.Draft.class));
    }

    Answer publish(String token, String code) {
        return post(token, "/api/own-modules/" + code + "/publish", null);
    }

    int published(String token, String code) {
        Answer answer = publish(token, code);
        if (answer.status() != 200) {
            throw new AssertionError("publish answered " + answer.status() + ": " + answer.body());
        }
        return answer.as(json, OwnModuleController.Published.class).version();
    }

    List<ModuleAuthoring.Summary> list(String token) {
        return List.of(get(token, "/api/own-modules").as(json, ModuleAuthoring.Summary[].class));
    }

    private HttpRequest.Builder request(String token, String path) {
        return HttpRequest.newBuilder(server.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private Answer send(HttpRequest request) {
        HttpResponse<byte[]> response = HttpCalls.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A module a learner can take: two pages, one with an image if given, three questions. */
    static ModuleDraft validModule(String code, String title, String pageOneText, List<ModuleDraft.Image> images) {
        String imageLine = images.isEmpty() ? "" : "\n\n![Händer som tvättas under rinnande vatten](images/"
                + images.get(0).fileName() + ")";
        return new ModuleDraft(code, title, "Vad alla på avdelningen behöver veta om " + title.toLowerCase() + ".", "20",
                List.of("LICENSED"), List.of("LIC-01"), "60",
                List.of(new ModuleDraft.Page("Varför det spelar roll", pageOneText + imageLine),
                        new ModuleDraft.Page("Så gör du", "1. Tvätta händerna.\n2. Sprita händerna.")),
                List.of(question("q1", "Vad gör du först?", "Tvättar händerna", "Tar på handskar"),
                        question("q2", "När spritar du händerna?", "Före och efter patientkontakt", "Bara efteråt"),
                        question("q3", "Vem ansvarar för hygienen?", "Alla", "Bara hygiensjuksköterskan")),
                images, null, null);
    }

    static ModuleDraft.Question question(String code, String text, String right, String wrong) {
        return new ModuleDraft.Question(code, text, List.of(new ModuleDraft.Option(right, true, "Rätt: " + right + "."),
                new ModuleDraft.Option(wrong, false, "Inte riktigt: " + right.toLowerCase() + ".")));
    }

    /** The smallest PNG there is: one transparent pixel. */
    static byte[] png() {
        return java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    }
}
