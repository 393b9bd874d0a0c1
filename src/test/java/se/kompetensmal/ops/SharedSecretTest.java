package se.kompetensmal.ops;

import org.junit.jupiter.api.Test;
import se.kompetensmal.RefusedStart;
import se.kompetensmal.TestDatabase;
import se.kompetensmal.security.SharedSecret;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A production start (kompetensmal.require-shared-secret not switched off, as only the run command, the tests and the
 * benchmark do) stops without a shared signing key of 32+ characters, and says so in Swedish.
 */
class SharedSecretTest implements TestDatabase {

    @Test
    void aProductionStartWithoutTheSecretStops() {
        String message = startFails(Map.of());
        assertTrue(message.contains("KOMPETENSMAL_JWT_SECRET saknas"), message);
        assertTrue(message.contains("samma på varje instans"), message);
    }

    @Test
    void aProductionStartWithAShortSecretStops() {
        String message = startFails(Map.of("kompetensmal.jwt-secret", "kort-hemlighet-31-tecken-......"));
        assertTrue(message.contains("KOMPETENSMAL_JWT_SECRET är för kort (31 tecken)"), message);
    }

    @Test
    void aSecretOf32OrMoreCharactersIsAccepted() {
        new SharedSecret("en-gemensam-nyckel-på-32-tecken!");
    }

    private String startFails(Map<String, Object> secret) {
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.putAll(secret);
        properties.put("kompetensmal.require-shared-secret", "true");
        properties.put("kompetensmal.jobs.enabled", "false");
        Exception failure = RefusedStart.expect(Exception.class, properties, "test");
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
