package se.kompetensmal.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.oauth2.endpoint.authorization.state.State;
import io.micronaut.security.oauth2.endpoint.token.response.DefaultOpenIdAuthenticationMapper;
import io.micronaut.security.oauth2.endpoint.token.response.OpenIdAuthenticationMapper;
import io.micronaut.security.oauth2.endpoint.token.response.OpenIdClaims;
import io.micronaut.security.oauth2.endpoint.token.response.OpenIdTokenResponse;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonView;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Single sign-on through the employer's OpenID Connect provider. The person is found by the HSA-id claim (name set by
 * {@code kompetensmal.sso.hsa-id-claim}) or, when the provider sends none, by e-mail; someone signing in for the first
 * time gets an account without a password, tied to their person record. Nobody outside the roster gets in.
 */
@Singleton
@Replaces(DefaultOpenIdAuthenticationMapper.class)
public class SsoAuthenticationMapper implements OpenIdAuthenticationMapper {

    static final String NOT_IN_ROSTER = "Ingen aktiv medarbetare i Kompetensmål matchar din inloggning. Kontakta din utbildningssamordnare.";

    private final String hsaIdClaim;
    private final PersonQueries people;
    private final AccountRepository accounts;
    private final SignedInAccounts signedIn;
    private final AuditLog audit;
    private final ExecutorService blocking;

    public SsoAuthenticationMapper(@Value("${kompetensmal.sso.hsa-id-claim:employeeHsaId}") String hsaIdClaim,
                                   PersonQueries people, AccountRepository accounts, SignedInAccounts signedIn,
                                   AuditLog audit, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.hsaIdClaim = hsaIdClaim;
        this.people = people;
        this.accounts = accounts;
        this.signedIn = signedIn;
        this.audit = audit;
        this.blocking = blocking;
    }

    @Override
    public Publisher<AuthenticationResponse> createAuthenticationResponse(String provider, OpenIdTokenResponse tokenResponse,
                                                                          OpenIdClaims claims, @Nullable State state) {
        HttpRequest<?> request = ServerRequestContext.currentRequest().orElse(null);
        String hsaId = text(claims.get(hsaIdClaim));
        String email = text(claims.get(OpenIdClaims.CLAIMS_EMAIL));
        // The database is not to be read on the event loop that delivers the provider's answer.
        return Publishers.fromCompletableFuture(
                CompletableFuture.supplyAsync(() -> authenticate(provider, hsaId, email, request), blocking));
    }

    private AuthenticationResponse authenticate(String provider, String hsaId, String email, HttpRequest<?> request) {
        String who = hsaId != null ? hsaId : String.valueOf(email);
        Optional<PersonView> person = (hsaId != null ? people.byHsaId(hsaId) : people.byEmail(email))
                .filter(p -> p.status().maySignIn());
        if (person.isEmpty()) {
            audit.record(who, AuditLog.SIGN_IN_FAILED, "SSO via " + provider + ": finns inte i personalregistret", request);
            return AuthenticationResponse.failure(NOT_IN_ROSTER);
        }
        PersonView found = person.get();
        Account account = accounts.findByPersonId(found.id()).orElseGet(() -> accounts.save(new Account(null,
                found.hsaId().toLowerCase(java.util.Locale.ROOT), found.givenName() + " " + found.familyName(), null,
                found.id(), 0, null)));
        audit.record(account.username(), AuditLog.SIGN_IN, "SSO via " + provider, request);
        return signedIn.success(account);
    }

    private static String text(@Nullable Object claim) {
        return claim == null || claim.toString().isBlank() ? null : claim.toString().strip();
    }
}
