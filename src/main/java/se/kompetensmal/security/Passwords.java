package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.web.FieldProblem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Setting a password: with a one-time link (the person has no password yet, or has forgotten it) or by the signed-in
 * owner, who must give the current one. Both go through {@link PasswordPolicy}; both end the account's other sessions,
 * so that whoever held the old password is out; both are audited.
 */
@Singleton
public class Passwords {

    public static final String PASSWORD_SET = "PASSWORD_SET";
    public static final String PASSWORD_CHANGED = "PASSWORD_CHANGED";
    public static final String PASSWORD_CHANGE_FAILED = "PASSWORD_CHANGE_FAILED";

    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final PasswordLinks links;
    private final AccountRepository accounts;
    private final Sessions sessions;
    private final NamedSql sql;
    private final AuditLog audit;

    public Passwords(PasswordPolicy policy, PasswordHasher hasher, PasswordLinks links, AccountRepository accounts,
                     Sessions sessions, NamedSql sql, AuditLog audit) {
        this.policy = policy;
        this.hasher = hasher;
        this.links = links;
        this.accounts = accounts;
        this.sessions = sessions;
        this.sql = sql;
        this.audit = audit;
    }

    /** A link that cannot be used (any more): 404 for a token that is no link, 410 for a used, expired or voided one. */
    public static class LinkUnusable extends HttpStatusException {
        private final PasswordLinks.State state;

        LinkUnusable(@Nullable PasswordLinks.State state) {
            super(state == null ? HttpStatus.NOT_FOUND : HttpStatus.GONE, message(state));
            this.state = state;
        }

        public @Nullable PasswordLinks.State state() {
            return state;
        }

        static String message(@Nullable PasswordLinks.State state) {
            if (state == null) {
                return "Länken är inte giltig. Kontrollera att hela adressen från e-postmeddelandet kom med, och att webbläsaren tar emot kakor.";
            }
            return switch (state) {
                case USED -> "Länken har redan använts. En länk kan bara användas en gång.";
                case EXPIRED -> "Länken har gått ut. En länk gäller en begränsad tid.";
                case VOIDED -> "Länken har ersatts av en nyare länk. Använd den senaste länken du har fått.";
                case ACCOUNT_DISABLED -> "Kontot är avstängt, så inget lösenord kan väljas.";
                default -> "Länken kan inte användas.";
            };
        }
    }

    /** The link, if it may be used now. */
    public PasswordLinks.Found usableLink(@Nullable String token) {
        PasswordLinks.Found found = links.find(token).orElseThrow(() -> new LinkUnusable(null));
        if (found.state() != PasswordLinks.State.USABLE) {
            throw new LinkUnusable(found.state());
        }
        return found;
    }

    /**
     * Sets the password with the link, once: the policy is checked before the link is used up (a refused password
     * leaves it usable), and the link is claimed in the same transaction that writes the password.
     */
    @Transactional
    public String setWithLink(@Nullable String token, @Nullable String password, @Nullable String repeat, HttpRequest<?> request) {
        PasswordLinks.Found link = usableLink(token);
        List<FieldProblem> problems = check(password, repeat, link.username());
        if (!problems.isEmpty()) {
            throw new AccountInvalid(problems);
        }
        if (!links.claim(link.linkId())) {
            // Used or voided in the meantime (the same link sent twice at once, or a newer one sent).
            throw new LinkUnusable(links.find(token).map(PasswordLinks.Found::state).orElse(null));
        }
        write(link.accountId(), password);
        sessions.endAll(link.accountId());
        audit.record(link.username(), PASSWORD_SET, "med länk", request);
        return link.username();
    }

    /**
     * The signed-in owner changes their password; their other sessions end, this one goes on. No transaction around it:
     * a wrong current password is counted, and that count must stay when the change is refused.
     */
    public void changeOwn(Authentication caller, @Nullable String current, @Nullable String password, @Nullable String repeat,
                          HttpRequest<?> request) {
        Account account = accounts.findById(Caller.of(caller).accountId()).orElseThrow(Access::notFound);
        if (account.passwordHash() == null) {
            throw new HttpStatusException(HttpStatus.CONFLICT,
                    "Ditt konto loggar in via din organisations inloggning och har inget lösenord i Kompetensmål.");
        }
        Instant now = Instant.now();
        if (account.lockedUntil() != null && account.lockedUntil().isAfter(now)) {
            throw AccountInvalid.of("currentPassword", "För många felaktiga försök. Vänta en kvart och försök igen.");
        }
        String given = current == null ? "" : current;
        if (given.length() > LocalAuthenticationProvider.MAX_PASSWORD_LENGTH || !hasher.matches(given, account.passwordHash())) {
            // Counted like a wrong password at sign-in: someone at an unattended session guesses no faster here.
            accounts.countFailure(account.id(), LocalAuthenticationProvider.MAX_FAILED_ATTEMPTS,
                    now.plus(LocalAuthenticationProvider.LOCK_OUT));
            audit.record(account.username(), PASSWORD_CHANGE_FAILED, "fel nuvarande lösenord", request);
            List<FieldProblem> problems = new ArrayList<>();
            problems.add(new FieldProblem("currentPassword", "Det nuvarande lösenordet stämmer inte."));
            throw new AccountInvalid(problems);
        }
        List<FieldProblem> problems = check(password, repeat, account.username());
        if (problems.isEmpty() && given.equals(password)) {
            problems.add(new FieldProblem("password", "Det nya lösenordet är detsamma som det nuvarande. Välj ett annat."));
        }
        if (!problems.isEmpty()) {
            throw new AccountInvalid(problems);
        }
        write(account.id(), password);
        sessions.endOthers(caller);
        audit.record(account.username(), PASSWORD_CHANGED, null, request);
    }

    /** The policy's verdict at the password field, and at the repeat field whether the two are the same. */
    private List<FieldProblem> check(@Nullable String password, @Nullable String repeat, String username) {
        List<FieldProblem> problems = new ArrayList<>();
        policy.problem(password, username).ifPresent(p -> problems.add(new FieldProblem("password", p)));
        if (problems.isEmpty() && !password.equals(repeat == null ? "" : repeat)) {
            problems.add(new FieldProblem("repeat", "Lösenorden är inte likadana. Skriv samma lösenord i båda fälten."));
        }
        return problems;
    }

    private void write(long accountId, String password) {
        sql.update("""
                UPDATE user_account
                SET password_hash = :hash, failed_attempts = 0, locked_until = NULL, password_changed_at = CURRENT_TIMESTAMP
                WHERE id = :id""", NamedSql.with("hash", hasher.hash(password)).and("id", accountId));
    }
}
