package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The page a password link opens: the person, not signed in, chooses their password. The token in the address is the
 * only proof needed, and the form carries it on in a hidden field (no CSRF token: there is no session to tie one to, and
 * a site that does not know the token cannot fill the form in). The address holds a secret, so these pages are sent with
 * {@code Referrer-Policy: no-referrer} ({@link SecurityHeaders}) and, like every page, are not cached.
 */
@Produces(MediaType.TEXT_HTML)
@Controller(PasswordLinkPages.PATH)
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PasswordLinkPages {

    public static final String PATH = "/konto/satt-losenord";
    public static final String TOKEN = "nyckel";

    private final Passwords passwords;
    private final PasswordLinks links;

    public PasswordLinkPages(Passwords passwords, PasswordLinks links) {
        this.passwords = passwords;
        this.links = links;
    }

    @Serdeable
    public record LinkForm(@Nullable String nyckel, @Nullable String password, @Nullable String repeat) {
    }

    @Get("{?nyckel}")
    public HttpResponse<?> show(@Nullable String nyckel) {
        try {
            PasswordLinks.Found link = passwords.usableLink(nyckel);
            return HttpResponse.ok(new ModelAndView<>("password-link", model(link, nyckel, Map.of())));
        } catch (Passwords.LinkUnusable e) {
            return gone(e);
        }
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> choose(@Body LinkForm form, HttpRequest<?> request) {
        PasswordLinks.Found link = null;
        try {
            link = passwords.usableLink(form.nyckel());
            passwords.setWithLink(form.nyckel(), form.password(), form.repeat(), request);
            return HttpResponse.seeOther(URI.create("/login?losenord=valt"));
        } catch (AccountInvalid e) {
            // Only the password was refused: the link is unused, and the form comes back with the message at its field.
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("password-link", model(link, form.nyckel(), e.byField())));
        } catch (Passwords.LinkUnusable e) {
            return gone(e);
        }
    }

    private Map<String, Object> model(PasswordLinks.Found link, String token, Map<String, String> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Välj lösenord");
        model.put("token", token);
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
        return HttpResponse.status(e.getStatus()).body(new ModelAndView<>("password-link-gone", model));
    }
}
