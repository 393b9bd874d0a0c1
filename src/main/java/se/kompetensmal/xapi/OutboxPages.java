package se.kompetensmal.xapi;

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
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.View;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Administrators see how learning records are getting to the LRS, and put refused ones back in line. The outbox is the
 * whole system's, so only a system-wide administrator reaches it, as held now (not an administrator of one subtree).
 */
@Controller
@Secured("ADMINISTRATOR")
// The outbox is the whole service's: an organisation's administrator has no say over it.
@Needs(value = Role.ADMINISTRATOR, on = Needs.On.SYSTEM)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OutboxPages {

    private final Outbox outbox;
    private final CsrfTokens csrf;
    private final AuditLog audit;
    private final String endpoint;
    private final ExternalCompletions external;
    private final Access access;

    public OutboxPages(Outbox outbox, CsrfTokens csrf, AuditLog audit, @Value("${kompetensmal.xapi.endpoint:}") String endpoint,
                       @Nullable ExternalCompletions external, Access access) {
        this.outbox = outbox;
        this.access = access;
        this.external = external;
        this.csrf = csrf;
        this.audit = audit;
        this.endpoint = endpoint;
    }

    @Serdeable
    public record RetryForm(@Nullable String csrfToken) {
    }

    @Produces(MediaType.TEXT_HTML)
    @View("xapi-outbox")
    @Get("/admin/xapi{?aterlagda,nya,kanda,okanda}")
    public Map<String, Object> page(@Nullable Integer aterlagda, @Nullable Integer nya, @Nullable Integer kanda,
                                    @Nullable Integer okanda, Authentication caller) {
        access.requireSystemWide(caller, Role.ADMINISTRATOR);
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Lärandeposter till LRS");
        model.put("state", outbox.state());
        model.put("endpoint", endpoint.isBlank() ? null : endpoint);
        model.put("requeued", aterlagda);
        model.put("reading", nya == null ? null : new ExternalCompletions.Reading(nya, kanda == null ? 0 : kanda,
                okanda == null ? 0 : okanda));
        return model;
    }

    @Get("/api/xapi/outbox")
    public Outbox.State state(Authentication caller) {
        access.requireSystemWide(caller, Role.ADMINISTRATOR);
        return outbox.state();
    }

    /** Reads the completions of external modules from the LRS now, rather than at the next scheduled reading. */
    @Produces(MediaType.TEXT_HTML)
    @Post(value = "/admin/xapi/hamta", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> readExternal(@Body RetryForm form, HttpRequest<?> request, Authentication caller) {
        access.requireSystemWide(caller, Role.ADMINISTRATOR);
        csrf.verify(request, form.csrfToken());
        if (external == null) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Ingen LRS är inställd, så inga externa genomföranden kan hämtas.");
        }
        ExternalCompletions.Reading reading = external.read();
        return HttpResponse.seeOther(URI.create("/admin/xapi?nya=" + reading.recorded() + "&kanda=" + reading.alreadyKnown()
                + "&okanda=" + reading.unknownPeople()));
    }

    @Produces(MediaType.TEXT_HTML)
    @Post(value = "/admin/xapi/forsok-igen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> retry(@Body RetryForm form, HttpRequest<?> request, Authentication caller) {
        access.requireSystemWide(caller, Role.ADMINISTRATOR);
        csrf.verify(request, form.csrfToken());
        int requeued = outbox.retryRefused();
        audit.record(caller.getName(), AuditLog.SETTING_CHANGED, "xAPI: " + requeued + " avvisade utdrag skickas igen", request);
        return HttpResponse.seeOther(URI.create("/admin/xapi?aterlagda=" + requeued));
    }
}
