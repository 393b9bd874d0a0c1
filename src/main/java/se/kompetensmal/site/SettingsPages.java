package se.kompetensmal.site;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.View;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.security.AccountInvalid;
import se.kompetensmal.security.AccountRepository;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.PasswordPolicy;
import se.kompetensmal.security.Passwords;
import se.kompetensmal.security.Languages;
import se.kompetensmal.web.Texts;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The signed-in user's own settings: the language of the pages, and for an account with a local password a new password
 * (the current one required; the rules are security/PasswordPolicy's, as for a password chosen with a link).
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/installningar")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SettingsPages {

    private final Languages languages;
    private final Texts texts;
    private final CsrfTokens csrf;
    private final Passwords passwords;
    private final AccountRepository accounts;

    public SettingsPages(Languages languages, Texts texts, CsrfTokens csrf, Passwords passwords, AccountRepository accounts) {
        this.languages = languages;
        this.texts = texts;
        this.csrf = csrf;
        this.passwords = passwords;
        this.accounts = accounts;
    }

    @Serdeable
    public record SettingsForm(@Nullable String language, @Nullable String csrfToken) {
    }

    @Serdeable
    public record PasswordForm(@Nullable String currentPassword, @Nullable String password, @Nullable String repeat,
                               @Nullable String csrfToken) {
    }

    @View("settings")
    @Get("{?sparad,losenord}")
    public Map<String, Object> show(@Nullable String sparad, @Nullable String losenord, Authentication caller) {
        Map<String, Object> model = model(caller);
        model.put("saved", sparad != null);
        model.put("passwordChanged", losenord != null);
        return model;
    }

    @Post(value = "/losenord", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> changePassword(@Body PasswordForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        try {
            passwords.changeOwn(caller, form.currentPassword(), form.password(), form.repeat(), request);
            return HttpResponse.seeOther(URI.create("/installningar?losenord=bytt#losenord"));
        } catch (AccountInvalid e) {
            Map<String, Object> model = model(caller);
            model.put("errors", e.byField());
            model.put("passwordProblem", true);
            return HttpResponse.status(e.getStatus()).body(new ModelAndView<>("settings", model));
        }
    }

    private Map<String, Object> model(Authentication caller) {
        String language = languages.of(caller);
        Map<String, Object> model = new HashMap<>();
        model.put("title", texts.in(language).get("settings"));
        model.put("swedish", Texts.SWEDISH.equals(language));
        // Only an account with a local password has one to change; SSO accounts sign in at their organisation.
        model.put("hasPassword", accounts.findById(Caller.of(caller).accountId()).map(a -> a.passwordHash() != null).orElse(false));
        model.put("passwordRules", PasswordPolicy.RULES);
        model.put("errors", Map.of());
        return model;
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> save(@Body SettingsForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        languages.choose(caller, form.language() == null ? "" : form.language());
        return HttpResponse.seeOther(URI.create("/installningar?sparad=1"));
    }
}
