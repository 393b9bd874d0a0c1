package se.kompetensmal.site;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.security.config.RedirectConfiguration;
import io.micronaut.security.config.RedirectService;
import io.micronaut.security.errors.PriorToLoginPersistence;
import jakarta.inject.Singleton;

/**
 * A browser that is not signed in is sent to the sign-in page with the page it asked for ({@code ?tillbaka=}), so that
 * it lands there after signing in. An unknown address answers 404 to everyone, signed in or not
 * ({@code reject-not-found: false}): the addresses of the service are no secret, and a mistyped link should say so at
 * once rather than after signing in. API clients get 401 as before (they do not accept HTML).
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class SignInRedirect extends DefaultAuthorizationExceptionHandler {

    public SignInRedirect(ErrorResponseProcessor<?> errorResponseProcessor, RedirectConfiguration redirectConfiguration,
                          RedirectService redirectService, @Nullable PriorToLoginPersistence priorToLoginPersistence) {
        super(errorResponseProcessor, redirectConfiguration, redirectService, priorToLoginPersistence);
    }

    @Override
    protected String getRedirectUri(HttpRequest<?> request, AuthorizationException exception) {
        String uri = super.getRedirectUri(request, exception);
        if (exception.isForbidden() || !"GET".equals(request.getMethodName())) {
            return uri;
        }
        String query = request.getUri().getRawQuery();
        return uri + ReturnPath.query(request.getPath() + (query == null ? "" : "?" + query));
    }
}
