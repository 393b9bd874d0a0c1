package se.kompetensmal.site;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.View;
import se.kompetensmal.security.LocalAuthenticationProvider;
import se.kompetensmal.security.Sessions;
import se.kompetensmal.security.SsoAuthenticationMapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The sign-in page; the form posts to /login, which Micronaut Security handles with the local accounts. The page first
 * asked for rides along as {@code ?tillbaka=} on the form's address ({@link ReturningLoginHandler}).
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/login")
@Secured(SecurityRule.IS_ANONYMOUS)
public class LoginPage {

    private final boolean ssoEnabled;
    private final String idleNotice;

    public LoginPage(@Value("${micronaut.security.oauth2.clients.sso.openid.issuer:}") String ssoIssuer, Sessions sessions) {
        this.ssoEnabled = !ssoIssuer.isBlank();
        long minutes = Math.max(1, sessions.idleTimeout().toMinutes());
        this.idleNotice = "Du loggas ut efter " + minutes + (minutes == 1 ? " minut" : " minuter") + " utan aktivitet.";
    }

    /**
     * Refusals the page names, by the code in {@code ?fel=}: a switched-off account (said only after the right password),
     * and single sign-on that found nobody or several people. Any other code gets the generic answer.
     */
    static final Map<String, String> FAILURES = Map.of(
            "avstangt", LocalAuthenticationProvider.DISABLED,
            "sso-saknas", SsoAuthenticationMapper.NOT_IN_ROSTER,
            "sso-flera", SsoAuthenticationMapper.SEVERAL_WITH_EMAIL);

    /** The code of a refusal's message, or null for the generic one. */
    static @Nullable String failureCode(String message) {
        return FAILURES.entrySet().stream().filter(e -> e.getValue().equals(message)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    @View("login")
    @Get
    public Map<String, Object> form(@QueryValue @Nullable String fel, @QueryValue @Nullable String utloggad,
                                    @QueryValue @Nullable String tillbaka, @QueryValue @Nullable String losenord,
                                    HttpRequest<?> request) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Logga in");
        model.put("sso", ssoEnabled);
        model.put("idleNotice", idleNotice);
        model.put("action", "/login" + ReturnPath.query(tillbaka));
        if (fel != null) {
            model.put("error", FAILURES.getOrDefault(fel, LocalAuthenticationProvider.GENERIC_FAILURE
                    + " Efter fem misslyckade försök spärras kontot i femton minuter."));
            request.getCookies().findCookie(ReturningLoginHandler.USERNAME_COOKIE).map(Cookie::getValue)
                    .map(v -> URLDecoder.decode(v, StandardCharsets.UTF_8)).ifPresent(u -> model.put("username", u));
        }
        if (utloggad != null) {
            model.put("info", "Du är utloggad.");
        }
        if (losenord != null) {
            // After a password was chosen with a link (security/PasswordLinkPages).
            model.put("info", "Ditt lösenord är sparat. Logga in med ditt användarnamn och det nya lösenordet.");
        }
        return model;
    }
}
