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
 * answer never tells whether the username exists, the password was wrong or the account is locked, neither in what it
 * says nor in how long it takes: every attempt costs one Argon2 hashing.
 */
@Singleton
public class LocalAuthenticationProvider<B> implements HttpRequestExecutorAuthenticationProvider<B> {

    /** The username tried, as a request attribute, so that the sign-in page can show it again after a failure. */
    public static final String ATTEMPTED_USERNAME = "kompetensmal.attemptedUsername";

    public static final String GENERIC_FAILURE = "Fel användarnamn eller lösenord.";
    /**
     * Said only after the right password: whoever knows it may learn that the account is switched off, and why they cannot
     * get in; a guesser learns nothing they could not by the generic answer.
     */
    public static final String DISABLED = "Ditt konto är avstängt. Kontakta den som administrerar Kompetensmål i din organisation.";
    static final int MAX_FAILED_ATTEMPTS = 5;
    static final Duration LOCK_OUT = Duration.ofMinutes(15);
    // Longer input is refused unread: no username is longer than its column, and no password needs to be this long.
    static final int MAX_USERNAME_LENGTH = 100;
    static final int MAX_PASSWORD_LENGTH = 1000;

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final SignedInAccounts signedIn;
    private final AuditLog audit;
    // Checked against when there is no account's hash to check, so that the answer takes as long either way.
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
        request.setAttribute(ATTEMPTED_USERNAME, username);
        if (username.length() > MAX_USERNAME_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            hasher.matches("", decoyHash);
            audit.record(username, AuditLog.SIGN_IN_FAILED, "för lång inmatning", request);
            return AuthenticationResponse.failure(GENERIC_FAILURE);
        }
        Optional<Account> found = accounts.findByUsername(username).filter(a -> a.passwordHash() != null);
        boolean rightPassword = hasher.matches(password, found.map(Account::passwordHash).orElse(decoyHash));
        if (found.isEmpty()) {
            audit.record(username, AuditLog.SIGN_IN_FAILED, "okänt konto", request);
            return AuthenticationResponse.failure(GENERIC_FAILURE);
        }
        Account account = found.get();
        Instant now = Instant.now();
        if (account.lockedUntil() != null && account.lockedUntil().isAfter(now)) {
            audit.record(username, AuditLog.SIGN_IN_LOCKED, "spärrat till " + account.lockedUntil(), request);
            return AuthenticationResponse.failure(GENERIC_FAILURE);
        }
        if (!rightPassword) {
            accounts.countFailure(account.id(), MAX_FAILED_ATTEMPTS, now.plus(LOCK_OUT));
            boolean locked = accounts.findById(account.id()).map(Account::lockedUntil).filter(now::isBefore).isPresent();
            audit.record(username, AuditLog.SIGN_IN_FAILED, locked ? "fel lösenord; kontot spärrat" : "fel lösenord", request);
            return AuthenticationResponse.failure(GENERIC_FAILURE);
        }
        if (accounts.clearFailures(account.id(), now) == 0) {
            // Locked by wrong guesses that came in parallel with this one.
            audit.record(username, AuditLog.SIGN_IN_LOCKED, "spärrat", request);
            return AuthenticationResponse.failure(GENERIC_FAILURE);
        }
        if (accounts.isDisabled(account.id())) {
            audit.record(username, AuditLog.SIGN_IN_FAILED, "kontot är avstängt", request);
            return AuthenticationResponse.failure(DISABLED);
        }
        if (signedIn.personHasLeft(account)) {
            audit.record(username, AuditLog.SIGN_IN_FAILED, "personen har slutat", request);
            return AuthenticationResponse.failure(GENERIC_FAILURE);
        }
        audit.record(username, AuditLog.SIGN_IN, null, request);
        return signedIn.success(account);
    }
}
