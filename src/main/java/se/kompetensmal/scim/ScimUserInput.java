package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a User resource in a request asks for (a POST or PUT body, or the result of a PATCH), read and checked in full
 * before anything is written: every field bounded, the person identifiable (employee number or e-mail), a name.
 * Attributes outside the schemas (Entra ID sends more than is kept: titles, phone numbers, addresses) are ignored.
 */
public record ScimUserInput(String userName, @Nullable String externalId, @Nullable String displayName, String givenName,
                            String familyName, @Nullable String email, @Nullable String employeeNumber,
                            @Nullable String department, @Nullable String organization, boolean active) {

    @SuppressWarnings("unchecked")
    static ScimUserInput read(Map<String, Object> r) {
        String userName = bounded(ScimJson.text(r, "userName"), "userName", 255);
        if (userName == null) {
            throw ScimException.invalidValue("userName krävs.");
        }
        String externalId = bounded(ScimJson.text(r, "externalId"), "externalId", 255);
        String displayName = bounded(ScimJson.text(r, "displayName"), "displayName", 255);
        String given = null;
        String family = null;
        Object name = r.get("name");
        if (name instanceof Map<?, ?> n) {
            given = bounded(ScimJson.text((Map<String, Object>) n, "givenName"), "name.givenName", 100);
            family = bounded(ScimJson.text((Map<String, Object>) n, "familyName"), "name.familyName", 100);
        } else if (name != null) {
            throw ScimException.invalidValue("name ska vara ett objekt.");
        }
        if ((given == null || family == null) && displayName != null) {
            // A directory account without first and last name (a shared or service account) is named by its display name.
            int space = displayName.lastIndexOf(' ');
            if (given == null) {
                given = bounded(space > 0 ? displayName.substring(0, space) : displayName, "displayName", 100);
            }
            if (family == null) {
                family = bounded(space > 0 ? displayName.substring(space + 1) : "-", "displayName", 100);
            }
        }
        if (given == null || family == null) {
            throw ScimException.invalidValue("name.givenName och name.familyName (eller displayName) krävs.");
        }
        String email = bounded(email(r.get("emails")), "emails.value", 254);
        if (email != null && !email.matches("[^\\s@]+@[^\\s@]+")) {
            throw ScimException.invalidValue("E-postadressen «" + email + "» är inte giltig.");
        }
        String employeeNumber = null;
        String department = null;
        String organization = null;
        Object enterprise = r.get(ScimSchemas.ENTERPRISE_USER);
        if (enterprise instanceof Map<?, ?> e) {
            Map<String, Object> ent = (Map<String, Object>) e;
            Object number = ent.get("employeeNumber");
            // A number sent as a JSON number is read as the digits it is.
            employeeNumber = bounded(number instanceof Number n ? n.toString() : ScimJson.text(ent, "employeeNumber"),
                    "employeeNumber", 40);
            department = bounded(ScimJson.text(ent, "department"), "department", 200);
            organization = bounded(ScimJson.text(ent, "organization"), "organization", 200);
        } else if (enterprise != null) {
            throw ScimException.invalidValue(ScimSchemas.ENTERPRISE_USER + " ska vara ett objekt.");
        }
        if (employeeNumber == null && email == null) {
            throw ScimException.invalidValue("Personen behöver ett anställningsnummer (employeeNumber) eller en e-postadress (emails).");
        }
        Boolean active = ScimJson.flag(r.get("active"), "active");
        return new ScimUserInput(userName, externalId, displayName, given, family, email, employeeNumber, department,
                organization, active == null || active);
    }

    /** The primary address, else the work address, else the first. */
    @SuppressWarnings("unchecked")
    private static @Nullable String email(@Nullable Object emails) {
        if (emails == null) {
            return null;
        }
        if (!(emails instanceof List<?> list)) {
            throw ScimException.invalidValue("emails ska vara en lista.");
        }
        String primary = null;
        String work = null;
        String first = null;
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                throw ScimException.invalidValue("Varje värde i emails ska vara ett objekt.");
            }
            Map<String, Object> e = (Map<String, Object>) m;
            String value = ScimJson.text(e, "value");
            if (value == null || value.isBlank()) {
                continue;
            }
            value = value.strip();
            Boolean isPrimary = ScimJson.flag(e.get("primary"), "emails.primary");
            String type = ScimJson.text(e, "type");
            if (Boolean.TRUE.equals(isPrimary) && primary == null) {
                primary = value;
            }
            if (type != null && type.toLowerCase(Locale.ROOT).equals("work") && work == null) {
                work = value;
            }
            if (first == null) {
                first = value;
            }
        }
        return primary != null ? primary : work != null ? work : first;
    }

    private static @Nullable String bounded(@Nullable String value, String attribute, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            throw ScimException.invalidValue(attribute + " får vara högst " + max + " tecken.");
        }
        return v;
    }
}
