package se.kompetensmal.security;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import se.kompetensmal.organization.OrgNode;

import java.util.List;
import java.util.Optional;

/** The organisational node a thing named in a path belongs to, for checking the caller's roles there. */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface RemitNodes extends GenericRepository<OrgNode, Long> {

    /**
     * The units the person is placed in now, home first: a person is within the remit of whoever holds a role on any
     * of them. Empty for an unknown person.
     */
    @Query("SELECT org_node_id FROM placement WHERE person_id = :personId AND ended_on IS NULL ORDER BY org_start_date, id")
    List<Long> ofPerson(long personId);

    @Query("SELECT org_node_id FROM routine WHERE id = :routineId")
    Optional<Long> ofRoutine(long routineId);
}
