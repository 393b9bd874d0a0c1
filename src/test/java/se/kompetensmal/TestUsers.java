package se.kompetensmal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Account;
import se.kompetensmal.security.AccountRepository;
import se.kompetensmal.security.PasswordHasher;
import se.kompetensmal.security.Role;
import se.kompetensmal.security.RoleGrant;
import se.kompetensmal.security.RoleGrantRepository;

import java.util.Map;

/**
 * Accounts for tests, signed in the way people sign in: a form POST to /login, whose session cookie holds the JWT that
 * API clients then send as a bearer token.
 */
@Singleton
public class TestUsers {

    public static final String PASSWORD = "Test-lösenord-2026";

    private final AccountRepository accounts;
    private final RoleGrantRepository grants;
    private final PasswordHasher hasher;
    private final HttpClient http;

    public TestUsers(AccountRepository accounts, RoleGrantRepository grants, PasswordHasher hasher,
                     @Client("/") HttpClient http) {
        this.accounts = accounts;
        this.grants = grants;
        this.hasher = hasher;
        this.http = http;
    }

    /** A system-wide administrator's token. */
    public String admin() {
        return token(account("test-admin", null, Role.ADMINISTRATOR, null));
    }

    /** Creates the account (once) with the role on the node, for the person if given. */
    public String account(String username, @Nullable Long personId, @Nullable Role role, @Nullable Long nodeId) {
        Account account = accounts.findByUsername(username).orElseGet(() -> accounts.save(
                new Account(null, username, "Test " + username, hasher.hash(PASSWORD), personId, 0, null)));
        if (role != null && role != Role.LEARNER && grants.findByAccountId(account.id()).stream()
                .noneMatch(g -> g.role() == role && java.util.Objects.equals(g.orgNodeId(), nodeId))) {
            grants.save(new RoleGrant(null, account.id(), role, nodeId, "test", null));
        }
        return username;
    }

    public String token(String username) {
        String token = signIn(username, PASSWORD);
        if (token == null) {
            throw new AssertionError("could not sign in as " + username);
        }
        return token;
    }

    /** The session JWT after a form sign-in, or null when the sign-in was refused. */
    public @Nullable String signIn(String username, String password) {
        try {
            HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.POST("/login",
                    Map.of("username", username, "password", password)).contentType(MediaType.APPLICATION_FORM_URLENCODED),
                    String.class);
            return response.getCookie("JWT").map(c -> c.getValue()).orElse(null);
        } catch (HttpClientResponseException e) {
            return null;
        }
    }

    /** The CSRF token a page puts in its forms. */
    public static String csrfTokenOf(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrfToken\" value=\"([^\"]+)\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no CSRF token on the page");
        }
        return m.group(1);
    }
}
