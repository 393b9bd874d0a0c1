package se.kompetensmal.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One-time links to set a password (table password_link). The token is 256 random bits, mailed and never stored: the
 * table keeps its SHA-256 digest, so a copy of the database opens no account. A digest without salt is enough here, as
 * the token is random and long (nothing to guess from a list), unlike a password. A link is used once, ends after
 * {@code kompetensmal.accounts.link-lifetime} (72 hours), and a new one voids the older open ones of the account.
 */
@Singleton
public class PasswordLinks {

    /** Longer input is no token of ours and is not looked up (a token is 43 characters). */
    static final int MAX_TOKEN_LENGTH = 100;

    private final NamedSql sql;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();

    public PasswordLinks(NamedSql sql, @Value("${kompetensmal.accounts.link-lifetime:72h}") Duration lifetime) {
        this.sql = sql;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new link for the account: the token to mail, and until when it holds. */
    public record Issued(String token, Instant expiresAt) {
    }

    /** Why a link cannot be used, or that it can. */
    public enum State {
        USABLE, USED, EXPIRED, VOIDED, ACCOUNT_DISABLED
    }

    /** A link found by its token, with the account it sets the password of. */
    public record Found(long linkId, long accountId, String username, String displayName, State state) {
    }

    /** Voids the account's open links and makes a new one. */
    @Transactional
    public Issued issue(long accountId, String sentTo, String actor) {
        voidOpen(accountId);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // The end is reckoned by the database, as every check against it is (CURRENT_TIMESTAMP), whatever the clocks say.
        long id = sql.insert("""
                INSERT INTO password_link (account_id, token_hash, sent_to, created_by, expires_at)
                VALUES (:account, :hash, :sentTo, :actor, CURRENT_TIMESTAMP(3) + INTERVAL :seconds SECOND)""",
                NamedSql.with("account", accountId).and("hash", digest(token)).and("sentTo", sentTo)
                        .and("actor", actor).and("seconds", lifetime.toSeconds()));
        long expires = sql.number("SELECT " + millis("expires_at") + " FROM password_link WHERE id = :id", NamedSql.with("id", id));
        return new Issued(token, Instant.ofEpochMilli(expires));
    }

    /** Voids every link of the account not yet used (a newer link, the account switched off, a link not sent). */
    public int voidOpen(long accountId) {
        return sql.update("""
                UPDATE password_link SET voided_at = CURRENT_TIMESTAMP(3)
                WHERE account_id = :account AND used_at IS NULL AND voided_at IS NULL""",
                NamedSql.with("account", accountId));
    }

    /** The link with this token, whatever its state; empty for a token that is no link of ours. */
    public Optional<Found> find(@Nullable String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        return sql.one("""
                SELECT l.id, l.account_id, a.username, a.display_name,
                       l.used_at IS NOT NULL AS used, l.voided_at IS NOT NULL AS voided,
                       l.expires_at <= CURRENT_TIMESTAMP(3) AS expired, a.disabled_at IS NOT NULL AS disabled
                FROM password_link l JOIN user_account a ON a.id = l.account_id
                WHERE l.token_hash = :hash""",
                NamedSql.with("hash", digest(token.strip())),
                row -> new Found(row.number("id"), row.number("account_id"), row.string("username"),
                        row.string("display_name"), row.flag("used") ? State.USED : row.flag("voided") ? State.VOIDED
                        : row.flag("expired") ? State.EXPIRED : row.flag("disabled") ? State.ACCOUNT_DISABLED : State.USABLE));
    }

    /** Uses the link up, if it still may be used: true for the one caller that gets it, false for every other. */
    public boolean claim(long linkId) {
        return sql.update("""
                UPDATE password_link SET used_at = CURRENT_TIMESTAMP(3)
                WHERE id = :id AND used_at IS NULL AND voided_at IS NULL AND expires_at > CURRENT_TIMESTAMP(3)""",
                NamedSql.with("id", linkId)) == 1;
    }

    /** The latest link of the account, for the account page: when and to whom it was sent, and what became of it. */
    public record Latest(Instant createdAt, String sentTo, Instant expiresAt, @Nullable Instant usedAt, boolean voided) {
    }

    public Optional<Latest> latest(long accountId) {
        return sql.one("SELECT " + millis("created_at") + " AS created, sent_to, " + millis("expires_at") + " AS expires, "
                        + millis("used_at") + " AS used, voided_at IS NOT NULL AS voided "
                        + "FROM password_link WHERE account_id = :account ORDER BY id DESC LIMIT 1",
                NamedSql.with("account", accountId),
                row -> new Latest(Instant.ofEpochMilli(row.number("created")), row.string("sent_to"),
                        Instant.ofEpochMilli(row.number("expires")), instant(row.nullableNumber("used")), row.flag("voided")));
    }

    /** A TIMESTAMP column as milliseconds since the epoch: the same instant whatever time zone the session has. */
    static String millis(String column) {
        return "CAST(UNIX_TIMESTAMP(" + column + ") * 1000 AS SIGNED)";
    }

    static @Nullable Instant instant(@Nullable Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** The hex SHA-256 of the token, as stored. */
    static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
