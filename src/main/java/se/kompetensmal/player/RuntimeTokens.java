package se.kompetensmal.player;

import io.micronaut.data.connection.annotation.Connectable;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runtime tokens: what the package origin knows of the learner instead of a session. A token is 32 random bytes (43
 * characters base64url, in the frame's URL), good for 12 hours for one attempt of one person; only its sha256 is kept,
 * so the table read by someone else gives no working token. It stops working when it expires, when the attempt is no
 * longer the person's, or when the person has left (checked on every request, like roles are).
 */
@Singleton
@Connectable
public class RuntimeTokens {

    static final int LIFETIME_HOURS = 12;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NamedSql sql;

    public RuntimeTokens(NamedSql sql) {
        this.sql = sql;
    }

    /** What a token lets its holder do: play (or with review, only look at) one person's attempt. */
    public record Grant(long attemptId, long personId, boolean review) {
    }

    /** A new token for the attempt; the caller has made sure the attempt is the person's. */
    String issue(long attemptId, long personId, boolean review) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sql.update("""
                INSERT INTO scorm_runtime_token (token_hash, attempt_id, person_id, review, expires_at)
                VALUES (:hash, :attempt, :person, :review, TIMESTAMPADD(HOUR, :hours, CURRENT_TIMESTAMP(3)))""",
                NamedSql.with("hash", hash(token)).and("attempt", attemptId).and("person", personId).and("review", review)
                        .and("hours", LIFETIME_HOURS));
        // Expired tokens serve nothing; whoever gets a new one clears a few away.
        sql.update("DELETE FROM scorm_runtime_token WHERE expires_at < TIMESTAMPADD(DAY, -1, CURRENT_TIMESTAMP(3)) LIMIT 100",
                new NamedSql.Params());
        return token;
    }

    /** The grant of a token that is well-formed, known, unexpired and still its person's attempt; otherwise empty. */
    public Optional<Grant> check(String token) {
        if (token == null || !SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        return sql.one("""
                SELECT t.attempt_id, t.person_id, t.review FROM scorm_runtime_token t
                JOIN scorm_attempt a ON a.id = t.attempt_id AND a.person_id = t.person_id
                JOIN person p ON p.id = t.person_id AND p.status = 'ACTIVE'
                WHERE t.token_hash = :hash AND t.expires_at > CURRENT_TIMESTAMP(3)""", NamedSql.with("hash", hash(token)),
                row -> new Grant(row.number("attempt_id"), row.number("person_id"), row.flag("review")));
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
