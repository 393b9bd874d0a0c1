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
import se.kompetensmal.sql.NamedSql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Single sign-on through the employer's OpenID Connect provider. The person is found by the HSA-id claim (name set by
 * {@code kompetensmal.sso.hsa-id-claim}) first; when the provider sends none, or no person has it, by the e-mail claim
 * ({@code kompetensmal.sso.email-claim}, default {@code email}) matched without regard to case against the active people,
 * so that staff without HSA-id (politicians, many municipal staff) can use SSO too. An address that several active people
 * share says nothing about who signs in, and is refused with its own message; so is an address whose one person has
 * another HSA-id than the provider sent, and an address the provider itself says is not verified. Someone signing in
 * for the first time gets an account without a password, tied to their person; a switched-off account is refused.
 * Nobody outside the roster gets in.
 */
@Singleton
@Replaces(DefaultOpenIdAuthenticationMapper.class)
public class SsoAuthenticationMapper implements OpenIdAuthenticationMapper {

    public static final String NOT_IN_ROSTER = "Ingen aktiv medarbetare i Kompetensmål matchar din inloggning. Kontakta din utbildningssamordnare.";
    public static final String SEVERAL_WITH_EMAIL = "Din e-postadress finns hos flera personer i Kompetensmål, så det går inte att"
            + " avgöra vem du är. Kontakta din utbildningssamordnare, som kan rätta personalregistret.";
    public static final String DISABLED = LocalAuthenticationProvider.DISABLED;

    private final String hsaIdClaim;
    private final String emailClaim;
    private final NamedSql sql;
    private final AccountRepository accounts;
    private final SignedInAccounts signedIn;
    private final AuditLog audit;
    private final ExecutorService blocking;

    public SsoAuthenticationMapper(@Value("${kompetensmal.sso.hsa-id-claim:employeeHsaId}") String hsaIdClaim,
                                   @Value("${kompetensmal.sso.email-claim:email}") String emailClaim,
                                   NamedSql sql, AccountRepository accounts, SignedInAccounts signedIn,
                                   AuditLog audit, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.hsaIdClaim = hsaIdClaim;
        this.emailClaim = emailClaim;
        this.sql = sql;
        this.accounts = accounts;
        this.signedIn = signedIn;
        this.audit = audit;
        this.blocking = blocking;
    }

    /** A person as sign-in needs them. */
    record Candidate(long id, @Nullable String hsaId, String name, boolean active) {
    }

    @Override
    public Publisher<AuthenticationResponse> createAuthenticationResponse(String provider, OpenIdTokenResponse tokenResponse,
                                                                          OpenIdClaims claims, @Nullable State state) {
        HttpRequest<?> request = ServerRequestContext.currentRequest().orElse(null);
        String hsaId = text(claims.get(hsaIdClaim));
        String email = text(claims.get(emailClaim));
        // A provider that says outright the address is not verified is not trusted with it; most send nothing (Entra ID).
        boolean emailUnverified = "false".equalsIgnoreCase(String.valueOf(claims.get(OpenIdClaims.CLAIMS_EMAIL_VERIFIED)));
        // The database is not to be read on the event loop that delivers the provider's answer.
        return Publishers.fromCompletableFuture(CompletableFuture.supplyAsync(
                () -> authenticate(provider, hsaId, emailUnverified ? null : email, request), blocking));
    }

    AuthenticationResponse authenticate(String provider, @Nullable String hsaId, @Nullable String email, HttpRequest<?> request) {
        String who = hsaId != null ? hsaId : String.valueOf(email);
        Optional<Candidate> byHsaId = hsaId == null ? Optional.empty() : sql.one(SELECT + "WHERE p.hsa_id = :hsaId",
                NamedSql.with("hsaId", hsaId), SsoAuthenticationMapper::candidate);
        Candidate person;
        if (byHsaId.isPresent()) {
            person = byHsaId.get();
        } else {
            List<Candidate> byEmail = email == null || email.length() > 254 ? List.of()
                    : sql.list(SELECT + "WHERE p.status = :active AND LOWER(p.email) = LOWER(:email) LIMIT 2",
                            NamedSql.with("active", "ACTIVE").and("email", email), SsoAuthenticationMapper::candidate);
            if (byEmail.size() > 1) {
                audit.record(who, AuditLog.SIGN_IN_FAILED, "SSO via " + provider + ": flera aktiva personer har e-postadressen", request);
                return AuthenticationResponse.failure(SEVERAL_WITH_EMAIL);
            }
            // Someone the provider knows by another HSA-id than the roster does is not the roster's person.
            person = byEmail.stream().filter(p -> hsaId == null || p.hsaId() == null || p.hsaId().equalsIgnoreCase(hsaId))
                    .findFirst().orElse(null);
        }
        if (person == null || !person.active()) {
            audit.record(who, AuditLog.SIGN_IN_FAILED, "SSO via " + provider + ": finns inte i personalregistret", request);
            return AuthenticationResponse.failure(NOT_IN_ROSTER);
        }
        Candidate found = person;
        Account account = accounts.findByPersonId(found.id()).orElseGet(() -> accounts.save(new Account(null,
                freeUsername(found, email), found.name(), null, found.id(), 0, null)));
        if (accounts.isDisabled(account.id())) {
            audit.record(account.username(), AuditLog.SIGN_IN_FAILED, "SSO via " + provider + ": kontot är avstängt", request);
            return AuthenticationResponse.failure(DISABLED);
        }
        audit.record(account.username(), AuditLog.SIGN_IN, "SSO via " + provider, request);
        return signedIn.success(account);
    }

    private static final String SELECT = """
            SELECT p.id, p.hsa_id, p.given_name, p.family_name, p.status FROM person p
            """;

    private static Candidate candidate(NamedSql.Row row) throws java.sql.SQLException {
        return new Candidate(row.number("id"), row.string("hsa_id"), row.string("given_name") + " " + row.string("family_name"),
                "ACTIVE".equals(row.string("status")));
    }

    /**
     * The username of an account made at first SSO sign-in: the HSA-id, else the e-mail address (lower case, as sign-in
     * reads usernames); a name someone else's account already has gives way to one made from the person's id.
     */
    private String freeUsername(Candidate person, @Nullable String email) {
        String wanted = (person.hsaId() != null ? person.hsaId() : email != null ? email : "person-" + person.id())
                .toLowerCase(Locale.ROOT);
        if (wanted.length() <= AccountAdministration.MAX_USERNAME_LENGTH && accounts.findByUsername(wanted).isEmpty()) {
            return wanted;
        }
        return "sso-person-" + person.id();
    }

    private static String text(@Nullable Object claim) {
        return claim == null || claim.toString().isBlank() ? null : claim.toString().strip();
    }
}
