package se.kompetensmal.jobs;

import java.time.Duration;

/**
 * One kind of background work (roster imports, recomputations, reminders, reading the LRS, ...). Every bean of this
 * type is registered with {@link Jobs} at start: on every instance, but its {@link #run()} is called by one instance at
 * a time across all instances, the one holding the kind's lease. The holder keeps the lease with a heartbeat; when an
 * instance dies, its lease ends after the missed-heartbeat limit and another instance takes the kind over, never while
 * the holder lives.
 *
 * <p>A kind's work waits in the feature's own table (its queue, with a status the pages show); {@code run()} drains
 * it and returns when nothing is waiting. As only one instance runs a kind at a time, an item that {@code run()} finds
 * half done (RUNNING, WRITING) was left by a holder that died: run it again, which must be safe (idempotent, or
 * all-or-nothing and not yet committed).
 */
public interface BackgroundJob {

    /** The kind's name, lower-case with hyphens ("roster-import"): the lease's name, and the label in metrics and health. */
    String kind();

    /** What the kind is called on the administrators' page of background work, in Swedish ("Importer av personal"). */
    String title();

    /** How long the holder waits after a run before it looks for work again; {@link Jobs#nudge} asks for a run sooner. */
    Duration interval();

    /**
     * How long after the kind is first registered (the first start on a new database) it first runs; later starts keep
     * the time the table holds. Zero: at once.
     */
    default Duration firstRunAfter() {
        return Duration.ZERO;
    }

    /**
     * Does what is waiting. An exception is logged and counted as the kind's failure, and the kind runs again after
     * its interval; retry a transaction the database rolled back (1213) with {@code sql.Retried} inside, per item.
     */
    void run();

    /** What is waiting now, for metrics and health; {@link Backlog#NONE} for a kind without a queue (a schedule). */
    default Backlog backlog() {
        return Backlog.NONE;
    }
}
