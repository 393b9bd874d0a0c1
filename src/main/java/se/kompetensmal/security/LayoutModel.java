package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.model.ViewModelProcessor;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/** What every page's layout needs: who is signed in, whether to show the administration menu, the CSRF token. */
@Singleton
public class LayoutModel implements ViewModelProcessor<Map<String, Object>> {

    private final CsrfTokens tokens;

    public LayoutModel(CsrfTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(HttpRequest<?> request, ModelAndView<Map<String, Object>> view) {
        Map<String, Object> model = new HashMap<>(view.getModel().orElse(Map.of()));
        request.getUserPrincipal(Authentication.class).ifPresent(authentication -> {
            model.put("signedInAs", Caller.of(authentication).name());
            model.put("administrator", authentication.getRoles().contains(Role.ADMINISTRATOR.name()));
            model.put(CsrfTokens.FIELD, tokens.tokenFor(request));
        });
        view.setModel(model);
    }
}
