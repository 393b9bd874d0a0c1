package se.kompetensmal.catalog;

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
}
