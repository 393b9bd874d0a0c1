package se.kompetensmal.catalog;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
public interface AudienceRepository extends CrudRepository<Audience, Long> {

    List<Audience> listOrderBySortOrderAndCode();

    Optional<Audience> findByCode(String code);

    boolean existsByCode(String code);

    /**
     * The audiences that may be used for people, routines and assignments at the node: the national ones, and an
     * organisation's own only inside the subtree of the node that owns it.
     */
    @Query("""
            SELECT a.* FROM audience a
            WHERE a.owner_org_id IS NULL
               OR EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = a.owner_org_id AND c.descendant_id = :nodeId)
            ORDER BY a.sort_order, a.code""")
    List<Audience> findUsableUnder(long nodeId);
}
