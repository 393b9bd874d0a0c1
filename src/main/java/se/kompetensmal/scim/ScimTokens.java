package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens of SCIM clients, one organisation each (table scim_token). A token is 256 random bits, shown once
 * when made; only its SHA-256 digest is kept, which suffices for a secret that cannot be guessed (no slow hash needed,
 * and a lookup by digest is one index read).
 */
@Singleton
public class ScimTokens {

    static final String PREFIX = "kmscim_";
    public static final int MAX_NAME = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NamedSql sql;

    public ScimTokens(NamedSql sql) {
        this.sql = sql;
    }

    /** A token as the admin page lists it (never the token itself). */
    public record Listed(long id, String name, String createdBy, Instant createdAt, @Nullable Instant lastUsedAt,
                         @Nullable Instant revokedAt, @Nullable String revokedBy, @Nullable String defaultAudience) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** A new token: its id and the secret, to be shown once. */
    public record Created(long id, String token) {
    }

    public Created create(long orgNodeId, String name, @Nullable Long defaultAudienceId, String actor) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id = sql.insert("""
                INSERT INTO scim_token (org_node_id, name, token_hash, created_by, default_audience_id)
                VALUES (:node, :name, :hash, :actor, :audience)""",
                NamedSql.with("node", orgNodeId).and("name", name).and("hash", digest(token)).and("actor", actor)
                        .and("audience", defaultAudienceId));
        return new Created(id, token);
    }

    public List<Listed> listFor(long orgNodeId) {
        return sql.list("""
                SELECT t.id, t.name, t.created_by, t.created_at, t.last_used_at, t.revoked_at, t.revoked_by,
                       a.name_sv AS default_audience
                FROM scim_token t LEFT JOIN audience a ON a.id = t.default_audience_id
                WHERE t.org_node_id = :node ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.id DESC""",
                NamedSql.with("node", orgNodeId), row -> new Listed(row.number("id"), row.string("name"),
                        row.string("created_by"), instant(row, "created_at"), instant(row, "last_used_at"),
                        instant(row, "revoked_at"), row.string("revoked_by"), row.string("default_audience")));
    }

    /** The token name if the token belongs to the organisation and was not yet revoked. */
    public Optional<String> revoke(long orgNodeId, long tokenId, String actor) {
        Optional<String> name = sql.one("SELECT name FROM scim_token WHERE id = :id AND org_node_id = :node AND revoked_at IS NULL",
                NamedSql.with("id", tokenId).and("node", orgNodeId), row -> row.string("name"));
        name.ifPresent(n -> sql.update("""
                UPDATE scim_token SET revoked_at = CURRENT_TIMESTAMP(3), revoked_by = :actor
                WHERE id = :id AND revoked_at IS NULL""", NamedSql.with("id", tokenId).and("actor", actor)));
        return name;
    }

    /**
     * The client the bearer token belongs to, if it is a token not revoked. Its last use is written at most once a
     * minute, so that a directory synchronising thousands of users does not write the row on every call.
     */
    public Optional<ScimClient> authenticate(@Nullable String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        Optional<ScimClient> client = sql.one("""
                SELECT id, org_node_id, name, default_audience_id FROM scim_token
                WHERE token_hash = :hash AND revoked_at IS NULL""",
                NamedSql.with("hash", digest(token)), row -> new ScimClient(row.number("id"), row.number("org_node_id"),
                        row.string("name"), row.nullableNumber("default_audience_id")));
        client.ifPresent(c -> sql.update("""
                UPDATE scim_token SET last_used_at = CURRENT_TIMESTAMP(3)
                WHERE id = :id AND (last_used_at IS NULL OR last_used_at < CURRENT_TIMESTAMP(3) - INTERVAL 1 MINUTE)""",
                NamedSql.with("id", c.tokenId())));
        return client;
    }

    static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static @Nullable Instant instant(NamedSql.Row row, String column) throws java.sql.SQLException {
        String text = row.string(column);
        return text == null ? null : java.sql.Timestamp.valueOf(text).toInstant();
    }
}
