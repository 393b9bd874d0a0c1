package se.kompetensmal.security;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import se.kompetensmal.organization.OrgNode;

import java.util.Optional;

/** The organisational node a thing named in a path belongs to, for checking the caller's roles there. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface RemitNodes extends GenericRepository<OrgNode, Long> {

    @Query("SELECT org_node_id FROM person WHERE id = :personId")
    Optional<Long> ofPerson(long personId);

    @Query("SELECT org_node_id FROM routine WHERE id = :routineId")
    Optional<Long> ofRoutine(long routineId);
}
