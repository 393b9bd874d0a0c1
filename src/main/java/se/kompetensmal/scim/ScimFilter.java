package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SCIM filters (RFC 7644 section 3.4.2.2): parsed into a tree and evaluated against a resource as it is answered, so that
 * every attribute a resource shows can be filtered on, with {@code and}, {@code or}, {@code not}, parentheses, value
 * paths ({@code emails[type eq "work"]}) and all comparison operators. {@link #indexed} picks out a condition the
 * database can look up (userName, externalId, an e-mail, an id, an employee number), so that Entra ID asking for one
 * user by name does not read the whole organisation.
 */
public sealed interface ScimFilter {

    boolean test(Map<String, Object> resource);

    record Compare(ScimPath path, String op, @Nullable Object value) implements ScimFilter {
        @Override
        public boolean test(Map<String, Object> resource) {
            return values(resource, path).stream().anyMatch(v -> compare(v, op, value, path.caseExact()));
        }
    }

    record Present(ScimPath path) implements ScimFilter {
        @Override
        public boolean test(Map<String, Object> resource) {
            return values(resource, path).stream().anyMatch(v -> v != null && !(v instanceof String s && s.isEmpty()));
        }
    }

    record And(ScimFilter left, ScimFilter right) implements ScimFilter {
        @Override
        public boolean test(Map<String, Object> resource) {
            return left.test(resource) && right.test(resource);
        }
    }

    record Or(ScimFilter left, ScimFilter right) implements ScimFilter {
        @Override
        public boolean test(Map<String, Object> resource) {
            return left.test(resource) || right.test(resource);
        }
    }

    record Not(ScimFilter inner) implements ScimFilter {
        @Override
        public boolean test(Map<String, Object> resource) {
            return !inner.test(resource);
        }
    }

    /** {@code emails[type eq "work" and value co "@x.se"]}: some one element satisfies the whole inner filter. */
    record ValuePath(ScimPath path, ScimFilter inner) implements ScimFilter {
        @Override
        public boolean test(Map<String, Object> resource) {
            return elements(resource, path).stream().anyMatch(inner::test);
        }
    }

    /** A condition the database can look up: the attribute (userName, externalId, email, id, employeeNumber) equal to a text. */
    record Indexed(String attribute, String value) {
    }

    static Optional<Indexed> indexed(@Nullable ScimFilter filter) {
        if (filter instanceof Compare c && c.op().equals("eq") && c.value() instanceof String text) {
            ScimPath p = c.path();
            if (p.is(null, "userName") && p.subAttribute() == null) {
                return Optional.of(new Indexed("userName", text));
            }
            if (p.is(null, "externalId") && p.subAttribute() == null) {
                return Optional.of(new Indexed("externalId", text));
            }
            if (p.is(null, "id") && p.subAttribute() == null) {
                return Optional.of(new Indexed("id", text));
            }
            if (p.is(null, "emails", "value") || (p.is(null, "emails") && p.subAttribute() == null)) {
                return Optional.of(new Indexed("email", text));
            }
            if (p.is(ScimSchemas.ENTERPRISE_USER, "employeeNumber")) {
                return Optional.of(new Indexed("employeeNumber", text));
            }
        }
        if (filter instanceof ValuePath vp && vp.path().is(null, "emails")) {
            return indexed(vp.inner()).filter(i -> i.attribute().equals("email") || i.attribute().equals("id"))
                    .map(i -> new Indexed("email", i.value()));
        }
        if (filter instanceof And and) {
            return indexed(and.left()).or(() -> indexed(and.right()));
        }
        return Optional.empty();
    }

    // ---- evaluation ----

    /** The values at the path; a multi-valued attribute gives each element's (sub-)value; a missing one, nothing. */
    @SuppressWarnings("unchecked")
    static List<Object> values(Map<String, Object> resource, ScimPath path) {
        List<Object> out = new ArrayList<>();
        Object container = path.schema() == null ? resource : resource.get(path.schema());
        if (!(container instanceof Map<?, ?> map) || path.attribute() == null) {
            return out;
        }
        Object value = ((Map<String, Object>) map).get(path.attribute());
        if (value instanceof List<?> list) {
            for (Object element : list) {
                out.add(sub(element, path.subAttribute() == null ? "value" : path.subAttribute()));
            }
        } else if (path.subAttribute() != null) {
            out.add(sub(value, path.subAttribute()));
        } else if (value instanceof Map<?, ?> complex) {
            out.add(((Map<String, Object>) complex).get("value"));
        } else {
            out.add(value);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object sub(Object element, String name) {
        return element instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(name) : null;
    }

    /** The elements of a multi-valued complex attribute, each a map to test a value filter on. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> elements(Map<String, Object> resource, ScimPath path) {
        Object container = path.schema() == null ? resource : resource.get(path.schema());
        if (!(container instanceof Map<?, ?> map) || path.attribute() == null) {
            return List.of();
        }
        Object value = ((Map<String, Object>) map).get(path.attribute());
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.stream().filter(Map.class::isInstance).forEach(e -> out.add((Map<String, Object>) e));
        } else if (value instanceof Map<?, ?> m) {
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    private static boolean compare(@Nullable Object actual, String op, @Nullable Object wanted, boolean caseExact) {
        if (wanted == null) {
            boolean absent = actual == null;
            return op.equals("eq") ? absent : op.equals("ne") && !absent;
        }
        if (actual == null) {
            return op.equals("ne");
        }
        if (wanted instanceof Boolean b) {
            Boolean a = actual instanceof Boolean x ? x : null;
            return switch (op) {
                case "eq" -> b.equals(a);
                case "ne" -> !b.equals(a);
                default -> false;
            };
        }
        if (wanted instanceof Number n && actual instanceof Number a) {
            int c = new BigDecimal(a.toString()).compareTo(new BigDecimal(n.toString()));
            return ordered(op, c);
        }
        String a = String.valueOf(actual);
        String w = String.valueOf(wanted);
        if (!caseExact) {
            a = a.toLowerCase(Locale.ROOT);
            w = w.toLowerCase(Locale.ROOT);
        }
        return switch (op) {
            case "co" -> a.contains(w);
            case "sw" -> a.startsWith(w);
            case "ew" -> a.endsWith(w);
            default -> ordered(op, a.compareTo(w));
        };
    }

    private static boolean ordered(String op, int c) {
        return switch (op) {
            case "eq" -> c == 0;
            case "ne" -> c != 0;
            case "gt" -> c > 0;
            case "ge" -> c >= 0;
            case "lt" -> c < 0;
            case "le" -> c <= 0;
            default -> false;
        };
    }

    // ---- parsing ----

    int MAX_LENGTH = 2000;

    static ScimFilter parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw ScimException.invalidFilter("Filtret är för långt.");
        }
        Parser parser = new Parser(tokens(text));
        ScimFilter filter = parser.or();
        if (parser.position < parser.tokens.size()) {
            throw ScimException.invalidFilter("Filtret kunde inte läsas vid «" + parser.tokens.get(parser.position) + "».");
        }
        return filter;
    }

    /** A token: a word, a quoted string (kept with its quote mark first), or one of ( ) [ ]. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == '[' || c == ']') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                StringBuilder s = new StringBuilder("\"");
                i++;
                boolean closed = false;
                while (i < text.length()) {
                    char d = text.charAt(i++);
                    if (d == '\\' && i < text.length()) {
                        char e = text.charAt(i++);
                        switch (e) {
                            case 'n' -> s.append('\n');
                            case 't' -> s.append('\t');
                            case 'r' -> s.append('\r');
                            case 'b' -> s.append('\b');
                            case 'f' -> s.append('\f');
                            case 'u' -> {
                                if (i + 4 > text.length()) {
                                    throw ScimException.invalidFilter("Ogiltig \\u i filtret.");
                                }
                                try {
                                    s.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
                                } catch (NumberFormatException ex) {
                                    throw ScimException.invalidFilter("Ogiltig \\u i filtret.");
                                }
                                i += 4;
                            }
                            default -> s.append(e);
                        }
                    } else if (d == '"') {
                        closed = true;
                        break;
                    } else {
                        s.append(d);
                    }
                }
                if (!closed) {
                    throw ScimException.invalidFilter("Ett citattecken i filtret stängs inte.");
                }
                tokens.add(s.toString());
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "()[]\"".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            }
        }
        return tokens;
    }

    final class Parser {
        private static final List<String> OPERATORS = List.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le");

        final List<String> tokens;
        int position;
        /** Inside a value path's brackets: attributes are the elements' sub-attributes. */
        private boolean insideValuePath;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        ScimFilter or() {
            ScimFilter left = and();
            while (peekWord("or")) {
                position++;
                left = new Or(left, and());
            }
            return left;
        }

        ScimFilter and() {
            ScimFilter left = unary();
            while (peekWord("and")) {
                position++;
                left = new And(left, unary());
            }
            return left;
        }

        ScimFilter unary() {
            String token = next();
            if (token.equalsIgnoreCase("not") && "(".equals(peek())) {
                position++;
                ScimFilter inner = or();
                expect(")");
                return new Not(inner);
            }
            if (token.equals("(")) {
                ScimFilter inner = or();
                expect(")");
                return inner;
            }
            if (token.startsWith("\"") || "()[]".contains(token)) {
                throw ScimException.invalidFilter("Ett attribut väntades i filtret, inte «" + token + "».");
            }
            if ("[".equals(peek())) {
                if (insideValuePath) {
                    throw ScimException.invalidFilter("Hakparenteser kan inte nästlas i ett filter.");
                }
                position++;
                ScimPath path = ScimPath.parse(token);
                insideValuePath = true;
                ScimFilter inner = or();
                insideValuePath = false;
                expect("]");
                return new ValuePath(path, inner);
            }
            ScimPath path = pathOf(token);
            String op = next().toLowerCase(Locale.ROOT);
            if (op.equals("pr")) {
                return new Present(path);
            }
            if (!OPERATORS.contains(op)) {
                throw ScimException.invalidFilter("Okänd jämförelse i filtret: «" + op + "».");
            }
            return new Compare(path, op, value(next()));
        }

        private ScimPath pathOf(String token) {
            try {
                return ScimPath.parse(token);
            } catch (ScimException e) {
                throw ScimException.invalidFilter("Ogiltigt attribut i filtret: «" + token + "».");
            }
        }

        private Object value(String token) {
            if (token.startsWith("\"")) {
                return token.substring(1);
            }
            switch (token.toLowerCase(Locale.ROOT)) {
                case "true":
                    return Boolean.TRUE;
                case "false":
                    return Boolean.FALSE;
                case "null":
                    return null;
                default:
                    try {
                        return new BigDecimal(token);
                    } catch (NumberFormatException e) {
                        throw ScimException.invalidFilter("Ett värde väntades i filtret (text inom citattecken, tal, "
                                + "true, false eller null), inte «" + token + "».");
                    }
            }
        }

        private boolean peekWord(String word) {
            return position < tokens.size() && tokens.get(position).equalsIgnoreCase(word);
        }

        private String peek() {
            return position < tokens.size() ? tokens.get(position) : null;
        }

        private String next() {
            if (position >= tokens.size()) {
                throw ScimException.invalidFilter("Filtret tar slut för tidigt.");
            }
            return tokens.get(position++);
        }

        private void expect(String token) {
            if (!token.equals(peek())) {
                throw ScimException.invalidFilter("«" + token + "» saknas i filtret.");
            }
            position++;
        }
    }
}
