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

    // The columns' sizes (audit_event.actor and target).
    private static final int ACTOR_LENGTH = 100;
    private static final int TARGET_LENGTH = 255;

    private final AuditEventRepository events;

    public AuditLog(AuditEventRepository events) {
        this.events = events;
    }

    /** Records the event; an actor or target longer than its column (someone's overlong input) is cut to fit. */
    @Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
    public void record(String actor, String action, @Nullable String target, @Nullable HttpRequest<?> request) {
        events.insert(fit(actor, ACTOR_LENGTH), action, target == null ? null : fit(target, TARGET_LENGTH),
                request == null ? null : request.getRemoteAddress().getAddress().getHostAddress());
    }

    private static String fit(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }
}
