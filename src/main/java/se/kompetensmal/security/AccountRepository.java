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

}
