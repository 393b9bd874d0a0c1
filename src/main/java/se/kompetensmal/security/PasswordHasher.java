package se.kompetensmal.security;

import jakarta.inject.Singleton;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;

/** Argon2id password hashes in the PHC string format, with the parameters OWASP recommends (19 MiB, 2 passes). */
@Singleton
public class PasswordHasher {

    private static final int MEMORY_KIB = 19_456;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder ENCODE = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getDecoder();

    /**
     * How many hashes run at once, at most, across the instance: each holds 19 MiB while it runs. Twenty sign-ins at the
     * same moment held some 380 MiB, and a test JVM with a 512 MB heap ran out of it (an I/O thread died, and its request
     * was never answered: a burst of sign-ins could take an instance down the same way). Hashing is work for the CPU, so
     * more hashes at once than twice the cores make none of them faster; and never more than a quarter of the heap.
     */
    private static final Semaphore AT_ONCE = new Semaphore(permits(Runtime.getRuntime().maxMemory(),
            Runtime.getRuntime().availableProcessors()));

    private final SecureRandom random = new SecureRandom();

    static int permits(long maxHeapBytes, int cores) {
        long perHash = MEMORY_KIB * 1024L + 1024 * 1024;
        long byHeap = Math.max(1, maxHeapBytes / 4 / perHash);
        return (int) Math.min(byHeap, Math.max(2, cores * 2L));
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + ENCODE.encodeToString(salt) + "$" + ENCODE.encodeToString(hash);
    }

    public boolean matches(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 6 || !"argon2id".equals(parts[1])) {
            return false;
        }
        String[] parameters = parts[3].split(",");
        int memory = Integer.parseInt(parameters[0].substring(2));
        int iterations = Integer.parseInt(parameters[1].substring(2));
        int parallelism = Integer.parseInt(parameters[2].substring(2));
        byte[] expected = DECODE.decode(parts[5]);
        return MessageDigest.isEqual(expected, argon2(password, DECODE.decode(parts[4]), memory, iterations, parallelism));
    }

    private static byte[] argon2(String password, byte[] salt, int memory, int iterations, int parallelism) {
        AT_ONCE.acquireUninterruptibly();
        try {
            return argon2Now(password, salt, memory, iterations, parallelism);
        } finally {
            AT_ONCE.release();
        }
    }

    private static byte[] argon2Now(String password, byte[] salt, int memory, int iterations, int parallelism) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memory).withIterations(iterations).withParallelism(parallelism)
                .build());
        byte[] hash = new byte[HASH_BYTES];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
        return hash;
    }
}
