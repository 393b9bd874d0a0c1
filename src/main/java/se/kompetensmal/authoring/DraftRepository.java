package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** The drafts of own modules; written only by {@link ModuleAuthoring}. */
@JdbcRepository(dialect = Dialect.MYSQL)
interface DraftRepository extends GenericRepository<DraftRow, String> {

    Optional<DraftRow> findById(String moduleCode);

    /** The draft, locked until the transaction ends: publishing and image uploads change it without racing a save. */
    @Query("SELECT * FROM module_draft WHERE module_code = :moduleCode FOR UPDATE")
    Optional<DraftRow> lock(String moduleCode);

    @Query("""
            INSERT INTO module_draft (module_code, content, revision, updated_at, updated_by, unpublished_changes)
            VALUES (:moduleCode, :content, 1, COALESCE(:savedAt, CURRENT_TIMESTAMP(3)), :savedBy, :unpublished)""")
    void insert(String moduleCode, String content, @Nullable java.time.Instant savedAt, @Nullable Long savedBy,
                boolean unpublished);

    /**
     * Saves the content over the revision the editor started from, raising it; 0 rows when someone else saved meanwhile.
     */
    @Query("""
            UPDATE module_draft SET content = :content, revision = revision + 1, updated_at = CURRENT_TIMESTAMP(3),
                                    updated_by = :savedBy, unpublished_changes = TRUE
            WHERE module_code = :moduleCode AND revision = :revision""")
    int saveOver(String moduleCode, int revision, String content, long savedBy);

    /** Replaces the content whatever the revision (images, imports), raising it. */
    @Query("""
            UPDATE module_draft SET content = :content, revision = revision + 1, updated_at = CURRENT_TIMESTAMP(3),
                                    updated_by = :savedBy, unpublished_changes = TRUE
            WHERE module_code = :moduleCode""")
    int replace(String moduleCode, String content, long savedBy);

    /** New images in the draft: saved by whoever added them, not a new revision of the typed text. */
    @Query("""
            UPDATE module_draft SET content = :content, updated_at = CURRENT_TIMESTAMP(3), updated_by = :savedBy,
                                    unpublished_changes = TRUE
            WHERE module_code = :moduleCode""")
    int changeImages(String moduleCode, String content, long savedBy);

    @Query("UPDATE module_draft SET unpublished_changes = FALSE WHERE module_code = :moduleCode")
    void published(String moduleCode);

    @Query("DELETE FROM module_draft WHERE module_code = :moduleCode")
    void delete(String moduleCode);
}
