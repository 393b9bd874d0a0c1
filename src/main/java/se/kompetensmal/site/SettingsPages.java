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
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Languages;
import se.kompetensmal.web.Texts;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The signed-in user's own settings: the language of the pages. */
@Produces(MediaType.TEXT_HTML)
@Controller("/installningar")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SettingsPages {

    private final Languages languages;
    private final Texts texts;
    private final CsrfTokens csrf;

    public SettingsPages(Languages languages, Texts texts, CsrfTokens csrf) {
        this.languages = languages;
        this.texts = texts;
        this.csrf = csrf;
    }

    @Serdeable
    public record SettingsForm(@Nullable String language, @Nullable String csrfToken) {
    }

    @View("settings")
    @Get("{?sparad}")
    public Map<String, Object> show(@Nullable String sparad, Authentication caller) {
        String language = languages.of(caller);
        Map<String, Object> model = new HashMap<>();
        model.put("title", texts.in(language).get("settings"));
        model.put("swedish", Texts.SWEDISH.equals(language));
        model.put("saved", sparad != null);
        return model;
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> save(@Body SettingsForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        languages.choose(caller, form.language() == null ? "" : form.language());
        return HttpResponse.seeOther(URI.create("/installningar?sparad=1"));
    }
}
