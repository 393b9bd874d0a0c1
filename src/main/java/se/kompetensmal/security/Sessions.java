package se.kompetensmal.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.AccessTokenConfiguration;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.people.PersonStatus;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Signed-in sessions, kept in the database so that every instance sees the same: a session starts at sign-in, its id
 * goes into the token, and each request is let in only while the session has not ended, has not been idle too long and
 * its account may still sign in. Who the caller is and the roles they hold are read here on every request, never taken
 * from the token, so that a revoked role or a person who has left loses access at once.
 */
@Singleton
public class Sessions {

    /** The token's claim naming the session. */
    static final String CLAIM = "sid";
    // Last seen is written at most this often, to spare a write on every request.
    private static final long TOUCH_AFTER_SECONDS = 60;

    private final UserSessionRepository sessions;
    private final Duration idleTimeout;
    private final long lifetimeSeconds;
    private final SecureRandom random = new SecureRandom();

    public Sessions(UserSessionRepository sessions,
                    @Value("${kompetensmal.session.idle-timeout:30m}") Duration idleTimeout, AccessTokenConfiguration tokens) {
        this.sessions = sessions;
        this.idleTimeout = idleTimeout;
        this.lifetimeSeconds = tokens.getExpiration();
    }

    /** How long a session may go without a request before it ends. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Starts a session for the account and answers its id, for the token. */
    @Transactional
    public String start(long accountId) {
        sessions.forgetUnusable(accountId, lifetimeSeconds, idleTimeout.toSeconds());
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.start(id, accountId);
        return id;
    }

    /**
     * The caller of a request in the session, as they are now; empty once the session can no longer be used. One read
     * and, at most once a minute, one write, each on its own: no transaction around them. (Measured with the
     * benchmark's Min utbildning at factor 0.002: with a transaction and a second query for the roles the page served
     * 241 requests/s against 401 before sessions were kept in the database.)
     */
    public Optional<Authentication> authenticate(String sessionId) {
        Optional<UserSessionRepository.Current> current = sessions.findCurrent(sessionId)
                .filter(c -> c.idleSeconds() < idleTimeout.toSeconds())
                .filter(c -> c.personStatus() == null || PersonStatus.valueOf(c.personStatus()).maySignIn());
        current.filter(c -> c.idleSeconds() >= TOUCH_AFTER_SECONDS).ifPresent(c -> sessions.touch(sessionId));
        return current.map(c -> Authentication.build(c.username(), roles(c), attributes(sessionId, c)));
    }

    /** Ends the caller's session: its token is refused from now on, as a cookie or as a bearer token. */
    public void end(Authentication authentication) {
        Object sessionId = authentication.getAttributes().get(CLAIM);
        if (sessionId != null) {
            sessions.end(sessionId.toString());
        }
    }

    /** Ends every session of the account (switched off, or a new password set with a link). */
    public void endAll(long accountId) {
        sessions.endAllBut(accountId, "");
    }

    /** Ends the account's sessions but the caller's own (the owner changed the password). */
    public void endOthers(Authentication authentication) {
        Object sessionId = authentication.getAttributes().get(CLAIM);
        sessions.endAllBut(Caller.of(authentication).accountId(), sessionId == null ? "" : sessionId.toString());
    }

    private static Set<String> roles(UserSessionRepository.Current current) {
        Set<String> roles = new LinkedHashSet<>();
        if (current.personId() != null) {
            roles.add(Role.LEARNER.name());
        }
        if (current.roles() != null && !current.roles().isEmpty()) {
            roles.addAll(List.of(current.roles().split(",")));
        }
        return roles;
    }

    private static Map<String, Object> attributes(String sessionId, UserSessionRepository.Current current) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(CLAIM, sessionId);
        attributes.put(Caller.ACCOUNT_ID, String.valueOf(current.accountId()));
        attributes.put(Caller.NAME, current.displayName());
        if (current.personId() != null) {
            attributes.put(Caller.PERSON_ID, String.valueOf(current.personId()));
        }
        return attributes;
    }
}
