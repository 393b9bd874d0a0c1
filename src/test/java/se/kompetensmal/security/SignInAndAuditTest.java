package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeKind;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInAndAuditTest extends ServiceTest {

    @Test
    void fiveWrongPasswordsLockTheAccountAndEveryAttemptIsAudited() {
        String username = users.account("lock" + System.nanoTime(), null, null, null);
        for (int i = 0; i < LocalAuthenticationProvider.MAX_FAILED_ATTEMPTS; i++) {
            assertNull(users.signIn(username, "fel-lösenord-" + i));
        }

        assertNull(users.signIn(username, TestUsers.PASSWORD), "the right password does not open a locked account");
        assertEquals(List.of("SIGN_IN_FAILED", "SIGN_IN_FAILED", "SIGN_IN_FAILED", "SIGN_IN_FAILED", "SIGN_IN_FAILED",
                "SIGN_IN_LOCKED"), sql.strings("SELECT action FROM audit_event WHERE actor = ? ORDER BY id", username));
        assertNotNull(sql.strings("SELECT locked_until FROM user_account WHERE username = ?", username).get(0));
    }

    @Test
    void failedSignInSaysTheSameWhateverWentWrong() {
        String username = users.account("generic" + System.nanoTime(), null, null, null);

        HttpResponse<?> wrongPassword = postLogin(username, "fel");
        HttpResponse<?> unknownUser = postLogin("finns-inte-" + System.nanoTime(), "fel");

        assertEquals("/login?fel=1", wrongPassword.getHeaders().get("Location"));
        assertEquals("/login?fel=1", unknownUser.getHeaders().get("Location"));
        String page = http.toBlocking().retrieve(HttpRequest.GET("/login?fel=1").accept(MediaType.TEXT_HTML));
        assertTrue(page.contains("Fel användarnamn eller lösenord."), page);
    }

    @Test
    void successfulSignInSetsAProtectedSessionCookieAndIsAudited() {
        String username = users.account("ok" + System.nanoTime(), null, null, null);

        HttpResponse<?> response = postLogin(username, TestUsers.PASSWORD);

        String cookie = response.getHeaders().getAll("Set-Cookie").stream().filter(c -> c.startsWith("JWT=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Lax"), cookie);
        assertEquals(List.of("SIGN_IN"), sql.strings("SELECT action FROM audit_event WHERE actor = ?", username));
        assertNotNull(sql.strings("SELECT remote_address FROM audit_event WHERE actor = ?", username).get(0));
    }

    @Test
    void apiClientsGetABearerTokenThatIsScopedLikeThePages() {
        OrgNode node = tree.add("TOKEN" + System.nanoTime(), "Kommun T", OrgNodeKind.MUNICIPALITY, null);
        OrgNode other = tree.add("OTHER" + System.nanoTime(), "Kommun U", OrgNodeKind.MUNICIPALITY, null);
        String username = users.account("api" + System.nanoTime(), null, Role.COORDINATOR, node.id());

        Map<?, ?> answer = http.toBlocking().retrieve(HttpRequest.POST("/api/token",
                Map.of("username", username, "password", TestUsers.PASSWORD)), Map.class);
        String token = (String) answer.get("accessToken");

        assertEquals("Bearer", answer.get("tokenType"));
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET("/api/organisations/" + node.id())
                .bearerAuth(token)).getStatus());
        HttpClientResponseException outside = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.GET("/api/organisations/" + other.id()).bearerAuth(token)));
        assertEquals(HttpStatus.NOT_FOUND, outside.getStatus(), "another organisation's node reads as unknown");
        HttpClientResponseException wrong = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/api/token", Map.of("username", username, "password", "fel"))));
        assertEquals(HttpStatus.UNAUTHORIZED, wrong.getStatus());
    }

    @Test
    void pagesCarrySecurityHeaders() {
        HttpResponse<String> page = http.toBlocking().exchange(HttpRequest.GET("/login").accept(MediaType.TEXT_HTML), String.class);

        String csp = page.getHeaders().get("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("nosniff", page.getHeaders().get("X-Content-Type-Options"));
    }

    @Test
    void formWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        OrgNode node = tree.add("CSRF" + System.nanoTime(), "Kommun C", OrgNodeKind.MUNICIPALITY, null);
        String target = users.account("target" + System.nanoTime(), null, null, null);
        String admin = users.admin();

        for (String token : new String[] {null, "förfalskad"}) {
            Map<String, String> form = token == null
                    ? Map.of("username", target, "role", "COORDINATOR", "organisation", node.code())
                    : Map.of("username", target, "role", "COORDINATOR", "organisation", node.code(), "csrfToken", token);
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                    HttpRequest.POST("/admin/roller", form).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                            .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", admin)), String.class));
            assertEquals(HttpStatus.FORBIDDEN, e.getStatus());
        }
        assertEquals(0, sql.number("SELECT COUNT(*) FROM role_grant WHERE org_node_id = ?", node.id()));
    }

    @Test
    void requestFromAnotherSiteIsRefused() {
        String admin = users.admin();

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/admin/roller", Map.of("username", "x", "role", "LEADER", "organisation", "x"))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).header("Origin", "https://elak.example")
                        .cookie(Cookie.of("JWT", admin)), String.class));

        assertEquals(HttpStatus.FORBIDDEN, e.getStatus());
    }

    @Test
    void grantingAndRevokingARoleWorkAndAreAudited() {
        OrgNode node = tree.add("GRANT" + System.nanoTime(), "Kommun G", OrgNodeKind.MUNICIPALITY, null);
        String target = users.account("target" + System.nanoTime(), null, null, null);
        String admin = users.admin();
        String csrf = csrfToken(admin);

        HttpResponse<String> granted = http.toBlocking().exchange(HttpRequest.POST("/admin/roller",
                        Map.of("username", target, "role", "COORDINATOR", "organisation", node.code(), "csrfToken", csrf))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(Cookie.of("JWT", admin)), String.class);

        assertEquals(HttpStatus.SEE_OTHER, granted.getStatus());
        long grantId = sql.number("SELECT id FROM role_grant WHERE org_node_id = ?", node.id());
        String targetToken = users.token(target);
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET("/api/organisations/" + node.id())
                .bearerAuth(targetToken)).getStatus());

        http.toBlocking().exchange(HttpRequest.POST("/admin/roller/" + grantId + "/aterkalla", Map.of("csrfToken", csrf))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(Cookie.of("JWT", admin)), String.class);

        assertEquals(0, sql.number("SELECT COUNT(*) FROM role_grant WHERE org_node_id = ?", node.id()));
        assertEquals(List.of("ROLE_GRANTED", "ROLE_REVOKED"), sql.strings(
                "SELECT action FROM audit_event WHERE target LIKE ? ORDER BY id", "%" + node.code() + "%"));
        String export = http.toBlocking().retrieve(HttpRequest.GET("/admin/logg.csv").cookie(Cookie.of("JWT", admin)));
        assertTrue(export.contains("COORDINATOR på " + node.code() + " till " + target), export);
    }

    @Test
    void auditLogCannotBeChangedOrDeleted() {
        users.admin();
        long id = sql.number("SELECT MAX(id) FROM audit_event");

        for (String statement : new String[] {"UPDATE audit_event SET actor = 'någon annan' WHERE id = ?",
                "DELETE FROM audit_event WHERE id = ?"}) {
            Exception e = assertThrows(Exception.class, () -> sql.update(statement, id));
            assertTrue(String.valueOf(e.getMessage()).contains("cannot be changed")
                    || String.valueOf(e.getCause()).contains("cannot be changed"), String.valueOf(e));
        }
        assertEquals(1, sql.number("SELECT COUNT(*) FROM audit_event WHERE id = ?", id));
    }

    private String csrfToken(String sessionJwt) {
        String page = http.toBlocking().retrieve(HttpRequest.GET("/admin/roller").accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", sessionJwt)));
        return TestUsers.csrfTokenOf(page);
    }

    private HttpResponse<?> postLogin(String username, String password) {
        return http.toBlocking().exchange(HttpRequest.POST("/login", Map.of("username", username, "password", password))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED), String.class);
    }
}
