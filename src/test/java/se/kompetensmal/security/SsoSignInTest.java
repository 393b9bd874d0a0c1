package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;

import java.net.URI;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenID Connect sign-in end to end: the browser's redirects are followed by hand between the service and a real OIDC
 * provider started in this test, and the service's own security beans are left as they are.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoSignInTest extends ServiceTest {

    static final TestOidcProvider PROVIDER = new TestOidcProvider();

    String hsaId;
    String email;
    long personId;

    /** Turning SSO on is configuration alone: issuer, client id and secret. */
    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("micronaut.security.oauth2.clients.sso.openid.issuer", PROVIDER.issuer());
        properties.put("micronaut.security.oauth2.clients.sso.client-id", TestOidcProvider.CLIENT_ID);
        properties.put("micronaut.security.oauth2.clients.sso.client-secret", TestOidcProvider.CLIENT_SECRET);
        return properties;
    }

    @BeforeAll
    void aPersonInTheRoster() {
        long unit = tree.add("SSO" + System.nanoTime(), "Vårdcentral SSO", OrgNodeKind.REGION, null).id();
        hsaId = PersonFixture.hsaPrefix() + "77";
        email = "sigrid.stahl." + System.nanoTime() + "@region.example";
        personId = people.create(hsaId, "Sigrid", "Ståhl", email, unit, LocalDate.parse("2024-01-01"),
                LocalDate.parse("2024-01-01"));
    }

    @AfterAll
    void stopProvider() {
        PROVIDER.close();
    }

    @Test
    void personIsMatchedByHsaIdAndSignedIn() {
        PROVIDER.nextSignInAs(Map.of("employeeHsaId", hsaId, "email", "annan@region.example"));

        String session = signInThroughProvider();

        String me = http.toBlocking().retrieve(HttpRequest.GET("/api/people/" + personId).bearerAuth(session));
        assertTrue(me.contains("\"hsaId\":\"" + hsaId + "\""), me);
        assertEquals(List.of("SIGN_IN"), sql.strings("SELECT action FROM audit_event WHERE actor = ? AND target = 'SSO via sso'",
                hsaId.toLowerCase()));
    }

    @Test
    void signInPageOffersTheOrganisationsSignIn() {
        String page = http.toBlocking().retrieve(HttpRequest.GET("/login").accept(io.micronaut.http.MediaType.TEXT_HTML));

        assertTrue(page.contains("href=\"/oauth/login/sso\""), page);
    }

    @Test
    void personIsMatchedByEmailWhenTheProviderSendsNoHsaId() {
        PROVIDER.nextSignInAs(Map.of("email", email));

        String session = signInThroughProvider();

        assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET("/api/people/" + personId).bearerAuth(session))
                .getStatus());
    }

    @Test
    void someoneOutsideTheRosterIsNotLetIn() {
        PROVIDER.nextSignInAs(Map.of("employeeHsaId", "SE0000000000-okand"));

        HttpResponse<?> callback = followToCallback();

        assertTrue(callback.getCookie("JWT").isEmpty(), "no session");
        assertTrue(callback.getHeaders().get("Location").startsWith("/login"), callback.getHeaders().get("Location"));
        assertEquals(List.of("SIGN_IN_FAILED"), sql.strings("SELECT action FROM audit_event WHERE actor = 'SE0000000000-okand'")
                .stream().distinct().toList());
    }

    @Test
    void staffWithoutHsaIdAreMatchedByTheirEmailWhateverItsCase() {
        long politician = withoutHsaId("Per", "Politiker", "per.politiker." + System.nanoTime() + "@kommun.example");
        String address = sql.strings("SELECT email FROM person WHERE id = ?", politician).get(0);
        PROVIDER.nextSignInAs(Map.of("email", address.toUpperCase()));

        String session = signInThroughProvider();

        assertTrue(startPage(session).contains("Välkommen, Per Politiker"));
        assertEquals(List.of(address.toLowerCase()), sql.strings("SELECT username FROM user_account WHERE person_id = ?", politician));
    }

    @Test
    void anHsaIdNobodyHasFallsBackToTheEmailOfSomeoneWithoutOne() {
        long person = withoutHsaId("Hedda", "Holm", "hedda.holm." + System.nanoTime() + "@kommun.example");
        String address = sql.strings("SELECT email FROM person WHERE id = ?", person).get(0);
        PROVIDER.nextSignInAs(Map.of("employeeHsaId", "SE0000000000-hedda", "email", address));

        assertTrue(startPage(signInThroughProvider()).contains("Välkommen, Hedda Holm"));
    }

    @Test
    void anEmailSeveralActivePeopleShareSaysNothingAboutWhoSignsIn() {
        String address = "delad." + System.nanoTime() + "@kommun.example";
        long first = withoutHsaId("Ada", "Först", address);
        withoutHsaId("Bea", "Sist", address.toUpperCase());
        PROVIDER.nextSignInAs(Map.of("email", address));

        HttpResponse<?> refused = followToCallback();

        assertTrue(refused.getCookie("JWT").isEmpty(), "no session");
        assertEquals("/login?fel=sso-flera", refused.getHeaders().get("Location"));
        String page = http.toBlocking().retrieve(HttpRequest.GET("/login?fel=sso-flera").accept(io.micronaut.http.MediaType.TEXT_HTML));
        assertTrue(page.contains("Din e-postadress finns hos flera personer i Kompetensmål"), page);

        // Once one of them has left, the address names one active person again.
        sql.update("UPDATE person SET status = ?, left_on = CURRENT_DATE WHERE id = ?", "LEFT", first);
        PROVIDER.nextSignInAs(Map.of("email", address));
        assertTrue(startPage(signInThroughProvider()).contains("Välkommen, Bea Sist"));
    }

    /** A person without HSA-id, known by e-mail in a municipality of their own (e-mail is unique within a huvudman). */
    private long withoutHsaId(String given, String family, String address) {
        long municipality = tree.add("SSOM" + System.nanoTime(), "Kommun " + family, OrgNodeKind.MUNICIPALITY, null).id();
        String hsa = PersonFixture.hsaPrefix() + "9";
        long id = people.create(hsa, given, family, address, municipality, LocalDate.parse("2024-01-01"),
                LocalDate.parse("2024-01-01"));
        sql.update("UPDATE person SET hsa_id = NULL WHERE id = ?", id);
        return id;
    }

    private String startPage(String session) {
        return http.toBlocking().retrieve(HttpRequest.GET("/").accept(io.micronaut.http.MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", session)));
    }

    /** Plays the browser: to the service, to the provider, back to the service; returns the session JWT. */
    private String signInThroughProvider() {
        HttpResponse<?> callback = followToCallback();
        assertEquals(HttpStatus.SEE_OTHER.getCode() / 100, callback.getStatus().getCode() / 100, callback.getStatus().toString());
        return callback.getCookie("JWT").orElseThrow(() -> new AssertionError("no session cookie; went to "
                + callback.getHeaders().get("Location"))).getValue();
    }

    private HttpResponse<?> followToCallback() {
        HttpResponse<?> start = http.toBlocking().exchange(HttpRequest.GET("/oauth/login/sso"));
        URI authorize = URI.create(start.getHeaders().get("Location"));
        assertTrue(authorize.toString().startsWith(PROVIDER.issuer() + "/authorize"), authorize.toString());
        try {
            java.net.http.HttpResponse<Void> atProvider = java.net.http.HttpClient.newBuilder()
                    .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build()
                    .send(java.net.http.HttpRequest.newBuilder(authorize).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            URI back = URI.create(atProvider.headers().firstValue("Location").orElseThrow());
            MutableHttpRequest<?> callback = HttpRequest.GET(back.getRawPath() + "?" + back.getRawQuery());
            start.getCookies().getAll().forEach(c -> callback.cookie(Cookie.of(c.getName(), c.getValue())));
            return http.toBlocking().exchange(callback);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
