package se.kompetensmal.web;

import io.micronaut.core.annotation.Nullable;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A posted HTML form whose field names are not known in advance (one per question), with every value of each field. */
public record FormBody(Map<String, List<String>> fields) {

    public static FormBody parse(@Nullable String urlEncoded) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (urlEncoded != null && !urlEncoded.isBlank()) {
            for (String pair : urlEncoded.split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                fields.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
        return new FormBody(fields);
    }

    public @Nullable String first(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
