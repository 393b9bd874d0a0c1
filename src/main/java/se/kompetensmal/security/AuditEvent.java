package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import se.kompetensmal.SwedishTime;

import java.time.Instant;

/** One entry of the audit log: who did what, to what, when and from where. Never changed once written. */
@MappedEntity("audit_event")
public record AuditEvent(
        @Id @GeneratedValue @Nullable Long id,
        @Nullable Instant occurredAt,
        String actor,
        String action,
        @Nullable String target,
        @Nullable String remoteAddress) {

    public String occurredAtSv() {
        return SwedishTime.format(occurredAt);
    }
}
