package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.SwedishTime;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * A person's account, for the administrators of a unit where the person is placed now: create it (a username, by
 * default the person's e-mail address), send a link to choose a password, switch it off and on. Reached from the person
 * page ({@link PersonAccountSection}). Every form carries the CSRF token; what went wrong comes back at the form.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/personer/{id}/konto")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountPages {

    private final AccountAdministration administration;
    private final PasswordLinks links;
    private final CsrfTokens csrf;

    public AccountPages(AccountAdministration administration, PasswordLinks links, CsrfTokens csrf) {
        this.administration = administration;
        this.links = links;
        this.csrf = csrf;
    }

    @Serdeable
    public record CreateForm(@Nullable String username, @Nullable String csrfToken) {
    }

    @Serdeable
    public record ActionForm(@Nullable String csrfToken) {
    }

    @Get("{?klart}")
    public ModelAndView<Map<String, Object>> show(long id, @Nullable String klart, Authentication caller) {
        AccountAdministration.AccountView account = administration.view(caller, id);
        Map<String, Object> model = model(account, caller);
        notice(account, klart).ifPresent(n -> model.put("notice", n));
        return new ModelAndView<>("account", model);
    }

    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> create(long id, @Body CreateForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        try {
            administration.create(caller, id, form.username(), request);
            return done(id, "skapat");
        } catch (AccountInvalid e) {
            Map<String, Object> model = model(administration.view(caller, id), caller);
            model.put("errors", e.byField());
            model.put("username", form.username());
            return HttpResponse.status(e.getStatus()).body(new ModelAndView<>("account", model));
        } catch (HttpStatusException e) {
            return again(caller, id, "createError", e);
        }
    }

    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post(value = "/lank", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> sendLink(long id, @Body ActionForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        try {
            administration.sendLink(caller, id, request);
            return done(id, "lank");
        } catch (HttpStatusException e) {
            return again(caller, id, "linkError", e);
        }
    }

    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post(value = "/stang-av", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> disable(long id, @Body ActionForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        try {
            administration.disable(caller, id, request);
            return done(id, "avstangt");
        } catch (HttpStatusException e) {
            return again(caller, id, "switchError", e);
        }
    }

    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post(value = "/aktivera", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> enable(long id, @Body ActionForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        try {
            administration.enable(caller, id, request);
            return done(id, "aktiverat");
        } catch (HttpStatusException e) {
            return again(caller, id, "switchError", e);
        }
    }

    private static HttpResponse<?> done(long id, String what) {
        return HttpResponse.seeOther(URI.create("/personer/" + id + "/konto?klart=" + what));
    }

    /**
     * The page again with the refusal at the form it concerns; a refusal of the caller's right to the person (403, 404)
     * is answered as such, never with the page.
     */
    private HttpResponse<?> again(Authentication caller, long id, String which, HttpStatusException e) {
        int status = e.getStatus().getCode();
        if (status == 403 && !administration.administers(caller, id) || status == 404) {
            throw e;
        }
        Map<String, Object> model = model(administration.view(caller, id), caller);
        model.put(which, e.getMessage());
        return HttpResponse.status(e.getStatus()).body(new ModelAndView<>("account", model));
    }

    private Map<String, Object> model(AccountAdministration.AccountView account, Authentication caller) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Konto för " + account.personName());
        model.put("a", account);
        model.put("errors", Map.of());
        model.put("username", account.email());
        model.put("minLength", AccountAdministration.MIN_USERNAME_LENGTH);
        model.put("maxLength", AccountAdministration.MAX_USERNAME_LENGTH);
        model.put("hours", links.lifetime().toHours());
        model.put("mailConfigured", administration.mailConfigured());
        if (account.exists()) {
            model.put("status", account.disabled()
                    ? "Avstängt sedan " + SwedishTime.format(account.disabledAt()) + " av " + account.disabledBy()
                    + ". Kontot kan inte logga in."
                    : "Aktivt");
            model.put("password", account.hasPassword()
                    ? "Valt" + (account.passwordChangedAt() == null ? "" : " " + SwedishTime.format(account.passwordChangedAt()))
                    : "Inte valt ännu. " + account.personName() + " väljer det själv med en länk.");
            if (account.latestLink() != null) {
                model.put("latestLink", linkText(account.latestLink()));
            }
            // An administrator does not switch off their own account (AccountAdministration refuses it too).
            model.put("own", account.username().equals(caller.getName()));
        }
        return model;
    }

    private static String linkText(AccountAdministration.LinkView link) {
        String sent = "skickad " + SwedishTime.format(link.sentAt()) + " till " + link.sentTo();
        return switch (link.state()) {
            case "OPEN" -> "Gäller till " + SwedishTime.format(link.expiresAt()) + " (" + sent + ")";
            case "USED" -> "Använd (" + sent + ")";
            case "EXPIRED" -> "Gick ut " + SwedishTime.format(link.expiresAt()) + " utan att användas (" + sent + ")";
            default -> "Gäller inte längre: ersatt av en nyare länk eller stoppad när kontot stängdes av (" + sent + ")";
        };
    }

    private static java.util.Optional<String> notice(AccountAdministration.AccountView account, @Nullable String done) {
        if (done == null || !account.exists()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(switch (done) {
            case "skapat" -> "Kontot " + account.username() + " är skapat. Skicka en länk så att " + account.personName()
                    + " kan välja sitt lösenord.";
            case "lank" -> account.latestLink() == null ? null : "En länk har skickats till " + account.latestLink().sentTo()
                    + ". Den gäller till " + SwedishTime.format(account.latestLink().expiresAt()) + ".";
            case "avstangt" -> "Kontot är avstängt. Pågående inloggningar är avslutade.";
            case "aktiverat" -> "Kontot är aktiverat igen.";
            default -> null;
        });
    }
}
