package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** Only inserts and reads: the audit log has no way to change or remove an entry (and the database refuses to). */
@JdbcRepository(dialect = Dialect.MYSQL)
public interface AuditEventRepository extends GenericRepository<AuditEvent, Long> {

    @Query("INSERT INTO audit_event (actor, action, target, remote_address) VALUES (:actor, :action, :target, :remoteAddress)")
    void insert(String actor, String action, @Nullable String target, @Nullable String remoteAddress);

    @Query("SELECT * FROM audit_event ORDER BY id DESC LIMIT :limit")
    List<AuditEvent> latest(int limit);

    @Query("SELECT * FROM audit_event ORDER BY id")
    List<AuditEvent> all();
}
