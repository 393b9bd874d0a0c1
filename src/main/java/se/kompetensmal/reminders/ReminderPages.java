package se.kompetensmal.reminders;

import io.micronaut.context.annotation.Value;
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
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.View;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The page where a coordinator sets how an organisation's people and managers are reminded by e-mail. */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer/{id}/paminnelser")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReminderPages {

    private final ReminderSettings settings;
    private final ReminderSettingsChange change;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final CsrfTokens csrf;
    private final boolean mailConfigured;

    public ReminderPages(ReminderSettings settings, ReminderSettingsChange change, OrgNodeRepository nodes, Access access,
                         CsrfTokens csrf, @Value("${javamail.enabled:false}") boolean mailConfigured) {
        this.settings = settings;
        this.change = change;
        this.nodes = nodes;
        this.access = access;
        this.csrf = csrf;
        this.mailConfigured = mailConfigured;
    }

    /** The form as a browser posts it: unchecked boxes are simply missing. */
    @Serdeable
    public record ReminderForm(@Nullable String enabled, @Nullable String daysBefore, @Nullable String whenOverdue,
                               @Nullable String weeklyDigest, @Nullable String csrfToken) {
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> save(long id, @Body ReminderForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = nodes.require(id);
        try {
            change.apply(id, new ReminderSetting(form.enabled() != null, days(form.daysBefore()), form.whenOverdue() != null,
                    form.weeklyDigest() != null, null), request, caller);
            return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/paminnelser?sparad=1"));
        } catch (HttpStatusException e) {
            if (e.getStatus() != HttpStatus.UNPROCESSABLE_ENTITY) {
                throw e;
            }
            return HttpResponse.status(e.getStatus())
                    .body(new ModelAndView<>("reminders", model(node, caller, e.getMessage(), false)));
        }
    }

    @View("reminders")
    @Get("{?sparad}")
    public Map<String, Object> show(long id, @Nullable String sparad, Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        return model(node, caller, null, sparad != null);
    }

    private Map<String, Object> model(OrgNode node, Authentication caller, @Nullable String error, boolean saved) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Påminnelser – " + node.name());
        model.put("node", node);
        model.put("setting", settings.inForceAt(node.id()));
        model.put("mayEdit", access.holdsOn(caller, node.id(), Role.COORDINATOR, Role.ADMINISTRATOR));
        model.put("mailConfigured", mailConfigured);
        model.put("error", error);
        model.put("saved", saved);
        return model;
    }

    private static int days(@Nullable String text) {
        try {
            return Integer.parseInt(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Ange antal dagar före förfallodagen som ett heltal.");
        }
    }
}
