package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.handlers.LogoutHandler;
import io.micronaut.security.rules.SecurityRule;

/**
 * Signing out: with the form's CSRF token (another site cannot sign anyone out), ends the session in the database, so
 * that the token is refused from now on wherever it is sent, then clears the cookie and goes to the sign-in page. Open
 * to a session that has already ended, so that its stale cookie can still be cleared.
 */
@Controller("/logout")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SignOut {

    private final CsrfTokens csrf;
    private final Sessions sessions;
    private final LogoutHandler<HttpRequest<?>, MutableHttpResponse<?>> cookie;

    public SignOut(CsrfTokens csrf, Sessions sessions, LogoutHandler<HttpRequest<?>, MutableHttpResponse<?>> cookie) {
        this.csrf = csrf;
        this.sessions = sessions;
        this.cookie = cookie;
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public MutableHttpResponse<?> signOut(@Body("csrfToken") @Nullable String csrfToken, HttpRequest<?> request,
                                          @Nullable Authentication caller) {
        csrf.verify(request, csrfToken);
        if (caller != null) {
            sessions.end(caller);
        }
        return cookie.logout(request);
    }
}
