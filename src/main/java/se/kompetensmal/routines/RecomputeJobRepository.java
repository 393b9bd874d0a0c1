package se.kompetensmal.routines;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;

import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface RecomputeJobRepository extends CrudRepository<RecomputeJob, Long> {

    @Query("SELECT * FROM recompute_job WHERE scope_org_id = :scopeOrgId AND status = 'QUEUED' ORDER BY id LIMIT 1")
    Optional<RecomputeJob> findQueued(long scopeOrgId);

    @Query("SELECT * FROM recompute_job WHERE status = 'QUEUED' ORDER BY id LIMIT 1")
    Optional<RecomputeJob> findNextQueued();

    /** A job waiting for the node or a node above it: it recomputes everyone under the node too. */
    @Query("""
            SELECT j.* FROM recompute_job j JOIN org_closure c ON c.ancestor_id = j.scope_org_id AND c.descendant_id = :scopeOrgId
            WHERE j.status = 'QUEUED' ORDER BY c.depth, j.id LIMIT 1""")
    Optional<RecomputeJob> findQueuedCovering(long scopeOrgId);

    @Query("UPDATE recompute_job SET status = 'RUNNING' WHERE id = :id AND status = 'QUEUED'")
    int claim(long id);

    @Query("UPDATE recompute_job SET status = 'QUEUED', done_people = 0 WHERE status = 'RUNNING'")
    int requeueRunning();

    /** Progress in its own transaction, so that it shows while the job runs. */
    @Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
    @Query("""
            UPDATE recompute_job SET status = :status, total_people = :total, done_people = :done,
                   finished_at = IF(:status IN ('DONE', 'FAILED'), CURRENT_TIMESTAMP, NULL) WHERE id = :id""")
    void progress(long id, String status, int total, int done);
}
