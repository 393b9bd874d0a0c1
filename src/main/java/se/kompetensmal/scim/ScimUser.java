package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A SCIM user as stored (table scim_user): what the directory sent, the person it is linked to (none while it waits for
 * an audience) and the unit named.
 */
public record ScimUser(long id, String resourceId, long orgNodeId, @Nullable Long personId, String userName,
                       @Nullable String externalId, @Nullable String displayName, String givenName, String familyName,
                       @Nullable String email, @Nullable String employeeNumber, @Nullable String department,
                       @Nullable String organization, long unitId, boolean active, long version, Instant createdAt,
                       Instant updatedAt) {

    public String etag() {
        return "W/\"" + version + "\"";
    }
}
