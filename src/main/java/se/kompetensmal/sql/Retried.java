package se.kompetensmal.sql;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * The one home of "again, when the database rolled the transaction back": a transaction chosen as a deadlock's victim
 * (SQLSTATE class 40, MariaDB error 1213) was rolled back whole, so nothing of it was applied and running it once more
 * is safe. The work must be a whole transaction of its own (called from outside it). Seen between a learner's SCORM
 * calls, between the demo's assignment and its recomputations, and between a SCIM change and the recomputation the
 * previous change started (ScimEntraTest, 1 run in 4 under load).
 */
public final class Retried {

    private Retried() {
    }

    /** The work's answer, running it up to {@code attempts} times while the database rolls it back, pausing a little more each time. */
    public static <T> T whenRolledBack(int attempts, Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !rolledBack(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Records something that has already happened outside the database (a mail the mail server took, statements the
     * LRS stored), trying again for a few seconds while the connection fails over to another node: giving up would leave
     * it to be done a second time. Answers whether it was recorded; the caller leaves the item claimed otherwise, so it
     * is not done again. On the Galera test a node killed between the send and the update sent 5 mails and 100
     * statements twice.
     */
    public static boolean recordedAfterTheFact(Runnable record) {
        return throughFailover(() -> {
            record.run();
            return true;
        }).isPresent();
    }

    /**
     * Does the work, trying again for a few seconds (5 attempts, 10 s in all) while the connection fails over to
     * another node; empty when it still fails. For what must be known after a lost connection: a record of something
     * done, or whether a statement whose answer was lost was committed.
     */
    public static <T> java.util.Optional<T> throughFailover(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return java.util.Optional.of(work.get());
            } catch (RuntimeException e) {
                if (attempt >= 5) {
                    return java.util.Optional.empty();
                }
                try {
                    Thread.sleep(1000L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return java.util.Optional.empty();
                }
            }
        }
    }

    /**
     * The one home of "a claim whose answer was lost": whether a claim holds after its update failed with {@code e}.
     * Rolled back (two claimants through two Galera nodes meet as a certification conflict): not this one's. The
     * connection lost while the claim was answered (a node killed, the driver failing over): the claim may or may not
     * have been committed, so {@code heldWithItsToken} reads again, through the failover, whether the row holds the
     * claim's own token (random, one per claim); the claim is this one's only if it does. Rethrows what it cannot tell.
     * Seen on the Galera test: committed claims whose answers were lost left a reminder SENDING and a place marked
     * reminded, their mails never sent (V44, V45).
     */
    public static boolean claimedDespite(RuntimeException e, Supplier<Boolean> heldWithItsToken) {
        if (rolledBack(e)) {
            return false;
        }
        if (connectionLost(e)) {
            java.util.Optional<Boolean> ours = throughFailover(heldWithItsToken);
            if (ours.isPresent()) {
                return ours.get();
            }
        }
        throw e;
    }

    /** Whether the database rolled the transaction back (a deadlock or a serialization failure). */
    public static boolean rolledBack(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the connection to the database was lost or could not be had (SQLSTATE class 08, or the pool gave up while
     * the driver failed over to another node): what the transaction did is unknown to the caller, but a whole transaction
     * was either committed or not at all, so work that can tell from the database how far it came may go on later.
     */
    public static boolean connectionLost(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLTransientConnectionException || cause instanceof java.sql.SQLNonTransientConnectionException
                    || cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
