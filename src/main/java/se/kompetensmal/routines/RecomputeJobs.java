package se.kompetensmal.routines;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs recomputations of assignments in the background, never in a web request: a slice of people at a time, with the
 * progress saved after each. Recomputation is idempotent, so running a job twice is harmless and a job cut short by a
 * restart is simply run again from the start.
 */
@Singleton
public class RecomputeJobs {

    private static final Logger LOG = LoggerFactory.getLogger(RecomputeJobs.class);
    static final int SLICE = 2_000;

    private final RecomputeJobRepository jobs;
    private final AssignmentRecompute recompute;
    private final PersonIds personIds;

    public RecomputeJobs(RecomputeJobRepository jobs, AssignmentRecompute recompute, PersonIds personIds) {
        this.jobs = jobs;
        this.recompute = recompute;
        this.personIds = personIds;
    }

    /**
     * Queues a recomputation under the node; one already waiting for the same node covers this request too. The job is
     * picked up once the caller's transaction has committed, so it always sees the change that asked for it.
     */
    public RecomputeJob request(long scopeOrgId, String requestedBy) {
        return jobs.findQueued(scopeOrgId)
                .orElseGet(() -> jobs.save(new RecomputeJob(null, scopeOrgId, "QUEUED", 0, 0, requestedBy, null, null)));
    }

    /**
     * As {@link #request}, where a job already waiting for a node above also covers this one: for the roster's triggers,
     * where an import announces both the people it changed (by their huvudmän) and itself (by its scope), so that the
     * same people are not recomputed twice. Not for a caller who follows the job it gets, as one above may lie outside
     * what they may see.
     */
    public RecomputeJob requestCovered(long scopeOrgId, String requestedBy) {
        return jobs.findQueuedCovering(scopeOrgId)
                .orElseGet(() -> jobs.save(new RecomputeJob(null, scopeOrgId, "QUEUED", 0, 0, requestedBy, null, null)));
    }

    /** A job that was running when the service stopped starts over (recomputation is idempotent). */
    @EventListener
    void resumeAfterRestart(StartupEvent event) {
        int resumed = jobs.requeueRunning();
        if (resumed > 0) {
            LOG.info("{} assignment recomputation(s) cut short by a restart are queued again", resumed);
        }
    }

    @Scheduled(fixedDelay = "${kompetensmal.recompute-poll:1s}", initialDelay = "2s")
    void runQueued() {
        for (RecomputeJob job = jobs.findNextQueued().orElse(null); job != null; job = jobs.findNextQueued().orElse(null)) {
            // Claiming by a conditional update means two instances never run the same job.
            if (jobs.claim(job.id()) == 1) {
                run(job.id(), job.scopeOrgId());
            }
        }
    }

    private void run(long jobId, long scopeOrgId) {
        try {
            List<Long> ids = personIds.under(scopeOrgId);
            jobs.progress(jobId, "RUNNING", ids.size(), 0);
            for (int from = 0; from < ids.size(); from += SLICE) {
                int to = Math.min(from + SLICE, ids.size()) - 1;
                try {
                    recompute.recompute(scopeOrgId, ids.get(from), ids.get(to));
                } catch (RuntimeException e) {
                    LOG.warn("Assignment recomputation {}: a slice failed, recomputing its people one at a time", jobId, e);
                    recomputeOneByOne(jobId, scopeOrgId, ids.subList(from, to + 1));
                }
                jobs.progress(jobId, "RUNNING", ids.size(), to + 1);
            }
            jobs.progress(jobId, "DONE", ids.size(), ids.size());
        } catch (RuntimeException e) {
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
                recompute.recompute(scopeOrgId, personId, personId);
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
