package se.kompetensmal.catalog;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.learning.ModuleVersions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue as learners and coordinators use it: searching and filtering give exactly the modules of the shipped
 * {@code courses/} folder that match (derived here from the folder itself, and a few checked by hand), goals are shown
 * with their text, a module's pages can be read from the catalogue as the learner sees them, the external module offers
 * its launch link instead of pages and questions, bad query values get a Swedish answer, and the learner's side shows
 * names: audience names on the start page and the module's title on its certificate.
 *
 * <p>Facts from {@code courses/} that the hand-written expectations rest on: three modules are for politicians
 * ({@code folja-upp-och-lara}, {@code politikerns-ansvar}, {@code riskmedvetenhet-och-beredskap}); goal LIC-06 is covered
 * by {@code sakerhetskultur-och-risker} and {@code utreda-handelser}; only {@code basala-hygienrutiner} speaks of hygiene;
 * {@code saker-vard-nationell} is the one external module, launched at https://utbildning.socialstyrelsen.se/.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CataloguePagesTest extends ServiceTest {

    private static final Pattern LISTED = Pattern.compile("<h3><a href=\"/katalog/moduler/([^\"]+)\">");

    private final CourseContent shipped = CourseContentReader.read(Path.of("courses"), CourseContentReaderTest.AUDIENCES);
    private final Set<String> shippedCodes = shipped.modules().stream().map(CourseContent.Module::code).collect(Collectors.toSet());
    private final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    @Inject
    ModuleVersions versions;

    @Inject
    Completions completions;

    private long unit;
    private long nurse;
    private String nurseSession;
    private String coordinatorSession;

    @BeforeAll
    void aNurseAndACoordinator() {
        String p = "KAT" + System.nanoTime();
        long region = tree.add(p, "Region K", OrgNodeKind.REGION, null).id();
        unit = tree.add(p + "-E", "Avdelning 7", OrgNodeKind.UNIT, region).id();
        nurse = people.create(PersonFixture.hsaPrefix() + "1", "Sara", "Sjuksköterska", null, unit, today.minusYears(2),
                today.minusYears(2), "LICENSED", "NON_LICENSED");
        nurseSession = users.token(users.account(p + "-sara", nurse, Role.LEARNER, unit));
        coordinatorSession = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
    }

    @Test
    void withoutFiltersEveryShippedModuleIsListedWithItsAudiencesByName() {
        String page = get("/katalog", coordinatorSession);

        assertEquals(shippedCodes, listed(page));
        String listing = listing(page);
        assertTrue(listing.contains("Målgrupper: Politiker, förtroendevalda") || listing.contains(", Politiker, förtroendevalda"),
                "audiences by name: " + listing);
        assertFalse(listing.contains("POLITICIAN"), "no audience codes in the listing");
        // Other tests may have loaded modules of their own: the count is of every module listed.
        long all = LISTED.matcher(listing).results().count();
        assertTrue(page.contains(all + " moduler i katalogen."), "the count is shown");
    }

    @Test
    void searchAndFiltersGiveTheModulesOfTheCoursesThatMatch() {
        // By hand, from the course folder.
        assertEquals(Set.of("folja-upp-och-lara", "politikerns-ansvar", "riskmedvetenhet-och-beredskap"),
                listed(get("/katalog?malgrupp=POLITICIAN", coordinatorSession)));
        assertEquals(Set.of("sakerhetskultur-och-risker", "utreda-handelser"), listed(get("/katalog?mal=LIC-06", coordinatorSession)));
        assertEquals(Set.of("basala-hygienrutiner"), listed(get("/katalog?sok=hygien", coordinatorSession)));

        // Derived from the course folder, for every audience, area and a few words.
        for (String audience : CourseContentReaderTest.AUDIENCES) {
            assertEquals(expected(m -> m.audiences().contains(audience)),
                    listed(get("/katalog?malgrupp=" + audience, coordinatorSession)), audience);
        }
        for (GoalArea area : GoalArea.values()) {
            Set<String> goalsOfArea = shipped.goals().stream().filter(g -> g.area() == area).map(CourseContent.Goal::code)
                    .collect(Collectors.toSet());
            assertEquals(expected(m -> m.goals().stream().anyMatch(goalsOfArea::contains)),
                    listed(get("/katalog?omrade=" + area.name(), coordinatorSession)), area.name());
        }
        for (String word : List.of("SBAR", "lex Maria", "journalgranskning", "beredskap")) {
            Set<String> found = expected(m -> mentions(m, word));
            assertFalse(found.isEmpty(), "the courses speak of " + word);
            assertEquals(found, listed(get("/katalog?sok=" + encode(word), coordinatorSession)), word);
        }
        // All filters at once narrow the list down.
        assertEquals(expected(m -> m.audiences().contains("NON_LICENSED") && mentions(m, "SBAR")),
                listed(get("/katalog?malgrupp=NON_LICENSED&sok=SBAR&omrade=&mal=", coordinatorSession)));
        String chosen = get("/katalog?malgrupp=POLITICIAN", coordinatorSession);
        assertTrue(chosen.contains("3 moduler matchar sökningen."), "the count of what matched");
        assertTrue(chosen.contains("<option value=\"POLITICIAN\" selected>Politiker, förtroendevalda</option>"),
                "the form keeps the choice");
        // Wildcards typed are taken literally.
        assertEquals(Set.of(), listed(get("/katalog?sok=" + encode("%_%"), coordinatorSession)));
    }

    @Test
    void goalsAreShownWithTheirText() {
        CourseContent.Goal lic07 = goal("LIC-07");
        String catalogue = unescape(get("/katalog?mal=LIC-07", coordinatorSession));
        assertTrue(catalogue.contains("<code>LIC-07</code> – " + lic07.textSv()), "goal code with its text in the catalogue");
        String module = unescape(get("/katalog/moduler/sakerhetskultur-och-risker", nurseSession));
        for (String code : module("sakerhetskultur-och-risker").goals()) {
            assertTrue(module.contains("<code>" + code + "</code> – " + goal(code).textSv()), code + " with its text");
        }
    }

    @Test
    void aModulesPageListsItsPagesAndEachCanBeReadAsTheLearnerSeesIt() {
        String code = "sakerhetskultur-och-risker";
        CourseContent.Module module = module(code);
        String page = unescape(get("/katalog/moduler/" + code, nurseSession));

        assertTrue(page.contains("<h1>" + module.title() + "</h1>"), page);
        assertTrue(page.contains(module.pages().size() + " sidor och ett prov med " + module.questions().size() + " frågor"), page);
        assertTrue(page.contains("Legitimerad hälso- och sjukvårdspersonal, Verksamhetsnära chefer"), "audiences by name");
        for (int n = 1; n <= module.pages().size(); n++) {
            assertTrue(page.contains("<a href=\"/katalog/moduler/" + code + "/sida/" + n + "\">" + module.pages().get(n - 1).title() + "</a>"),
                    "page " + n + " listed");
        }
        assertTrue(page.contains("<a class=\"button\" href=\"/utbildning/" + code + "\">Starta modulen</a>"),
                "a nurse may start a module meant for nurses");

        ModuleVersions.Version learnerSees = versions.latest(code, "sv").orElseThrow();
        for (int n = 1; n <= module.pages().size(); n++) {
            String read = get("/katalog/moduler/" + code + "/sida/" + n, nurseSession);
            assertTrue(read.contains(learnerSees.pages().get(n - 1).html()), "page " + n + " rendered as for the learner");
            assertTrue(read.contains("Sida " + n + " av " + module.pages().size()), read);
        }
        assertEquals(0, sql.number("SELECT COUNT(*) FROM module_progress WHERE person_id = ?", nurse),
                "reading in the catalogue is not taking the module");

        String notForNurses = get("/katalog/moduler/politikerns-ansvar", nurseSession);
        assertFalse(notForNurses.contains("Starta modulen"), "no start for a module not meant for her");
        assertFalse(get("/katalog/moduler/" + code, coordinatorSession).contains("Starta modulen"), "nor for someone not in the roster");
    }

    @Test
    void theExternalModuleOffersItsLaunchInsteadOfPagesAndQuestions() {
        CourseContent.Module external = shipped.modules().stream().filter(m -> m.external() != null).findFirst().orElseThrow();
        String page = unescape(get("/katalog/moduler/" + external.code(), nurseSession));

        assertTrue(page.contains("<a class=\"button\" href=\"" + external.external().launchUrl()
                + "\" rel=\"external noopener\">Öppna utbildningen hos utbildning.socialstyrelsen.se</a>"), page);
        assertTrue(page.contains("rapporteras det hit"), "says that the completion is reported back");
        assertFalse(page.contains("frågor"), "no questions: " + page);
        assertFalse(page.contains("Godkänt från"), page);
        assertFalse(page.contains("id=\"sidor\""), "no empty list of pages");
        assertEquals(HttpStatus.NOT_FOUND, status("/katalog/moduler/" + external.code() + "/sida/1"));
        assertTrue(listing(get("/katalog?sok=" + encode("nationell webbutbildning"), nurseSession))
                .contains("genomförs hos utbildning.socialstyrelsen.se"), "the listing says where it is taken");
    }

    @Test
    void badQueryValuesAreAnsweredInSwedish() {
        HttpClientResponseException refused = refused("/katalog?malgrupp=FINNS_INTE&omrade=NOWHERE&mal=XX-99");
        assertEquals(HttpStatus.BAD_REQUEST, refused.getStatus());
        String page = refused.getResponse().getBody(String.class).orElseThrow();
        for (String message : List.of("Det finns ingen målgrupp med koden FINNS_INTE.", "Området finns inte.",
                "Det finns inget kompetensmål med koden XX-99.")) {
            assertTrue(page.contains(message), message + ": " + page);
        }
        assertEquals(shippedCodes, listed(page), "what could not be understood is left out of the search");
        HttpClientResponseException tooLong = refused("/katalog?sok=" + "a".repeat(101));
        assertEquals(HttpStatus.BAD_REQUEST, tooLong.getStatus());
        String longPage = tooLong.getResponse().getBody(String.class).orElseThrow();
        assertTrue(longPage.contains("Sökordet får vara högst 100 tecken."), longPage);
        assertTrue(longPage.contains("value=\"" + "a".repeat(101) + "\""), "what was typed is kept");

        for (String path : List.of("/katalog/moduler/basala-hygienrutiner/sida/abc", "/katalog/moduler/basala-hygienrutiner/sida/99",
                "/katalog/moduler/finns-inte", "/katalog/moduler/basala-hygienrutiner/sida/0")) {
            HttpClientResponseException missing = refused(path);
            assertEquals(HttpStatus.NOT_FOUND, missing.getStatus(), path);
            String body = missing.getResponse().getBody(String.class).orElse("");
            assertFalse(body.contains("Failed to convert"), body);
            assertTrue(body.contains("Sidan finns inte"), body);
        }
    }

    @Test
    void theStartPageNamesTheLearnersAudiences() {
        String home = get("/", nurseSession);
        String details = home.substring(home.indexOf("<dl class=\"facts\">"));
        assertTrue(details.contains("Legitimerad hälso- och sjukvårdspersonal, Icke legitimerad vårdnära hälso- och sjukvårdspersonal"),
                details);
        assertFalse(details.contains("LICENSED"), "no audience codes: " + details);
    }

    @Test
    void theCertificateNamesTheModuleByTitleAndItsFileSaysWhatItHolds() throws IOException {
        String code = "vardskador-grunder";
        CourseContent.Module module = module(code);
        long version = sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", code);
        long completion = completions.record(nurse, version, today, 90, 900, Completions.Source.INTERNAL);

        HttpResponse<byte[]> pdf = http.toBlocking().exchange(HttpRequest.GET("/min-utbildning/intyg/" + completion)
                .cookie(Cookie.of("JWT", nurseSession)), byte[].class);

        assertEquals("attachment; filename=\"intyg-vardskador-och-patientsakerhet-grunderna-" + today + ".pdf\"",
                pdf.getHeaders().get("Content-Disposition"));
        String text;
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
        assertTrue(text.contains(module.title()), text);
        assertFalse(text.contains(code), "no module code on the certificate: " + text);
        for (String goal : module.goals()) {
            String firstWords = String.join(" ", List.of(goal(goal).textSv().split(" ")).subList(0, 4));
            assertTrue(text.contains(goal + " – " + firstWords), goal + " with its text: " + text);
        }
    }

    private Set<String> expected(Predicate<CourseContent.Module> matches) {
        return shipped.modules().stream().filter(matches).map(CourseContent.Module::code).collect(Collectors.toCollection(TreeSet::new));
    }

    /** As the search means it: the words in the title, summary, a page title, or a goal's code or text, in any case. */
    private boolean mentions(CourseContent.Module module, String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return module.title().toLowerCase(Locale.ROOT).contains(w) || module.summary().toLowerCase(Locale.ROOT).contains(w)
                || module.pages().stream().anyMatch(p -> p.title().toLowerCase(Locale.ROOT).contains(w))
                || module.goals().stream().map(this::goal).anyMatch(g -> g.code().toLowerCase(Locale.ROOT).contains(w)
                        || g.textSv().toLowerCase(Locale.ROOT).contains(w));
    }

    private CourseContent.Module module(String code) {
        return shipped.modules().stream().filter(m -> m.code().equals(code)).findFirst().orElseThrow();
    }

    private CourseContent.Goal goal(String code) {
        return shipped.goals().stream().filter(g -> g.code().equals(code)).findFirst().orElseThrow();
    }

    /** The shipped modules the listing shows (other tests may load modules of their own into the same database). */
    private Set<String> listed(String page) {
        Matcher m = LISTED.matcher(listing(page));
        Set<String> codes = new TreeSet<>();
        while (m.find()) {
            codes.add(m.group(1));
        }
        codes.retainAll(shippedCodes);
        return codes;
    }

    private static String listing(String page) {
        int from = page.indexOf("<h2 id=\"moduler\">");
        int to = page.indexOf("<h2>Kompetensmål per målgrupp</h2>");
        assertTrue(from >= 0 && to > from, page);
        return page.substring(from, to);
    }

    private String get(String path, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET(path).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
    }

    private HttpClientResponseException refused(String path) {
        try {
            get(path, coordinatorSession);
        } catch (HttpClientResponseException e) {
            return e;
        }
        throw new AssertionError(path + " was answered with 200");
    }

    private HttpStatus status(String path) {
        return refused(path).getStatus();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The page's text with the entities Handlebars writes for quotes and equals signs turned back. */
    private static String unescape(String html) {
        return html.replace("&#x27;", "'").replace("&quot;", "\"").replace("&#x3D;", "=").replace("&#x60;", "`")
                .replace("&#39;", "'").replace("&#61;", "=");
    }
}
