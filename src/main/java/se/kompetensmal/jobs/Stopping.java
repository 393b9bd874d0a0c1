package se.kompetensmal.jobs;

import jakarta.inject.Singleton;

/**
 * Whether this instance has begun an orderly stop (SIGTERM, as a rolling deploy sends). A kind that works through a
 * list one item at a time (the reminders' mails) asks it before each item: it finishes the item in flight and leaves
 * the rest queued for the next holder, instead of being cut short mid-item when the scheduler's wait runs out.
 *
 * <p>Why: on the Galera test (CI, 2026-12-03) a reminder was left SENDING, never to be sent, in a run where no holder
 * of the reminders was killed: the only other way out is the orderly restart. The round went on claiming after the stop
 * had begun, and the pool was closed under it (see {@link Jobs#stop()}); in the log of another run's orderly restart
 * the pool closed 77 ms after "Multiple calls to 'stop()'", under the running {@code summaries} task.
 */
@Singleton
public class Stopping {

    private volatile boolean requested;

    /** True from the moment this instance's orderly stop began. */
    public boolean requested() {
        return requested;
    }

    void begin() {
        requested = true;
    }
}
