package se.kompetensmal.roster;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;

import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface RosterImportRepository extends CrudRepository<RosterImport, Long> {

    List<RosterImport> findTop20OrderByIdDesc();

    /** Progress is written in its own transaction so that it shows while the import's own transaction is open. */
    @Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
    @Query("UPDATE roster_import SET status = :status, total_rows = :totalRows, processed_rows = :processedRows WHERE id = :id")
    void updateProgress(long id, RosterImportStatus status, int totalRows, int processedRows);

    @Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
    @Query("""
            UPDATE roster_import SET status = :status, message = :message, created_count = :created,
                   updated_count = :updated, left_count = :left, finished_at = CURRENT_TIMESTAMP WHERE id = :id""")
    void finish(long id, RosterImportStatus status, String message, int created, int updated, int left);

    /** Moves a held import on, once: of two answers given at the same time only one takes effect. */
    @Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
    @Query("UPDATE roster_import SET status = :status, finished_at = NULL WHERE id = :id AND status = 'AWAITING_CONFIRMATION'")
    int leaveAwaiting(long id, RosterImportStatus status);

    /** Queues a held import again, confirmed, once: of two answers given at the same time only one takes effect. */
    @Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
    @Query("""
            UPDATE roster_import SET status = 'QUEUED', confirmed = TRUE, finished_at = NULL, total_rows = 0, processed_rows = 0
            WHERE id = :id AND status = 'AWAITING_CONFIRMATION'""")
    int queueConfirmed(long id);

    /** Records how an import ended, in the caller transaction (a rejection with its errors) or in one of its own. */
    @Query("""
            UPDATE roster_import SET status = :status, message = :message, created_count = :created,
                   updated_count = :updated, left_count = :left, finished_at = CURRENT_TIMESTAMP WHERE id = :id""")
    void recordEnd(long id, RosterImportStatus status, String message, int created, int updated, int left);

    @Query("SELECT row_no AS `row`, column_name AS `column`, reason FROM roster_import_error WHERE import_id = :importId ORDER BY row_no, id LIMIT :limit")
    List<RowError> findErrors(long importId, int limit);

    @Query("SELECT COUNT(*) FROM roster_import_error WHERE import_id = :importId")
    long countErrors(long importId);
}
