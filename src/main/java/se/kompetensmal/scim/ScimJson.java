package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * SCIM documents in and out. A request body is read into maps whose keys ignore case, because SCIM attribute names do
 * (RFC 7643 section 2.1: Entra ID and others send {@code Active}, {@code userName} and {@code UserName} alike); answers
 * are written as {@code application/scim+json}.
 */
@Singleton
public class ScimJson {

    public static final String MEDIA_TYPE = "application/scim+json";
    /** The largest body read: a user is a few kilobytes, a PATCH of a group with many members some hundred. */
    static final int MAX_BODY_CHARS = 1_000_000;

    private final JsonMapper json;

    public ScimJson(JsonMapper json) {
        this.json = json;
    }

    /** The body as a JSON object with case-insensitive keys; a body that is no JSON object is refused (invalidSyntax). */
    public Map<String, Object> object(@Nullable String body) {
        if (body == null || body.isBlank()) {
            throw ScimException.invalidSyntax("Begäran saknar innehåll (ett JSON-objekt väntades).");
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw new ScimException(413, null, "Begäran är för stor.");
        }
        Object parsed;
        try {
            parsed = json.readValue(body, Argument.OBJECT_ARGUMENT);
        } catch (IOException | RuntimeException e) {
            throw ScimException.invalidSyntax("Begäran är inte giltig JSON.");
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw ScimException.invalidSyntax("Begäran ska vara ett JSON-objekt.");
        }
        return caseInsensitive((Map<?, ?>) parsed);
    }

    /** A copy of the map, and of every map inside it, whose keys ignore case. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> caseInsensitive(Map<?, ?> map) {
        Map<String, Object> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.forEach((k, v) -> copy.put(String.valueOf(k), copyValue(v)));
        return copy;
    }

    static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            return caseInsensitive(m);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(copyValue(v)));
            return copy;
        }
        return value;
    }

    public String write(Object document) {
        try {
            return json.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MutableHttpResponse<String> respond(HttpStatus status, Object document) {
        return HttpResponse.<String>status(status).body(write(document)).contentType(MEDIA_TYPE);
    }

    /** A SCIM error document (RFC 7644 section 3.12): the status as a string, as the RFC writes it. */
    public MutableHttpResponse<String> error(ScimException e) {
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("schemas", List.of(ScimSchemas.ERROR));
        doc.put("status", String.valueOf(e.status()));
        if (e.scimType() != null) {
            doc.put("scimType", e.scimType());
        }
        doc.put("detail", e.getMessage());
        MutableHttpResponse<String> response = HttpResponse.<String>status(HttpStatus.valueOf(e.status()))
                .body(write(doc)).contentType(MEDIA_TYPE);
        if (e.status() == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"scim\"");
        }
        return response;
    }

    /** A text, or null; anything else than text (or null) is refused with the attribute named. */
    static @Nullable String text(Map<String, Object> object, String name) {
        Object value = object.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        throw ScimException.invalidValue("Attributet " + name + " ska vara text.");
    }

    /** true/false; also the strings "True" and "False" that Entra ID sends for active in a PATCH. */
    static @Nullable Boolean flag(Object value, String name) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof String s) {
            String lower = s.strip().toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return Boolean.valueOf(lower);
            }
        }
        throw ScimException.invalidValue("Attributet " + name + " ska vara true eller false.");
    }
}
