package se.kompetensmal.hrfiles;

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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The settings of an organisation's pick-up folder, and the files it has read, for its coordinators and administrators. */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer/{id}/hamtning")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PickupPages {

    private static final int SHOWN_RUNS = 20;

    private final PickupSettings settings;
    private final ColumnMappings mappings;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final CsrfTokens csrf;
    private final String interval;
    private final boolean mailConfigured;

    public PickupPages(PickupSettings settings, ColumnMappings mappings, OrgNodeRepository nodes, Access access, CsrfTokens csrf,
                       @io.micronaut.context.annotation.Value("${kompetensmal.pickup.interval:15m}") java.time.Duration interval,
                       @io.micronaut.context.annotation.Value("${javamail.enabled:false}") boolean mailConfigured) {
        this.settings = settings;
        this.mappings = mappings;
        this.nodes = nodes;
        this.access = access;
        this.csrf = csrf;
        this.interval = every(interval);
        this.mailConfigured = mailConfigured;
    }

    /** "var 15:e minut", "varje timme": how often the folders are read, said as people say it. */
    static String every(java.time.Duration interval) {
        long minutes = Math.max(1, interval.toMinutes());
        if (minutes % 60 == 0) {
            return minutes == 60 ? "varje timme" : "var " + minutes / 60 + ":e timme";
        }
        return minutes == 1 ? "varje minut" : "var " + minutes + ":e minut";
    }

    /** The form as a browser posts it: unchecked boxes are missing. */
    @Serdeable
    public record PickupForm(@Nullable String folder, @Nullable String enabled, @Nullable String full,
                             @Nullable String encoding, @Nullable String csrfToken) {
    }

    @Get("{?sparad}")
    public HttpResponse<?> show(long id, @Nullable String sparad, Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.ADMINISTRATOR);
        PickupSettings.Pickup pickup = settings.of(id).orElse(null);
        return HttpResponse.ok(new ModelAndView<>("hr-pickup", model(node, pickup == null ? null : pickup.folder(),
                pickup != null && pickup.enabled(), pickup != null && pickup.fullImport(),
                pickup == null ? null : pickup.encoding(), null, sparad != null)));
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> save(long id, @Body PickupForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = nodes.require(id);
        FileEncoding encoding = FileEncoding.of(form.encoding());
        try {
            settings.save(id, form.folder(), form.enabled() != null, form.full() != null, encoding, request, caller);
            return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/hamtning?sparad=1"));
        } catch (HrSettingsRefused e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("hr-pickup", model(node,
                    form.folder(), form.enabled() != null, form.full() != null, encoding, e.getMessage(), false)));
        }
    }

    private Map<String, Object> model(OrgNode node, @Nullable String folder, boolean enabled, boolean full,
                                      @Nullable FileEncoding encoding, @Nullable String error, boolean saved) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Hämtning från mapp – " + node.name());
        model.put("node", node);
        model.put("folder", folder == null ? "" : folder);
        model.put("enabled", enabled);
        model.put("full", full);
        List<Map<String, Object>> encodings = new ArrayList<>();
        encodings.add(Map.of("code", "", "label", "Identifiera i varje fil", "selected", encoding == null));
        for (FileEncoding e : FileEncoding.values()) {
            encodings.add(Map.of("code", e.code(), "label", e.labelSv(), "selected", e == encoding));
        }
        model.put("encodings", encodings);
        PickupSettings.Pickup saved0 = settings.of(node.id()).orElse(null);
        model.put("folderMissing", saved0 != null && !Files.isDirectory(settings.resolve(saved0.folder())));
        model.put("interval", interval);
        model.put("mailConfigured", mailConfigured);
        model.put("mapping", mappings.inForceAt(node.id()));
        model.put("runs", settings.runs(node.id(), SHOWN_RUNS));
        model.put("error", error);
        model.put("saved", saved);
        return model;
    }
}
