package se.kompetensmal.security;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;

/**
 * A production start stops without a shared signing key. Without {@code KOMPETENSMAL_JWT_SECRET} every start makes a
 * random key of its own (application.yml), so with several instances a session cookie or bearer token issued by one is
 * refused by the others, and a restart signs everyone out. The run command ({@code -Pdev}), the tests and the benchmark
 * set {@code kompetensmal.require-shared-secret=false} and keep the random key.
 */
@Context
@Requires(property = "kompetensmal.require-shared-secret", notEquals = "false")
public class SharedSecret {

    /** HS256 needs a key of 256 bits; fewer characters are refused. */
    public static final int MIN_LENGTH = 32;

    public SharedSecret(@Value("${kompetensmal.jwt-secret:}") @Nullable String secret) {
        String problem = problem(secret);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** Why the key is not good enough for production, in Swedish, or null when it is. */
    static @Nullable String problem(@Nullable String secret) {
        String advice = " Sätt en gemensam nyckel på minst " + MIN_LENGTH + " tecken, samma på varje instans (till exempel"
                + " utdata från openssl rand -base64 48). Utan den signerar varje instans med en egen slumpad nyckel, och"
                + " inloggningar och API-nycklar från en instans godtas inte av de andra.";
        if (secret == null || secret.isBlank()) {
            return "Tjänsten startar inte: KOMPETENSMAL_JWT_SECRET saknas." + advice;
        }
        if (secret.length() < MIN_LENGTH) {
            return "Tjänsten startar inte: KOMPETENSMAL_JWT_SECRET är för kort (" + secret.length() + " tecken)." + advice;
        }
        return null;
    }
}
