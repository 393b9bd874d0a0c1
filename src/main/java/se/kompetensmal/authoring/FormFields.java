package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A posted form ({@code application/x-www-form-urlencoded}) as its fields in order, repeated names kept with their empty
 * values: the question editor posts one text and one feedback per answer, and an answer left empty must keep its place.
 */
final class FormFields {

    private final Map<String, List<String>> fields = new LinkedHashMap<>();

    private FormFields() {
    }

    static FormFields parse(@Nullable String body) {
        FormFields form = new FormFields();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            form.fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return form;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The first value, with browsers' CRLF line ends made LF, or null when the field was not sent. */
    @Nullable String one(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0).replace("\r\n", "\n");
    }

    String text(String name) {
        String value = one(name);
        return value == null ? "" : value;
    }

    List<String> all(String name) {
        return fields.getOrDefault(name, List.of()).stream().map(v -> v.replace("\r\n", "\n")).toList();
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }
}
