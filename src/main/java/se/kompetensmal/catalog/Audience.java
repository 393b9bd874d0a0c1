package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

/** A target group of the national competence goals (målgrupp); the eight national ones are seeded, organisations may add their own. */
@Serdeable
@MappedEntity("audience")
public record Audience(
        @Id @GeneratedValue @Nullable Long id,
        String code,
        String nameSv,
        @Nullable String nameEn,
        @Nullable Long ownerOrgId,
        int sortOrder) {
}
