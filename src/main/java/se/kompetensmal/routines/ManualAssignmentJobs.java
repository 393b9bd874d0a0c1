package se.kompetensmal.routines;

import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.jobs.Backlog;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.sql.Retried;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The background job {@code manual-assignment}: writes the group assignments coordinators asked for
 * ({@link ManualAssignments#request}), oldest first, a chunk of people per transaction
 * ({@link ManualAssignments#assignNextChunk}). Only the instance holding the kind runs it (see {@link BackgroundJob}), so
 * a job found RUNNING was left by an instance that died: it goes on from where its last committed chunk ended. Should
 * two runs meet on one job all the same, they take turns on its row and no chunk is written twice.
 */
@Singleton
public class ManualAssignmentJobs implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(ManualAssignmentJobs.class);
    static final String KIND = "manual-assignment";
    /** A chunk the database rolled back (a deadlock, or a certification conflict on Galera) is tried this many times. */
    private static final int ATTEMPTS = 5;

    private final ManualAssignments manual;
    private final NamedSql sql;
    private final TransactionOperations<Connection> transactions;
    private final Duration interval;
    /** People per transaction: a small write set (Galera), and the progress a page shows moves often. */
    private final int chunk;

    public ManualAssignmentJobs(ManualAssignments manual, NamedSql sql, TransactionOperations<Connection> transactions,
                                @Value("${kompetensmal.manual-assignment-poll:2s}") Duration interval,
                                @Value("${kompetensmal.manual-assignment-chunk:500}") int chunk) {
        this.chunk = chunk;
        this.manual = manual;
        this.sql = sql;
        this.transactions = transactions;
        this.interval = interval;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String title() {
        return "Tilldelningar till grupper";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Backlog backlog() {
        return Backlog.read(sql, """
                SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest FROM manual_assignment_job
                WHERE status IN ('QUEUED', 'RUNNING')""", Map.of());
    }

    /** A queued assignment by its id, for its status (the caller checks the right to see it by its node). */
    public Optional<ManualAssignmentJob> find(long id) {
        return manual.job(id);
    }

    /** The latest assignments asked for at the node, newest first: what its group page shows. */
    public List<ManualAssignmentJob> latestAt(long nodeId, int count) {
        return sql.list("SELECT " + ManualAssignmentJob.COLUMNS
                        + " FROM manual_assignment_job WHERE node_id = :node ORDER BY id DESC LIMIT :count",
                NamedSql.with("node", nodeId).and("count", count), ManualAssignmentJob::of);
    }

    /** Writes every waiting assignment, and goes on with any a stopped instance left running. */
    @Override
    public void run() {
        for (Long id = next(); id != null; id = next()) {
            sql.update("""
                    UPDATE manual_assignment_job SET status = 'RUNNING', started_at = CURRENT_TIMESTAMP
                    WHERE id = :id AND status = 'QUEUED'""", NamedSql.with("id", id));
            run(id);
        }
    }

    private Long next() {
        return sql.one("""
                SELECT id FROM manual_assignment_job WHERE status IN ('QUEUED', 'RUNNING') ORDER BY id LIMIT 1""",
                Map.of(), row -> row.number("id")).orElse(null);
    }

    private void run(long id) {
        try {
            boolean more = true;
            while (more) {
                more = Retried.whenRolledBack(ATTEMPTS, () -> transactions.execute(
                        TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW),
                        status -> manual.assignNextChunk(id, chunk)));
            }
        } catch (RuntimeException e) {
            if (Retried.rolledBack(e) || Retried.connectionLost(e)) {
                // The chunk was kept whole or not at all, with the job's place in the same transaction, and the job stays
                // RUNNING: the next run goes on from where the database says it came (a Galera node lost mid-chunk, too).
                LOG.warn("Manual assignment {} was rolled back or lost its connection; it goes on in the next run", id, e);
                throw e;
            }
            // What was written stays (and was announced); the coordinator sees how far it came and may ask again.
            LOG.error("Manual assignment {} failed", id, e);
            sql.update("UPDATE manual_assignment_job SET status = 'FAILED', finished_at = CURRENT_TIMESTAMP WHERE id = :id",
                    NamedSql.with("id", id));
        }
    }
}
