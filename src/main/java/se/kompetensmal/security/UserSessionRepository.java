package se.kompetensmal.security;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** Sessions are started, looked up on every request, touched now and then, and ended; times are the database's own. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface UserSessionRepository extends GenericRepository<UserSession, String> {

    /**
     * A session not ended, with its account, how long it has been idle and the roles the account holds now (comma
     * separated): one statement per request, since every request asks it.
     */
    @Introspected
    record Current(long accountId, String username, String displayName, @Nullable Long personId,
                   @Nullable String personStatus, long idleSeconds, @Nullable String roles) {
    }

    @Query("INSERT INTO user_session (id, account_id) VALUES (:id, :accountId)")
    void start(String id, long accountId);

    @Query("""
            SELECT a.id AS account_id, a.username, a.display_name, a.person_id, p.status AS person_status,
                   TIMESTAMPDIFF(SECOND, s.last_seen_at, CURRENT_TIMESTAMP(3)) AS idle_seconds,
                   (SELECT GROUP_CONCAT(DISTINCT g.role) FROM role_grant g WHERE g.account_id = a.id) AS roles
            FROM user_session s
            JOIN user_account a ON a.id = s.account_id
            LEFT JOIN person p ON p.id = a.person_id
            WHERE s.id = :id AND s.ended_at IS NULL AND a.disabled_at IS NULL""")
    Optional<Current> findCurrent(String id);

    @Query("UPDATE user_session SET last_seen_at = CURRENT_TIMESTAMP(3) WHERE id = :id")
    void touch(String id);

    @Query("UPDATE user_session SET ended_at = CURRENT_TIMESTAMP(3) WHERE id = :id AND ended_at IS NULL")
    void end(String id);

    /** Ends the account's sessions, all but the one named (none when it is empty). */
    @Query("UPDATE user_session SET ended_at = CURRENT_TIMESTAMP(3) WHERE account_id = :accountId AND ended_at IS NULL AND id <> :keep")
    void endAllBut(long accountId, String keep);

    /** Forgets the account's sessions that can no longer be used: ended, idle too long, or older than any token lasts. */
    @Query("""
            DELETE FROM user_session
            WHERE account_id = :accountId
              AND (ended_at IS NOT NULL
                   OR last_seen_at < CURRENT_TIMESTAMP(3) - INTERVAL :idleSeconds SECOND
                   OR created_at < CURRENT_TIMESTAMP(3) - INTERVAL :lifetimeSeconds SECOND)""")
    void forgetUnusable(long accountId, long lifetimeSeconds, long idleSeconds);
}
