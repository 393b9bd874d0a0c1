package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Sign-in with a local username and password. Five wrong passwords in a row lock the account for fifteen minutes; the
 * answer never tells whether the username exists, the password was wrong or the account is locked.
 */
@Singleton
public class LocalAuthenticationProvider<B> implements HttpRequestExecutorAuthenticationProvider<B> {

    static final String GENERIC_FAILURE = "Fel användarnamn eller lösenord.";
    static final int MAX_FAILED_ATTEMPTS = 5;
    static final Duration LOCK_OUT = Duration.ofMinutes(15);

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final SignedInAccounts signedIn;
    private final AuditLog audit;
    // Checked against when the username is unknown, so that the answer takes as long either way.
    private final String decoyHash;

    public LocalAuthenticationProvider(AccountRepository accounts, PasswordHasher hasher, SignedInAccounts signedIn,
                                       AuditLog audit) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.signedIn = signedIn;
        this.audit = audit;
        this.decoyHash = hasher.hash("decoy");
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> login) {
        String username = login.getIdentity() == null ? "" : login.getIdentity().strip().toLowerCase(Locale.ROOT);
        String password = login.getSecret() == null ? "" : login.getSecret();
        Optional<Account> found = accounts.findByUsername(username).filter(a -> a.passwordHash() != null);
        if (found.isEmpty()) {
            hasher.matches(password, decoyHash);
            audit.record(username, AuditLog.SIGN_IN_FAILED, "okänt konto", request);
            return AuthenticationResponse.failure(GENERIC_FAILURE);
        }
        Account account = found.get();
        Instant now = Instant.now();
        if (account.lockedUntil() != null && account.lockedUntil().isAfter(now)) {
            audit.record(username, AuditLog.SIGN_IN_LOCKED, "spärrat till " + account.lockedUntil(), request);
            return AuthenticationResponse.failure(GENERIC_FAILURE);
        }
        if (!hasher.matches(password, account.passwordHash())) {
            int failures = account.failedAttempts() + 1;
            boolean lock = failures >= MAX_FAILED_ATTEMPTS;
            accounts.updateLockState(account.id(), lock ? 0 : failures, lock ? now.plus(LOCK_OUT) : null);
            audit.record(username, AuditLog.SIGN_IN_FAILED, lock ? "fel lösenord; kontot spärras" : "fel lösenord", request);
            return AuthenticationResponse.failure(GENERIC_FAILURE);
        }
        accounts.updateLockState(account.id(), 0, null);
        audit.record(username, AuditLog.SIGN_IN, null, request);
        return signedIn.success(account);
    }
}
