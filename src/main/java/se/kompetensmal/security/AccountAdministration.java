package se.kompetensmal.security;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.sql.NamedSql;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Local accounts as administrators keep them: an administrator of a unit where the person is placed now (or above it,
 * or of the whole system) creates the person's account (a username, no password: the person chooses one with a link
 * sent by mail), sends that link, switches the account off and on again. Every change is audited.
 *
 * <p>An account that holds roles somewhere the administrator does not administer is changed only by someone who
 * administers all of it: otherwise a unit's administrator could send themselves (through the roster's e-mail address)
 * a link to a system administrator's account, or switch it off.
 */
@Singleton
public class AccountAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(AccountAdministration.class);

    /** The username column's size; the shortest username worth having. */
    public static final int MAX_USERNAME_LENGTH = 100;
    public static final int MIN_USERNAME_LENGTH = 3;
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._@+\\-]+");

    public static final String ACCOUNT_CREATED = "ACCOUNT_CREATED";
    public static final String PASSWORD_LINK_SENT = "PASSWORD_LINK_SENT";
    public static final String ACCOUNT_DISABLED = "ACCOUNT_DISABLED";
    public static final String ACCOUNT_ENABLED = "ACCOUNT_ENABLED";

    private final NamedSql sql;
    private final AccountRepository accounts;
    private final PasswordLinks links;
    private final BeanProvider<AccountMail> mail;
    private final Sessions sessions;
    private final Access access;
    private final AuditLog audit;

    public AccountAdministration(NamedSql sql, AccountRepository accounts, PasswordLinks links, BeanProvider<AccountMail> mail,
                                 Sessions sessions, Access access, AuditLog audit) {
        this.sql = sql;
        this.accounts = accounts;
        this.links = links;
        this.mail = mail;
        this.sessions = sessions;
        this.access = access;
        this.audit = audit;
    }

    /** The person an account is for, as far as accounts need them. */
    public record PersonFacts(long id, String givenName, String familyName, @Nullable String email, boolean active, long homeNodeId) {
        public String name() {
            return givenName + " " + familyName;
        }
    }

    /** The person's account as the account page and the API show it; {@code exists} false when there is none yet. */
    @Serdeable
    public record AccountView(long personId, String personName, @Nullable String email, boolean personActive, boolean exists,
                              @Nullable String username, boolean hasPassword, boolean disabled, @Nullable Instant disabledAt,
                              @Nullable String disabledBy, @Nullable Instant passwordChangedAt, @Nullable LinkView latestLink) {
    }

    /** The latest link sent: to whom, when, until when, and its state (OPEN, USED, EXPIRED or VOIDED). */
    @Serdeable
    public record LinkView(String sentTo, Instant sentAt, Instant expiresAt, String state) {
    }

    /** What sending a link did: the address it went to and until when it holds. */
    @Serdeable
    public record LinkSent(String sentTo, Instant expiresAt) {
    }

    public boolean mailConfigured() {
        return mail.isPresent();
    }

    /** The person, if the caller administers them now; 404 outside the caller's organisations, else 403. */
    public PersonFacts administered(Authentication caller, long personId) {
        PersonFacts person = person(personId).orElseThrow(Access::notFound);
        if (!administers(caller, personId)) {
            throw access.refusal(caller, person.homeNodeId());
        }
        return person;
    }

    /**
     * Whether the caller is an administrator of the whole system or of a node at or above one of the units the person
     * is placed in now (current_placement, the one home of where someone works).
     */
    public boolean administers(Authentication caller, long personId) {
        return sql.number("""
                SELECT COUNT(*) FROM role_grant g
                WHERE g.account_id = :account AND g.role = :role
                  AND (g.org_node_id IS NULL
                       OR EXISTS (SELECT 1 FROM current_placement cp
                                  JOIN org_closure c ON c.descendant_id = cp.org_node_id
                                  WHERE cp.person_id = :person AND c.ancestor_id = g.org_node_id))""",
                NamedSql.with("account", Caller.of(caller).accountId()).and("role", Role.ADMINISTRATOR)
                        .and("person", personId)) > 0;
    }

    public AccountView view(Authentication caller, long personId) {
        return view(administered(caller, personId));
    }

    AccountView view(PersonFacts person) {
        record Row(long id, String username, boolean hasPassword, @Nullable Long disabledAt, @Nullable String disabledBy,
                   @Nullable Long changedAt) {
        }
        Optional<Row> account = sql.one("SELECT id, username, password_hash IS NOT NULL AS has_password, disabled_by, "
                        + PasswordLinks.millis("disabled_at") + " AS disabled, " + PasswordLinks.millis("password_changed_at")
                        + " AS changed FROM user_account WHERE person_id = :person",
                NamedSql.with("person", person.id()),
                row -> new Row(row.number("id"), row.string("username"), row.flag("has_password"),
                        row.nullableNumber("disabled"), row.string("disabled_by"), row.nullableNumber("changed")));
        if (account.isEmpty()) {
            return new AccountView(person.id(), person.name(), person.email(), person.active(), false, null, false, false,
                    null, null, null, null);
        }
        Row a = account.get();
        LinkView link = links.latest(a.id()).map(l -> new LinkView(l.sentTo(), l.createdAt(), l.expiresAt(),
                l.usedAt() != null ? "USED" : l.voided() ? "VOIDED" : l.expiresAt().isBefore(Instant.now()) ? "EXPIRED" : "OPEN"))
                .orElse(null);
        return new AccountView(person.id(), person.name(), person.email(), person.active(), true, a.username(),
                a.hasPassword(), a.disabledAt() != null, PasswordLinks.instant(a.disabledAt()), a.disabledBy(),
                PasswordLinks.instant(a.changedAt()), link);
    }

    /**
     * Creates the person's local account with this username (blank: their e-mail address), without a password. Usernames
     * are kept in lower case, as sign-in reads them.
     */
    @Transactional
    public AccountView create(Authentication caller, long personId, @Nullable String username, HttpRequest<?> request) {
        PersonFacts person = administered(caller, personId);
        if (!person.active()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, person.name() + " har slutat; inget konto kan skapas.");
        }
        accounts.findByPersonId(personId).ifPresent(existing -> {
            throw new HttpStatusException(HttpStatus.CONFLICT, person.name() + " har redan ett konto: " + existing.username() + ".");
        });
        String chosen = username == null || username.isBlank() ? person.email() : username;
        if (chosen == null || chosen.isBlank()) {
            throw AccountInvalid.of("username", "Skriv ett användarnamn. " + person.name()
                    + " har ingen e-postadress i Kompetensmål som kan användas som användarnamn.");
        }
        String name = chosen.strip().toLowerCase(Locale.ROOT);
        if (name.length() < MIN_USERNAME_LENGTH || name.length() > MAX_USERNAME_LENGTH) {
            throw AccountInvalid.of("username", "Användarnamnet ska ha " + MIN_USERNAME_LENGTH + "–" + MAX_USERNAME_LENGTH
                    + " tecken; det har " + name.length() + ".");
        }
        if (!USERNAME.matcher(name).matches()) {
            throw AccountInvalid.of("username", "Användarnamnet får bara innehålla bokstäver, siffror och tecknen . _ - + @"
                    + " (inga mellanslag).");
        }
        if (accounts.findByUsername(name).isPresent()) {
            throw AccountInvalid.of("username", "Användarnamnet " + name + " är upptaget. Välj ett annat.");
        }
        Account account = accounts.save(new Account(null, name, person.name(), null, personId, 0, null));
        audit.record(caller.getName(), ACCOUNT_CREATED, "konto " + account.username() + " för " + person.name()
                + " (person " + personId + ")", request);
        return view(person);
    }

    /** Mails the person a new link to choose a password; older open links stop working. */
    public LinkSent sendLink(Authentication caller, long personId, HttpRequest<?> request) {
        PersonFacts person = administered(caller, personId);
        Account account = changeable(caller, person);
        if (!person.active()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, person.name() + " har slutat; ingen länk kan skickas.");
        }
        if (disabled(account.id())) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Kontot " + account.username()
                    + " är avstängt. Aktivera det först, sedan kan en länk skickas.");
        }
        if (person.email() == null || person.email().isBlank()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, person.name() + " har ingen e-postadress i Kompetensmål, så"
                    + " ingen länk kan skickas. Adressen kommer från personalregistret.");
        }
        if (!mailConfigured()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "E-post är inte inställd på den här servern, så ingen länk kan skickas.");
        }
        PasswordLinks.Issued issued = links.issue(account.id(), person.email(), caller.getName());
        try {
            mail.get().sendLink(person.email(), person.givenName(), account.username(), account.passwordHash() != null,
                    issued.token(), issued.expiresAt());
        } catch (RuntimeException e) {
            // A link nobody received is of no use and should not lie about: it is voided, and the administrator told.
            links.voidOpen(account.id());
            LOG.warn("The password link for an account could not be mailed: {}", e.getMessage());
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                    "E-postservern tog inte emot meddelandet, så ingen länk skickades. Försök igen om en stund.");
        }
        audit.record(caller.getName(), PASSWORD_LINK_SENT, "till " + person.email() + " för konto " + account.username(), request);
        return new LinkSent(person.email(), issued.expiresAt());
    }

    /** Switches the account off: sign-in is refused, its sessions end and its open links stop working. */
    @Transactional
    public AccountView disable(Authentication caller, long personId, HttpRequest<?> request) {
        PersonFacts person = administered(caller, personId);
        Account account = changeable(caller, person);
        if (account.id().equals(Caller.of(caller).accountId())) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Du kan inte stänga av ditt eget konto.");
        }
        int changed = sql.update("""
                UPDATE user_account SET disabled_at = CURRENT_TIMESTAMP, disabled_by = :actor
                WHERE id = :id AND disabled_at IS NULL""",
                NamedSql.with("actor", fit(caller.getName())).and("id", account.id()));
        if (changed == 1) {
            sessions.endAll(account.id());
            links.voidOpen(account.id());
            audit.record(caller.getName(), ACCOUNT_DISABLED, "konto " + account.username() + " för " + person.name(), request);
        }
        return view(person);
    }

    /** Switches the account on again; the password it had holds again. */
    @Transactional
    public AccountView enable(Authentication caller, long personId, HttpRequest<?> request) {
        PersonFacts person = administered(caller, personId);
        Account account = changeable(caller, person);
        int changed = sql.update("""
                UPDATE user_account SET disabled_at = NULL, disabled_by = NULL
                WHERE id = :id AND disabled_at IS NOT NULL""", NamedSql.with("id", account.id()));
        if (changed == 1) {
            audit.record(caller.getName(), ACCOUNT_ENABLED, "konto " + account.username() + " för " + person.name(), request);
        }
        return view(person);
    }

    public Optional<PersonFacts> person(long personId) {
        return sql.one("""
                SELECT id, given_name, family_name, email, status, org_node_id FROM person WHERE id = :id""",
                NamedSql.with("id", personId),
                row -> new PersonFacts(row.number("id"), row.string("given_name"), row.string("family_name"),
                        row.string("email"), "ACTIVE".equals(row.string("status")), row.number("org_node_id")));
    }

    boolean disabled(long accountId) {
        return sql.number("SELECT COUNT(*) FROM user_account WHERE id = :id AND disabled_at IS NOT NULL",
                NamedSql.with("id", accountId)) > 0;
    }

    /** The person's account, if the caller administers every node where it holds a role (see the class comment). */
    private Account changeable(Authentication caller, PersonFacts person) {
        Account account = accounts.findByPersonId(person.id()).orElseThrow(() -> new HttpStatusException(HttpStatus.CONFLICT,
                person.name() + " har inget konto ännu. Skapa det först."));
        long beyond = sql.number("""
                SELECT COUNT(*) FROM role_grant t
                WHERE t.account_id = :target
                  AND NOT EXISTS (SELECT 1 FROM role_grant g
                                  LEFT JOIN org_closure c ON c.ancestor_id = g.org_node_id AND c.descendant_id = t.org_node_id
                                  WHERE g.account_id = :caller AND g.role = :role
                                    AND (g.org_node_id IS NULL OR c.descendant_id IS NOT NULL))""",
                NamedSql.with("target", account.id()).and("caller", Caller.of(caller).accountId()).and("role", Role.ADMINISTRATOR));
        if (beyond > 0) {
            throw new HttpStatusException(HttpStatus.FORBIDDEN, "Kontot " + account.username() + " har behörigheter utanför"
                    + " den del av organisationen som du administrerar. Bara den som administrerar allt det gäller kan ändra kontot.");
        }
        return account;
    }

    private static String fit(String actor) {
        return actor.length() <= 100 ? actor : actor.substring(0, 100);
    }
}
