package se.kompetensmal.security;

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

    /** The status of the account's person (PersonStatus), empty for an account tied to no person. */
    @Query("SELECT p.status FROM user_account a JOIN person p ON p.id = a.person_id WHERE a.id = :accountId")
    Optional<String> personStatus(long accountId);

    /** Whether an administrator has switched the account off (migration V33). */
    @Query("SELECT COUNT(*) > 0 FROM user_account WHERE id = :accountId AND disabled_at IS NOT NULL")
    boolean isDisabled(long accountId);

    /**
     * Counts a wrong password in one statement, so that parallel guesses cannot overwrite each other's count: the
     * attempt that reaches the limit locks the account until the time given and starts the count again. MariaDB assigns
     * from left to right, so locked_until is decided on the count before it changes.
     */
    @Query("""
            UPDATE user_account
            SET locked_until = IF(failed_attempts + 1 >= :limit, :lockUntil, locked_until),
                failed_attempts = IF(failed_attempts + 1 >= :limit, 0, failed_attempts + 1)
            WHERE id = :id""")
    void countFailure(long id, int limit, Instant lockUntil);

    /** Clears the count after the right password unless the account is locked (meanwhile): then nothing changes, 0 rows. */
    @Query("""
            UPDATE user_account SET failed_attempts = 0, locked_until = NULL
            WHERE id = :id AND (locked_until IS NULL OR locked_until <= :now)""")
    int clearFailures(long id, Instant now);

}
