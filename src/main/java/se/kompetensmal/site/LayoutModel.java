package se.kompetensmal.site;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.model.ViewModelProcessor;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Languages;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.Texts;

import java.util.HashMap;
import java.util.Map;

/**
 * What every page's layout needs: who is signed in, whether to show the administration menu, the CSRF token, and the
 * words of the page in the caller's language ({@code t}, with {@code lang} for the page's language attribute).
 */
@Singleton
public class LayoutModel implements ViewModelProcessor<Map<String, Object>> {

    private final CsrfTokens tokens;
    private final Languages languages;
    private final Texts texts;
    private final Access access;

    public LayoutModel(CsrfTokens tokens, Languages languages, Texts texts, Access access) {
        this.access = access;
        this.tokens = tokens;
        this.languages = languages;
        this.texts = texts;
    }

    @Override
    public void process(HttpRequest<?> request, ModelAndView<Map<String, Object>> view) {
        Map<String, Object> model = new HashMap<>(view.getModel().orElse(Map.of()));
        String language = request.getUserPrincipal(Authentication.class).map(languages::of).orElse(Texts.SWEDISH);
        model.put("lang", language);
        model.put("t", texts.in(language));
        request.getUserPrincipal(Authentication.class).ifPresent(authentication -> {
            model.put("signedInAs", Caller.of(authentication).name());
            boolean administrator = authentication.getRoles().contains(Role.ADMINISTRATOR.name());
            model.put("administrator", administrator);
            // The audit log and the LRS outbox concern the whole system: only a system-wide administrator reaches them,
            // so an administrator of a subtree is not shown links that answer 403.
            model.put("systemAdministrator", administrator && access.holdsSystemWide(authentication, Role.ADMINISTRATOR));
            model.put(CsrfTokens.FIELD, tokens.tokenFor(request));
        });
        view.setModel(model);
    }
}
