package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A signed-in session: its random id travels in the token, the row says whether the session still holds. */
@MappedEntity("user_session")
public record UserSession(
        @Id String id,
        long accountId,
        @Nullable Instant createdAt,
        @Nullable Instant lastSeenAt,
        @Nullable Instant endedAt) {
}
