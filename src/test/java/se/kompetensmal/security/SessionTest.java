package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;

import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A signed-in session lasts only as long as the account may use the service now: signing out, an idle pause, a person
 * who has left or a revoked role ends what the token reaches at once, whatever the token itself says.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionTest extends ServiceTest {

    @Test
    void signingOutEndsTheSessionForTheCookieAndTheSameBearerToken() {
        long node = tree.add("OUT" + System.nanoTime(), "Kommun U", OrgNodeKind.MUNICIPALITY, null).id();
        String username = users.account("out" + System.nanoTime(), null, Role.COORDINATOR, node);
        String session = users.token(username);
        String otherSession = users.token(username);
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + node).bearerAuth(session)));

        HttpResponse<String> out = http.toBlocking().exchange(HttpRequest.POST("/logout", Map.of("csrfToken", csrfTokenOf(session)))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(Cookie.of("JWT", session)), String.class);

        assertEquals(HttpStatus.SEE_OTHER, out.getStatus());
        assertEquals("/login?utloggad=1", out.getHeaders().get("Location"));
        String cleared = out.getHeaders().getAll("Set-Cookie").stream().filter(c -> c.startsWith("JWT=")).findFirst().orElseThrow();
        assertTrue(cleared.contains("Max-Age=0"), cleared);
        assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET("/api/organisations/" + node).bearerAuth(session)));
        assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET("/api/organisations/" + node).cookie(Cookie.of("JWT", session))));
        HttpResponse<String> page = http.toBlocking().exchange(HttpRequest.GET("/installningar").accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", session)), String.class);
        assertEquals("/login?tillbaka=%2Finstallningar", page.getHeaders().get("Location"), "the old cookie is sent to sign in again");
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + node).bearerAuth(otherSession)),
                "signing out of one session leaves the account's other sessions alone");
    }

    @Test
    void aSessionIdlePastTheTimeoutEnds() {
        long node = tree.add("IDLE" + System.nanoTime(), "Kommun I", OrgNodeKind.MUNICIPALITY, null).id();
        String username = users.account("idle" + System.nanoTime(), null, Role.COORDINATOR, node);
        String active = users.token(username);
        String idle = users.token(username);
        long accountId = sql.number("SELECT id FROM user_account WHERE username = ?", username);

        // 29 minutes of quiet is within the 30 minutes allowed; the request counts as activity again.
        sql.update("UPDATE user_session SET last_seen_at = NOW(3) - INTERVAL 29 MINUTE WHERE account_id = ?", accountId);
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + node).bearerAuth(active)));
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + node).bearerAuth(idle)));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM user_session WHERE account_id = ? AND last_seen_at < NOW(3) - INTERVAL 1 MINUTE",
                accountId), "last seen is brought up to date");

        sql.update("UPDATE user_session SET last_seen_at = NOW(3) - INTERVAL 31 MINUTE WHERE account_id = ?", accountId);
        assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET("/api/organisations/" + node).bearerAuth(idle)));
        assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET("/api/organisations/" + node).bearerAuth(active)));

        String login = http.toBlocking().retrieve(HttpRequest.GET("/login").accept(MediaType.TEXT_HTML));
        assertTrue(login.contains("Du loggas ut efter 30 minuter utan aktivitet."), login);
    }

    @Test
    void aPersonWhoHasLeftLosesTheirSessionAtOnce() {
        long node = tree.add("LEFT" + System.nanoTime(), "Kommun L", OrgNodeKind.MUNICIPALITY, null).id();
        long person = people.create(PersonFixture.hsaPrefix() + "1", "Li", "Lund", null, node,
                LocalDate.parse("2024-01-01"), LocalDate.parse("2024-01-01"));
        String username = users.account("leaver" + System.nanoTime(), person, Role.COORDINATOR, node);
        String session = users.token(username);
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/organisations/" + node + "/people").bearerAuth(session)));

        sql.update("UPDATE person SET status = 'LEFT', left_on = CURRENT_DATE WHERE id = ?", person);

        assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET("/api/organisations/" + node + "/people").bearerAuth(session)));
        HttpResponse<String> page = http.toBlocking().exchange(HttpRequest.GET("/organisationer/" + node).accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", session)), String.class);
        assertEquals("/login?tillbaka=%2Forganisationer%2F" + node, page.getHeaders().get("Location"));
    }

    @Test
    void aRevokedAdministratorLosesTheAdministrationAtOnce() {
        String username = users.account("revadmin" + System.nanoTime(), null, Role.ADMINISTRATOR, null);
        String session = users.token(username);
        String csrf = TestUsers.csrfTokenOf(http.toBlocking().retrieve(page("/admin/xapi").cookie(Cookie.of("JWT", session))));
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/xapi/outbox").bearerAuth(session)));

        sql.update("DELETE FROM role_grant WHERE account_id = (SELECT id FROM user_account WHERE username = ?)", username);

        assertEquals(HttpStatus.FORBIDDEN, status(page("/admin/xapi").cookie(Cookie.of("JWT", session))));
        assertEquals(HttpStatus.FORBIDDEN, status(page("/admin/roller").cookie(Cookie.of("JWT", session))));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/xapi/outbox").bearerAuth(session)));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.POST("/admin/xapi/forsok-igen", Map.of("csrfToken", csrf))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(Cookie.of("JWT", session))));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM audit_event WHERE actor = ? AND action = 'SETTING_CHANGED'", username));
        String home = http.toBlocking().retrieve(page("/").cookie(Cookie.of("JWT", session)));
        assertFalse(home.contains("href=\"/admin/roller\""), "the menu no longer offers administration");
    }

    @Test
    void anAdministratorOfASubtreeSeesNeitherTheSystemsOutboxNorOtherOrganisationsRoles() {
        long own = tree.add("SUB" + System.nanoTime(), "Kommun S", OrgNodeKind.MUNICIPALITY, null).id();
        long other = tree.add("SUBO" + System.nanoTime(), "Kommun T", OrgNodeKind.MUNICIPALITY, null).id();
        String outsider = users.account("subother" + System.nanoTime(), null, Role.COORDINATOR, other);
        String insider = users.account("subown" + System.nanoTime(), null, Role.COORDINATOR, own);
        String session = users.token(users.account("subadmin" + System.nanoTime(), null, Role.ADMINISTRATOR, own));

        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.GET("/api/xapi/outbox").bearerAuth(session)));
        assertEquals(HttpStatus.FORBIDDEN, status(page("/admin/xapi").cookie(Cookie.of("JWT", session))));
        String roles = http.toBlocking().retrieve(page("/admin/roller").cookie(Cookie.of("JWT", session)));
        assertTrue(roles.contains(insider), "the roles within the subtree are listed");
        assertFalse(roles.contains(outsider), "roles elsewhere are not");
        assertTrue(roles.contains("href=\"/admin/roller\""), "the menu leads to the roles of the subtree");
        assertFalse(roles.contains("href=\"/admin/xapi\"") || roles.contains("href=\"/admin/logg\""),
                "the menu shows no link to the system's outbox or audit log, which would answer 403");
    }

    private String csrfTokenOf(String session) {
        return TestUsers.csrfTokenOf(http.toBlocking().retrieve(page("/installningar").cookie(Cookie.of("JWT", session))));
    }

    private static MutableHttpRequest<?> page(String uri) {
        return HttpRequest.GET(uri).accept(MediaType.TEXT_HTML);
    }

    private HttpStatus status(MutableHttpRequest<?> request) {
        try {
            return http.toBlocking().exchange(request, String.class).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }
}
