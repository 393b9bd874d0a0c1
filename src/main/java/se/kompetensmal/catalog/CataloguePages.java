package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.ModuleVersions;
import se.kompetensmal.security.Caller;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalogue as a place to find and read modules: a search with filters by audience, goal area and goal (a plain GET
 * form, so it works without JavaScript and a search can be linked to), a module's page, and its pages readable as the
 * learner sees them. Open to everyone signed in; an organisation's own audiences only to those who know of it.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/katalog")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CataloguePages {

    /** Longest code accepted in a filter; longer is refused without being echoed. */
    private static final int MAX_CODE = 80;
    /** Goals in the filter's list are cut to this many characters, so that the list fits a phone's width. */
    private static final int GOAL_LABEL = 70;
    /** The catalogue pages are in Swedish, as are the goal texts they show. */
    private static final String SWEDISH = "sv";

    private final CatalogueQueries catalogue;
    private final CatalogueSearch search;
    private final ModuleTitles titles;
    private final ModuleVersions versions;
    private final Audiences audiences;
    private final CatalogueLoader loader;
    private final ModuleReach reach;

    public CataloguePages(CatalogueQueries catalogue, CatalogueSearch search, ModuleTitles titles, ModuleVersions versions,
                          Audiences audiences, CatalogueLoader loader, ModuleReach reach) {
        this.reach = reach;
        this.catalogue = catalogue;
        this.search = search;
        this.titles = titles;
        this.versions = versions;
        this.audiences = audiences;
        this.loader = loader;
    }

    /** A choice in one of the filter's lists. */
    public record Option(String value, String label, boolean selected) {
    }

    public record GoalText(String code, String text) {
    }

    /** A module in the listing: names, not codes, and the goals it covers with their text. */
    public record Listed(String code, String title, String summary, int minutes, List<String> audiences, boolean external,
                         @Nullable String provider, List<GoalText> goals) {
    }

    /** A goal of an audience, with the modules covering it by title. */
    public record GoalRow(String code, String text, String areaSv, String kindSv, List<ModuleTitles.Titled> modules,
                          @Nullable String owner) {
    }

    public record AudienceGoals(Audience audience, List<GoalRow> goals, boolean open) {
    }

    @Get
    public HttpResponse<?> catalogue(@QueryValue @Nullable String sok, @QueryValue @Nullable String malgrupp,
                                     @QueryValue @Nullable String omrade, @QueryValue @Nullable String mal,
                                     Authentication caller) {
        List<Audience> visible = audiences.visibleTo(caller);
        // National goals and the own goals of the caller's organisations, in the filter and the lists alike.
        List<CatalogueQueries.GoalView> goals = catalogue.goalsVisibleTo(caller, null);
        List<String> problems = new ArrayList<>();

        String text = blankToNull(sok);
        if (text != null && text.length() > CatalogueSearch.MAX_TEXT) {
            problems.add("Sökordet får vara högst " + CatalogueSearch.MAX_TEXT + " tecken.");
            text = text.substring(0, CatalogueSearch.MAX_TEXT);
        }
        String audience = code(malgrupp);
        Optional<Audience> chosenAudience = visible.stream().filter(a -> a.code().equals(audience)).findFirst();
        if (audience != null && chosenAudience.isEmpty()) {
            problems.add(audience.length() > MAX_CODE ? "Målgruppen finns inte." : "Det finns ingen målgrupp med koden " + audience + ".");
        }
        String areaCode = code(omrade);
        GoalArea area = null;
        if (areaCode != null) {
            try {
                area = GoalArea.valueOf(areaCode);
            } catch (IllegalArgumentException e) {
                problems.add("Området finns inte. Välj ett av områdena i listan.");
            }
        }
        String goalCode = code(mal);
        Optional<CatalogueQueries.GoalView> chosenGoal = goals.stream().filter(g -> g.code().equals(goalCode)).findFirst();
        if (goalCode != null && chosenGoal.isEmpty()) {
            problems.add(goalCode.length() > MAX_CODE ? "Kompetensmålet finns inte."
                    : "Det finns inget kompetensmål med koden " + goalCode + ".");
        }

        // A value that could not be understood is left out of the search, and the page says which.
        CatalogueSearch.Filter filter = new CatalogueSearch.Filter(text, chosenAudience.map(Audience::code).orElse(null), area,
                chosenGoal.map(CatalogueQueries.GoalView::code).orElse(null));
        Map<String, String> audienceNames = names(visible);
        Map<String, List<GoalText>> goalsOfModule = new HashMap<>();
        for (CatalogueQueries.GoalView goal : goals) {
            goal.modules().forEach(m -> goalsOfModule.computeIfAbsent(m, k -> new ArrayList<>()).add(new GoalText(goal.code(), goal.textSv())));
        }
        List<Listed> found = search.modules(filter, caller).stream()
                .map(m -> new Listed(m.code(), m.title(), m.summary(), m.minutes(), namesOf(m.audiences(), audienceNames),
                        m.external(), m.provider(), goalsOfModule.getOrDefault(m.code(), List.of())))
                .toList();

        Map<String, String> moduleTitles = titles.visibleTo(caller);
        GoalArea chosenArea = area;
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Kompetensmål och moduler");
        model.put("catalogue", loader.state());
        model.put("loadedAt", SwedishTime.format(loader.state().loadedAt()));
        model.put("sok", sok == null ? "" : sok.strip());
        model.put("audienceOptions", visible.stream()
                .map(a -> new Option(a.code(), a.nameSv(), a.code().equals(filter.audience()))).toList());
        model.put("areaOptions", Arrays.stream(GoalArea.values())
                .map(a -> new Option(a.name(), a.labelSv(), a == chosenArea)).toList());
        model.put("goalOptions", goals.stream()
                .map(g -> new Option(g.code(), g.code() + " – " + shortened(g.textSv()), g.code().equals(filter.goal()))).toList());
        model.put("problems", problems);
        model.put("filtered", filter.any());
        model.put("modules", found);
        model.put("count", found.size() == 1 ? "1 modul" : found.size() + " moduler");
        chosenGoal.ifPresent(g -> model.put("chosenGoal", new GoalText(g.code(), g.textSv())));
        model.put("audiences", visible.stream()
                .map(a -> new AudienceGoals(a, goals.stream().filter(g -> g.audiences().contains(a.code()))
                        .map(g -> new GoalRow(g.code(), g.textSv(), g.areaSv(), g.kindSv(), g.modules().stream()
                                .map(m -> new ModuleTitles.Titled(m, moduleTitles.getOrDefault(m, m))).toList(),
                                g.own() ? "Egen (" + g.ownerName() + ")" : null))
                        .toList(), a.code().equals(filter.audience())))
                .toList());
        ModelAndView<Map<String, Object>> page = new ModelAndView<>("catalogue", model);
        return problems.isEmpty() ? HttpResponse.ok(page) : HttpResponse.status(HttpStatus.BAD_REQUEST).body(page);
    }

    @Get("/moduler/{code}")
    public ModelAndView<Map<String, Object>> module(String code, Authentication caller) {
        Module module = visibleModule(code, caller);
        Map<String, Object> model = moduleModel(module, caller);
        model.put("title", module.version().title());
        return new ModelAndView<>("module", model);
    }

    /** One page of a module, rendered as the learner sees it when taking the module; reading it here records nothing. */
    @Get("/moduler/{code}/sida/{number}")
    public ModelAndView<Map<String, Object>> page(String code, String number, Authentication caller) {
        Module module = visibleModule(code, caller);
        List<ModuleVersions.Page> pages = module.version().pages();
        int n = pageNumber(number);
        if (n < 1 || n > pages.size()) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "Sidan finns inte.");
        }
        Map<String, Object> model = moduleModel(module, caller);
        ModuleVersions.Page page = pages.get(n - 1);
        model.put("title", page.title() + " – " + module.version().title());
        model.put("page", page);
        model.put("total", pages.size());
        model.put("previous", n > 1 ? n - 1 : null);
        model.put("next", n < pages.size() ? n + 1 : null);
        return new ModelAndView<>("module-page", model);
    }

    /** The latest version as the learner takes it (pages as HTML, goals with text) and its catalogue entry. */
    private record Module(ModuleVersions.Version version, CatalogueQueries.ModuleDetail detail) {
    }

    /** The module if the caller may see it; one they may not is answered as an unknown code. */
    private Module visibleModule(String code, Authentication caller) {
        String wanted = code.strip();
        if (wanted.length() > MAX_CODE) {
            throw noSuchModule();
        }
        ModuleVersions.Version version = versions.latest(wanted, SWEDISH).orElseThrow(CataloguePages::noSuchModule);
        CatalogueQueries.ModuleDetail detail = catalogue.module(version.code(), version.version(), caller)
                .orElseThrow(CataloguePages::noSuchModule);
        return new Module(version, detail);
    }

    private Map<String, Object> moduleModel(Module module, Authentication authentication) {
        ModuleVersions.Version version = module.version();
        Long person = Caller.of(authentication).personId();
        Map<String, Object> model = new HashMap<>();
        model.put("module", version);
        model.put("versions", module.detail().versions());
        model.put("severalVersions", module.detail().versions().size() > 1);
        model.put("audienceNames", namesOf(module.detail().module().audiences(), names(audiences.visibleTo(authentication))));
        model.put("provider", CatalogueSearch.providerOf(version.launchUrl()));
        // An uploaded package has no pages or assessment here: it is played, and it decides itself what passes.
        model.put("packageModule", reach.owner(version.code()).map(ModuleReach.Owner::fromPackage).orElse(false));
        // A session module is taken at an occasion: no pages or assessment here, the learner signs up for an occasion.
        model.put("sessionModule", reach.owner(version.code()).map(o -> "SESSION".equals(o.source())).orElse(false));
        boolean withdrawn = module.detail().module().withdrawn();
        model.put("withdrawn", withdrawn);
        // A withdrawn module is not offered to start; one already started is continued from "Min utbildning".
        model.put("canStart", !withdrawn && version.launchUrl() == null && person != null
                && search.appliesTo(person, version.code()));
        return model;
    }

    private static Map<String, String> names(List<Audience> visible) {
        Map<String, String> names = new LinkedHashMap<>();
        visible.forEach(a -> names.put(a.code(), a.nameSv()));
        return names;
    }

    /** Audience names in the module's order; an audience the caller may not see is left out. */
    private static List<String> namesOf(List<String> codes, Map<String, String> names) {
        return codes.stream().map(names::get).filter(Objects::nonNull).toList();
    }

    private static int pageNumber(String number) {
        if (!number.matches("\\d{1,4}")) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "Sidan finns inte.");
        }
        return Integer.parseInt(number);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static @Nullable String code(@Nullable String value) {
        String stripped = blankToNull(value);
        return stripped == null ? null : stripped.toUpperCase(Locale.ROOT);
    }

    private static String shortened(String text) {
        return text.length() <= GOAL_LABEL ? text : text.substring(0, GOAL_LABEL).strip() + "…";
    }

    private static HttpStatusException noSuchModule() {
        return new HttpStatusException(HttpStatus.NOT_FOUND, "Modulen finns inte.");
    }
}
