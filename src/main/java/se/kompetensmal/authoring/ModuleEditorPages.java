package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.CatalogueQueries;
import se.kompetensmal.catalog.ImageFile;
import se.kompetensmal.catalog.ImageFiles;
import se.kompetensmal.catalog.InvalidCourseContentException;
import se.kompetensmal.catalog.ModuleDraft;
import se.kompetensmal.catalog.ModuleRules;
import se.kompetensmal.catalog.PageHtml;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.packages.PackageModules;
import se.kompetensmal.sessions.SessionModules;
import se.kompetensmal.packages.PackagePages;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinator's editor for own modules, in Swedish: the list, a new module, the overview with versions and actions,
 * the module's particulars, pages with a preview exactly as learners see it, questions, images, and taking the draft as
 * a learner would (nothing recorded). Every route asks {@link ModuleAuthoring} first: a module the caller may not see is
 * unknown (404), one they may see but not change is read-only (403 on every change). Every editor form saves with a
 * normal submit; {@code static/authoring.js} posts the same form in the background with {@code autosave=1} and gets JSON.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/egna-moduler")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ModuleEditorPages {

    static final Pattern CODE = ModuleRules.MODULE_CODE;
    static final String CODE_RULE = "Koden blir en del av modulens adress och kan inte ändras: gemena bokstäver a–z, siffror "
            + "och bindestreck, högst 80 tecken, till exempel hygien-region-demoland. Den får inte vara upptagen av en annan modul.";
    // The content limits are the validator's (one home per rule); the form checks them only to say so at the field.
    static final int MAX_TITLE = ModuleRules.MAX_TITLE;
    static final int MAX_SUMMARY = ModuleRules.MAX_SUMMARY;
    static final int MAX_MARKDOWN = ModuleRules.MAX_PAGE_MARKDOWN;
    static final int MAX_QUESTION = ModuleRules.MAX_QUESTION_TEXT;
    static final int MAX_OPTION = ModuleRules.MAX_OPTION_TEXT;
    static final int MAX_FEEDBACK = ModuleRules.MAX_OPTION_TEXT;
    static final int MAX_REASON = 1000;
    static final int MAX_ALT = 300;
    static final int MAX_PAGES = ModuleRules.MAX_PAGES;
    static final int MAX_QUESTIONS = ModuleRules.MAX_QUESTIONS;
    static final int MAX_OPTIONS = ModuleRules.MAX_OPTIONS;
    static final long MAX_IMAGE = ImageFiles.MAX_BYTES;
    static final long MAX_ZIP = 30L * 1024 * 1024;
    static final String EVERYONE = OwnerChoice.EVERYONE;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final Pattern PAGE_PLACE = Pattern.compile("^Sida (\\d+)");
    private static final Pattern QUESTION_PLACE = Pattern.compile("^Fråga (\\d+)");
    private static final Pattern IMAGE_REFERENCE = Pattern.compile("!\\[([^\\]]*)\\]\\(images/([^)\\s]+)\\)");

    private final ModuleAuthoring authoring;
    private final CsrfTokens csrf;
    private final Audiences audiences;
    private final CatalogueQueries catalogue;
    private final Access access;
    private final PackageModules packages;
    private final SessionModules sessionModules;

    public ModuleEditorPages(ModuleAuthoring authoring, CsrfTokens csrf, Audiences audiences, CatalogueQueries catalogue,
                             Access access, PackageModules packages, SessionModules sessionModules) {
        this.packages = packages;
        this.sessionModules = sessionModules;
        this.authoring = authoring;
        this.csrf = csrf;
        this.audiences = audiences;
        this.catalogue = catalogue;
        this.access = access;
    }

    // ---------------------------------------------------------------- list, new, import

    /** The list of modules of the owner's group on the overview, the group made when it is the owner's first. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> modulesOf(Map<String, Map<String, Object>> groups, String ownerName) {
        Map<String, Object> group = groups.computeIfAbsent(ownerName, name -> {
            Map<String, Object> g = new HashMap<>();
            g.put("owner", name);
            g.put("modules", new ArrayList<Map<String, Object>>());
            return g;
        });
        return (List<Map<String, Object>>) group.get("modules");
    }

    @Get
    public ModelAndView<Map<String, Object>> list(Authentication caller) {
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (ModuleAuthoring.Summary s : authoring.visibleTo(caller)) {
            modulesOf(groups, s.ownerName()).add(summary(s));
        }
        // Uploaded SCORM packages are own modules too, in the same owner groups, each linked to its package page.
        for (PackageModules.Summary s : packages.visibleTo(caller)) {
            List<Map<String, Object>> modules = modulesOf(groups, s.ownerName());
            Map<String, Object> row = new HashMap<>();
            row.put("code", s.code());
            row.put("title", s.title());
            row.put("status", s.withdrawn() ? "Tillbakadragen" : "Publicerad version " + s.latestVersion());
            row.put("withdrawn", s.withdrawn());
            row.put("editable", s.editable());
            row.put("package", s.edition() == null ? "SCORM-paket" : s.edition());
            row.put("href", PackagePages.base(s.code()));
            modules.add(row);
        }
        // Session modules (lärarledda) too, linked to their catalogue page: they have no content to edit here.
        for (SessionModules.Summary s : sessionModules.visibleTo(caller)) {
            Map<String, Object> row = new HashMap<>();
            row.put("code", s.code());
            row.put("title", s.title());
            row.put("status", s.withdrawn() ? "Tillbakadragen" : "Publicerad version " + s.latestVersion());
            row.put("withdrawn", s.withdrawn());
            row.put("editable", true);
            row.put("package", "Lärarledd");
            row.put("href", "/katalog/moduler/" + s.code());
            modulesOf(groups, s.ownerName()).add(row);
        }
        for (Map<String, Object> group : groups.values()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> modules = (List<Map<String, Object>>) group.get("modules");
            modules.sort(java.util.Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("title")),
                    String.CASE_INSENSITIVE_ORDER).thenComparing(m -> String.valueOf(m.get("code"))));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Egna moduler");
        model.put("groups", new ArrayList<>(groups.values()));
        model.put("mayCreate", !authoring.ownersFor(caller).isEmpty());
        return new ModelAndView<>("authoring-list", model);
    }

    @Get("/ny")
    public ModelAndView<Map<String, Object>> newForm(Authentication caller) {
        List<OrgNode> owners = ownersOrRefuse(caller);
        return new ModelAndView<>("authoring-new", newModel(caller, owners, null, "", "", Map.of(), null));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/ny", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> create(@Body @Nullable String body, HttpRequest<?> request, Authentication caller) {
        FormFields form = FormFields.parse(body);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        List<OrgNode> owners = ownersOrRefuse(caller);
        String owner = form.text("owner");
        String code = form.text("code").strip();
        String title = form.text("title").strip();
        Map<String, String> errors = new HashMap<>();
        Long ownerId = null;
        if (EVERYONE.equals(owner) && authoring.owners(caller).everyone()) {
            ownerId = null;
        } else {
            ownerId = owners.stream().filter(n -> String.valueOf(n.id()).equals(owner)).map(OrgNode::id).findFirst().orElse(null);
            if (ownerId == null) {
                errors.put("owner", "Välj vilken organisation som äger modulen.");
            }
        }
        if (!CODE.matcher(code).matches()) {
            errors.put("code", code.isEmpty() ? "Skriv en kod för modulen." : "Koden får bara innehålla gemena bokstäver a–z, "
                    + "siffror och bindestreck (högst 80 tecken) och måste börja med en bokstav eller siffra.");
        }
        if (title.isEmpty() || title.length() > MAX_TITLE) {
            errors.put("title", title.isEmpty() ? "Skriv en titel." : "Titeln får vara högst " + MAX_TITLE + " tecken.");
        }
        if (errors.isEmpty()) {
            try {
                ModuleAuthoring.Summary created = authoring.create(caller, ownerId, code, title);
                return HttpResponse.seeOther(URI.create(base(created.code()) + "?skapad=1"));
            } catch (AuthoringRefused e) {
                errors.put("code", e.getMessage());
            }
        }
        return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("authoring-new",
                newModel(caller, owners, owner, code, title, errors, "Modulen skapades inte. Rätta det som är markerat.")));
    }

    @Get("/importera")
    public ModelAndView<Map<String, Object>> importForm(Authentication caller) {
        List<OrgNode> owners = ownersOrRefuse(caller);
        return new ModelAndView<>("authoring-import", importModel(caller, owners, null, null, List.of()));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/importera", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<?> importZip(@Nullable CompletedFileUpload file, @Nullable String owner, @Nullable String csrfToken,
                                     HttpRequest<?> request, Authentication caller) throws IOException {
        csrf.verify(request, csrfToken);
        List<OrgNode> owners = ownersOrRefuse(caller);
        Long ownerId = null;
        if (!(EVERYONE.equals(owner) && authoring.owners(caller).everyone())) {
            ownerId = owners.stream().filter(n -> String.valueOf(n.id()).equals(owner)).map(OrgNode::id).findFirst().orElse(null);
            if (ownerId == null) {
                return importAgain(caller, owners, owner, "Välj vilken organisation som ska äga modulen.", List.of());
            }
        }
        if (file == null || file.getFilename() == null || file.getFilename().isBlank() || file.getSize() == 0) {
            return importAgain(caller, owners, owner, "Välj en .zip-fil med modulen.", List.of());
        }
        if (file.getSize() > MAX_ZIP) {
            return importAgain(caller, owners, owner, "Filen är för stor: en modul får vara högst 30 MB som .zip.", List.of());
        }
        try {
            ModuleAuthoring.Summary imported = authoring.importZip(caller, ownerId, file.getBytes());
            return HttpResponse.seeOther(URI.create(base(imported.code()) + "?importerad=1"));
        } catch (ModuleInvalid e) {
            return importAgain(caller, owners, owner, "Modulen importerades inte: filen har fel. Inget har sparats.",
                    e.problems().stream().map(ModuleRules.Problem::toString).toList());
        } catch (InvalidCourseContentException e) {
            return importAgain(caller, owners, owner, "Modulen importerades inte: filen har fel. Inget har sparats.",
                    List.of(e.getMessage().split("\n")));
        } catch (AuthoringRefused e) {
            return importAgain(caller, owners, owner, e.getMessage(), List.of());
        }
    }

    private HttpResponse<?> importAgain(Authentication caller, List<OrgNode> owners, @Nullable String owner, String error,
                                        List<String> problems) {
        return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("authoring-import",
                importModel(caller, owners, owner, error, problems)));
    }

    // ---------------------------------------------------------------- overview, publish, withdraw, export

    @Get("/{code}{?skapad,importerad,publicerad,tillbakadragen}")
    public ModelAndView<Map<String, Object>> overview(String code, @Nullable String skapad, @Nullable String importerad,
                                                      @Nullable Integer publicerad, @Nullable String tillbakadragen,
                                                      Authentication caller) {
        ModuleAuthoring.Draft draft = load(caller, code);
        Map<String, Object> model = overviewModel(caller, draft, null, null);
        if (skapad != null) {
            model.put("notice", "Modulen är skapad. Lägg till uppgifter, sidor och frågor; utkastet sparas medan du skriver.");
        } else if (importerad != null) {
            model.put("notice", "Modulen är importerad som utkast. Granska den och publicera när den är klar.");
        } else if (publicerad != null) {
            model.put("notice", "Version " + publicerad + " är publicerad. Nya deltagare får den versionen; den som redan "
                    + "har börjat gör klart sin version.");
        } else if (tillbakadragen != null) {
            model.put("notice", "Modulen är tillbakadragen. Den kan inte tilldelas längre; historiken finns kvar.");
        }
        return new ModelAndView<>("authoring-module", model);
    }

    @Post(value = "/{code}/publicera", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> publish(String code, @Body @Nullable String body, HttpRequest<?> request, Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        try {
            int version = authoring.publish(caller, code);
            return HttpResponse.seeOther(URI.create(base(code) + "?publicerad=" + version));
        } catch (ModuleInvalid e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("authoring-module",
                    overviewModel(caller, load(caller, code), problems(code, e.problems()), null)));
        } catch (AuthoringRefused e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("authoring-module",
                    overviewModel(caller, draft, List.of(Map.of("where", "Modulen", "message", e.getMessage(),
                            "href", base(code) + "/uppgifter")), null)));
        }
    }

    @Post(value = "/{code}/dra-tillbaka", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> withdraw(String code, @Body @Nullable String body, HttpRequest<?> request, Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        String reason = form.text("reason").strip();
        String error = null;
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            error = reason.isEmpty() ? "Skriv varför modulen dras tillbaka." : "Skälet får vara högst " + MAX_REASON + " tecken.";
        } else if (!"ja".equals(form.one("bekrafta"))) {
            error = "Modulen drogs inte tillbaka. Kryssa i att du vill dra tillbaka den och försök igen.";
        }
        if (error == null) {
            try {
                authoring.withdraw(caller, code, reason);
                return HttpResponse.seeOther(URI.create(base(code) + "?tillbakadragen=1"));
            } catch (AuthoringRefused e) {
                error = e.getMessage();
            }
        }
        Map<String, Object> model = overviewModel(caller, draft, null, error);
        model.put("reason", reason);
        model.put("withdrawOpen", true);
        return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("authoring-module", model));
    }

    @Get("/{code}/export.zip")
    @Produces("application/zip")
    public HttpResponse<byte[]> export(String code, Authentication caller) {
        load(caller, code);
        byte[] zip = authoring.export(caller, code, null);
        return HttpResponse.ok(zip).contentType("application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + code + ".zip\"");
    }

    // ---------------------------------------------------------------- particulars

    @Get("/{code}/uppgifter{?sparad}")
    public ModelAndView<Map<String, Object>> particulars(String code, @Nullable String sparad, Authentication caller) {
        ModuleAuthoring.Draft draft = load(caller, code);
        Map<String, Object> model = particularsModel(caller, draft, draft.content(), draft.revision(), Map.of(), null);
        model.put("saved", sparad != null);
        return new ModelAndView<>("authoring-particulars", model);
    }

    @Post(value = "/{code}/uppgifter", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> saveParticulars(String code, @Body @Nullable String body, HttpRequest<?> request,
                                           Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        String title = form.text("title").strip();
        String summary = form.text("summary").strip();
        String minutes = form.text("estimatedMinutes").strip();
        String passMark = form.text("passMark").strip();
        List<String> chosenAudiences = distinct(form.all("audiences"));
        List<String> chosenGoals = distinct(form.all("goals"));
        Map<String, String> errors = new HashMap<>();
        if (title.isEmpty()) {
            errors.put("title", "Skriv en titel.");
        } else if (title.length() > MAX_TITLE) {
            errors.put("title", "Titeln får vara högst " + MAX_TITLE + " tecken.");
        }
        if (summary.length() > MAX_SUMMARY) {
            errors.put("summary", "Sammanfattningen får vara högst " + MAX_SUMMARY + " tecken.");
        }
        if (!minutes.isEmpty() && !between(minutes, 1, 600)) {
            errors.put("estimatedMinutes", "Ange en beräknad tid i hela minuter, 1–600.");
        }
        if (!passMark.isEmpty() && !between(passMark, 1, 100)) {
            errors.put("passMark", "Ange gränsen för godkänt i procent rätt, ett heltal 1–100.");
        }
        if (chosenAudiences.size() > 50 || chosenGoals.size() > 200) {
            errors.put("audiences", "För många val.");
        }
        ModuleDraft typed = with(draft.content(), d -> new ModuleDraft(d.code(), title, summary, minutes, chosenAudiences,
                chosenGoals, passMark, d.pages(), d.questions(), d.images(), d.xapiActivityId(), d.launchUrl()));
        if (!errors.isEmpty()) {
            return again(form, HttpStatus.UNPROCESSABLE_ENTITY, "Uppgifterna sparades inte. Rätta det som är markerat.",
                    () -> new ModelAndView<>("authoring-particulars",
                            particularsModel(caller, draft, typed, revision(form), errors, "Uppgifterna sparades inte. Rätta det som är markerat.")));
        }
        return save(caller, code, form, typed, base(code) + "/uppgifter?sparad=1",
                error -> new ModelAndView<>("authoring-particulars",
                        particularsModel(caller, draft, typed, revision(form), Map.of(), error)));
    }

    // ---------------------------------------------------------------- pages

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/{code}/sidor", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> addPage(String code, @Body @Nullable String body, HttpRequest<?> request, Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        if (draft.content().pages().size() >= MAX_PAGES) {
            return overviewAgain(caller, draft, "En modul får ha högst " + MAX_PAGES + " sidor.");
        }
        int number = draft.content().pages().size() + 1;
        ModuleDraft changed = with(draft.content(), d -> pages(d, append(d.pages(), new ModuleDraft.Page("Sida " + number, ""))));
        return save(caller, code, form, changed, base(code) + "/sidor/" + number, error -> overviewView(caller, draft, error));
    }

    @Get("/{code}/sidor/{n}{?sparad}")
    public ModelAndView<Map<String, Object>> page(String code, int n, @Nullable String sparad, Authentication caller) {
        ModuleAuthoring.Draft draft = load(caller, code);
        ModuleDraft.Page page = pageAt(draft, n);
        Map<String, Object> model = pageModel(caller, draft, n, page.title(), page.markdown(), draft.revision(), Map.of(), null);
        model.put("saved", sparad != null);
        return new ModelAndView<>("authoring-page", model);
    }

    @Post(value = "/{code}/sidor/{n}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> savePage(String code, int n, @Body @Nullable String body, HttpRequest<?> request,
                                    Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        pageAt(draft, n);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        String title = form.text("title").strip();
        String markdown = form.text("markdown");
        Map<String, String> errors = new HashMap<>();
        if (title.isEmpty()) {
            errors.put("title", "Skriv sidans rubrik.");
        } else if (title.length() > MAX_TITLE) {
            errors.put("title", "Rubriken får vara högst " + MAX_TITLE + " tecken.");
        }
        if (markdown.length() > MAX_MARKDOWN) {
            errors.put("markdown", "Sidans text får vara högst " + MAX_MARKDOWN + " tecken. Dela upp den på flera sidor.");
        }
        if (!errors.isEmpty()) {
            return again(form, HttpStatus.UNPROCESSABLE_ENTITY, "Sidan sparades inte. Rätta det som är markerat.",
                    () -> new ModelAndView<>("authoring-page", pageModel(caller, draft, n, title, markdown, revision(form),
                            errors, "Sidan sparades inte. Rätta det som är markerat.")));
        }
        ModuleDraft changed = with(draft.content(), d -> pages(d, replace(d.pages(), n - 1, new ModuleDraft.Page(title, markdown))));
        if ("forhandsgranska".equals(form.one("action")) && !isAutosave(form)) {
            try {
                ModuleAuthoring.Draft saved = normalised(authoring.save(caller, code, changed, revision(form)));
                Map<String, Object> model = pageModel(caller, saved, n, title, markdown, saved.revision(), Map.of(), null);
                model.put("preview", PageHtml.render(markdown, draftImages(code)));
                model.put("saved", true);
                return HttpResponse.ok(new ModelAndView<>("authoring-page", model));
            } catch (DraftConflict e) {
                return HttpResponse.status(HttpStatus.CONFLICT).body(new ModelAndView<>("authoring-page",
                        pageModel(caller, draft, n, title, markdown, revision(form), Map.of(), conflict())));
            }
        }
        return save(caller, code, form, changed, base(code) + "/sidor/" + n + "?sparad=1",
                error -> new ModelAndView<>("authoring-page", pageModel(caller, draft, n, title, markdown, revision(form),
                        Map.of(), error)));
    }

    @Post(value = "/{code}/sidor/{n}/flytta", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> movePage(String code, int n, @Body @Nullable String body, HttpRequest<?> request,
                                    Authentication caller) {
        ModuleAuthoring.Draft draft = editable(caller, code);
        pageAt(draft, n);
        return move(caller, code, n, body, request, draft, ModuleDraft::pages, ModuleEditorPages::pages, "sidor", "sida-");
    }

    @Post(value = "/{code}/sidor/{n}/ta-bort", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> deletePage(String code, int n, @Body @Nullable String body, HttpRequest<?> request,
                                      Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        ModuleDraft.Page page = pageAt(draft, n);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        if (!"ja".equals(form.one("bekrafta"))) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("authoring-page",
                    pageModel(caller, draft, n, page.title(), page.markdown(), draft.revision(),
                            Map.of("bekrafta", "Kryssa i att du vill ta bort sidan."),
                            "Sidan togs inte bort. Kryssa i att du vill ta bort den och försök igen.")));
        }
        ModuleDraft changed = with(draft.content(), d -> pages(d, remove(d.pages(), n - 1)));
        return save(caller, code, form, changed, base(code) + "#sidor", error -> overviewView(caller, draft, error));
    }

    /** A page of the draft exactly as the learner's page shows it, with the learner page's markup. */
    @Get("/{code}/forhandsvisning/{n}")
    public ModelAndView<Map<String, Object>> preview(String code, int n, Authentication caller) {
        ModuleAuthoring.Draft draft = load(caller, code);
        Map<String, Object> model = learnerPageModel(draft, n, base(code) + "/forhandsvisning/");
        model.put("mode", "Förhandsgranskning");
        model.put("modeText", "Så här ser deltagaren sidan när modulen är publicerad.");
        if (n < draft.content().pages().size()) {
            model.put("next", base(code) + "/forhandsvisning/" + (n + 1));
        }
        if (n > 1) {
            model.put("previous", base(code) + "/forhandsvisning/" + (n - 1));
        }
        model.put("back", draft.module().editable() ? base(code) + "/sidor/" + n : base(code));
        model.put("backText", draft.module().editable() ? "Tillbaka till redigeringen" : "Tillbaka till modulen");
        return new ModelAndView<>("authoring-try", model);
    }

    // ---------------------------------------------------------------- questions

    @Post(value = "/{code}/fragor", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> addQuestion(String code, @Body @Nullable String body, HttpRequest<?> request,
                                       Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        if (draft.content().questions().size() >= MAX_QUESTIONS) {
            return overviewAgain(caller, draft, "En modul får ha högst " + MAX_QUESTIONS + " frågor.");
        }
        int number = draft.content().questions().size() + 1;
        ModuleDraft.Question question = new ModuleDraft.Question(newQuestionCode(draft.content()), "",
                List.of(new ModuleDraft.Option("", false, ""), new ModuleDraft.Option("", false, "")));
        ModuleDraft changed = with(draft.content(), d -> questions(d, append(d.questions(), question)));
        return save(caller, code, form, changed, base(code) + "/fragor/" + number, error -> overviewView(caller, draft, error));
    }

    @Get("/{code}/fragor/{n}{?sparad}")
    public ModelAndView<Map<String, Object>> question(String code, int n, @Nullable String sparad, Authentication caller) {
        ModuleAuthoring.Draft draft = load(caller, code);
        ModuleDraft.Question question = questionAt(draft, n);
        Map<String, Object> model = questionModel(caller, draft, n, question, draft.revision(), Map.of(), null);
        model.put("saved", sparad != null);
        return new ModelAndView<>("authoring-question", model);
    }

    @Post(value = "/{code}/fragor/{n}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> saveQuestion(String code, int n, @Body @Nullable String body, HttpRequest<?> request,
                                        Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        ModuleDraft.Question before = questionAt(draft, n);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        String text = form.text("text").strip();
        List<String> texts = form.all("optionText");
        List<String> feedbacks = form.all("optionFeedback");
        Set<String> right = new LinkedHashSet<>(form.all("correct"));
        List<ModuleDraft.Option> options = new ArrayList<>();
        for (int i = 0; i < Math.min(texts.size(), MAX_OPTIONS + 1); i++) {
            options.add(new ModuleDraft.Option(texts.get(i).strip(), right.contains(String.valueOf(i)),
                    i < feedbacks.size() ? feedbacks.get(i).strip() : ""));
        }
        Map<String, String> errors = new HashMap<>();
        if (text.length() > MAX_QUESTION) {
            errors.put("text", "Frågan får vara högst " + MAX_QUESTION + " tecken.");
        }
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).text().length() > MAX_OPTION) {
                errors.put("optionText" + i, "Svaret får vara högst " + MAX_OPTION + " tecken.");
            }
            if (options.get(i).feedback().length() > MAX_FEEDBACK) {
                errors.put("optionFeedback" + i, "Återkopplingen får vara högst " + MAX_FEEDBACK + " tecken.");
            }
        }
        String action = form.text("action");
        String notice = null;
        if ("lagg-till-svar".equals(action) && !isAutosave(form)) {
            if (options.size() >= MAX_OPTIONS) {
                errors.put("options", "En fråga får ha högst " + MAX_OPTIONS + " svarsalternativ.");
            } else {
                options.add(new ModuleDraft.Option("", false, ""));
                notice = "Ett nytt svarsalternativ är tillagt sist.";
            }
        } else if (action.startsWith("ta-bort-svar-") && !isAutosave(form)) {
            int index = number(action.substring("ta-bort-svar-".length()), -1);
            if (index >= 0 && index < options.size()) {
                options.remove(index);
                notice = "Svarsalternativ " + (index + 1) + " är borttaget.";
            }
        } else if (options.size() > MAX_OPTIONS) {
            errors.put("options", "En fråga får ha högst " + MAX_OPTIONS + " svarsalternativ.");
        }
        ModuleDraft.Question question = new ModuleDraft.Question(before.code(), text, List.copyOf(options));
        if (!errors.isEmpty()) {
            return again(form, HttpStatus.UNPROCESSABLE_ENTITY, "Frågan sparades inte. Rätta det som är markerat.",
                    () -> new ModelAndView<>("authoring-question", questionModel(caller, draft, n, question, revision(form),
                            errors, "Frågan sparades inte. Rätta det som är markerat.")));
        }
        ModuleDraft changed = with(draft.content(), d -> questions(d, replace(d.questions(), n - 1, question)));
        if (notice != null) {
            try {
                ModuleAuthoring.Draft saved = normalised(authoring.save(caller, code, changed, revision(form)));
                Map<String, Object> model = questionModel(caller, saved, n, question, saved.revision(), Map.of(), null);
                model.put("notice", notice);
                return HttpResponse.ok(new ModelAndView<>("authoring-question", model));
            } catch (DraftConflict e) {
                return HttpResponse.status(HttpStatus.CONFLICT).body(new ModelAndView<>("authoring-question",
                        questionModel(caller, draft, n, question, revision(form), Map.of(), conflict())));
            }
        }
        return save(caller, code, form, changed, base(code) + "/fragor/" + n + "?sparad=1",
                error -> new ModelAndView<>("authoring-question", questionModel(caller, draft, n, question, revision(form),
                        Map.of(), error)));
    }

    @Post(value = "/{code}/fragor/{n}/flytta", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> moveQuestion(String code, int n, @Body @Nullable String body, HttpRequest<?> request,
                                        Authentication caller) {
        ModuleAuthoring.Draft draft = editable(caller, code);
        questionAt(draft, n);
        return move(caller, code, n, body, request, draft, ModuleDraft::questions, ModuleEditorPages::questions, "fragor",
                "fraga-");
    }

    /**
     * Moves the n:th page or question one step up or down ("riktning"), as the overview's buttons ask; past either end
     * nothing moves. The list is read and replaced by the functions given, and the overview opens at the moved item.
     */
    private <T> HttpResponse<?> move(Authentication caller, String code, int n, @Nullable String body, HttpRequest<?> request,
                                     ModuleAuthoring.Draft draft, java.util.function.Function<ModuleDraft, List<T>> items,
                                     java.util.function.BiFunction<ModuleDraft, List<T>, ModuleDraft> replaced,
                                     String listAnchor, String itemAnchor) {
        FormFields form = FormFields.parse(body);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        int to = "upp".equals(form.one("riktning")) ? n - 1 : n + 1;
        if (to < 1 || to > items.apply(draft.content()).size()) {
            return HttpResponse.seeOther(URI.create(base(code) + "#" + listAnchor));
        }
        ModuleDraft changed = with(draft.content(), d -> replaced.apply(d, swap(items.apply(d), n - 1, to - 1)));
        return save(caller, code, form, changed, base(code) + "#" + itemAnchor + to, error -> overviewView(caller, draft, error));
    }

    @Post(value = "/{code}/fragor/{n}/ta-bort", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> deleteQuestion(String code, int n, @Body @Nullable String body, HttpRequest<?> request,
                                          Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        ModuleDraft.Question question = questionAt(draft, n);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        if (!"ja".equals(form.one("bekrafta"))) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("authoring-question",
                    questionModel(caller, draft, n, question, draft.revision(), Map.of("bekrafta", "Kryssa i att du vill ta bort frågan."),
                            "Frågan togs inte bort. Kryssa i att du vill ta bort den och försök igen.")));
        }
        ModuleDraft changed = with(draft.content(), d -> questions(d, remove(d.questions(), n - 1)));
        return save(caller, code, form, changed, base(code) + "#fragor", error -> overviewView(caller, draft, error));
    }

    // ---------------------------------------------------------------- images

    @Get("/{code}/bilder")
    public ModelAndView<Map<String, Object>> images(String code, Authentication caller) {
        ModuleAuthoring.Draft draft = load(caller, code);
        return new ModelAndView<>("authoring-images", imagesModel(caller, draft, null, "", Map.of(), null));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/{code}/bilder", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<?> upload(String code, @Nullable CompletedFileUpload file, @Nullable String alt,
                                  @Nullable String csrfToken, HttpRequest<?> request, Authentication caller) throws IOException {
        ModuleAuthoring.Draft draft = editable(caller, code);
        csrf.verify(request, csrfToken);
        String altText = alt == null ? "" : alt.strip();
        Map<String, String> errors = new HashMap<>();
        if (altText.isEmpty()) {
            errors.put("alt", "Skriv en alternativtext: vad bilden visar för den som inte ser den.");
        } else if (altText.length() > MAX_ALT) {
            errors.put("alt", "Alternativtexten får vara högst " + MAX_ALT + " tecken.");
        } else if (altText.contains("]") || altText.contains("[")) {
            errors.put("alt", "Alternativtexten får inte innehålla hakparenteser [ ].");
        }
        if (file == null || file.getFilename() == null || file.getFilename().isBlank() || file.getSize() == 0) {
            errors.put("file", "Välj en bildfil (PNG, JPEG eller WebP).");
        } else if (file.getSize() > MAX_IMAGE) {
            errors.put("file", "Bilden är för stor: högst 2 MB. Minska bilden och försök igen.");
        }
        if (errors.isEmpty()) {
            try {
                ModuleDraft.Image image = authoring.addImage(caller, code, file.getFilename(), file.getBytes());
                ModuleAuthoring.Draft now = load(caller, code);
                // The alt text just given goes with the new image's insert form, so that it is not typed twice.
                Map<String, Object> model = imagesModel(caller, now, image.fileName(), altText, Map.of(), null);
                model.put("uploaded", Map.of("fileName", image.fileName(), "markdown", markdownFor(altText, image.fileName()),
                        "alt", altText));
                return HttpResponse.ok(new ModelAndView<>("authoring-images", model));
            } catch (HttpStatusException e) {
                // Refused by content (ImageFiles: not PNG, JPEG or WebP whatever its name, too big, too many): said at the field.
                if (e.getStatus() == HttpStatus.NOT_FOUND || e.getStatus() == HttpStatus.FORBIDDEN) {
                    throw e;
                }
                errors.put("file", e.getMessage());
            }
        }
        return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("authoring-images",
                imagesModel(caller, draft, null, altText, errors, "Bilden laddades inte upp. Rätta det som är markerat.")));
    }

    /** Puts {@code ![alt](images/file)} at the end of the chosen page: the coordinator need not copy and paste. */
    @Post(value = "/{code}/bilder/infoga", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> insertImage(String code, @Body @Nullable String body, HttpRequest<?> request,
                                       Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = editable(caller, code);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        String fileName = form.text("fileName");
        String alt = form.text("alt").strip();
        int page = number(form.text("page"), 0);
        boolean known = draft.content().images().stream().anyMatch(i -> i.fileName().equals(fileName));
        if (!known) {
            throw Access.notFound();
        }
        Map<String, String> errors = new HashMap<>();
        if (alt.isEmpty() || alt.length() > MAX_ALT || alt.contains("]") || alt.contains("[")) {
            errors.put("alt-" + fileName, alt.isEmpty() ? "Skriv en alternativtext för bilden."
                    : "Alternativtexten får vara högst " + MAX_ALT + " tecken och inte innehålla hakparenteser.");
        }
        if (page < 1 || page > draft.content().pages().size()) {
            errors.put("page-" + fileName, "Välj en sida.");
        }
        if (!errors.isEmpty()) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("authoring-images",
                    imagesModel(caller, draft, fileName, alt, errors, "Bilden infogades inte. Rätta det som är markerat.")));
        }
        ModuleDraft.Page old = draft.content().pages().get(page - 1);
        String markdown = old.markdown().stripTrailing();
        ModuleDraft.Page changedPage = new ModuleDraft.Page(old.title(),
                (markdown.isEmpty() ? "" : markdown + "\n\n") + markdownFor(alt, fileName) + "\n");
        ModuleDraft changed = with(draft.content(), d -> pages(d, replace(d.pages(), page - 1, changedPage)));
        return save(caller, code, form, changed, base(code) + "/sidor/" + page + "?sparad=1",
                error -> new ModelAndView<>("authoring-images", imagesModel(caller, draft, fileName, alt, Map.of(), error)));
    }

    /** A draft's image, for the editor's preview: with the type read from its bytes when it came in. */
    @Get("/{code}/utkast/bilder/{fileName}")
    @Produces(MediaType.ALL)
    public HttpResponse<byte[]> draftImage(String code, String fileName, Authentication caller) {
        ImageFile image = authoring.draftImage(caller, code, fileName);
        return HttpResponse.ok(image.bytes()).contentType(image.contentType())
                .header("Cache-Control", "private, max-age=300")
                .header("X-Content-Type-Options", "nosniff");
    }

    // ---------------------------------------------------------------- taking the draft as a learner

    @Get("/{code}/prova{?sida}")
    public ModelAndView<Map<String, Object>> tryOut(String code, @Nullable String sida, Authentication caller) {
        ModuleAuthoring.Draft draft = load(caller, code);
        String tryBase = base(code) + "/prova?sida=";
        int pages = draft.content().pages().size();
        if ("fragor".equals(sida) || pages == 0) {
            Map<String, Object> model = tryQuestionsModel(draft, Map.of());
            return new ModelAndView<>("authoring-try-questions", model);
        }
        int n = number(sida == null ? "1" : sida, 1);
        Map<String, Object> model = learnerPageModel(draft, Math.max(1, Math.min(n, pages)), tryBase);
        model.put("mode", "Provläge – inget sparas");
        model.put("modeText", "Du tar utkastet som en deltagare skulle. Inga svar, framsteg eller resultat sparas.");
        int at = (Integer) ((Map<?, ?>) model.get("page")).get("number");
        model.put("previous", at > 1 ? tryBase + (at - 1) : null);
        model.put("next", at < pages ? tryBase + (at + 1) : null);
        model.put("toQuestions", tryBase + "fragor");
        model.put("back", base(code));
        model.put("backText", "Avsluta provläget");
        return new ModelAndView<>("authoring-try", model);
    }

    @Post(value = "/{code}/prova", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public ModelAndView<Map<String, Object>> tryResult(String code, @Body @Nullable String body, HttpRequest<?> request,
                                                       Authentication caller) {
        FormFields form = FormFields.parse(body);
        ModuleAuthoring.Draft draft = load(caller, code);
        csrf.verify(request, form.one(CsrfTokens.FIELD));
        List<ModuleDraft.Question> questions = draft.content().questions();
        Map<Integer, Set<String>> chosen = new HashMap<>();
        for (int q = 0; q < questions.size(); q++) {
            chosen.put(q, new LinkedHashSet<>(form.all("q" + q)));
        }
        int right = 0;
        List<Map<String, Object>> marked = new ArrayList<>();
        for (int q = 0; q < questions.size(); q++) {
            ModuleDraft.Question question = questions.get(q);
            boolean allRight = !question.options().isEmpty();
            List<Map<String, Object>> options = new ArrayList<>();
            for (int o = 0; o < question.options().size(); o++) {
                ModuleDraft.Option option = question.options().get(o);
                boolean picked = chosen.get(q).contains(String.valueOf(o));
                if (picked != option.correct()) {
                    allRight = false;
                }
                Map<String, Object> shown = new HashMap<>();
                shown.put("text", option.text());
                shown.put("chosen", picked);
                shown.put("correct", option.correct());
                shown.put("feedback", option.feedback());
                options.add(shown);
            }
            if (allRight) {
                right++;
            }
            marked.add(Map.of("number", q + 1, "text", question.text(), "right", allRight, "options", options));
        }
        int percent = questions.isEmpty() ? 0 : Math.round(100f * right / questions.size());
        int passMark = number(draft.content().passMark(), 100);
        Map<String, Object> model = moduleModel(draft);
        model.put("title", "Resultat (provläge) – " + draft.content().title());
        model.put("right", right);
        model.put("total", questions.size());
        model.put("percent", percent);
        model.put("passMark", passMark);
        model.put("passed", !questions.isEmpty() && percent >= passMark);
        model.put("marked", marked);
        return new ModelAndView<>("authoring-try-result", model);
    }

    // ---------------------------------------------------------------- saving

    private HttpResponse<?> save(Authentication caller, String code, FormFields form, ModuleDraft changed, String next,
                                 java.util.function.Function<String, ModelAndView<Map<String, Object>>> again) {
        try {
            ModuleAuthoring.Draft saved = normalised(authoring.save(caller, code, changed, revision(form)));
            if (isAutosave(form)) {
                return json(HttpStatus.OK, "{\"revision\":" + saved.revision() + ",\"savedAt\":\""
                        + CLOCK.format(Instant.now().atZone(SwedishTime.ZONE)) + "\"}");
            }
            return HttpResponse.seeOther(URI.create(next));
        } catch (DraftConflict e) {
            return againOrJson(form, HttpStatus.CONFLICT, conflict(), () -> again.apply(conflict()));
        } catch (AuthoringRefused e) {
            return againOrJson(form, HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage(), () -> again.apply(e.getMessage()));
        }
    }

    private HttpResponse<?> again(FormFields form, HttpStatus status, String message,
                                  java.util.function.Supplier<ModelAndView<Map<String, Object>>> view) {
        return againOrJson(form, status, message, view);
    }

    private HttpResponse<?> againOrJson(FormFields form, HttpStatus status, String message,
                                        java.util.function.Supplier<ModelAndView<Map<String, Object>>> view) {
        if (isAutosave(form)) {
            return json(status, "{\"message\":\"" + jsonText(message) + "\"}");
        }
        return HttpResponse.status(status).body(view.get());
    }

    private static MutableHttpResponse<String> json(HttpStatus status, String json) {
        return HttpResponse.<String>status(status).body(json).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static String jsonText(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String conflict() {
        return "Utkastet har ändrats av någon annan (eller i en annan flik) sedan du öppnade sidan. Det du skrev har inte "
                + "sparats. Kopiera det du vill behålla, ladda om sidan och för in det igen.";
    }

    private static boolean isAutosave(FormFields form) {
        return "1".equals(form.one("autosave"));
    }

    private static int revision(FormFields form) {
        return number(form.text("revision"), -1);
    }

    // ---------------------------------------------------------------- scope

    /** The draft, read as the caller may (404 when they may not see it), with every list present even when empty. */
    private ModuleAuthoring.Draft load(Authentication caller, String code) {
        return normalised(authoring.draft(caller, code));
    }

    /** A stored draft leaves out what is empty; the pages work on lists and texts that are always there. */
    static ModuleAuthoring.Draft normalised(ModuleAuthoring.Draft draft) {
        ModuleDraft d = draft.content();
        List<ModuleDraft.Question> questions = d.questions() == null ? List.of() : d.questions().stream()
                .map(q -> new ModuleDraft.Question(q.code(), q.text() == null ? "" : q.text(), q.options() == null ? List.of()
                        : q.options().stream().map(o -> new ModuleDraft.Option(o.text() == null ? "" : o.text(), o.correct(),
                        o.feedback() == null ? "" : o.feedback())).toList())).toList();
        List<ModuleDraft.Page> pages = d.pages() == null ? List.of() : d.pages().stream()
                .map(pg -> new ModuleDraft.Page(pg.title() == null ? "" : pg.title(), pg.markdown() == null ? "" : pg.markdown())).toList();
        ModuleDraft whole = new ModuleDraft(d.code(), d.title() == null ? "" : d.title(), d.summary() == null ? "" : d.summary(),
                d.estimatedMinutes() == null ? "" : d.estimatedMinutes(), d.audiences() == null ? List.of() : d.audiences(),
                d.goals() == null ? List.of() : d.goals(), d.passMark() == null ? "" : d.passMark(), pages, questions,
                d.images() == null ? List.of() : d.images(), d.xapiActivityId(), d.launchUrl());
        return new ModuleAuthoring.Draft(draft.module(), whole, draft.revision());
    }

    /** The draft, when the caller may change it: unknown (404) when not visible, 403 when visible but not editable. */
    private ModuleAuthoring.Draft editable(Authentication caller, String code) {
        ModuleAuthoring.Draft draft = load(caller, code);
        if (!draft.module().editable()) {
            throw Access.forbidden();
        }
        return draft;
    }

    private List<OrgNode> ownersOrRefuse(Authentication caller) {
        List<OrgNode> owners = authoring.ownersFor(caller);
        if (owners.isEmpty()) {
            throw Access.forbidden();
        }
        return owners;
    }

    private static ModuleDraft.Page pageAt(ModuleAuthoring.Draft draft, int n) {
        if (n < 1 || n > draft.content().pages().size()) {
            throw Access.notFound();
        }
        return draft.content().pages().get(n - 1);
    }

    private static ModuleDraft.Question questionAt(ModuleAuthoring.Draft draft, int n) {
        if (n < 1 || n > draft.content().questions().size()) {
            throw Access.notFound();
        }
        return draft.content().questions().get(n - 1);
    }

    // ---------------------------------------------------------------- models

    static String base(String code) {
        return "/egna-moduler/" + code;
    }

    static String draftImages(String code) {
        return base(code) + "/utkast/bilder/";
    }

    private Map<String, Object> newModel(Authentication caller, List<OrgNode> owners, @Nullable String owner, String code,
                                         String title, Map<String, String> errors, @Nullable String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Ny modul");
        model.put("owners", OwnerChoice.options(owners, authoring.owners(caller).everyone(), owner));
        model.put("code", code);
        model.put("moduleTitle", title);
        model.put("codeRule", CODE_RULE);
        model.put("errors", errors);
        model.put("error", error);
        return model;
    }

    private Map<String, Object> importModel(Authentication caller, List<OrgNode> owners, @Nullable String owner,
                                            @Nullable String error, List<String> problems) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Importera modul");
        model.put("owners", OwnerChoice.options(owners, authoring.owners(caller).everyone(), owner));
        model.put("error", error);
        model.put("problems", problems);
        return model;
    }

    private static Map<String, Object> summary(ModuleAuthoring.Summary s) {
        Map<String, Object> row = new HashMap<>();
        row.put("code", s.code());
        row.put("title", s.title());
        row.put("owner", s.ownerName());
        row.put("status", statusText(s));
        row.put("withdrawn", s.status() == ModuleAuthoring.Status.WITHDRAWN);
        row.put("unpublishedChanges", s.unpublishedChanges() && s.status() != ModuleAuthoring.Status.DRAFT);
        row.put("editable", s.editable());
        row.put("savedAt", s.draftSavedAt() == null ? null : WHEN.format(s.draftSavedAt().atZone(SwedishTime.ZONE)));
        row.put("savedBy", s.draftSavedBy());
        row.put("href", base(s.code()));
        return row;
    }

    static String statusText(ModuleAuthoring.Summary s) {
        return switch (s.status()) {
            case DRAFT -> "Utkast";
            case PUBLISHED -> "Publicerad version " + s.latestVersion();
            case WITHDRAWN -> "Tillbakadragen";
        };
    }

    /** What every page of one module shows: the module, whether it may be changed, the form's revision. */
    private Map<String, Object> moduleModel(ModuleAuthoring.Draft draft) {
        Map<String, Object> model = new HashMap<>();
        model.put("module", summary(draft.module()));
        model.put("moduleTitle", draft.content().title() == null || draft.content().title().isBlank()
                ? draft.module().title() : draft.content().title());
        model.put("code", draft.module().code());
        model.put("base", base(draft.module().code()));
        model.put("editable", draft.module().editable());
        model.put("revision", draft.revision());
        return model;
    }

    private Map<String, Object> overviewModel(Authentication caller, ModuleAuthoring.Draft draft,
                                              @Nullable List<Map<String, Object>> problems, @Nullable String error) {
        Map<String, Object> model = moduleModel(draft);
        String code = draft.module().code();
        ModuleDraft content = draft.content();
        model.put("title", model.get("moduleTitle") + " – egna moduler");
        model.put("versions", authoring.versions(caller, code).stream().map(v -> Map.of(
                "version", v.version(), "publishedAt", WHEN.format(v.publishedAt().atZone(SwedishTime.ZONE)),
                "publishedBy", v.publishedBy() == null ? "–" : v.publishedBy(), "started", v.learnersStarted(),
                "completions", v.completions())).toList());
        List<Map<String, Object>> pages = new ArrayList<>();
        for (int i = 0; i < content.pages().size(); i++) {
            ModuleDraft.Page p = content.pages().get(i);
            pages.add(Map.of("number", i + 1, "title", blankAs(p.title(), "(utan rubrik)"), "first", i == 0,
                    "last", i == content.pages().size() - 1, "href", base(code) + "/sidor/" + (i + 1)));
        }
        List<Map<String, Object>> questions = new ArrayList<>();
        for (int i = 0; i < content.questions().size(); i++) {
            ModuleDraft.Question q = content.questions().get(i);
            long rightOnes = q.options().stream().filter(ModuleDraft.Option::correct).count();
            questions.add(Map.of("number", i + 1, "text", blankAs(shorten(q.text(), 90), "(frågan saknar text)"),
                    "options", q.options().size(), "right", rightOnes, "first", i == 0,
                    "last", i == content.questions().size() - 1, "href", base(code) + "/fragor/" + (i + 1)));
        }
        model.put("pages", pages);
        model.put("questions", questions);
        model.put("images", content.images().size());
        model.put("particulars", particularsFacts(draft));
        model.put("problems", problems);
        model.put("error", error);
        model.put("mayWithdraw", draft.module().editable() && draft.module().status() == ModuleAuthoring.Status.PUBLISHED);
        model.put("mayPublish", draft.module().editable() && draft.module().status() != ModuleAuthoring.Status.WITHDRAWN);
        model.put("published", draft.module().latestVersion() != null);
        model.put("hasPages", !pages.isEmpty());
        return model;
    }

    private HttpResponse<?> overviewAgain(Authentication caller, ModuleAuthoring.Draft draft, String error) {
        return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(overviewView(caller, draft, error));
    }

    private ModelAndView<Map<String, Object>> overviewView(Authentication caller, ModuleAuthoring.Draft draft, String error) {
        return new ModelAndView<>("authoring-module", overviewModel(caller, load(caller, draft.module().code()),
                null, error));
    }

    /** The module's particulars in words for the overview and for those who may only read. */
    private Map<String, Object> particularsFacts(ModuleAuthoring.Draft draft) {
        ModuleDraft d = draft.content();
        Map<String, String> audienceNames = audienceNames(draft.module().ownerOrgId());
        Map<String, Object> facts = new HashMap<>();
        facts.put("summary", blankAs(d.summary(), "–"));
        facts.put("minutes", blankAs(d.estimatedMinutes(), "–"));
        facts.put("passMark", blankAs(d.passMark(), "–"));
        facts.put("audiences", d.audiences().isEmpty() ? "–"
                : String.join(", ", d.audiences().stream().map(a -> audienceNames.getOrDefault(a, a)).toList()));
        // Goals by their text (the code after it), as the catalogue shows them: a code alone says nothing to a reader.
        Map<String, String> goalTexts = new HashMap<>();
        catalogue.goalsAt(null, draft.module().ownerOrgId()).forEach(g -> goalTexts.put(g.code(), g.textSv()));
        facts.put("goals", d.goals().stream().map(code -> Map.of("code", code, "text", goalTexts.getOrDefault(code, ""))).toList());
        return facts;
    }

    private Map<String, String> audienceNames(long ownerOrgId) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Audience a : usableAudiences(ownerOrgId)) {
            names.put(a.code(), a.nameSv());
        }
        return names;
    }

    private List<Audience> usableAudiences(long ownerOrgId) {
        // A module for everyone can only name the national audiences; an organisation's module also its own ones above.
        return ownerOrgId == 0
                ? audiences.usableUnder(-1L).stream().filter(a -> a.ownerOrgId() == null).toList()
                : audiences.usableUnder(ownerOrgId);
    }

    private Map<String, Object> particularsModel(Authentication caller, ModuleAuthoring.Draft draft, ModuleDraft shown,
                                                 int revision, Map<String, String> errors, @Nullable String error) {
        Map<String, Object> model = moduleModel(draft);
        model.put("title", "Uppgifter – " + model.get("moduleTitle"));
        model.put("revision", revision);
        model.put("form", shown);
        model.put("errors", errors);
        model.put("error", error);
        model.put("facts", particularsFacts(draft));
        ModuleRules.Known known = authoring.knownAt(draft.module().ownerOrgId());
        Set<String> chosenAudiences = Set.copyOf(shown.audiences());
        List<Map<String, Object>> audienceOptions = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        for (Audience a : usableAudiences(draft.module().ownerOrgId())) {
            if (known.audiences().contains(a.code()) || chosenAudiences.contains(a.code())) {
                listed.add(a.code());
                audienceOptions.add(Map.of("value", a.code(), "label", a.nameSv(), "checked", chosenAudiences.contains(a.code()),
                        "id", "audience-" + a.code()));
            }
        }
        for (String code : shown.audiences()) {
            if (!listed.contains(code)) {
                audienceOptions.add(Map.of("value", code, "label", code + " (okänd här)", "checked", true, "id", "audience-" + code));
            }
        }
        model.put("audienceOptions", audienceOptions);
        Set<String> chosenGoals = Set.copyOf(shown.goals());
        // About a hundred goals apply at most nodes. Those of the module's audiences (all, before any is chosen) and the
        // chosen ones are listed by area; the rest wait, by area too, behind one "other audiences" disclosure.
        Set<String> forAudiences = Set.copyOf(shown.audiences());
        Map<String, List<Map<String, Object>>> byArea = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> othersByArea = new LinkedHashMap<>();
        // The goals that apply at the owner (national, and own goals owned there or above: what knownAt allows).
        catalogue.goalsAt(null, draft.module().ownerOrgId()).stream()
                .filter(g -> known.goals().contains(g.code()) || chosenGoals.contains(g.code()))
                .sorted(java.util.Comparator.comparing((CatalogueQueries.GoalView g) -> g.area().ordinal())
                        .thenComparing(CatalogueQueries.GoalView::code))
                .forEach(g -> {
                    boolean relevant = forAudiences.isEmpty() || chosenGoals.contains(g.code())
                            || g.audiences().stream().anyMatch(forAudiences::contains);
                    (relevant ? byArea : othersByArea).computeIfAbsent(g.areaSv(), a -> new ArrayList<>()).add(Map.of(
                            "value", g.code(), "label", g.textSv(), "checked", chosenGoals.contains(g.code()),
                            "id", "goal-" + g.code()));
                });
        List<Map<String, Object>> areas = new ArrayList<>();
        byArea.forEach((area, goals) -> areas.add(Map.of("area", area, "goals", goals)));
        model.put("goalAreas", areas);
        List<Map<String, Object>> otherAreas = new ArrayList<>();
        othersByArea.forEach((area, goals) -> otherAreas.add(Map.of("area", area, "goals", goals)));
        model.put("otherGoalAreas", otherAreas);
        model.put("otherGoals", othersByArea.values().stream().mapToInt(List::size).sum());
        model.put("hasOtherGoals", !othersByArea.isEmpty());
        return model;
    }

    private Map<String, Object> pageModel(Authentication caller, ModuleAuthoring.Draft draft, int n, String title,
                                          String markdown, int revision, Map<String, String> errors, @Nullable String error) {
        Map<String, Object> model = moduleModel(draft);
        model.put("title", "Sida " + n + " – " + model.get("moduleTitle"));
        model.put("number", n);
        model.put("pageCount", draft.content().pages().size());
        model.put("pageTitle", title);
        model.put("markdown", markdown);
        model.put("revision", revision);
        model.put("errors", errors);
        model.put("error", error);
        model.put("action", base(draft.module().code()) + "/sidor/" + n);
        if (!draft.module().editable()) {
            model.put("preview", PageHtml.render(markdown, draftImages(draft.module().code())));
        }
        model.put("imageCount", draft.content().images().size());
        return model;
    }

    private Map<String, Object> questionModel(Authentication caller, ModuleAuthoring.Draft draft, int n,
                                              ModuleDraft.Question question, int revision, Map<String, String> errors,
                                              @Nullable String error) {
        Map<String, Object> model = moduleModel(draft);
        model.put("title", "Fråga " + n + " – " + model.get("moduleTitle"));
        model.put("number", n);
        model.put("questionCount", draft.content().questions().size());
        model.put("text", question.text());
        model.put("revision", revision);
        model.put("errors", errors);
        model.put("error", error);
        model.put("action", base(draft.module().code()) + "/fragor/" + n);
        List<Map<String, Object>> options = new ArrayList<>();
        for (int i = 0; i < question.options().size(); i++) {
            ModuleDraft.Option o = question.options().get(i);
            Map<String, Object> option = new HashMap<>();
            option.put("index", i);
            option.put("number", i + 1);
            option.put("text", o.text());
            option.put("correct", o.correct());
            option.put("feedback", o.feedback());
            option.put("textError", errors.get("optionText" + i));
            option.put("feedbackError", errors.get("optionFeedback" + i));
            option.put("removable", question.options().size() > 1);
            options.add(option);
        }
        model.put("options", options);
        model.put("mayAddOption", question.options().size() < MAX_OPTIONS);
        return model;
    }

    private Map<String, Object> imagesModel(Authentication caller, ModuleAuthoring.Draft draft, @Nullable String forFile,
                                            String alt, Map<String, String> errors, @Nullable String error) {
        Map<String, Object> model = moduleModel(draft);
        String code = draft.module().code();
        model.put("title", "Bilder – " + model.get("moduleTitle"));
        model.put("alt", forFile == null ? alt : "");
        model.put("errors", errors);
        model.put("error", error);
        Map<String, String> usedAlt = new HashMap<>();
        Map<String, List<Integer>> usedOn = new HashMap<>();
        List<ModuleDraft.Page> pages = draft.content().pages();
        for (int i = 0; i < pages.size(); i++) {
            Matcher m = IMAGE_REFERENCE.matcher(pages.get(i).markdown());
            while (m.find()) {
                usedAlt.putIfAbsent(m.group(2), m.group(1));
                usedOn.computeIfAbsent(m.group(2), f -> new ArrayList<>()).add(i + 1);
            }
        }
        List<Map<String, Object>> images = new ArrayList<>();
        int index = 0;
        for (ModuleDraft.Image image : draft.content().images()) {
            index++;
            String imageAlt = image.fileName().equals(forFile) ? alt : usedAlt.getOrDefault(image.fileName(), "");
            Map<String, Object> row = new HashMap<>();
            row.put("id", "bild-" + index);
            row.put("fileName", image.fileName());
            row.put("src", draftImages(code) + image.fileName());
            row.put("alt", imageAlt);
            row.put("markdown", markdownFor(imageAlt.isEmpty() ? "Beskriv bilden här" : imageAlt, image.fileName()));
            row.put("size", image.size() < 1024 ? image.size() + " byte" : Math.round(image.size() / 1024.0) + " kB");
            row.put("type", image.contentType());
            List<Integer> on = usedOn.getOrDefault(image.fileName(), List.of());
            row.put("usedOn", on.isEmpty() ? "Används inte på någon sida ännu."
                    : "Används på sida " + String.join(", ", on.stream().map(String::valueOf).toList()) + ".");
            row.put("altError", errors.get("alt-" + image.fileName()));
            row.put("pageError", errors.get("page-" + image.fileName()));
            List<Map<String, Object>> pageOptions = new ArrayList<>();
            for (int i = 0; i < pages.size(); i++) {
                pageOptions.add(Map.of("value", i + 1, "label", "Sida " + (i + 1) + ": " + blankAs(pages.get(i).title(), "(utan rubrik)")));
            }
            row.put("pages", pageOptions);
            images.add(row);
        }
        model.put("images", images);
        model.put("hasPages", !pages.isEmpty());
        return model;
    }

    /** A draft page in the learner page's markup: the same classes, progress and pager as {@code learning-page}. */
    private Map<String, Object> learnerPageModel(ModuleAuthoring.Draft draft, int n, String pageBase) {
        ModuleDraft.Page page = pageAt(draft, n);
        Map<String, Object> model = moduleModel(draft);
        model.put("title", blankAs(page.title(), "Sida " + n) + " – " + model.get("moduleTitle"));
        model.put("page", Map.of("number", n, "title", blankAs(page.title(), "(utan rubrik)"),
                "html", PageHtml.render(page.markdown(), draftImages(draft.module().code()))));
        model.put("total", draft.content().pages().size());
        return model;
    }

    private Map<String, Object> tryQuestionsModel(ModuleAuthoring.Draft draft, Map<String, String> errors) {
        Map<String, Object> model = moduleModel(draft);
        model.put("title", "Kunskapstest (provläge) – " + model.get("moduleTitle"));
        List<Map<String, Object>> questions = new ArrayList<>();
        List<ModuleDraft.Question> all = draft.content().questions();
        for (int q = 0; q < all.size(); q++) {
            List<Map<String, Object>> options = new ArrayList<>();
            for (int o = 0; o < all.get(q).options().size(); o++) {
                options.add(Map.of("id", "q" + q + "o" + o, "name", "q" + q, "value", o,
                        "text", blankAs(all.get(q).options().get(o).text(), "(tomt svar)")));
            }
            questions.add(Map.of("number", q + 1, "text", blankAs(all.get(q).text(), "(frågan saknar text)"), "options", options));
        }
        model.put("questions", questions);
        model.put("questionCount", questions.size());
        model.put("passMark", blankAs(draft.content().passMark(), "–"));
        int pages = draft.content().pages().size();
        model.put("lastPage", pages > 0 ? base(draft.module().code()) + "/prova?sida=" + pages : null);
        return model;
    }

    /**
     * Each problem of a failed publish, naming the page or question at fault and linking to its editor: the validator's
     * place ("Sida 2 «…»", "Fråga 3, svar 2", "Modulens uppgifter") says which.
     */
    static List<Map<String, Object>> problems(String code, List<ModuleRules.Problem> problems) {
        List<Map<String, Object>> shown = new ArrayList<>();
        for (ModuleRules.Problem p : problems) {
            String where = p.where() == null ? "Modulen" : p.where();
            Matcher page = PAGE_PLACE.matcher(where);
            Matcher question = QUESTION_PLACE.matcher(where);
            String href = page.find() ? base(code) + "/sidor/" + page.group(1)
                    : question.find() ? base(code) + "/fragor/" + question.group(1)
                    : where.startsWith("Sidor") ? base(code) + "#sidor"
                    : where.startsWith("Frågor") ? base(code) + "#fragor"
                    : where.startsWith("Bild") ? base(code) + "/bilder"
                    : base(code) + "/uppgifter";
            shown.add(Map.of("where", where, "message", p.message(), "href", href));
        }
        return shown;
    }

    // ---------------------------------------------------------------- draft changes

    private static ModuleDraft with(ModuleDraft draft, UnaryOperator<ModuleDraft> change) {
        return change.apply(draft);
    }

    private static ModuleDraft pages(ModuleDraft d, List<ModuleDraft.Page> pages) {
        return new ModuleDraft(d.code(), d.title(), d.summary(), d.estimatedMinutes(), d.audiences(), d.goals(), d.passMark(),
                pages, d.questions(), d.images(), d.xapiActivityId(), d.launchUrl());
    }

    private static ModuleDraft questions(ModuleDraft d, List<ModuleDraft.Question> questions) {
        return new ModuleDraft(d.code(), d.title(), d.summary(), d.estimatedMinutes(), d.audiences(), d.goals(), d.passMark(),
                d.pages(), questions, d.images(), d.xapiActivityId(), d.launchUrl());
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return List.copyOf(copy);
    }

    private static <T> List<T> replace(List<T> list, int index, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.set(index, item);
        return List.copyOf(copy);
    }

    private static <T> List<T> remove(List<T> list, int index) {
        List<T> copy = new ArrayList<>(list);
        copy.remove(index);
        return List.copyOf(copy);
    }

    private static <T> List<T> swap(List<T> list, int a, int b) {
        List<T> copy = new ArrayList<>(list);
        T first = copy.get(a);
        copy.set(a, copy.get(b));
        copy.set(b, first);
        return List.copyOf(copy);
    }

    /** A question code not yet used in the module: fraga-1, fraga-2, … (the validator asks codes to be unique). */
    private static String newQuestionCode(ModuleDraft draft) {
        Set<String> taken = new java.util.HashSet<>();
        draft.questions().forEach(q -> taken.add(q.code()));
        int n = draft.questions().size() + 1;
        while (taken.contains("fraga-" + n)) {
            n++;
        }
        return "fraga-" + n;
    }

    static String markdownFor(String alt, String fileName) {
        return "![" + alt + "](images/" + fileName + ")";
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values.stream().map(String::strip).filter(v -> !v.isEmpty() && v.length() <= 80).toList()));
    }

    private static boolean between(String text, int min, int max) {
        int value = number(text, Integer.MIN_VALUE);
        return value >= min && value <= max;
    }

    private static int number(@Nullable String text, int otherwise) {
        try {
            return text == null ? otherwise : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String blankAs(@Nullable String text, String otherwise) {
        return text == null || text.isBlank() ? otherwise : text;
    }

    private static String shorten(@Nullable String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
