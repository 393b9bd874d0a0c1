package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Locale;

/**
 * An attribute path (RFC 7644 section 3.10): an optional schema URN, an attribute and an optional sub-attribute, e.g.
 * {@code name.givenName}, {@code emails.value},
 * {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department}. A path that is a schema URN alone
 * names the whole extension object. {@code schema} is null for the core schema.
 */
public record ScimPath(@Nullable String schema, @Nullable String attribute, @Nullable String subAttribute) {

    private static final List<String> KNOWN = List.of(ScimSchemas.ENTERPRISE_USER, ScimSchemas.USER, ScimSchemas.GROUP);

    public static ScimPath parse(String text) {
        String path = text.strip();
        if (path.isEmpty()) {
            throw ScimException.invalidPath("Sökvägen är tom.");
        }
        String schema = null;
        if (path.regionMatches(true, 0, "urn:", 0, 4)) {
            String rest = null;
            for (String urn : KNOWN) {
                if (path.equalsIgnoreCase(urn)) {
                    return urn.equals(ScimSchemas.ENTERPRISE_USER) ? new ScimPath(urn, null, null)
                            : new ScimPath(null, null, null);
                }
                if (path.length() > urn.length() + 1 && path.regionMatches(true, 0, urn + ":", 0, urn.length() + 1)) {
                    schema = urn;
                    rest = path.substring(urn.length() + 1);
                    break;
                }
            }
            if (rest == null) {
                int last = path.lastIndexOf(':');
                schema = path.substring(0, last);
                rest = path.substring(last + 1);
            }
            path = rest;
            if (schema.equals(ScimSchemas.USER) || schema.equals(ScimSchemas.GROUP)) {
                schema = null;
            }
        }
        String attribute = path;
        String sub = null;
        int dot = path.indexOf('.');
        if (dot >= 0) {
            attribute = path.substring(0, dot);
            sub = path.substring(dot + 1);
            if (sub.isEmpty() || sub.indexOf('.') >= 0) {
                throw ScimException.invalidPath("Ogiltig sökväg: " + text);
            }
        }
        if (!valid(attribute) || (sub != null && !valid(sub))) {
            throw ScimException.invalidPath("Ogiltig sökväg: " + text);
        }
        return new ScimPath(schema, attribute, sub);
    }

    private static boolean valid(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$');
    }

    public boolean is(@Nullable String schemaUrn, String attr) {
        return java.util.Objects.equals(schema, schemaUrn) && attribute != null && attribute.equalsIgnoreCase(attr);
    }

    public boolean is(@Nullable String schemaUrn, String attr, String sub) {
        return is(schemaUrn, attr) && subAttribute != null && subAttribute.equalsIgnoreCase(sub);
    }

    /** Attributes compared with regard to case (RFC 7643: caseExact); everything else here ignores case. */
    boolean caseExact() {
        String a = attribute == null ? "" : attribute.toLowerCase(Locale.ROOT);
        return schema == null && (a.equals("id") || a.equals("externalid"))
                || (subAttribute != null && subAttribute.equalsIgnoreCase("value") && (a.equals("groups") || a.equals("members")))
                || a.equals("employeenumber");
    }

    @Override
    public String toString() {
        return (schema == null ? "" : schema + ":") + (attribute == null ? "" : attribute)
                + (subAttribute == null ? "" : "." + subAttribute);
    }
}
