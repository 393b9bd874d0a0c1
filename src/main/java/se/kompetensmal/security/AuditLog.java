package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/** Writes the audit log; in a transaction of its own, so that an entry stays even when the request it records fails. */
@Singleton
public class AuditLog {

    public static final String SIGN_IN = "SIGN_IN";
    public static final String SIGN_IN_FAILED = "SIGN_IN_FAILED";
    public static final String SIGN_IN_LOCKED = "SIGN_IN_LOCKED";
    public static final String ROLE_GRANTED = "ROLE_GRANTED";
    public static final String ROLE_REVOKED = "ROLE_REVOKED";
    public static final String SETTING_CHANGED = "SETTING_CHANGED";

    private final AuditEventRepository events;

    public AuditLog(AuditEventRepository events) {
        this.events = events;
    }

    @Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
    public void record(String actor, String action, @Nullable String target, @Nullable HttpRequest<?> request) {
        events.insert(actor, action, target, request == null ? null : request.getRemoteAddress().getAddress().getHostAddress());
    }
}
