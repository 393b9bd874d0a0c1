package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The page a password link opens: the person, not signed in, chooses their password. The token is the only proof needed.
 *
 * <p>The mailed address carries the token ({@code ?nyckel=}); that answer is only a redirect, sent with
 * {@code Referrer-Policy: no-referrer} ({@link SecurityHeaders}), which moves the token into a cookie for this page alone
 * (HttpOnly, SameSite=Lax, an hour) and goes on to the same page without it. So the secret leaves the address bar, the
 * browser's history and any Referer at once, and the form is posted from a page with the site's usual referrer policy:
 * a form on a no-referrer page is sent with {@code Origin: null}, which the service refuses as cross-site. No CSRF token:
 * there is no session to tie one to, and a site that does not hold the token cannot use the form.
 */
@Produces(MediaType.TEXT_HTML)
@Controller(PasswordLinkPages.PATH)
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PasswordLinkPages {

    public static final String PATH = "/konto/satt-losenord";
    public static final String TOKEN = "nyckel";
    static final String COOKIE = "KM_PASSWORD_LINK";
    private static final Duration COOKIE_LIFETIME = Duration.ofHours(1);

    private final Passwords passwords;
    private final PasswordLinks links;

    public PasswordLinkPages(Passwords passwords, PasswordLinks links) {
        this.passwords = passwords;
        this.links = links;
    }

    /** The form as posted; the username comes along (for password managers to save it with the password) and is not read. */
    @Serdeable
    public record LinkForm(@Nullable String username, @Nullable String password, @Nullable String repeat) {
    }

    @Get("{?nyckel}")
    public HttpResponse<?> show(@Nullable String nyckel, HttpRequest<?> request) {
        if (nyckel != null) {
            return HttpResponse.seeOther(URI.create(PATH)).cookie(cookie(nyckel, COOKIE_LIFETIME));
        }
        String token = token(request);
        try {
            PasswordLinks.Found link = passwords.usableLink(token);
            return HttpResponse.ok(new ModelAndView<>("password-link", model(link, Map.of())));
        } catch (Passwords.LinkUnusable e) {
            return gone(e);
        }
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> choose(@Body LinkForm form, HttpRequest<?> request) {
        String token = token(request);
        PasswordLinks.Found link = null;
        try {
            link = passwords.usableLink(token);
            passwords.setWithLink(token, form.password(), form.repeat(), request);
            return HttpResponse.seeOther(URI.create("/login?losenord=valt")).cookie(cookie("", Duration.ZERO));
        } catch (AccountInvalid e) {
            // Only the password was refused: the link is unused, and the form comes back with the message at its field.
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("password-link", model(link, e.byField())));
        } catch (Passwords.LinkUnusable e) {
            return gone(e);
        }
    }

    private static @Nullable String token(HttpRequest<?> request) {
        return request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null);
    }

    private static Cookie cookie(String value, Duration maxAge) {
        // Secure is added over HTTPS by SecurityHeaders, as for the session cookie.
        return Cookie.of(COOKIE, value).path(PATH).httpOnly(true).sameSite(SameSite.Lax).maxAge(maxAge);
    }

    private Map<String, Object> model(PasswordLinks.Found link, Map<String, String> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Välj lösenord");
        model.put("username", link.username());
        model.put("name", link.displayName());
        model.put("rules", PasswordPolicy.RULES);
        model.put("errors", errors);
        model.put("hasErrors", !errors.isEmpty());
        return model;
    }

    private HttpResponse<?> gone(Passwords.LinkUnusable e) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Länken går inte att använda");
        model.put("reason", e.getMessage());
        model.put("hours", links.lifetime().toHours());
        MutableHttpResponse<?> response = HttpResponse.status(e.getStatus()).body(new ModelAndView<>("password-link-gone", model));
        return response.cookie(cookie("", Duration.ZERO));
    }
}
