package se.kompetensmal.scim;

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
import io.micronaut.views.ModelAndView;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The page where an organisation's administrators (role administrator on the node or above) make and revoke the bearer
 * tokens a directory provisions the organisation with over SCIM. A new token is shown once, on the answer to the form
 * that made it; afterwards only its name, who made it, when, and when it was last used. Every change is audited.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer/{id}/scim")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ScimTokenPages {

    static final String TOKEN_CREATED = "SCIM_TOKEN_CREATED";
    static final String TOKEN_REVOKED = "SCIM_TOKEN_REVOKED";

    private final ScimTokens tokens;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final CsrfTokens csrf;
    private final AuditLog audit;
    private final Audiences audiences;

    public ScimTokenPages(ScimTokens tokens, OrgNodeRepository nodes, Access access, CsrfTokens csrf, AuditLog audit,
                          Audiences audiences) {
        this.audiences = audiences;
        this.tokens = tokens;
        this.nodes = nodes;
        this.access = access;
        this.csrf = csrf;
        this.audit = audit;
    }

    @Serdeable
    public record NewToken(@Nullable String name, @Nullable String audience, @Nullable String csrfToken) {
    }

    @Serdeable
    public record Revoke(@Nullable String csrfToken) {
    }

    /** A token as the page lists it, with times as Swedish users read them. */
    public record Row(long id, String name, String createdBy, String createdAt, String lastUsedAt, boolean revoked,
                      String revokedAt, @Nullable String revokedBy, String defaultAudience) {
    }

    /** An audience to choose as the default, marked when it was chosen on the form being shown again. */
    public record Option(String code, String name, boolean selected) {
    }

    @Get
    public ModelAndView<Map<String, Object>> page(long id, Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.ADMINISTRATOR);
        return view(node, null, null, null, null);
    }

    @Needs(Role.ADMINISTRATOR)
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public ModelAndView<Map<String, Object>> create(long id, @Body NewToken form, HttpRequest<?> request,
                                                    Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.ADMINISTRATOR);
        String name = form.name() == null ? "" : form.name().strip();
        String code = form.audience() == null || form.audience().isBlank() ? null : form.audience().strip();
        if (name.isEmpty() || name.length() > ScimTokens.MAX_NAME) {
            return view(node, null, name, code,
                    "Ge token ett namn på 1–" + ScimTokens.MAX_NAME + " tecken, t.ex. katalogen den är till för.");
        }
        Audience audience = null;
        if (code != null) {
            audience = audiences.usableUnder(code, id).orElse(null);
            if (audience == null) {
                return view(node, null, name, null, "Välj en målgrupp i listan.");
            }
        }
        ScimTokens.Created created = tokens.create(id, name, audience == null ? null : audience.id(), Caller.of(caller).name());
        audit.record(caller.getName(), TOKEN_CREATED, "SCIM-token «" + name + "» (" + created.id() + ") för "
                + node.name() + " (" + node.id() + ")", request);
        return view(node, created.token(), null, null, null);
    }

    @Needs(Role.ADMINISTRATOR)
    @Post(value = "/{tokenId}/aterkalla", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> revoke(long id, long tokenId, @Body Revoke form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.ADMINISTRATOR);
        tokens.revoke(id, tokenId, Caller.of(caller).name()).ifPresent(name -> audit.record(caller.getName(), TOKEN_REVOKED,
                "SCIM-token «" + name + "» (" + tokenId + ") för " + node.name() + " (" + node.id() + ")", request));
        return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/scim"));
    }

    private ModelAndView<Map<String, Object>> view(OrgNode node, @Nullable String newToken, @Nullable String name,
                                                   @Nullable String audience, @Nullable String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "SCIM-tokens för " + node.name());
        model.put("node", node);
        List<Row> rows = tokens.listFor(node.id()).stream().map(t -> new Row(t.id(), t.name(), t.createdBy(),
                SwedishTime.format(t.createdAt()), t.lastUsedAt() == null ? "Aldrig" : SwedishTime.format(t.lastUsedAt()),
                t.revoked(), t.revokedAt() == null ? "" : SwedishTime.format(t.revokedAt()), t.revokedBy(),
                t.defaultAudience() == null ? "Ingen" : t.defaultAudience())).toList();
        model.put("tokens", rows);
        if (newToken != null) {
            model.put("newToken", newToken);
        }
        if (name != null) {
            model.put("name", name);
        }
        if (error != null) {
            model.put("error", error);
        }
        model.put("maxName", ScimTokens.MAX_NAME);
        model.put("audiences", audiences.usableUnder(node.id()).stream()
                .map(a -> new Option(a.code(), a.nameSv(), a.code().equals(audience))).toList());
        return new ModelAndView<>("scim-tokens", model);
    }
}
