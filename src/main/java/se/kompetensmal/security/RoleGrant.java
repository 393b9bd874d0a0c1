package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A role held on an organisational node (and so on its whole subtree); no node means the whole system. */
@MappedEntity("role_grant")
public record RoleGrant(
        @Id @GeneratedValue @Nullable Long id,
        long accountId,
        Role role,
        @Nullable Long orgNodeId,
        String grantedBy,
        @DateCreated @Nullable Instant grantedAt) {
}
