package se.kompetensmal.security;

import com.nimbusds.jwt.JWT;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.DefaultJwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.util.Optional;

/**
 * The one place where a request's token (session cookie or bearer token, its signature and expiry already checked)
 * becomes the caller: through the session it names, with who they are and the roles they hold read from the database
 * now, not from the token. A token without a session, or whose session has ended, lets nobody in.
 */
@Singleton
@Replaces(DefaultJwtAuthenticationFactory.class)
public class SessionTokens implements JwtAuthenticationFactory {

    private final Sessions sessions;

    public SessionTokens(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Optional<Authentication> createAuthentication(JWT token) {
        try {
            Object sessionId = token.getJWTClaimsSet().getClaim(Sessions.CLAIM);
            return sessionId == null ? Optional.empty() : sessions.authenticate(sessionId.toString());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
