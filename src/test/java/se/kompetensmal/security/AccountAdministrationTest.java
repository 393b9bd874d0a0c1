package se.kompetensmal.security;

import com.icegreen.greenmail.util.GreenMail;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestMail;
import se.kompetensmal.TestUsers;
import se.kompetensmal.Waiting;
import se.kompetensmal.organization.OrgNodeKind;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts as administrators keep them, against the real database and a real SMTP server (GreenMail): who may create an
 * account, the one-time link (stored hashed, used once, expires, replaced by a newer one), switching an account off
 * (sign-in refused, sessions ended), the owner changing their password, and the audit rows each change leaves.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountAdministrationTest extends ServiceTest {

    private static final Pattern LINK = Pattern.compile("(/konto/satt-losenord\\?nyckel=[A-Za-z0-9_%-]+)");
    private static final String GOOD_PASSWORD = "Fyra glada pelargoner i fönstret";

    final int smtpPort = TestMail.freePort();
    final GreenMail smtp = TestMail.startSmtp(smtpPort);

    long region;
    long unit;
    String admin;
    String otherAdmin;
    String coordinator;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("javamail.enabled", "true");
        properties.put("javamail.properties.mail.smtp.host", "127.0.0.1");
        properties.put("javamail.properties.mail.smtp.port", Integer.toString(smtpPort));
        properties.put("kompetensmal.mail.from", "kompetensmal@kommun.example");
        properties.put("kompetensmal.public-url", "https://kompetens.kommun.example");
        return properties;
    }

    @BeforeAll
    void organisations() {
        String p = "ACC" + System.nanoTime();
        region = tree.add(p, "Kommun Accent", OrgNodeKind.MUNICIPALITY, null).id();
        unit = tree.add(p + "-E", "Hemtjänst Ekbacken", OrgNodeKind.UNIT, region).id();
        long elsewhere = tree.add(p + "-X", "Kommun Annanstans", OrgNodeKind.MUNICIPALITY, null).id();
        admin = users.account(p + "-admin", null, Role.ADMINISTRATOR, region);
        otherAdmin = users.account(p + "-admin-x", null, Role.ADMINISTRATOR, elsewhere);
        coordinator = users.account(p + "-samordnare", null, Role.COORDINATOR, region);
    }

    @AfterAll
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void onlyAnAdministratorWherePersonIsPlacedMayCreateTheAccount() {
        long person = person("Olle", "Ohlsson");

        HttpClientResponseException otherOrganisation = assertThrows(HttpClientResponseException.class,
                () -> create(person, users.token(otherAdmin), Map.of()));
        HttpClientResponseException notAdministrator = assertThrows(HttpClientResponseException.class,
                () -> create(person, users.token(coordinator), Map.of()));
        HttpClientResponseException page = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.GET("/personer/" + person + "/konto").accept(MediaType.TEXT_HTML)
                        .cookie(Cookie.of("JWT", users.token(otherAdmin)))));

        assertEquals(HttpStatus.NOT_FOUND, otherOrganisation.getStatus());
        assertEquals(HttpStatus.FORBIDDEN, notAdministrator.getStatus());
        assertEquals(HttpStatus.NOT_FOUND, page.getStatus());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM user_account WHERE person_id = ?", person));
    }

    @Test
    void theAccountTakesTheEmailAsUsernameAndATakenUsernameIsRefusedInSwedish() {
        long person = person("Petra", "Persson");
        long second = person("Pia", "Persson");

        Map<?, ?> created = create(person, users.token(admin), Map.of()).body();
        HttpClientResponseException taken = assertThrows(HttpClientResponseException.class,
                () -> create(second, users.token(admin), Map.of("username", emailOf(person).toUpperCase())));
        HttpClientResponseException blank = assertThrows(HttpClientResponseException.class,
                () -> create(second, users.token(admin), Map.of("username", "a b")));

        assertEquals(emailOf(person).toLowerCase(), created.get("username"));
        assertEquals(false, created.get("hasPassword"));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, taken.getStatus());
        assertTrue(taken.getResponse().getBody(String.class).orElse("").contains("är upptaget"),
                taken.getResponse().getBody(String.class).orElse(""));
        assertTrue(blank.getResponse().getBody(String.class).orElse("").contains("inga mellanslag"));
        assertEquals(List.of("ACCOUNT_CREATED"), sql.strings("SELECT action FROM audit_event WHERE actor = ? AND target LIKE ?",
                admin, "%person " + person + ")"));
    }

    @Test
    void theLinkArrivesByMailIsStoredOnlyHashedAndSetsThePasswordOnce() throws Exception {
        long person = person("Lena", "Lindqvist");
        create(person, users.token(admin), Map.of());
        int before = smtp.getReceivedMessages().length;

        Map<?, ?> sent = http.toBlocking().exchange(HttpRequest.POST("/api/people/" + person + "/account/link", "")
                .bearerAuth(users.token(admin)), Map.class).body();
        String link = linkInMail(before, emailOf(person));
        String token = tokenOf(link);

        assertEquals(emailOf(person), sent.get("sentTo"));
        assertTrue(token.length() >= 43, "256 random bits, base64url: " + token);
        assertEquals(List.of(PasswordLinks.digest(token)), sql.strings("""
                SELECT l.token_hash FROM password_link l JOIN user_account a ON a.id = l.account_id WHERE a.person_id = ?""", person));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM password_link WHERE token_hash = ? OR sent_to = ?", token, token));

        // The mailed address moves the token into a cookie of the page and goes on without it (PasswordLinkPages).
        HttpResponse<?> opened = http.toBlocking().exchange(HttpRequest.GET(link).accept(MediaType.TEXT_HTML));
        assertEquals(HttpStatus.SEE_OTHER, opened.getStatus());
        assertEquals("/konto/satt-losenord", opened.getHeaders().get("Location"));
        assertEquals("no-referrer", opened.getHeaders().get("Referrer-Policy"));
        String cookie = opened.getCookie("KM_PASSWORD_LINK").orElseThrow().getValue();
        assertEquals(token, cookie);
        HttpResponse<String> page = http.toBlocking().exchange(HttpRequest.GET("/konto/satt-losenord").accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("KM_PASSWORD_LINK", cookie)), String.class);
        assertEquals("no-store", page.getHeaders().get("Cache-Control"));
        assertTrue(page.body().contains(emailOf(person).toLowerCase()), "the page names the username");
        assertFalse(page.body().contains(token), "the token is not in the page");

        HttpClientResponseException common = assertThrows(HttpClientResponseException.class,
                () -> choose(token, "Lösenord1234", "Lösenord1234"));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, common.getStatus());
        assertTrue(common.getResponse().getBody(String.class).orElse("").contains("för vanligt"));
        HttpClientResponseException different = assertThrows(HttpClientResponseException.class,
                () -> choose(token, GOOD_PASSWORD, GOOD_PASSWORD + "!"));
        assertTrue(different.getResponse().getBody(String.class).orElse("").contains("Lösenorden är inte likadana"));

        HttpResponse<?> chosen = choose(token, GOOD_PASSWORD, GOOD_PASSWORD);
        assertEquals("/login?losenord=valt", chosen.getHeaders().get("Location"));
        assertNotNull(users.signIn(emailOf(person).toLowerCase(), GOOD_PASSWORD), "signs in with the chosen password");

        HttpClientResponseException again = assertThrows(HttpClientResponseException.class,
                () -> choose(token, "Ett annat bra lösenord", "Ett annat bra lösenord"));
        assertEquals(HttpStatus.GONE, again.getStatus());
        assertTrue(again.getResponse().getBody(String.class).orElse("").contains("redan använts"));
        assertNotNull(users.signIn(emailOf(person).toLowerCase(), GOOD_PASSWORD), "the used link changed nothing");
        assertEquals(List.of("PASSWORD_SET"), sql.strings("SELECT action FROM audit_event WHERE actor = ? AND action LIKE ?",
                emailOf(person).toLowerCase(), "PASSWORD%"));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM audit_event WHERE actor = ? AND action = ? AND target = ?",
                admin, "PASSWORD_LINK_SENT", "till " + emailOf(person) + " för konto " + emailOf(person).toLowerCase()));
    }

    @Test
    void aNewerLinkVoidsTheOlderAndAnExpiredLinkIsRefused() throws Exception {
        long person = person("Nils", "Nyberg");
        create(person, users.token(admin), Map.of());
        String first = sendLink(person);
        String second = sendLink(person);

        HttpClientResponseException replaced = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/konto/satt-losenord").accept(MediaType.TEXT_HTML)
                        .cookie(Cookie.of("KM_PASSWORD_LINK", tokenOf(first))), String.class));
        sql.update("UPDATE password_link l JOIN user_account a ON a.id = l.account_id "
                + "SET l.expires_at = CURRENT_TIMESTAMP(3) - INTERVAL 1 MINUTE WHERE a.person_id = ? AND l.voided_at IS NULL", person);
        HttpClientResponseException expired = assertThrows(HttpClientResponseException.class,
                () -> choose(tokenOf(second), GOOD_PASSWORD, GOOD_PASSWORD));
        HttpClientResponseException unknown = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/konto/satt-losenord").accept(MediaType.TEXT_HTML)
                        .cookie(Cookie.of("KM_PASSWORD_LINK", "gissad"))));

        assertEquals(HttpStatus.GONE, replaced.getStatus());
        assertTrue(replaced.getResponse().getBody(String.class).orElse("").contains("ersatts av en nyare länk"));
        assertEquals(HttpStatus.GONE, expired.getStatus());
        assertTrue(expired.getResponse().getBody(String.class).orElse("").contains("har gått ut"));
        assertEquals(HttpStatus.NOT_FOUND, unknown.getStatus());
        assertNull(sql.strings("SELECT password_hash FROM user_account WHERE person_id = ?", person).get(0));
    }

    @Test
    void aSwitchedOffAccountCannotSignInAndItsSessionsEnd() {
        long person = person("Stina", "Stål");
        String username = users.account("stina" + System.nanoTime(), person, null, null);
        String session = users.token(username);

        Map<?, ?> off = http.toBlocking().exchange(HttpRequest.POST("/api/people/" + person + "/account/disable", "")
                .bearerAuth(users.token(admin)), Map.class).body();

        assertEquals(true, off.get("disabled"));
        HttpClientResponseException ended = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/people/" + person).bearerAuth(session)));
        assertEquals(HttpStatus.UNAUTHORIZED, ended.getStatus());
        HttpResponse<?> refused = http.toBlocking().exchange(HttpRequest.POST("/login",
                Map.of("username", username, "password", TestUsers.PASSWORD)).contentType(MediaType.APPLICATION_FORM_URLENCODED));
        assertEquals("/login?fel=avstangt", refused.getHeaders().get("Location"));
        assertTrue(refused.getCookie("JWT").isEmpty());
        String page = http.toBlocking().retrieve(HttpRequest.GET("/login?fel=avstangt").accept(MediaType.TEXT_HTML));
        assertTrue(page.contains("Ditt konto är avstängt."), page);
        // A wrong password still gets the generic answer: switched off is said only to whoever knows the password.
        HttpResponse<?> guessed = http.toBlocking().exchange(HttpRequest.POST("/login",
                Map.of("username", username, "password", "fel-lösenord")).contentType(MediaType.APPLICATION_FORM_URLENCODED));
        assertEquals("/login?fel=1", guessed.getHeaders().get("Location"));

        http.toBlocking().exchange(HttpRequest.POST("/api/people/" + person + "/account/enable", "").bearerAuth(users.token(admin)));

        assertNotNull(users.signIn(username, TestUsers.PASSWORD), "signs in again once switched on");
        assertEquals(List.of("ACCOUNT_DISABLED", "ACCOUNT_ENABLED"), sql.strings(
                "SELECT action FROM audit_event WHERE actor = ? AND target LIKE ? ORDER BY id", admin, "konto " + username + " %"));
    }

    @Test
    void anAccountWithRightsBeyondTheAdministratorsRemitIsNotTheirsToChange() {
        long person = person("Vera", "Vik");
        String username = users.account("vera" + System.nanoTime(), person, Role.ADMINISTRATOR, null);

        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/api/people/" + person + "/account/disable", "").bearerAuth(users.token(admin))));

        assertEquals(HttpStatus.FORBIDDEN, refused.getStatus());
        assertNotNull(users.signIn(username, TestUsers.PASSWORD));
    }

    @Test
    void theOwnerChangesTheirPasswordOnlyWithTheCurrentOne() {
        long person = person("Ulla", "Ungdal");
        String username = users.account("ulla" + System.nanoTime(), person, null, null);
        String session = users.token(username);
        String other = users.token(username);
        String csrf = TestUsers.csrfTokenOf(http.toBlocking().retrieve(HttpRequest.GET("/installningar")
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session))));

        HttpClientResponseException wrong = assertThrows(HttpClientResponseException.class,
                () -> change(session, csrf, "inte-det-nuvarande", GOOD_PASSWORD));
        HttpClientResponseException weak = assertThrows(HttpClientResponseException.class,
                () -> change(session, csrf, TestUsers.PASSWORD, "sommar2024"));

        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, wrong.getStatus());
        assertTrue(wrong.getResponse().getBody(String.class).orElse("").contains("Det nuvarande lösenordet stämmer inte."));
        assertTrue(weak.getResponse().getBody(String.class).orElse("").contains("Lösenordet är för kort"));
        assertNotNull(users.signIn(username, TestUsers.PASSWORD), "nothing changed yet");

        HttpResponse<?> changed = change(session, csrf, TestUsers.PASSWORD, GOOD_PASSWORD);

        assertEquals("/installningar?losenord=bytt#losenord", changed.getHeaders().get("Location"));
        assertNull(users.signIn(username, TestUsers.PASSWORD), "the old password is gone");
        assertNotNull(users.signIn(username, GOOD_PASSWORD));
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET("/installningar").accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", session))).getStatus(), "the session that changed it goes on");
        assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(HttpRequest.GET("/api/people/" + person)
                .bearerAuth(other)), "another session of the account has ended");
        assertEquals(List.of("PASSWORD_CHANGE_FAILED", "PASSWORD_CHANGED"), sql.strings(
                "SELECT action FROM audit_event WHERE actor = ? AND action LIKE ? ORDER BY id", username, "PASSWORD%"));
    }

    private long person(String given, String family) {
        String hsa = PersonFixture.hsaPrefix() + "1";
        String email = given.toLowerCase() + "." + System.nanoTime() + "@Kommun.example";
        return people.create(hsa, given, family, email, unit, LocalDate.parse("2024-01-01"), LocalDate.parse("2024-01-01"));
    }

    private String emailOf(long person) {
        return sql.strings("SELECT email FROM person WHERE id = ?", person).get(0);
    }

    private HttpResponse<Map> create(long person, String token, Map<String, String> body) {
        return http.toBlocking().exchange(HttpRequest.POST("/api/people/" + person + "/account", body).bearerAuth(token), Map.class);
    }

    private String sendLink(long person) throws Exception {
        int before = smtp.getReceivedMessages().length;
        http.toBlocking().exchange(HttpRequest.POST("/api/people/" + person + "/account/link", "").bearerAuth(users.token(admin)));
        return linkInMail(before, emailOf(person));
    }

    /**
     * The link's path in the mail to the address given that came after the first {@code before} mails. Other mails may
     * come in between: the background jobs share the test JVM's database, and a reminder round due from an earlier class
     * may run in this one and mail the demo staff (two CI runs failed on such a mail to lars.sjoberg@demokommun.example).
     */
    private String linkInMail(int before, String to) throws Exception {
        MimeMessage mail = Waiting.until(() -> mailTo(before, to), java.util.Optional::isPresent, Duration.ofSeconds(10),
                "a mail to " + to).orElseThrow();
        assertEquals(1, mail.getAllRecipients().length, "to the one person only");
        assertEquals("Välj ditt lösenord till Kompetensmål", mail.getSubject());
        String text = TestMail.text(mail);
        assertTrue(text.contains("https://kompetens.kommun.example/konto/satt-losenord?nyckel="), text);
        assertTrue(text.contains("Ditt användarnamn: " + to.toLowerCase()), text);
        Matcher m = LINK.matcher(text);
        assertTrue(m.find(), text);
        String link = m.group(1);
        assertFalse(m.find(), "one link");
        return link;
    }

    private java.util.Optional<MimeMessage> mailTo(int before, String to) {
        MimeMessage[] mails = smtp.getReceivedMessages();
        for (int i = before; i < mails.length; i++) {
            try {
                if (to.equals(mails[i].getAllRecipients()[0].toString())) {
                    return java.util.Optional.of(mails[i]);
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return java.util.Optional.empty();
    }

    /** Posts the form as the browser does, with the token in the page's cookie. */
    private HttpResponse<?> choose(String token, String password, String repeat) {
        return http.toBlocking().exchange(HttpRequest.POST("/konto/satt-losenord",
                Map.of("password", password, "repeat", repeat))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("KM_PASSWORD_LINK", token)), String.class);
    }

    private static String tokenOf(String link) {
        return java.net.URLDecoder.decode(link.substring(link.indexOf('=') + 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private HttpResponse<?> change(String session, String csrf, String current, String password) {
        return http.toBlocking().exchange(HttpRequest.POST("/installningar/losenord",
                Map.of("currentPassword", current, "password", password, "repeat", password, "csrfToken", csrf))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", session)), String.class);
    }
}
