package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.UsernamePasswordCredentials;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.token.generator.AccessTokenConfiguration;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;

/**
 * Bearer tokens for API clients: the same sign-in rules as the page (lock-out, audit), answered with a JWT to send as
 * {@code Authorization: Bearer ...}. What the token reaches is decided on every call by the roles held then; like a
 * page's session it ends after the idle timeout ({@code kompetensmal.session.idle-timeout}).
 */
@Controller("/api/token")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ApiTokenController {

    private final LocalAuthenticationProvider<?> accounts;
    private final TokenGenerator tokens;
    private final AccessTokenConfiguration configuration;

    public ApiTokenController(LocalAuthenticationProvider<?> accounts, TokenGenerator tokens,
                              AccessTokenConfiguration configuration) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.configuration = configuration;
    }

    @Serdeable
    public record TokenRequest(String username, String password) {
    }

    @Serdeable
    public record TokenResponse(String accessToken, String tokenType, int expiresIn) {
    }

    @Operation(summary = "A bearer token for an account with a local password")
    @Post
    @SuppressWarnings({"unchecked", "rawtypes"})
    public TokenResponse token(@Body TokenRequest body, HttpRequest<?> request) {
        AuthenticationRequest<String, String> login = new UsernamePasswordCredentials(body.username(), body.password());
        AuthenticationResponse response = ((LocalAuthenticationProvider) accounts).authenticate(request, login);
        String token = response.getAuthentication().filter(a -> response.isAuthenticated())
                .flatMap(a -> tokens.generateToken(a, configuration.getExpiration()))
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, LocalAuthenticationProvider.GENERIC_FAILURE));
        return new TokenResponse(token, "Bearer", configuration.getExpiration());
    }
}
