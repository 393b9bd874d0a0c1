package se.kompetensmal.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password's hash matches it and nothing else; and a burst of sign-ins hashes a bounded number at once, so that it
 * cannot take the heap (each hash holds 19 MiB; SignInHardeningTest sends twenty at the same moment).
 */
class PasswordHasherTest {

    private static final long MB = 1024 * 1024;

    @Test
    void aHashMatchesItsPasswordOnly() {
        PasswordHasher hasher = new PasswordHasher();
        String hash = hasher.hash("Rätt-lösenord-2026");
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        assertTrue(hasher.matches("Rätt-lösenord-2026", hash));
        assertFalse(hasher.matches("Fel-lösenord-2026", hash));
    }

    @Test
    void hashesAtOnceAreBoundByTheCoresAndByAQuarterOfTheHeap() {
        // A hash takes 20 MiB with its overhead: a quarter of a 512 MB heap is six of them.
        assertEquals(4, PasswordHasher.permits(512 * MB, 2), "two cores: four at once");
        assertEquals(6, PasswordHasher.permits(512 * MB, 16), "sixteen cores, but the heap allows six");
        assertEquals(32, PasswordHasher.permits(8192 * MB, 16));
        assertEquals(1, PasswordHasher.permits(64 * MB, 8), "always at least one");
    }
}
