package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;

/**
 * A refusal of a SCIM request (RFC 7644 section 3.12), answered as a SCIM error document by {@link ScimErrors}: the HTTP
 * status, the scimType where the RFC names one, and a detail in Swedish. Thrown before anything is written, or inside the
 * one transaction of the request, so that a refused request changes nothing.
 */
public class ScimException extends RuntimeException {

    private final int status;
    private final @Nullable String scimType;

    public ScimException(int status, @Nullable String scimType, String detail) {
        super(detail);
        this.status = status;
        this.scimType = scimType;
    }

    public int status() {
        return status;
    }

    public @Nullable String scimType() {
        return scimType;
    }

    public static ScimException invalidValue(String detail) {
        return new ScimException(400, "invalidValue", detail);
    }

    public static ScimException invalidSyntax(String detail) {
        return new ScimException(400, "invalidSyntax", detail);
    }

    public static ScimException invalidFilter(String detail) {
        return new ScimException(400, "invalidFilter", detail);
    }

    public static ScimException invalidPath(String detail) {
        return new ScimException(400, "invalidPath", detail);
    }

    public static ScimException noTarget(String detail) {
        return new ScimException(400, "noTarget", detail);
    }

    public static ScimException mutability(String detail) {
        return new ScimException(400, "mutability", detail);
    }

    public static ScimException uniqueness(String detail) {
        return new ScimException(409, "uniqueness", detail);
    }

    public static ScimException notFound() {
        return new ScimException(404, null, "Resursen finns inte.");
    }

    public static ScimException unauthorized() {
        return new ScimException(401, null,
                "SCIM kräver en giltig token för organisationen i huvudet Authorization: Bearer.");
    }

    public static ScimException preconditionFailed() {
        return new ScimException(412, null,
                "Resursen har ändrats sedan den lästes (If-Match stämmer inte med meta.version). Läs den igen.");
    }
}
