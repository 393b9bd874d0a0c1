package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.model.ViewModelProcessor;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account's part of the person page (the partial views/person-account.hbs): for an administrator of the person, one
 * line on their account and the way to the account page. Added to the page's model here, by the page's view name and
 * address, so that the person page (people/PersonPages, another feature's) needs no more than the partial's one line.
 */
@Singleton
public class PersonAccountSection implements ViewModelProcessor<Map<String, Object>> {

    static final String VIEW = "person";
    private static final Pattern PERSON_PATH = Pattern.compile("^/personer/(\\d{1,18})(/.*)?$");

    private final AccountAdministration administration;

    public PersonAccountSection(AccountAdministration administration) {
        this.administration = administration;
    }

    /** What the partial shows. */
    public record Section(long personId, String personName, boolean exists, String username, boolean disabled,
                          boolean hasPassword, boolean personActive) {
    }

    @Override
    public void process(HttpRequest<?> request, ModelAndView<Map<String, Object>> view) {
        if (!view.getView().filter(VIEW::equals).isPresent()) {
            return;
        }
        Matcher path = PERSON_PATH.matcher(request.getPath());
        Authentication caller = request.getUserPrincipal(Authentication.class).orElse(null);
        if (!path.matches() || caller == null || !caller.getRoles().contains(Role.ADMINISTRATOR.name())) {
            return;
        }
        long personId = Long.parseLong(path.group(1));
        if (!administration.administers(caller, personId)) {
            return;
        }
        administration.person(personId).ifPresent(person -> {
            AccountAdministration.AccountView account = administration.view(person);
            Map<String, Object> model = new HashMap<>(view.getModel().orElse(Map.of()));
            model.put("accountSection", new Section(personId, person.name(), account.exists(),
                    account.username() == null ? "" : account.username(), account.disabled(), account.hasPassword(),
                    person.active()));
            view.setModel(model);
        });
    }
}
