package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A PATCH request (RFC 7644 section 3.5.2) applied to a resource as it is shown: the result is then read like a PUT body,
 * so that one set of rules decides what a user or a group may be. Besides the RFC, what Microsoft Entra ID sends:
 * operation names with a capital ({@code Replace}), a replace without path whose value holds several attributes (also
 * {@code name.givenName} or a whole schema URN as keys), {@code "False"} as a string (read by the resource's own rules),
 * and a remove of {@code members} with the members to remove in {@code value} instead of a filter in the path.
 */
public final class ScimPatch {

    /** A body with more operations than this is refused. */
    static final int MAX_OPERATIONS = 1000;

    private ScimPatch() {
    }

    /** One operation, read and checked before anything is applied. */
    record Operation(String op, @Nullable String path, @Nullable Object value) {
    }

    /** The body's operations; anything malformed is refused here, before the resource is touched. */
    @SuppressWarnings("unchecked")
    static List<Operation> operations(Map<String, Object> body) {
        Object schemas = body.get("schemas");
        if (!(schemas instanceof List<?> list) || list.stream().noneMatch(s -> ScimSchemas.PATCH_OP.equalsIgnoreCase(String.valueOf(s)))) {
            throw ScimException.invalidSyntax("En PATCH ska ha schemas [\"" + ScimSchemas.PATCH_OP + "\"].");
        }
        Object raw = body.get("Operations");
        if (!(raw instanceof List<?> ops) || ops.isEmpty()) {
            throw ScimException.invalidSyntax("En PATCH ska ha minst en operation i Operations.");
        }
        if (ops.size() > MAX_OPERATIONS) {
            throw ScimException.invalidSyntax("En PATCH får ha högst " + MAX_OPERATIONS + " operationer.");
        }
        List<Operation> out = new ArrayList<>();
        for (Object o : ops) {
            if (!(o instanceof Map<?, ?> map)) {
                throw ScimException.invalidSyntax("Varje operation ska vara ett JSON-objekt.");
            }
            Map<String, Object> operation = (Map<String, Object>) map;
            String op = String.valueOf(operation.get("op")).toLowerCase(Locale.ROOT);
            if (!List.of("add", "replace", "remove").contains(op)) {
                throw ScimException.invalidSyntax("Okänd operation «" + operation.get("op") + "»: add, replace eller remove.");
            }
            Object path = operation.get("path");
            if (path != null && !(path instanceof String)) {
                throw ScimException.invalidPath("path ska vara text.");
            }
            String p = path == null || ((String) path).isBlank() ? null : (String) path;
            if (p == null && op.equals("remove")) {
                throw ScimException.noTarget("En remove kräver path.");
            }
            if (p == null && !(operation.get("value") instanceof Map)) {
                throw ScimException.invalidSyntax("En " + op + " utan path ska ha ett objekt i value.");
            }
            if (!op.equals("remove") && !operation.containsKey("value")) {
                throw ScimException.invalidSyntax("En " + op + " kräver value.");
            }
            if (p != null) {
                Target.of(p);
            }
            out.add(new Operation(op, p, operation.get("value")));
        }
        return out;
    }

    /** Applies the operations, in order, to the resource (a case-insensitive map, changed in place). */
    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> resource, List<Operation> operations) {
        for (Operation operation : operations) {
            if (operation.path() == null) {
                // Each key of the value is a path of its own (Entra ID: "name.givenName", a schema URN, "active").
                for (Map.Entry<String, Object> e : ((Map<String, Object>) operation.value()).entrySet()) {
                    applyAt(resource, Target.of(e.getKey()), operation.op(), e.getValue());
                }
            } else {
                applyAt(resource, Target.of(operation.path()), operation.op(), operation.value());
            }
        }
    }

    /** Where an operation applies: a path, with an optional value filter and a sub-attribute after it. */
    record Target(ScimPath path, @Nullable ScimFilter filter, @Nullable String subAfterFilter) {

        static Target of(String text) {
            int open = text.indexOf('[');
            if (open < 0) {
                return new Target(ScimPath.parse(text), null, null);
            }
            int close = text.lastIndexOf(']');
            if (close < open) {
                throw ScimException.invalidPath("Ogiltig sökväg: " + text);
            }
            ScimPath path = ScimPath.parse(text.substring(0, open));
            if (path.subAttribute() != null || path.attribute() == null) {
                throw ScimException.invalidPath("Ogiltig sökväg: " + text);
            }
            ScimFilter filter;
            try {
                filter = ScimFilter.parse(text.substring(open + 1, close));
            } catch (ScimException e) {
                throw ScimException.invalidPath("Ogiltigt filter i sökvägen: " + text);
            }
            String rest = text.substring(close + 1);
            String sub = null;
            if (!rest.isEmpty()) {
                if (!rest.startsWith(".") || rest.length() < 2) {
                    throw ScimException.invalidPath("Ogiltig sökväg: " + text);
                }
                sub = rest.substring(1);
            }
            return new Target(path, filter, sub);
        }
    }

    @SuppressWarnings("unchecked")
    private static void applyAt(Map<String, Object> resource, Target target, String op, @Nullable Object value) {
        ScimPath path = target.path();
        Map<String, Object> container = resource;
        if (path.schema() != null) {
            Object extension = resource.get(path.schema());
            if (!(extension instanceof Map)) {
                if (op.equals("remove")) {
                    return;
                }
                extension = new TreeMap<String, Object>(String.CASE_INSENSITIVE_ORDER);
                resource.put(path.schema(), extension);
            }
            container = (Map<String, Object>) extension;
        }
        if (path.attribute() == null) {
            // The whole extension (or the core) named by its URN.
            if (op.equals("remove")) {
                if (path.schema() != null) {
                    resource.remove(path.schema());
                }
                return;
            }
            if (!(value instanceof Map<?, ?> values)) {
                throw ScimException.invalidValue("Värdet för " + path + " ska vara ett objekt.");
            }
            for (Map.Entry<String, Object> e : ((Map<String, Object>) values).entrySet()) {
                applyAt(container, new Target(ScimPath.parse(e.getKey()), null, null), op, e.getValue());
            }
            return;
        }
        String attribute = path.attribute();
        if (target.filter() != null) {
            applyFiltered(container, attribute, target.filter(), target.subAfterFilter(), op, value);
            return;
        }
        Object existing = container.get(attribute);
        if (path.subAttribute() != null) {
            String sub = path.subAttribute();
            if (existing instanceof List<?> list) {
                if (list.isEmpty() && !op.equals("remove")) {
                    Map<String, Object> element = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    element.put(sub, value);
                    ((List<Object>) list).add(element);
                }
                list.stream().filter(Map.class::isInstance).forEach(e -> set((Map<String, Object>) e, sub, op, value));
                return;
            }
            if (!(existing instanceof Map)) {
                if (op.equals("remove")) {
                    return;
                }
                existing = new TreeMap<String, Object>(String.CASE_INSENSITIVE_ORDER);
                container.put(attribute, existing);
            }
            set((Map<String, Object>) existing, sub, op, value);
            return;
        }
        switch (op) {
            case "remove" -> {
                if (existing instanceof List<?> list && value instanceof List<?> removed) {
                    // Entra ID: {"op":"Remove","path":"members","value":[{"value":"id"}]} removes those members only.
                    List<Object> kept = new ArrayList<>(list);
                    kept.removeIf(e -> removed.stream().anyMatch(r -> sameValue(e, r)));
                    container.put(attribute, kept);
                } else {
                    container.remove(attribute);
                }
            }
            case "add" -> {
                if (existing instanceof List<?> list) {
                    List<Object> merged = new ArrayList<>(list);
                    for (Object v : value instanceof List<?> l ? l : List.of(value)) {
                        if (merged.stream().noneMatch(e -> sameValue(e, v))) {
                            merged.add(v);
                        }
                    }
                    container.put(attribute, merged);
                } else if (existing instanceof Map<?, ?> m && value instanceof Map<?, ?> v) {
                    ((Map<String, Object>) m).putAll((Map<String, Object>) v);
                } else {
                    container.put(attribute, value);
                }
            }
            default -> {
                if (existing instanceof Map<?, ?> m && value instanceof Map<?, ?> v) {
                    // A complex attribute: the sub-attributes given are replaced, the others stay (RFC 7644 3.5.2.3).
                    ((Map<String, Object>) m).putAll((Map<String, Object>) v);
                } else {
                    container.put(attribute, value);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void applyFiltered(Map<String, Object> container, String attribute, ScimFilter filter,
                                      @Nullable String sub, String op, @Nullable Object value) {
        Object existing = container.get(attribute);
        List<Object> list = existing instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Object e : list) {
            if (e instanceof Map<?, ?> m && filter.test((Map<String, Object>) m)) {
                matching.add((Map<String, Object>) m);
            }
        }
        if (op.equals("remove")) {
            if (sub == null) {
                list.removeIf(matching::contains);
            } else {
                matching.forEach(m -> m.remove(sub));
            }
            container.put(attribute, list);
            return;
        }
        if (matching.isEmpty()) {
            // Entra ID replaces emails[type eq "work"].value on a user who has no work address yet: made from the filter.
            Map<String, Object> element = elementFrom(filter)
                    .orElseThrow(() -> ScimException.noTarget("Inget värde i " + attribute + " matchar filtret."));
            list.add(element);
            matching.add(element);
        }
        for (Map<String, Object> m : matching) {
            if (sub != null) {
                m.put(sub, value);
            } else if (value instanceof Map<?, ?> v) {
                m.putAll((Map<String, Object>) v);
            } else {
                throw ScimException.invalidValue("Värdet för " + attribute + "[...] ska vara ett objekt.");
            }
        }
        container.put(attribute, list);
    }

    /** A new element with the values an equality filter names (type eq "work" gives {"type":"work"}). */
    private static java.util.Optional<Map<String, Object>> elementFrom(ScimFilter filter) {
        Map<String, Object> element = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        return fill(element, filter) ? java.util.Optional.of(element) : java.util.Optional.empty();
    }

    private static boolean fill(Map<String, Object> element, ScimFilter filter) {
        if (filter instanceof ScimFilter.Compare c && c.op().equals("eq") && c.path().schema() == null
                && c.path().subAttribute() == null) {
            element.put(c.path().attribute(), c.value());
            return true;
        }
        return filter instanceof ScimFilter.And and && fill(element, and.left()) && fill(element, and.right());
    }

    private static void set(Map<String, Object> element, String sub, String op, @Nullable Object value) {
        if (op.equals("remove")) {
            element.remove(sub);
        } else {
            element.put(sub, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean sameValue(Object a, Object b) {
        Object va = a instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("value") : a;
        Object vb = b instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("value") : b;
        return va != null && va.equals(vb);
    }
}
