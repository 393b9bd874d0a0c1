package se.kompetensmal.security;

import io.micronaut.security.authentication.AuthenticationResponse;
import jakarta.inject.Singleton;
import se.kompetensmal.people.PersonStatus;

import java.util.List;
import java.util.Map;

/** Turns an account into a new session and what its token carries. Shared by password, API token and SSO sign-in. */
@Singleton
public class SignedInAccounts {

    private final Sessions sessions;
    private final AccountRepository accounts;

    public SignedInAccounts(Sessions sessions, AccountRepository accounts) {
        this.sessions = sessions;
        this.accounts = accounts;
    }

    /** Whether the account belongs to a person who has left, and so may not sign in. */
    public boolean personHasLeft(Account account) {
        return accounts.personStatus(account.id()).map(PersonStatus::valueOf).filter(s -> !s.maySignIn()).isPresent();
    }

    public AuthenticationResponse success(Account account) {
        // The token names the account and its session only: roles, name and whether the person is still employed are
        // read for every request (SessionTokens), so that a change holds at once.
        return AuthenticationResponse.success(account.username(), List.of(),
                Map.of(Sessions.CLAIM, sessions.start(account.id())));
    }
}
