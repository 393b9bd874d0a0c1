package se.kompetensmal.site;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.config.RedirectConfiguration;
import io.micronaut.security.config.RedirectService;
import io.micronaut.security.errors.PriorToLoginPersistence;
import io.micronaut.security.token.cookie.AccessTokenCookieConfiguration;
import io.micronaut.security.token.cookie.LoginCookieProvider;
import io.micronaut.security.token.cookie.RefreshTokenCookieConfiguration;
import io.micronaut.security.token.cookie.TokenCookieLoginHandler;
import io.micronaut.security.token.generator.AccessRefreshTokenGenerator;
import io.micronaut.security.token.generator.AccessTokenConfiguration;
import jakarta.inject.Singleton;
import se.kompetensmal.security.LocalAuthenticationProvider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Sign-in with the session cookie as before, and two things people expect: after signing in they land on the page they
 * first asked for ({@code ?tillbaka=} on the form's address, same-site paths only, see {@link ReturnPath}); after a
 * failed attempt the sign-in page shows the username they typed again. The username travels in a short-lived cookie
 * for the sign-in page only, not in the address, where it would end up in the browser's history and the server logs.
 */
@Singleton
@Replaces(TokenCookieLoginHandler.class)
public class ReturningLoginHandler extends TokenCookieLoginHandler {

    static final String USERNAME_COOKIE = "KM_LOGIN_USER";
    private static final int MAX_USERNAME_LENGTH = 100;

    public ReturningLoginHandler(RedirectService redirectService, RedirectConfiguration redirectConfiguration,
                                 AccessTokenCookieConfiguration accessTokenCookieConfiguration,
                                 RefreshTokenCookieConfiguration refreshTokenCookieConfiguration,
                                 AccessTokenConfiguration accessTokenConfiguration,
                                 AccessRefreshTokenGenerator accessRefreshTokenGenerator,
                                 @Nullable PriorToLoginPersistence<HttpRequest<?>, MutableHttpResponse<?>> priorToLoginPersistence,
                                 List<LoginCookieProvider<HttpRequest<?>>> loginCookieProviders) {
        super(redirectService, redirectConfiguration, accessTokenCookieConfiguration, refreshTokenCookieConfiguration,
                accessTokenConfiguration, accessRefreshTokenGenerator, priorToLoginPersistence, loginCookieProviders);
    }

    @Override
    public MutableHttpResponse<?> loginSuccess(Authentication authentication, HttpRequest<?> request) {
        MutableHttpResponse<?> response = super.loginSuccess(authentication, request);
        String target = ReturnPath.safe(request.getParameters().get(ReturnPath.PARAMETER));
        if (!"/".equals(target) && response.getHeaders().contains(HttpHeaders.LOCATION)) {
            response.getHeaders().set(HttpHeaders.LOCATION, target);
        }
        if (request.getCookies().contains(USERNAME_COOKIE)) {
            response.cookie(usernameCookie("", Duration.ZERO, request));
        }
        return response;
    }

    @Override
    public MutableHttpResponse<?> loginFailed(AuthenticationResponse authenticationFailed, HttpRequest<?> request) {
        MutableHttpResponse<?> response = super.loginFailed(authenticationFailed, request);
        // A refusal that has its own message on the sign-in page (LoginPage.FAILURES) names it instead of the generic one.
        String reason = authenticationFailed.getMessage().map(LoginPage::failureCode).orElse(null);
        if (reason != null && response.getHeaders().contains(HttpHeaders.LOCATION)) {
            response.getHeaders().set(HttpHeaders.LOCATION,
                    response.getHeaders().get(HttpHeaders.LOCATION).replace("fel=1", "fel=" + reason));
        }
        String back = ReturnPath.safe(request.getParameters().get(ReturnPath.PARAMETER));
        if (!"/".equals(back) && response.getHeaders().contains(HttpHeaders.LOCATION)) {
            response.getHeaders().set(HttpHeaders.LOCATION, response.getHeaders().get(HttpHeaders.LOCATION)
                    + "&" + ReturnPath.PARAMETER + "=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
        }
        String username = request.getAttribute(LocalAuthenticationProvider.ATTEMPTED_USERNAME, String.class).orElse("");
        if (!username.isEmpty() && username.length() <= MAX_USERNAME_LENGTH) {
            response.cookie(usernameCookie(URLEncoder.encode(username, StandardCharsets.UTF_8), Duration.ofMinutes(5), request));
        }
        return response;
    }

    private static Cookie usernameCookie(String value, Duration maxAge, HttpRequest<?> request) {
        boolean tls = request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
        return Cookie.of(USERNAME_COOKIE, value).path("/login").httpOnly(true).sameSite(SameSite.Lax).maxAge(maxAge)
                .secure(tls);
    }
}
