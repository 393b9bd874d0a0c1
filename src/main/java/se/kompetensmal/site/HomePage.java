package se.kompetensmal.site;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.View;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.web.Texts;
import se.kompetensmal.catalog.CatalogueLoader;
import se.kompetensmal.learning.MyTraining;
import se.kompetensmal.organization.OrganizationOverview;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.Languages;
import se.kompetensmal.security.Role;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The start page: "Min utbildning" for everyone in the roster, and the part of the organisation you may see. */
@Produces(MediaType.TEXT_HTML)
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class HomePage {

    private final PersonQueries people;
    private final OrganizationOverview overview;
    private final CatalogueLoader catalogue;
    private final Access access;
    private final MyTraining training;
    private final Languages languages;
    private final Texts texts;

    public HomePage(PersonQueries people, OrganizationOverview overview, CatalogueLoader catalogue, Access access,
                    MyTraining training, Languages languages, Texts texts) {
        this.training = training;
        this.languages = languages;
        this.texts = texts;
        this.people = people;
        this.overview = overview;
        this.catalogue = catalogue;
        this.access = access;
    }

    @View("home")
    @Get
    public Map<String, Object> home(Authentication authentication) {
        Caller caller = Caller.of(authentication);
        List<OrganizationOverview.NodeWithHeadcount> remit = overview.withHeadcounts(
                access.roots(authentication, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR));
        Map<String, Object> model = new HashMap<>();
        Map<String, String> t = texts.in(languages.of(authentication));
        model.put("title", caller.personId() == null ? t.get("navHome") : t.get("myTraining"));
        model.put("training", caller.personId() == null ? null
                : training.of(caller.personId(), LocalDate.now(SwedishTime.ZONE)));
        model.put("name", caller.name());
        model.put("roles", authentication.getRoles().stream().map(r -> Role.valueOf(r).labelSv()).toList());
        model.put("me", caller.personId() == null ? null : people.byId(caller.personId()).orElse(null));
        model.put("children", remit);
        model.put("childrenCaption", t.get("organisationsCaption"));
        model.put("catalogue", catalogue.state());
        return model;
    }
}
