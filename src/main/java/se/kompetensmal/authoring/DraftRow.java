package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A module's draft as stored: the whole {@link se.kompetensmal.catalog.ModuleDraft} as JSON, its revision (raised by
 * every save, so that a save made on an older one is noticed), who saved it last and when, and whether it holds changes
 * not yet published.
 */
@MappedEntity("module_draft")
record DraftRow(@Id String moduleCode, String content, int revision, Instant updatedAt, @Nullable Long updatedBy,
                boolean unpublishedChanges) {
}
