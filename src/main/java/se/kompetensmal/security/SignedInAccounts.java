package se.kompetensmal.security;

import io.micronaut.security.authentication.AuthenticationResponse;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Turns an account into what its token carries: its roles and who it is. Shared by password and SSO sign-in. */
@Singleton
public class SignedInAccounts {

    private final RoleGrantRepository grants;

    public SignedInAccounts(RoleGrantRepository grants) {
        this.grants = grants;
    }

    public AuthenticationResponse success(Account account) {
        Set<String> roles = new LinkedHashSet<>();
        if (account.personId() != null) {
            roles.add(Role.LEARNER.name());
        }
        grants.findByAccountId(account.id()).forEach(g -> roles.add(g.role().name()));
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(Caller.ACCOUNT_ID, String.valueOf(account.id()));
        attributes.put(Caller.NAME, account.displayName());
        if (account.personId() != null) {
            attributes.put(Caller.PERSON_ID, String.valueOf(account.personId()));
        }
        return AuthenticationResponse.success(account.username(), roles, attributes);
    }
}
