package se.kompetensmal.routines;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.jobs.Backlog;
import se.kompetensmal.jobs.Jobs;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.sql.Retried;

import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs recomputations of assignments in the background, never in a web request: a slice of people at a time, with the
 * progress saved after each. The background job kind {@code recompute}: one instance at a time works through the queue
 * (see {@link BackgroundJob}). Recomputation is idempotent, so a job left RUNNING by an instance that died is simply
 * run again from the start by the instance that takes the kind over.
 */
@Singleton
public class RecomputeJobs implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(RecomputeJobs.class);
    /** People per slice unless kompetensmal.recompute-slice says otherwise; each slice is one transaction and one step of progress. */
    static final int SLICE = 2_000;
    /** A slice the database rolled back (a deadlock, or a certification conflict on Galera) is tried this many times. */
    private static final int ATTEMPTS = 4;

    private final RecomputeJobRepository jobs;
    private final AssignmentRecompute recompute;
    private final PersonIds personIds;
    private final NamedSql sql;
    private final Provider<Jobs> background;
    private final Duration interval;
    private final int slice;
    private final ApplicationEventPublisher<RecomputationDone> finished;

    public RecomputeJobs(RecomputeJobRepository jobs, AssignmentRecompute recompute, PersonIds personIds, NamedSql sql,
                         Provider<Jobs> background, @Value("${kompetensmal.recompute-poll:1s}") Duration interval,
                         @Value("${kompetensmal.recompute-slice:" + SLICE + "}") int slice,
                         ApplicationEventPublisher<RecomputationDone> finished) {
        this.finished = finished;
        this.jobs = jobs;
        this.recompute = recompute;
        this.personIds = personIds;
        this.sql = sql;
        this.background = background;
        this.interval = interval;
        if (slice < 1 || slice > 100_000) {
            throw new IllegalArgumentException("kompetensmal.recompute-slice måste vara mellan 1 och 100000 personer, inte " + slice);
        }
        this.slice = slice;
    }

    @Override
    public String kind() {
        return "recompute";
    }

    @Override
    public String title() {
        return "Omräkning av uppdrag";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public Backlog backlog() {
        return Backlog.read(sql, "SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest FROM recompute_job WHERE status = 'QUEUED'",
                java.util.Map.of());
    }

    /**
     * Queues a recomputation under the node; one already waiting for the same node covers this request too. The job is
     * picked up once the caller's transaction has committed, so it always sees the change that asked for it.
     */
    public RecomputeJob request(long scopeOrgId, String requestedBy) {
        RecomputeJob job = jobs.findQueued(scopeOrgId)
                .orElseGet(() -> jobs.save(new RecomputeJob(null, scopeOrgId, "QUEUED", 0, 0, requestedBy, null, null)));
        background.get().nudge(kind());
        return job;
    }

    /**
     * As {@link #request}, where a job already waiting for a node above also covers this one: for the roster's triggers,
     * where an import announces both the people it changed (by their huvudmän) and itself (by its scope), so that the
     * same people are not recomputed twice. Not for a caller who follows the job it gets, as one above may lie outside
     * what they may see.
     */
    public RecomputeJob requestCovered(long scopeOrgId, String requestedBy) {
        RecomputeJob job = jobs.findQueuedCovering(scopeOrgId)
                .orElseGet(() -> jobs.save(new RecomputeJob(null, scopeOrgId, "QUEUED", 0, 0, requestedBy, null, null)));
        background.get().nudge(kind());
        return job;
    }

    /**
     * Works through the queue. Only the instance holding the kind runs this, so a job found RUNNING was cut short by an
     * instance that died (or stopped) while running it: it starts over, as recomputation is idempotent. Until issue 21
     * each instance re-queued every RUNNING job when it started, including those another live instance was running.
     */
    @Override
    public void run() {
        int resumed = jobs.requeueRunning();
        if (resumed > 0) {
            LOG.info("{} assignment recomputation(s) cut short on a stopped instance are queued again", resumed);
        }
        for (RecomputeJob job = jobs.findNextQueued().orElse(null); job != null; job = jobs.findNextQueued().orElse(null)) {
            if (jobs.claim(job.id()) == 1) {
                run(job.id(), job.scopeOrgId());
            }
        }
    }

    private void run(long jobId, long scopeOrgId) {
        try {
            List<Long> ids = personIds.under(scopeOrgId);
            jobs.progress(jobId, "RUNNING", ids.size(), 0);
            for (int from = 0; from < ids.size(); from += slice) {
                int to = Math.min(from + slice, ids.size()) - 1;
                long first = ids.get(from);
                long last = ids.get(to);
                try {
                    Retried.whenRolledBack(ATTEMPTS, () -> {
                        recompute.recompute(scopeOrgId, first, last);
                        return null;
                    });
                } catch (RuntimeException e) {
                    LOG.warn("Assignment recomputation {}: a slice failed, recomputing its people one at a time", jobId, e);
                    recomputeOneByOne(jobId, scopeOrgId, ids.subList(from, to + 1));
                }
                jobs.progress(jobId, "RUNNING", ids.size(), to + 1);
            }
            // Told before the job shows as done (every slice has committed): whoever waits for "done" then finds what
            // the listeners asked for already asked.
            try {
                finished.publishEvent(new RecomputationDone(jobId, scopeOrgId));
            } catch (RuntimeException e) {
                // The recomputation stands; what listens catches up at the next one.
                LOG.warn("Assignment recomputation {} is done; telling so failed", jobId, e);
            }
            jobs.progress(jobId, "DONE", ids.size(), ids.size());
        } catch (RuntimeException e) {
            if (Retried.rolledBack(e)) {
                // Rolled back by the database (a deadlock, a certification conflict): nothing of the failed step was
                // kept, and recomputation is idempotent, so the job waits in the queue for the next run.
                LOG.warn("Assignment recomputation {} was rolled back by the database and is queued again", jobId, e);
                jobs.progress(jobId, "QUEUED", 0, 0);
                throw e;
            }
            LOG.error("Assignment recomputation {} failed", jobId, e);
            jobs.progress(jobId, "FAILED", 0, 0);
        }
    }

    /**
     * One person's bad data must not keep everyone else's assignments from being brought up to date: after a slice has
     * failed (and rolled back), each of its people is recomputed alone, and whoever fails alone is skipped and logged.
     */
    private void recomputeOneByOne(long jobId, long scopeOrgId, List<Long> ids) {
        for (long personId : ids) {
            try {
                Retried.whenRolledBack(ATTEMPTS, () -> {
                    recompute.recompute(scopeOrgId, personId, personId);
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.error("Assignment recomputation {} skipped person {}, whose data it could not compute: {}",
                        jobId, personId, e.getMessage());
            }
        }
    }

    /**
     * The ids of everyone placed under a node, in order: the slices a job works through. Placed now or before (an ended
     * placement), as {@link AssignmentRecompute} counts the people of a scope, so that what an ended placement gave is
     * withdrawn; each person once, however many units under the node they are placed in.
     */
    @Singleton
    @Connectable
    public static class PersonIds {

        private final JdbcOperations jdbc;

        public PersonIds(JdbcOperations jdbc) {
            this.jdbc = jdbc;
        }

        public List<Long> under(long nodeId) {
            return jdbc.prepareStatement("""
                    SELECT DISTINCT pl.person_id FROM org_closure c JOIN placement pl ON pl.org_node_id = c.descendant_id
                    WHERE c.ancestor_id = ?
                    ORDER BY pl.person_id""", statement -> {
                statement.setLong(1, nodeId);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            });
        }
    }
}
