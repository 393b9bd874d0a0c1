package se.kompetensmal;

import io.micronaut.context.ApplicationContext;

import java.io.Closeable;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Starts a service that is expected to refuse to start, and returns why. A context whose start fails is neither running
 * nor stopped (Micronaut's stop does nothing then), so what it had made lives on: with {@code ApplicationContext.run} a
 * refused start left its connection pool running for the rest of the test JVM, which in one run tried for minutes to
 * reach a database the test had dropped. Here the pools and other closeable beans it made are closed.
 */
public final class RefusedStart {

    private RefusedStart() {
    }

    public static <T extends Throwable> T expect(Class<T> failure, Map<String, Object> properties, String... environments) {
        ApplicationContext refused = ApplicationContext.builder().properties(properties).environments(environments).build();
        try {
            return assertThrows(failure, refused::start);
        } finally {
            for (var made : refused.getActiveBeanRegistrations(Closeable.class)) {
                try {
                    made.bean().close();
                } catch (Exception ignored) {
                    // Closing what a refused start left is tidying up; the test's verdict is the refusal.
                }
            }
        }
    }
}
