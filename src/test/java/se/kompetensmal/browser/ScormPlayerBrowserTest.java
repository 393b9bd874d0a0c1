package se.kompetensmal.browser;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.Waiting;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.packages.PackageMetadata;
import se.kompetensmal.packages.TestPackages;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser, three packages built in the test and played in the player by their own JavaScript (see
 * {@link ScoPackages}): a single-SCO SCORM 1.2 package with a mastery score, a single-SCO SCORM 2004 package with a
 * scaled passing score, and a SCORM 2004 package of three SCOs that rolls up by the default rules, moved through by
 * choice and flow (the SCO's own navigation requests, the player's Föregående/Nästa and its table of contents) and
 * resumed at the part still to do. Each learner starts from the module's page, pages through, leaves a bookmark and
 * suspend data, reloads (and signs out and in), finds both restored, and completes; the completion is recorded once although the page is reloaded twice right
 * after the commit (each reload finishes the SCO in its unload handler while the next page starts it again), and Min
 * utbildning lists the module as done. On the way the SCOs do what real packages do: read elements before setting them,
 * keep 5,000 (1.2) and 60,000 (2004) characters of suspend data, finish in their unload handler (sent with keepalive
 * while the page goes), finish twice and commit after finishing (false with errors 113 and 143); a connection lost
 * mid-way is shown to the learner and what was queued is sent when it is back. The player page is axe-clean (frames
 * included) at 1280 and 390 px. A last test
 * runs the package's script against the main origin: it cannot call the API as the learner nor read the session cookie.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScormPlayerBrowserTest extends ServiceTest {

    private static final String AUDIENCE = "LICENSED";

    @Inject
    EmbeddedServer server;

    @Inject
    ApplicationContext context;

    private final PageVisits pages = new PageVisits("scorm-player");
    private String p;
    private long unit;
    private String base;
    /** One browser for the class (a new one per test costs seconds); each test signs in as its own learner. */
    private Browser browser;

    @BeforeAll
    void organisation() {
        p = "SPB" + System.nanoTime();
        long region = tree.add(p, "Region Paketland", OrgNodeKind.REGION, null).id();
        unit = tree.add(p + "-E", "Avdelning Spelaren", OrgNodeKind.UNIT, region).id();
        // The main origin by the host name of the public address; the package origin is the other loopback name.
        base = server.getURL().toString().replaceFirst("/$", "").replace("127.0.0.1", "localhost");
        browser = new Browser();
    }

    /** The shared browser, signed out, then signed in as the learner. */
    private Browser signedIn(Learner learner) {
        WebDriver driver = browser.driver();
        driver.switchTo().defaultContent();
        browser.open(base + "/login");
        driver.manage().deleteAllCookies();
        browser.signIn(base, learner.username(), TestUsers.PASSWORD);
        return browser;
    }

    /** A learner of the unit, with an account and the module assigned (so that Min utbildning lists it). */
    private Learner learner(String suffix, String code) {
        String hsa = p + "-" + suffix;
        long person = people.create(hsa, "Sara", "Spelare " + suffix, null, unit, LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 1, 1), AUDIENCE);
        String username = (p + "-" + suffix).toLowerCase();
        users.account(username, person, null, null);
        sql.update("""
                INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by)
                VALUES (?, ?, 1, 'MANUAL', ?, 'test')""", person, code, LocalDate.now(SwedishTime.ZONE).plusDays(30));
        return new Learner(person, username);
    }

    record Learner(long person, String username) {
    }

    /** Published as the upload page does, owned by the learners' unit. */
    private String publish(byte[] zip, String code, String title) {
        return TestPackages.publish(context, zip, unit, new PackageMetadata(title, code, List.of(AUDIENCE),
                List.of(TestPackages.GOAL), 15, "Ett paket som testet har byggt.")).moduleCode();
    }

    @Test
    void aScorm12PackageWithAMasteryScoreIsResumedAndPassedOnce() throws Exception {
        String code = (p + "-tolv").toLowerCase();
        String title = "Brandskydd (SCORM 1.2)";
        publish(ScoPackages.scorm12(p + "-manifest-12", title,
                new ScoPackages.Sco("brand", "Brandskydd i praktiken", 3, "85", 5000), 80), code, title);
        Learner learner = learner("a", code);
        {
            Browser browser = signedIn(learner);
            WebDriver driver = browser.driver();
            browser.open(base + "/utbildning/" + code);
            browser.waitForHeading(title);
            browser.clickLink("Starta");
            browser.waitForHeading(title);
            assertTrue(driver.getCurrentUrl().endsWith("/utbildning/" + code + "/spela"), driver.getCurrentUrl());
            assertTrue(driver.findElements(By.id("spelare-delar")).isEmpty(), "no table of contents for one SCO");

            enterSco(browser, "Redo");
            assertEquals("Sida 1 av 3", text(driver, "sida"));
            assertEquals("Ingång: ab-initio", text(driver, "ingang"));
            // Read before set: SCORM 1.2 answers an empty bookmark without an error.
            Map<String, Object> firstRead = call(driver, 1);
            assertEquals(List.of("GetValue", "cmi.core.lesson_location", "", "0"),
                    List.of(firstRead.get("method"), firstRead.get("element"), firstRead.get("result"), firstRead.get("error")));
            click(driver, "nasta", "Sparat på sida 2");
            click(driver, "nasta", "Sparat på sida 3");
            driver.switchTo().defaultContent();
            pages.visited(browser, "scorm12-player-1280");

            // Reloaded: the SCO is finished by its unload handler and starts again where it was, suspend data and all.
            browser.navigate(() -> driver.navigate().refresh());
            enterSco(browser, "Redo");
            assertEquals("Sida 3 av 3", text(driver, "sida"));
            assertEquals("Ingång: resume", text(driver, "ingang"));
            assertTrue(text(driver, "sparat").startsWith("Sparat: 5000 tecken, början: sida=3;"), text(driver, "sparat"));

            // Signed out and in again, the module's page offers to continue and the player resumes.
            driver.switchTo().defaultContent();
            browser.navigate(() -> driver.findElement(By.cssSelector("form[action='/logout'] button[type=submit]")).click());
            browser.signIn(base, learner.username(), TestUsers.PASSWORD);
            browser.open(base + "/utbildning/" + code);
            browser.waitForHeading(title);
            browser.clickLink("Fortsätt");
            enterSco(browser, "Redo");
            assertEquals("Sida 3 av 3", text(driver, "sida"));

            completeAndReloadTwice(browser, "klar");
            awaitOneCompletion(learner, code, 85, "COMPLETED");
            assertEquals(List.of("passed"), sql.strings("""
                    SELECT s.success_status FROM scorm_sco_state s JOIN scorm_attempt a ON a.id = s.attempt_id
                    WHERE a.person_id = ? AND a.module_code = ?""", learner.person(), code),
                    "85 against a mastery score of 80 passes");
            doneInMyTraining(browser, title);
        }
    }

    @Test
    void aScorm2004PackageWithAPassingScoreKeepsLongSuspendDataAndFollowsTheStandardOnOddCalls() throws Exception {
        String code = (p + "-tjugo").toLowerCase();
        String title = "Läkemedelshantering (SCORM 2004)";
        publish(ScoPackages.scorm2004(p + "-manifest-2004", title,
                List.of(new ScoPackages.Sco("lakemedel", "Läkemedel steg för steg", 2, "0.9", 60000)), "0.7"), code, title);
        Learner learner = learner("b", code);
        {
            Browser browser = signedIn(learner);
            WebDriver driver = browser.driver();
            browser.open(base + "/utbildning/" + code + "/spela");
            enterSco(browser, "Redo");
            // Read before set: SCORM 2004 answers the unset bookmark with error 403.
            Map<String, Object> firstRead = call(driver, 1);
            assertEquals(List.of("cmi.location", "", "403"),
                    List.of(firstRead.get("element"), firstRead.get("result"), firstRead.get("error")));

            // The connection is lost while the learner goes on: the SCO is not stopped, the learner is told, and what
            // was queued is sent when the connection is back.
            ((JavascriptExecutor) driver).executeScript("""
                    const frame = window.parent;
                    const send = frame.XMLHttpRequest.prototype.send;
                    const fetch = frame.fetch;
                    frame.offline = true;
                    frame.XMLHttpRequest.prototype.send = function (body) {
                      if (frame.offline) { throw new frame.DOMException('offline', 'NetworkError'); }
                      return send.call(this, body);
                    };
                    frame.fetch = function (...args) {
                      return frame.offline ? Promise.reject(new TypeError('offline')) : fetch.apply(frame, args);
                    };""");
            click(driver, "nasta", "Sparat på sida 2");
            driver.switchTo().defaultContent();
            browser.waitUntil(ExpectedConditions.textToBe(By.id("spelare-fel"),
                    "Kontakten med Kompetensmål bröts. Det du har gjort sparas så snart kontakten är tillbaka – stäng inte sidan."),
                    "the learner told that the connection is lost");
            assertEquals(List.of(), locations(learner, code), "nothing stored while the connection is lost");
            browser.waitUntil(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("spelare")), "the runtime frame");
            ((JavascriptExecutor) driver).executeScript("window.offline = false;");
            driver.switchTo().defaultContent();
            browser.waitUntil(ExpectedConditions.textToBe(By.id("spelare-status"), "Kontakten är tillbaka och allt är sparat."),
                    "the learner told that everything is saved");
            assertEquals("", driver.findElement(By.id("spelare-fel")).getText());
            assertEquals(List.of("sida-2"), locations(learner, code), "the queued calls applied when the connection came back");

            browser.navigate(() -> { driver.switchTo().defaultContent(); driver.navigate().refresh(); });
            enterSco(browser, "Redo");
            assertEquals("Sida 2 av 2", text(driver, "sida"));
            assertTrue(text(driver, "sparat").startsWith("Sparat: 60000 tecken"), text(driver, "sparat"));

            click(driver, "klar", "Klar");
            // Finish, finish again, commit after finishing: false with the standard's codes, nothing thrown.
            click(driver, "avsluta", "Avslutad");
            List<Map<String, Object>> log = log(driver);
            Map<String, Object> secondTerminate = log.get(log.size() - 2);
            Map<String, Object> lateCommit = log.get(log.size() - 1);
            assertEquals(List.of("Terminate", "false", "113"),
                    List.of(secondTerminate.get("method"), secondTerminate.get("result"), secondTerminate.get("error")));
            assertEquals(List.of("Commit", "false", "143"),
                    List.of(lateCommit.get("method"), lateCommit.get("result"), lateCommit.get("error")));
            awaitOneCompletion(learner, code, 90, "COMPLETED");

            driver.switchTo().defaultContent();
            browser.navigate(() -> driver.navigate().refresh());
            assertTrue(browser.text().contains("Du har genomfört modulen."), browser.text());
            doneInMyTraining(browser, title);

            // A new attempt starts afresh; the completed one and its completion stay.
            browser.open(base + "/utbildning/" + code + "/spela");
            browser.navigate(() -> driver.findElement(By.xpath("//button[normalize-space()='Gör ett nytt försök']")).click());
            enterSco(browser, "Redo");
            assertEquals("Sida 1 av 2", text(driver, "sida"));
            assertEquals("Ingång: ab-initio", text(driver, "ingang"));
            driver.switchTo().defaultContent();
            assertEquals(List.of("COMPLETED", "OPEN"), sql.strings(
                    "SELECT status FROM scorm_attempt WHERE person_id = ? AND module_code = ? ORDER BY id", learner.person(), code));
            assertEquals(1, completions(learner, code));
        }
    }

    @Test
    void aMultiScoPackageIsMovedThroughByChoiceAndFlowAndRollsUpWhenEverySCOIsDone() throws Exception {
        String code = (p + "-flera").toLowerCase();
        String title = "Vårdhygien i tre delar";
        List<ScoPackages.Sco> scos = List.of(new ScoPackages.Sco("del1", "Del 1: Händer", 1, "1", 0),
                new ScoPackages.Sco("del2", "Del 2: Kläder", 1, "0.5", 0),
                new ScoPackages.Sco("del3", "Del 3: Städning", 1, "0.75", 0));
        publish(ScoPackages.scorm2004(p + "-manifest-flera", title, scos, null), code, title);
        Learner learner = learner("c", code);
        {
            Browser browser = signedIn(learner);
            WebDriver driver = browser.driver();
            browser.open(base + "/utbildning/" + code);
            browser.clickLink("Starta");
            browser.waitForHeading(title);
            assertEquals(List.of("Del 1: Händer\nInte påbörjad", "Del 2: Kläder\nInte påbörjad", "Del 3: Städning\nInte påbörjad"),
                    contents(driver));
            visitedAtBothWidths(browser, "scorm2004-multi-player");

            // Part 1 done; its status shows in the table of contents as soon as the commit is answered.
            enterSco(browser, "Redo");
            assertEquals("Del 1: Händer", driver.findElement(By.tagName("h1")).getText());
            click(driver, "klar", "Klar");
            driver.switchTo().defaultContent();
            browser.waitUntil(d -> contents(d).get(0).endsWith("Klar"), "part 1 shown as done");
            // Flow: the SCO asks to continue; the player opens part 2.
            enterSco(browser, null);
            scoNavigates(browser, "vidare");
            enterSco(browser, "Redo");
            assertEquals("Del 2: Kläder", driver.findElement(By.tagName("h1")).getText());
            // Choice from inside the SCO: straight to part 3.
            scoNavigates(browser, "val-del3");
            enterSco(browser, "Redo");
            assertEquals("Del 3: Städning", driver.findElement(By.tagName("h1")).getText());
            click(driver, "klar", "Klar");
            // Flow by the player's own button back to part 2, and choice by the table of contents.
            driver.switchTo().defaultContent();
            browser.clickLink("← Föregående");
            enterSco(browser, "Redo");
            assertEquals("Del 2: Kläder", driver.findElement(By.tagName("h1")).getText());
            driver.switchTo().defaultContent();
            assertEquals(0, completions(learner, code), "not done before every SCO is");
            browser.clickLink("Del 1: Händer");
            enterSco(browser, "Redo");
            assertEquals("Del 1: Händer", driver.findElement(By.tagName("h1")).getText());
            driver.switchTo().defaultContent();
            assertEquals("Del 1: Händer\nKlar", contents(driver).get(0), "a done part opened again stays done");
            // Coming back without choosing, the player opens the part still to do.
            browser.open(base + "/utbildning/" + code + "/spela");
            enterSco(browser, "Redo");
            assertEquals("Del 2: Kläder", driver.findElement(By.tagName("h1")).getText());
            completeAndReloadTwice(browser, "klar");
            // The mean of the SCOs' scaled scores, as 0-100: (1 + 0.5 + 0.75) / 3 = 0.75.
            awaitOneCompletion(learner, code, 75, "COMPLETED");
            driver.switchTo().defaultContent();
            assertTrue(browser.text().contains("Du har genomfört modulen."), browser.text());
            assertEquals(List.of("Del 1: Händer\nKlar", "Del 2: Kläder\nKlar", "Del 3: Städning\nKlar"), contents(driver));
            doneInMyTraining(browser, title);
        }
    }

    @Test
    void thePackagesScriptCannotCallTheApiAsTheLearnerNorReadTheSessionCookie() throws Exception {
        String code = (p + "-sakerhet").toLowerCase();
        String title = "Paket som provar gränserna";
        publish(ScoPackages.scorm12(p + "-manifest-sakerhet", title,
                new ScoPackages.Sco("prov", "Provar gränserna", 1, "50", 0), 80), code, title);
        Learner learner = learner("d", code);
        {
            Browser browser = signedIn(learner);
            WebDriver driver = browser.driver();
            assertTrue(driver.manage().getCookieNamed("JWT") != null, "the learner is signed in on the main origin");
            browser.open(base + "/utbildning/" + code + "/spela");
            enterSco(browser, "Redo");
            @SuppressWarnings("unchecked")
            Map<String, Object> probe = (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const main = arguments[0];
                    const result = {cookie: document.cookie, origin: location.origin};
                    const attempt = (promise) => promise.then(r => 'status ' + r.status).catch(e => 'refused: ' + e.name);
                    let top;
                    try { top = String(window.top.document.cookie); } catch (e) { top = 'refused: ' + e.name; }
                    result.top = top;
                    Promise.all([
                      attempt(fetch(main + '/api/me', {credentials: 'include'})),
                      attempt(fetch(main + '/api/organisations', {method: 'POST', credentials: 'include',
                          headers: {'Content-Type': 'application/json'}, body: '{}'})),
                      attempt(fetch('/api/me', {credentials: 'include'})),
                      attempt(fetch('/', {credentials: 'include'}))
                    ]).then(([mainApi, mainPost, ownApi, ownRoot]) => {
                      Object.assign(result, {mainApi, mainPost, ownApi, ownRoot});
                      done(result);
                    });""", base);
            assertFalse(String.valueOf(probe.get("origin")).equals(base), "the package runs on its own origin: " + probe);
            assertFalse(String.valueOf(probe.get("cookie")).contains("JWT"), "no session cookie for the package: " + probe);
            assertTrue(String.valueOf(probe.get("top")).startsWith("refused"), "the player page is out of reach: " + probe);
            assertTrue(String.valueOf(probe.get("mainApi")).startsWith("refused"), "the main API cannot be read: " + probe);
            assertTrue(String.valueOf(probe.get("mainPost")).startsWith("refused"), "nor written to: " + probe);
            assertEquals("status 404", probe.get("ownApi"), "the package origin has no API: " + probe);
            assertEquals("status 404", probe.get("ownRoot"), "nor any page of the main origin: " + probe);
        }
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        if (browser != null) {
            browser.close();
        }
        pages.writeReport();
    }

    /**
     * Switches into the SCO (player page → runtime frame → SCO frame) and, unless status is null, waits until its status
     * line says so.
     */
    private static void enterSco(Browser browser, String status) {
        WebDriver driver = browser.driver();
        driver.switchTo().defaultContent();
        browser.waitUntil(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("spelare")), "the runtime frame");
        browser.waitUntil(ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.id("sco")), "the SCO's frame");
        if (status != null) {
            browser.waitUntil(ExpectedConditions.textToBe(By.id("logg"), status), "the SCO saying '" + status + "'");
        }
    }

    /** Clicks a button of the SCO that asks for another SCO (a navigation request and finish) and waits for the player to open it. */
    private static void scoNavigates(Browser browser, String button) {
        WebDriver driver = browser.driver();
        driver.switchTo().defaultContent();
        String before = driver.getCurrentUrl();
        enterSco(browser, null);
        driver.findElement(By.id(button)).click();
        driver.switchTo().defaultContent();
        browser.waitUntil(d -> !before.equals(d.getCurrentUrl())
                && "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")), "the player opening the next SCO");
    }

    /** Clicks one of the SCO's buttons and waits for the SCO to say it is done with it. */
    private static void click(WebDriver driver, String button, String status) {
        driver.findElement(By.id(button)).click();
        new org.openqa.selenium.support.ui.WebDriverWait(driver, Browser.WAIT)
                .until(ExpectedConditions.textToBe(By.id("logg"), status));
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> log(WebDriver driver) {
        return (List<Map<String, Object>>) ((JavascriptExecutor) driver).executeScript("return window.scoLog");
    }

    private static Map<String, Object> call(WebDriver driver, int index) {
        return log(driver).get(index);
    }

    /**
     * The SCO reports its score and completion and commits; then the page is reloaded twice at once. Each reload
     * finishes the SCO in its unload handler (sent with keepalive, since the browser refuses synchronous requests then)
     * while the next page initialises it again.
     */
    private static void completeAndReloadTwice(Browser browser, String button) {
        WebDriver driver = browser.driver();
        click(driver, button, "Klar");
        driver.switchTo().defaultContent();
        browser.navigate(() -> driver.navigate().refresh());
        browser.navigate(() -> driver.navigate().refresh());
        enterSco(browser, "Redo");
        driver.switchTo().defaultContent();
    }

    private void awaitOneCompletion(Learner learner, String code, int score, String status) {
        Waiting.until(() -> completions(learner, code), n -> n >= 1, Duration.ofSeconds(20), "the completion of " + code);
        assertEquals(1, completions(learner, code), "exactly one completion");
        assertEquals(List.of(String.valueOf(score)), sql.strings("""
                SELECT c.score FROM completion c JOIN module_version m ON m.id = c.module_version_id
                WHERE c.person_id = ? AND m.module_code = ?""", learner.person(), code));
        assertEquals(List.of(status), sql.strings("""
                SELECT status FROM scorm_attempt WHERE person_id = ? AND module_code = ? AND completion_id IS NOT NULL""",
                learner.person(), code), "the attempt that earned it");
    }

    /** The bookmark the server holds for the learner's SCOs of the module. */
    private List<String> locations(Learner learner, String code) {
        return sql.strings("""
                SELECT JSON_UNQUOTE(JSON_EXTRACT(s.state, '$.data."cmi.location"')) FROM scorm_sco_state s
                JOIN scorm_attempt a ON a.id = s.attempt_id
                WHERE a.person_id = ? AND a.module_code = ? AND JSON_EXTRACT(s.state, '$.data."cmi.location"') IS NOT NULL""",
                learner.person(), code);
    }

    private long completions(Learner learner, String code) {
        return sql.number("""
                SELECT COUNT(*) FROM completion c JOIN module_version m ON m.id = c.module_version_id
                WHERE c.person_id = ? AND m.module_code = ?""", learner.person(), code);
    }

    private static List<String> contents(WebDriver driver) {
        return driver.findElements(By.cssSelector("#spelare-delar li")).stream().map(li -> li.getText().strip()).toList();
    }

    private void doneInMyTraining(Browser browser, String title) {
        // The home page, signed in: Klara lists the module.
        WebDriver driver = browser.driver();
        driver.switchTo().defaultContent();
        browser.open(base + "/");
        List<Map<String, String>> done = browser.table(By.cssSelector("section[aria-labelledby=klara] table"));
        assertTrue(done.stream().anyMatch(r -> title.equals(r.get("Modul"))), "'" + title + "' under Klara: " + done);
    }

    private void visitedAtBothWidths(Browser browser, String name) {
        browser.driver().switchTo().defaultContent();
        pages.visited(browser, name + "-1280");
        browser.atWidth(390, () -> {
            pages.visited(browser, name + "-390");
            browser.assertFitsTheWindowWidth();
        });
    }
}
