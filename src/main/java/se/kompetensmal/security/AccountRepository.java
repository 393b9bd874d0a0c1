package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface AccountRepository extends CrudRepository<Account, Long> {

    Optional<Account> findByUsername(String username);

    Optional<Account> findByPersonId(Long personId);

    List<Account> listOrderByUsername();

    @Query("UPDATE user_account SET failed_attempts = :failedAttempts, locked_until = :lockedUntil WHERE id = :id")
    void updateLockState(long id, int failedAttempts, @Nullable Instant lockedUntil);

    /** The account of the person with this HSA-id or, failing that, this e-mail address: how SSO finds its user. */
    @Query("""
            SELECT a.* FROM user_account a JOIN person p ON p.id = a.person_id
            WHERE p.status = 'ACTIVE' AND (p.hsa_id = :hsaId OR (:hsaId IS NULL AND p.email = :email))""")
    List<Account> findByPersonHsaIdOrEmail(@Nullable String hsaId, @Nullable String email);
}
