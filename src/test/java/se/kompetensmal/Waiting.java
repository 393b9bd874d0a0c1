package se.kompetensmal;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls something the service does in the background until it is done. */
public final class Waiting {

    private Waiting() {
    }

    public static <T> T until(Supplier<T> read, Predicate<T> done, Duration limit, String what) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            T value = read.get();
            if (done.test(value)) {
                return value;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(what + " did not happen within " + limit);
    }
}
