package se.kompetensmal.routines;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface AssignmentRepository extends GenericRepository<Routine, Long> {

    /** A person's current assignments, every cycle with its completion if done, soonest due first. */
    @Query("""
            SELECT a.module_code, a.cycle, a.due_date, a.opens_on, a.source, r.name AS routine_name, a.assigned_by,
                   c.completed_on, a.valid_until
            FROM assignment a LEFT JOIN routine r ON r.id = a.routine_id LEFT JOIN counted_completion c ON c.id = a.completion_id
            WHERE a.person_id = :personId AND a.withdrawn_at IS NULL
            ORDER BY a.due_date, a.module_code""")
    List<AssignmentView> findCurrent(long personId);
}
