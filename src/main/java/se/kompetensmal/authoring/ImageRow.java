package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** An uploaded image of a module: never changed once written (a draft and versions point at it by id). */
@MappedEntity("module_image")
record ImageRow(@Id @GeneratedValue @Nullable Long id, String moduleCode, String fileName, String contentType,
                String sha256, byte[] bytes, @Nullable Long createdBy) {
}
