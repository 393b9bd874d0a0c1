package se.kompetensmal.organization;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.View;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonStatus;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** Pages for browsing the organisation tree and the people in it. */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OrganizationPages {

    private static final int PAGE_SIZE = 50;

    private final OrgNodeRepository nodes;
    private final PersonQueries people;
    private final OrganizationOverview overview;
    private final Access access;
    private final CsrfTokens csrf;
    private final AuditLog audit;

    public OrganizationPages(OrgNodeRepository nodes, PersonQueries people, OrganizationOverview overview, Access access,
                             CsrfTokens csrf, AuditLog audit) {
        this.nodes = nodes;
        this.people = people;
        this.overview = overview;
        this.access = access;
        this.csrf = csrf;
        this.audit = audit;
    }

    @Serdeable
    public record NamesSetting(@Nullable String allowed, @Nullable String csrfToken) {
    }

    /** An administrator decides whether leaders in this part of the organisation may see names. */
    @Needs(Role.ADMINISTRATOR)
    @Post(value = "/{id}/ledare-ser-namn", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> setLeadersSeeNames(long id, @Body NamesSetting form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.ADMINISTRATOR);
        boolean allowed = "true".equals(form.allowed());
        nodes.updateLeadersSeeNames(id, allowed);
        audit.record(caller.getName(), AuditLog.SETTING_CHANGED,
                "ledare ser namn = " + allowed + " för " + node.code(), request);
        return HttpResponse.seeOther(URI.create("/organisationer/" + id));
    }

    @View("organisations")
    @Get
    public Map<String, Object> list(Authentication caller) {
        return Map.of("title", "Organisationer",
                "children", overview.withHeadcounts(access.roots(caller, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR)),
                "childrenCaption", "Organisationer du har behörighet till, med antal aktiva personer.");
    }

    @View("organisation")
    @Get("/{id}")
    public Map<String, Object> show(long id, @QueryValue(defaultValue = "1") int sida, Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        Map<String, Object> model = new HashMap<>();
        // Leaders see aggregates only, unless their organisation lets them see names.
        if (access.maySeeNames(caller, id)) {
            int page = Math.max(sida, 1);
            PersonQueries.PeoplePage list = people.inSubtree(id, PersonStatus.ACTIVE, page - 1, PAGE_SIZE);
            long pageCount = Math.max(1, (list.total() + PAGE_SIZE - 1) / PAGE_SIZE);
            model.put("people", list);
            model.put("pageNumber", page);
            model.put("pageCount", pageCount);
            model.put("previousPage", page > 1 ? page - 1 : null);
            model.put("nextPage", page < pageCount ? page + 1 : null);
        }
        model.put("title", node.name());
        model.put("node", node);
        model.put("path", nodes.findPathTo(id).stream().filter(n -> access.holdsOn(caller, n.id(),
                Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR)).toList());
        model.put("children", overview.childrenOf(id));
        model.put("childrenCaption", "Nivåer direkt under " + node.name() + " och antal aktiva personer i var och en.");
        model.put("headcounts", people.headcountsByAudience(id));
        model.put("mayAssign", access.holdsOn(caller, id, Role.COORDINATOR, Role.ADMINISTRATOR));
        if (access.holdsOn(caller, id, Role.ADMINISTRATOR)) {
            model.put("leadersSeeNames", nodes.leadersSeeNames(id));
            model.put("mayChangeSettings", true);
        }
        return model;
    }
}
