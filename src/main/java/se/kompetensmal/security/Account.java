package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A way to sign in: a local username and password, or SSO only (no password), optionally tied to a person. */
@MappedEntity("user_account")
public record Account(
        @Id @GeneratedValue @Nullable Long id,
        String username,
        String displayName,
        @Nullable String passwordHash,
        @Nullable Long personId,
        int failedAttempts,
        @Nullable Instant lockedUntil) {
}
