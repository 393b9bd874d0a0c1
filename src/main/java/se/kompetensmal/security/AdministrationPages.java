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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.View;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.web.CsvText;
import se.kompetensmal.web.FileNames;

import java.net.URI;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Administrators' pages: roles granted on the organisation, and the audit log (read and export only). */
@Produces(MediaType.TEXT_HTML)
@Controller("/admin")
@Secured("ADMINISTRATOR")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdministrationPages {

    private static final int SHOWN_EVENTS = 500;

    private final RoleAdministration roles;
    private final AuditEventRepository events;
    private final Access access;
    private final CsrfTokens csrf;

    public AdministrationPages(RoleAdministration roles, AuditEventRepository events, Access access, CsrfTokens csrf) {
        this.roles = roles;
        this.events = events;
        this.access = access;
        this.csrf = csrf;
    }

    @Serdeable
    public record GrantForm(@Nullable String username, @Nullable Role role, @Nullable String organisation, @Nullable String csrfToken) {
    }

    @Serdeable
    public record RevokeForm(@Nullable String csrfToken) {
    }

    public record RoleOption(String value, String label) {
    }

    @View("roles")
    @Get("/roller")
    public Map<String, Object> roles(Authentication caller) {
        return Map.of("title", "Behörigheter", "grants", roles.visibleGrants(caller),
                "roleOptions", Arrays.stream(Role.values()).filter(r -> r != Role.LEARNER)
                        .map(r -> new RoleOption(r.name(), r.labelSv())).toList());
    }

    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post(value = "/roller", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> grant(@Body GrantForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        roles.grant(caller, form.username(), form.role(), form.organisation(), request);
        return HttpResponse.seeOther(URI.create("/admin/roller"));
    }

    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post(value = "/roller/{id}/aterkalla", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> revoke(long id, @Body RevokeForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        roles.revoke(caller, id, request);
        return HttpResponse.seeOther(URI.create("/admin/roller"));
    }

    @View("audit")
    @Get("/logg")
    public Map<String, Object> auditLog(Authentication caller) {
        access.requireSystemWide(caller, Role.ADMINISTRATOR);
        return Map.of("title", "Granskningslogg", "events", events.latest(SHOWN_EVENTS));
    }

    @Get("/logg.csv")
    @Produces("text/csv; charset=utf-8")
    public HttpResponse<String> auditExport(Authentication caller) {
        access.requireSystemWide(caller, Role.ADMINISTRATOR);
        StringBuilder csv = new StringBuilder(CsvText.header("tid", "aktör", "händelse", "avser", "från"));
        List<AuditEvent> all = events.all();
        for (AuditEvent e : all) {
            csv.append(CsvText.row(SwedishTime.format(e.occurredAt()), e.actor(), e.action(), e.target(), e.remoteAddress()));
        }
        // The type set on the answer itself: a browser following the link asks for HTML first, and the method's
        // @Produces alone then let the audit log go out labelled text/html.
        return HttpResponse.ok(csv.toString()).contentType("text/csv; charset=utf-8").header("Content-Disposition",
                FileNames.attachment("granskningslogg-" + LocalDate.now(SwedishTime.ZONE) + ".csv"));
    }

}
