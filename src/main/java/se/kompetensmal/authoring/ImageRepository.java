package se.kompetensmal.authoring;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** A module's uploaded images; a row is added, never changed. */
@JdbcRepository(dialect = Dialect.MYSQL)
interface ImageRepository extends GenericRepository<ImageRow, Long> {

    ImageRow save(ImageRow image);

    Optional<ImageRow> findByIdAndModuleCode(long id, String moduleCode);

    /** The same bytes uploaded to the module before (any file name): stored once. */
    @Query("SELECT * FROM module_image WHERE module_code = :moduleCode AND sha256 = :sha256 ORDER BY id LIMIT 1")
    Optional<ImageRow> sameBytes(String moduleCode, String sha256);

    @Query("DELETE FROM module_image WHERE module_code = :moduleCode")
    void deleteOfModule(String moduleCode);
}
