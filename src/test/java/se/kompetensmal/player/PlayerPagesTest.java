package se.kompetensmal.player;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.HttpCalls;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.packages.PackageMetadata;
import se.kompetensmal.packages.TestPackages;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The player's pages over HTTP: the module's page offers Starta, then Fortsätt; the player frames the runtime frame on
 * the package origin with a token of the learner's attempt; the frame page and the adapter are served there only, the
 * frame page with no inline script and the main origin as the only one it talks to; what is not the learner's or not a
 * package answers as unknown; a new attempt needs the form's CSRF token.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlayerPagesTest extends ServiceTest {

    private static final Pattern FRAME = Pattern.compile("<iframe id=\"spelare\"[^>]* src=\"([^\"]+)\"");

    @Inject
    EmbeddedServer server;

    @Inject
    ApplicationContext context;

    private String code;
    private String editorModule;
    private long unit;
    private String learnerCookie;
    private long learner;
    private String p;

    @BeforeAll
    void aPackageAndALearner() {
        String p = "PPT" + System.nanoTime();
        unit = tree.add(p, "Enhet Spelsidor", OrgNodeKind.UNIT, null).id();
        code = (p + "-paket").toLowerCase();
        TestPackages.publish(context, TestPackages.scorm12(p + "-manifest", TestPackages.files(
                        "index.html", TestPackages.page("Första delen"))), unit,
                new PackageMetadata("Spelsidornas paket", code, List.of(TestPackages.AUDIENCE), List.of(TestPackages.GOAL), 10, null));
        editorModule = sql.strings("""
                SELECT cm.code FROM catalogue_module cm WHERE cm.source <> 'PACKAGE' AND cm.owner_org_id IS NULL
                ORDER BY cm.code LIMIT 1""").get(0);
        this.p = p;
    }

    /** A learner of the package's unit, signed in (each test its own, since opening the player starts an attempt). */
    private void learner(String suffix) {
        learner = people.create(p + "-" + suffix, "Pia", "Spelsida", null, unit, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 1),
                TestPackages.AUDIENCE);
        String username = (p + "-larare-" + suffix).toLowerCase();
        users.account(username, learner, null, null);
        learnerCookie = users.signIn(username, TestUsers.PASSWORD);
    }

    private String main() {
        return "http://localhost:" + server.getPort();
    }

    private String packageOrigin() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private static HttpResponse<String> get(String url, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html, */*;q=0.8");
        if (cookie != null) {
            request.header("Cookie", "JWT=" + cookie);
        }
        return HttpCalls.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) {
        return HttpCalls.send(HttpRequest.newBuilder(URI.create(main() + path)).header("Accept", "text/html")
                .header("Cookie", "JWT=" + learnerCookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theCataloguePageOfAPackageSaysItIsPlayedHereAndListsNoPagesOrAssessment() {
        learner("katalog");
        String page = get(main() + "/katalog/moduler/" + code, learnerCookie).body();
        assertTrue(page.contains("Ett e-learningpaket (SCORM) som spelas här i Kompetensmål"), page);
        assertFalse(page.contains("0 sidor"), "a package has no pages or assessment of ours: " + page);
        assertFalse(page.contains("Godkänt från"), page);
        assertFalse(page.contains("id=\"sidor\""), page);
        assertTrue(page.contains("href=\"/utbildning/" + code + "\">Starta modulen</a>"), page);
    }

    @Test
    void theLearnerStartsFromTheModulesPageAndThePlayerFramesTheRuntimeOnThePackageOrigin() {
        learner("1");
        String start = get(main() + "/utbildning/" + code, learnerCookie).body();
        assertTrue(start.contains("<a class=\"button\" href=\"/utbildning/" + code + "/spela\">Starta</a>"), start);
        assertFalse(start.contains("/sida/1"), "a package has no pages of ours: " + start);

        HttpResponse<String> player = get(main() + "/utbildning/" + code + "/spela", learnerCookie);
        assertEquals(200, player.statusCode(), player.body());
        assertTrue(player.body().contains("<h1>Spelsidornas paket</h1>"), player.body());
        assertTrue(player.body().contains("<script src=\"/static/scorm-player.js\"></script>"), player.body());
        long item = sql.number("SELECT i.id FROM package_item i JOIN module_version m ON m.id = i.module_version_id WHERE m.module_code = ?",
                code);
        Matcher frame = FRAME.matcher(player.body());
        assertTrue(frame.find(), player.body());
        String frameUrl = frame.group(1);
        assertTrue(frameUrl.matches(Pattern.quote(packageOrigin()) + "/scorm-innehall/[A-Za-z0-9_-]{20,}/kor/" + item), frameUrl);
        assertEquals(1, sql.number("SELECT COUNT(*) FROM scorm_attempt WHERE person_id = ? AND module_code = ? AND status = 'OPEN'",
                learner, code), "the player started an attempt");

        // The runtime frame: the adapter and the SCO's frame, settings in data attributes, no inline script.
        HttpResponse<String> runtime = get(frameUrl, null);
        assertEquals(200, runtime.statusCode(), runtime.body());
        String html = runtime.body();
        String token = frameUrl.replaceFirst(".*/scorm-innehall/([^/]+)/kor/.*", "$1");
        assertTrue(html.contains("data-anrop=\"/scorm-innehall/" + token + "/anrop\""), html);
        assertTrue(html.contains("data-edition=\"1.2\""), html);
        // GetErrorString answers from the Java runtime's table for the edition, handed to the adapter by the page.
        assertTrue(html.contains("&quot;301&quot;:&quot;Not initialized&quot;"), html);
        assertTrue(html.contains("data-player-origin=\"" + main() + "\""), html);
        assertTrue(html.contains("<script src=\"/scorm-innehall/runtime.js\"></script>"), html);
        assertFalse(html.replace("<script src=\"/scorm-innehall/runtime.js\"></script>", "").contains("<script"), html);
        assertTrue(html.contains("src=\"/scorm-innehall/" + token + "/filer/index.html\""), html);
        assertTrue(runtime.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'self' " + main()),
                runtime.headers().toString());
        assertEquals(200, get(packageOrigin() + "/scorm-innehall/" + token + "/filer/index.html", null).statusCode());

        HttpResponse<String> adapter = get(packageOrigin() + "/scorm-innehall/runtime.js", null);
        assertEquals(200, adapter.statusCode());
        assertTrue(adapter.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"), adapter.headers().toString());
        assertTrue(adapter.body().contains("window.API_1484_11"), "the adapter of both editions");

        // Only on the package origin, only with a good token, only the attempt's own items.
        assertEquals(404, get(main() + "/scorm-innehall/runtime.js", learnerCookie).statusCode());
        assertEquals(404, get(main() + "/scorm-innehall/" + token + "/kor/" + item, learnerCookie).statusCode());
        assertEquals(404, get(packageOrigin() + "/scorm-innehall/" + "x".repeat(43) + "/kor/" + item, null).statusCode());
        long otherItem = sql.number("SELECT MAX(id) FROM package_item WHERE id <> ?", item);
        if (otherItem > 0) {
            assertEquals(404, get(packageOrigin() + "/scorm-innehall/" + token + "/kor/" + otherItem, null).statusCode(),
                    "an item of another package");
        }

        // Back on the module's page the learner continues; Min utbildning marks the module started.
        assertTrue(get(main() + "/utbildning/" + code, learnerCookie).body().contains(">Fortsätt</a>"));
        sql.update("""
                INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by)
                VALUES (?, ?, 1, 'MANUAL', ?, 'test')""", learner, code, LocalDate.now().plusDays(30));
        String home = get(main() + "/", learnerCookie).body();
        assertTrue(home.contains("<a href=\"/utbildning/" + code + "\">Spelsidornas paket</a> <span class=\"tag\">Påbörjad</span>"), home);
    }

    @Test
    void whatIsNotAPackageOrNotTheLearnersAnswersAsUnknownAndANewAttemptNeedsTheFormsToken() {
        learner("2");
        assertEquals(404, get(main() + "/utbildning/" + editorModule + "/spela", learnerCookie).statusCode(),
                "a module of pages is not played");
        assertEquals(404, get(main() + "/utbildning/" + code + "/sida/1", learnerCookie).statusCode(), "a package has no pages");
        assertEquals(404, get(main() + "/utbildning/" + code + "/prov", learnerCookie).statusCode(), "nor an assessment");
        assertEquals(404, get(main() + "/utbildning/ingen-sadan-modul/spela", learnerCookie).statusCode());

        String elsewhere = "PPX" + System.nanoTime();
        long otherUnit = tree.add(elsewhere, "Enhet Annanstans", OrgNodeKind.UNIT, null).id();
        long stranger = people.create(elsewhere + "-1", "Ola", "Annan", null, otherUnit, LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 1, 1), TestPackages.AUDIENCE);
        String strangerName = (elsewhere + "-annan").toLowerCase();
        users.account(strangerName, stranger, null, null);
        assertEquals(404, get(main() + "/utbildning/" + code + "/spela", users.signIn(strangerName, TestUsers.PASSWORD))
                .statusCode(), "another unit's own package is not there for others");

        String page = get(main() + "/utbildning/" + code + "/spela", learnerCookie).body();
        long before = sql.number("SELECT COUNT(*) FROM scorm_attempt WHERE person_id = ? AND module_code = ?", learner, code);
        assertEquals(403, post("/utbildning/" + code + "/spela/nytt-forsok", "csrfToken=fel").statusCode());
        HttpResponse<String> again = post("/utbildning/" + code + "/spela/nytt-forsok",
                "csrfToken=" + URLEncoder.encode(TestUsers.csrfTokenOf(page), StandardCharsets.UTF_8));
        assertEquals(303, again.statusCode());
        assertEquals("/utbildning/" + code + "/spela", again.headers().firstValue("Location").orElse(""));
        assertEquals(before, sql.number("SELECT COUNT(*) FROM scorm_attempt WHERE person_id = ? AND module_code = ?", learner, code),
                "no new attempt while one is open");
    }

    @Test
    void aFailedAttemptIsShownForReviewAndANewAttemptStartsAfresh() {
        learner("3");
        String page = get(main() + "/utbildning/" + code + "/spela", learnerCookie).body();
        Matcher frame = FRAME.matcher(page);
        assertTrue(frame.find(), page);
        String token = frame.group(1).replaceFirst(".*/scorm-innehall/([^/]+)/kor/.*", "$1");
        long item = Long.parseLong(frame.group(1).replaceFirst(".*/kor/", ""));
        PackagePlayer sco = new PackagePlayer(packageOrigin(), token, item);
        sco.initialize();
        sco.set("cmi.core.score.raw", "20");
        sco.set("cmi.core.lesson_status", "failed");
        sco.terminate();
        assertEquals(List.of("FAILED"), sql.strings("SELECT status FROM scorm_attempt WHERE person_id = ? AND module_code = ?",
                learner, code));

        String review = get(main() + "/utbildning/" + code + "/spela", learnerCookie).body();
        assertTrue(review.contains("Du blev inte godkänd den här gången. Du kan göra ett nytt försök."), review);
        assertTrue(review.contains("Du ser ett försök som är avslutat. Det du gör nu sparas inte."), review);
        assertFalse(review.contains("<p class=\"notice\">Du har genomfört modulen."), review);
        assertTrue(get(main() + "/utbildning/" + code, learnerCookie).body().contains(">Starta</a>"),
                "an ended attempt is not continued");
        assertEquals(1, sql.number("SELECT COUNT(*) FROM scorm_runtime_token t JOIN scorm_attempt a ON a.id = t.attempt_id "
                + "WHERE a.person_id = ? AND t.review = TRUE", learner), "the ended attempt is opened for review only");

        HttpResponse<String> again = post("/utbildning/" + code + "/spela/nytt-forsok",
                "csrfToken=" + URLEncoder.encode(TestUsers.csrfTokenOf(review), StandardCharsets.UTF_8));
        assertEquals(303, again.statusCode());
        assertEquals(List.of("FAILED", "OPEN"), sql.strings(
                "SELECT status FROM scorm_attempt WHERE person_id = ? AND module_code = ? ORDER BY id", learner, code),
                "the failed attempt is kept beside the new one");
        assertTrue(get(main() + "/utbildning/" + code, learnerCookie).body().contains(">Fortsätt</a>"), "the new attempt goes on");
        String fresh = get(main() + "/utbildning/" + code + "/spela", learnerCookie).body();
        assertFalse(fresh.contains("Gör ett nytt försök"), fresh);
        assertEquals(0, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", learner), "no completion from a failure");
    }
}
