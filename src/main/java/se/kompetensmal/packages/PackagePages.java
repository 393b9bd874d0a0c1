package se.kompetensmal.packages;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Body;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.authoring.AuthoringRefused;
import se.kompetensmal.authoring.ModuleAuthoring;
import se.kompetensmal.authoring.OwnerChoice;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.CatalogueQueries;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.catalog.ModuleRules;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's pages for SCORM packages: upload a package as a new module (/egna-moduler/paket/ny), see a package
 * module with its package facts, items and version history, upload its next version, and withdraw it. The upload is a
 * multipart form read from the raw body ({@link MultipartForm}: every checked box, and the file written to the
 * store's temporary folder as it arrives), then handed to {@link PackageIntake} as a stream; never held in memory.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/egna-moduler/paket")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PackagePages {

    static final String EVERYONE = OwnerChoice.EVERYONE;
    static final int MAX_REASON = 1000;
    /** What the form's other fields may add to the file's size. */
    static final long FORM_MARGIN = 1024 * 1024;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final PackageIntake intake;
    private final PackageStore store;
    private final PackageModules modules;
    private final PackageLimits limits;
    private final ModuleAuthoring authoring;
    private final Audiences audiences;
    private final CatalogueQueries catalogue;
    private final CsrfTokens csrf;
    private final AuditLog audit;

    public PackagePages(PackageIntake intake, PackageStore store, PackageModules modules, PackageLimits limits, ModuleAuthoring authoring,
                        Audiences audiences, CatalogueQueries catalogue, CsrfTokens csrf, AuditLog audit) {
        this.intake = intake;
        this.store = store;
        this.modules = modules;
        this.limits = limits;
        this.authoring = authoring;
        this.audiences = audiences;
        this.catalogue = catalogue;
        this.csrf = csrf;
        this.audit = audit;
    }

    public static String base(String code) {
        return "/egna-moduler/paket/" + code;
    }

    // ------------------------------------------------------------------------------------------------- new package

    @Get("/ny{?agare}")
    public ModelAndView<Map<String, Object>> newForm(@Nullable String agare, Authentication caller) {
        List<OrgNode> owners = ownersOrRefuse(caller);
        return new ModelAndView<>("package-new", newModel(caller, owners, new Form(agare, "", "", List.of(), List.of(), ""),
                null));
    }

    /** What was typed in the upload form, shown again with a refusal. */
    record Form(@Nullable String owner, String title, String code, List<String> audiences, List<String> goals,
                String minutes) {
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<?> upload(@Body InputStream body, HttpRequest<?> request, Authentication caller) throws IOException {
        List<OrgNode> owners = ownersOrRefuse(caller);
        try (MultipartForm multipart = read(request, body)) {
            csrf.verify(request, multipart.value(CsrfTokens.FIELD));
            String owner = multipart.value("owner");
            Form form = new Form(owner, text(multipart.value("title")), text(multipart.value("code")),
                    multipart.values("audiences"), multipart.values("goals"), text(multipart.value("estimatedMinutes")));
            Long ownerId;
            if (EVERYONE.equals(owner) && authoring.owners(caller).everyone()) {
                ownerId = 0L;
            } else {
                ownerId = owners.stream().filter(n -> String.valueOf(n.id()).equals(owner)).map(OrgNode::id).findFirst()
                        .orElse(null);
                if (ownerId == null) {
                    return newAgain(caller, owners, form, "Välj vilken organisation som ska äga modulen.");
                }
            }
            Integer minutes;
            try {
                minutes = Integer.valueOf(form.minutes());
            } catch (NumberFormatException e) {
                return newAgain(caller, owners, form, "Ange en beräknad tid i hela minuter, mellan 1 och 240.");
            }
            if (form.audiences().isEmpty()) {
                return newAgain(caller, owners, form, "Välj minst en målgrupp för modulen.");
            }
            if (form.goals().isEmpty()) {
                return newAgain(caller, owners, form, "Välj minst ett kompetensmål som modulen täcker.");
            }
            FileUpload file = multipart.file("file");
            if (file == null) {
                return newAgain(caller, owners, form, "Välj SCORM-paketets zip-fil.");
            }
            PackageMetadata meta = new PackageMetadata(form.title(), form.code(), form.audiences(), form.goals(), minutes, null);
            try (InputStream content = MultipartForm.content(file)) {
                PackageIntake.Published published = intake.publish(content, meta, null, ownerId,
                        Caller.of(caller).accountId());
                audit.record(caller.getName(), ModuleAuthoring.PUBLISHED, published.moduleCode() + " version "
                        + published.version() + " (SCORM-paket)", request);
                return HttpResponse.seeOther(URI.create(base(published.moduleCode()) + "?uppladdad=" + published.version()));
            } catch (PackageRefused e) {
                return newAgain(caller, owners, form, e.getMessage());
            }
        } catch (PackageRefused e) {
            return newAgain(caller, owners, new Form(null, "", "", List.of(), List.of(), ""), e.getMessage());
        }
    }

    /** The form, streamed to the store's temporary folder; a body past the upload limit (and a margin) is refused. */
    private MultipartForm read(HttpRequest<?> request, InputStream body) {
        String type = request.getHeaders().get("Content-Type");
        return MultipartForm.read(type == null ? "" : type, body, store.root().resolve(".tmp"),
                limits.maxUploadBytes() + FORM_MARGIN, "Filen är större än " + PackageLimits.readable(limits.maxUploadBytes())
                        + ", den största zip-fil som tas emot. Inget sparades.", (name, value) -> {
                    // The token comes first in the form: a request without the right one is refused before its file.
                    if (CsrfTokens.FIELD.equals(name)) {
                        csrf.verify(request, value);
                    }
                });
    }

    private HttpResponse<?> newAgain(Authentication caller, List<OrgNode> owners, Form form, String error) {
        return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                .body(new ModelAndView<>("package-new", newModel(caller, owners, form, error)));
    }

    // -------------------------------------------------------------------------------------------- one package module

    @Get("/{code}{?uppladdad,tillbakadragen}")
    public ModelAndView<Map<String, Object>> module(String code, @Nullable Integer uppladdad,
                                                    @Nullable String tillbakadragen, Authentication caller) {
        Map<String, Object> model = moduleModel(caller, code, null);
        if (uppladdad != null) {
            model.put("notice", uppladdad == 1 ? "Paketet är uppladdat som version 1 av modulen. Den kan nu användas i "
                    + "rutiner och tilldelningar." : "Paketet är uppladdat som version " + uppladdad + ". Nya deltagare får "
                    + "den versionen; den som redan har börjat gör klart sin version.");
        } else if (tillbakadragen != null) {
            model.put("notice", "Modulen är tillbakadragen. Den kan inte tilldelas längre; historiken finns kvar.");
        }
        return new ModelAndView<>("package-module", model);
    }

    /** The next version: a package with the module's manifest identifier; everything else stays as it is. */
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/{code}", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<?> nextVersion(String code, @Body InputStream body, HttpRequest<?> request, Authentication caller)
            throws IOException {
        modules.readable(caller, code);
        try (MultipartForm multipart = read(request, body)) {
            csrf.verify(request, multipart.value(CsrfTokens.FIELD));
            ModuleReach.Owner owner = modules.changeable(caller, code);
            FileUpload file = multipart.file("file");
            if (file == null) {
                return moduleAgain(caller, code, "Välj zip-filen med paketets nya version.");
            }
            try (InputStream content = MultipartForm.content(file)) {
                PackageIntake.Published published = intake.publish(content, PackageMetadata.unchanged(), code,
                        owner.ownerOrgId() == null ? 0 : owner.ownerOrgId(), Caller.of(caller).accountId());
                audit.record(caller.getName(), ModuleAuthoring.PUBLISHED, code + " version " + published.version()
                        + " (SCORM-paket)", request);
                return HttpResponse.seeOther(URI.create(base(code) + "?uppladdad=" + published.version()));
            }
        } catch (PackageRefused e) {
            return moduleAgain(caller, code, e.getMessage());
        }
    }

    @Post(value = "/{code}/dra-tillbaka", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> withdraw(String code, @Nullable String csrfToken, @Nullable String reason,
                                    @Nullable String bekrafta, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, csrfToken);
        modules.readable(caller, code);
        String why = text(reason);
        String error;
        if (why.isEmpty() || why.length() > MAX_REASON) {
            error = why.isEmpty() ? "Skriv varför modulen dras tillbaka." : "Skälet får vara högst " + MAX_REASON + " tecken.";
        } else if (!"ja".equals(bekrafta)) {
            error = "Modulen drogs inte tillbaka. Kryssa i att du vill dra tillbaka den och försök igen.";
        } else {
            try {
                authoring.withdraw(caller, code, why);
                return HttpResponse.seeOther(URI.create(base(code) + "?tillbakadragen=1"));
            } catch (AuthoringRefused e) {
                error = e.getMessage();
            }
        }
        Map<String, Object> model = moduleModel(caller, code, error);
        model.put("reason", why);
        model.put("withdrawOpen", true);
        return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("package-module", model));
    }

    private HttpResponse<?> moduleAgain(Authentication caller, String code, String error) {
        return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                .body(new ModelAndView<>("package-module", moduleModel(caller, code, error)));
    }

    // ------------------------------------------------------------------------------------------------------ models

    private Map<String, Object> moduleModel(Authentication caller, String code, @Nullable String error) {
        PackageModules.Details details = modules.details(caller, code);
        Map<String, Object> model = new HashMap<>();
        PackageModules.Summary module = details.module();
        model.put("title", module.title());
        model.put("moduleTitle", module.title());
        model.put("code", module.code());
        model.put("base", base(module.code()));
        model.put("owner", module.ownerName());
        model.put("status", module.withdrawn() ? "Tillbakadragen" : "Publicerad version " + module.latestVersion());
        model.put("withdrawn", module.withdrawn());
        model.put("editable", module.editable());
        model.put("identifier", details.manifestIdentifier());
        model.put("edition", details.edition());
        model.put("scos", details.scos());
        model.put("files", details.files());
        model.put("size", PackageLimits.readable(details.bytes()));
        model.put("items", details.items().stream().map(i -> Map.<String, Object>of("title", i.title(),
                "kind", switch (i.kind()) {
                    case "SCO" -> "SCO";
                    case "ASSET" -> "Fil";
                    default -> "Avsnitt";
                }, "indent", "indent-" + Math.min(i.depth(), 6))).toList());
        model.put("versions", details.versions().stream().map(v -> {
            Map<String, Object> row = new HashMap<>();
            row.put("version", v.version());
            row.put("uploadedAt", WHEN.format(v.uploadedAt().atZone(SwedishTime.ZONE)));
            row.put("uploadedBy", v.uploadedBy().isBlank() ? "–" : v.uploadedBy());
            row.put("edition", v.edition());
            row.put("files", v.files());
            row.put("size", PackageLimits.readable(v.bytes()));
            row.put("started", v.learnersStarted());
            row.put("completions", v.completions());
            return row;
        }).toList());
        model.put("maxUpload", PackageLimits.readable(limits.maxUploadBytes()));
        model.put("error", error);
        return model;
    }

    private Map<String, Object> newModel(Authentication caller, List<OrgNode> owners, Form form, @Nullable String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Ladda upp SCORM-paket");
        model.put("owners", OwnerChoice.options(owners, authoring.owners(caller).everyone(), form.owner()));
        long ownerId = EVERYONE.equals(form.owner()) ? 0
                : owners.stream().filter(n -> String.valueOf(n.id()).equals(form.owner())).map(OrgNode::id).findFirst()
                .orElse(owners.get(0).id());
        ModuleRules.Known known = authoring.knownAt(ownerId);
        Set<String> chosenAudiences = Set.copyOf(form.audiences());
        List<Map<String, Object>> audienceOptions = new ArrayList<>();
        List<Audience> usable = ownerId == 0
                ? audiences.usableUnder(-1L).stream().filter(a -> a.ownerOrgId() == null).toList()
                : audiences.usableUnder(ownerId);
        for (Audience a : usable) {
            if (known.audiences().contains(a.code())) {
                audienceOptions.add(Map.of("value", a.code(), "label", a.nameSv(), "id", "audience-" + a.code(),
                        "checked", chosenAudiences.contains(a.code())));
            }
        }
        model.put("audienceOptions", audienceOptions);
        Set<String> chosenGoals = Set.copyOf(form.goals());
        Map<String, List<Map<String, Object>>> byArea = new LinkedHashMap<>();
        catalogue.goalsAt(null, ownerId).stream()
                .filter(g -> known.goals().contains(g.code()))
                .sorted(java.util.Comparator.comparing((CatalogueQueries.GoalView g) -> g.area().ordinal())
                        .thenComparing(CatalogueQueries.GoalView::code))
                .forEach(g -> byArea.computeIfAbsent(g.areaSv(), a -> new ArrayList<>()).add(Map.of("value", g.code(),
                        "label", g.textSv(), "id", "goal-" + g.code(), "checked", chosenGoals.contains(g.code()))));
        List<Map<String, Object>> areas = new ArrayList<>();
        byArea.forEach((area, goals) -> areas.add(Map.of("area", area, "goals", goals)));
        model.put("goalAreas", areas);
        model.put("form", form);
        model.put("maxUpload", PackageLimits.readable(limits.maxUploadBytes()));
        model.put("maxFiles", limits.maxFiles());
        model.put("maxUnpacked", PackageLimits.readable(limits.maxUnpackedBytes()));
        model.put("error", error);
        return model;
    }

    private List<OrgNode> ownersOrRefuse(Authentication caller) {
        List<OrgNode> owners = authoring.ownersFor(caller);
        if (owners.isEmpty()) {
            throw Access.forbidden();
        }
        return owners;
    }

    private static String text(@Nullable String value) {
        return value == null ? "" : value.strip();
    }
}
