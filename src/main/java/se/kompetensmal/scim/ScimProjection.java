package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code attributes} and {@code excludedAttributes} query parameters (RFC 7644 section 3.4.2.5): which attributes an
 * answer carries. {@code schemas} and {@code id} are always returned.
 */
public record ScimProjection(List<ScimPath> attributes, List<ScimPath> excluded) {

    public static final ScimProjection ALL = new ScimProjection(List.of(), List.of());

    public static ScimProjection of(@Nullable String attributes, @Nullable String excludedAttributes) {
        return new ScimProjection(paths(attributes), paths(excludedAttributes));
    }

    private static List<ScimPath> paths(@Nullable String text) {
        List<ScimPath> out = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    out.add(ScimPath.parse(part));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> apply(Map<String, Object> resource) {
        if (attributes.isEmpty() && excluded.isEmpty()) {
            return resource;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : resource.entrySet()) {
            String key = e.getKey();
            if (key.equals("schemas") || key.equals("id")) {
                out.put(key, e.getValue());
                continue;
            }
            boolean extension = key.startsWith("urn:");
            if (extension && e.getValue() instanceof Map<?, ?> ext) {
                Map<String, Object> kept = new LinkedHashMap<>();
                ((Map<String, Object>) ext).forEach((k, v) -> {
                    if (wanted(key, k, null)) {
                        kept.put(k, v);
                    }
                });
                boolean whole = attributes.stream().anyMatch(p -> key.equalsIgnoreCase(p.schema()) && p.attribute() == null);
                if (whole && excluded.stream().noneMatch(p -> key.equalsIgnoreCase(p.schema()) && p.attribute() == null)) {
                    out.put(key, e.getValue());
                } else if (!kept.isEmpty()) {
                    out.put(key, kept);
                }
                continue;
            }
            if (e.getValue() instanceof Map<?, ?> complex && hasSubSelection(key)) {
                Map<String, Object> kept = new LinkedHashMap<>();
                ((Map<String, Object>) complex).forEach((k, v) -> {
                    if (wanted(null, key, k)) {
                        kept.put(k, v);
                    }
                });
                if (!kept.isEmpty()) {
                    out.put(key, kept);
                }
            } else if (wanted(null, key, null)) {
                out.put(key, e.getValue());
            }
        }
        return out;
    }

    private boolean hasSubSelection(String attribute) {
        return attributes.stream().anyMatch(p -> p.schema() == null && attribute.equalsIgnoreCase(p.attribute()) && p.subAttribute() != null)
                || excluded.stream().anyMatch(p -> p.schema() == null && attribute.equalsIgnoreCase(p.attribute()) && p.subAttribute() != null);
    }

    private boolean wanted(@Nullable String schema, String attribute, @Nullable String sub) {
        boolean in = attributes.isEmpty() || attributes.stream().anyMatch(p -> matches(p, schema, attribute, sub, true));
        boolean out = excluded.stream().anyMatch(p -> matches(p, schema, attribute, sub, false));
        return in && !out;
    }

    private static boolean matches(ScimPath p, @Nullable String schema, String attribute, @Nullable String sub, boolean including) {
        if (!java.util.Objects.equals(p.schema() == null ? null : p.schema().toLowerCase(),
                schema == null ? null : schema.toLowerCase())) {
            return false;
        }
        if (p.attribute() == null) {
            return true;
        }
        if (!attribute.equalsIgnoreCase(p.attribute())) {
            return false;
        }
        if (p.subAttribute() == null || sub == null) {
            // "name" selects all of name; "name.givenName" selects name (with that sub-attribute) when including.
            return p.subAttribute() == null || including;
        }
        return sub.equalsIgnoreCase(p.subAttribute());
    }
}
