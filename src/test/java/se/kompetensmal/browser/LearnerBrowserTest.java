package se.kompetensmal.browser;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.web.FileNames;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser: the demo learner signs in, finds an overdue module under Min utbildning, reads it page by page,
 * takes its assessment with the keyboard alone and fails, finds his ticked answers still there after reloading and
 * after signing in again, takes the assessment again and passes, downloads the certificate (a PDF naming him, the module
 * and the day) and finds the module under "Klara". He then looks at his history and his settings, switches the pages to
 * English and back, and on a phone-sized window the pages fit without scrolling sideways. Screenshots of every page go
 * to target/screenshots; every page is scanned with axe-core, which must find no WCAG 2.1 A/AA violation, and the scans
 * are written to target/accessibility/learner.txt.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.demo-data", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LearnerBrowserTest extends ServiceTest {

    private static final String LEARNER = "medarbetare";
    private static final String PASSWORD = "Demo-medarbetare-2026";
    private static final String NAME = "Anders Olofsson";
    private static final String HSA_ID = "SE2321000999-1001";
    /**
     * The overdue modules of the demo learner's introduction routine, in order of preference. The first he has neither
     * attempted nor completed is taken, so the test also runs again against a database kept from earlier runs.
     */
    private static final List<String> MODULES = List.of("vardskador-grunder", "sakerhetskultur-och-risker");
    private static final String SAVED = "Svaret är sparat.";
    /** Enough Tab presses to get from the top of any assessment page to its submit button. */
    private static final int MAX_TABS = 200;

    @Inject
    EmbeddedServer server;

    private final PageVisits pages = new PageVisits("learner");

    /** One option of a question of the assessment, and whether it is right. */
    record Option(long question, long id, boolean correct) {
    }

    @Test
    void learnerTakesAnOverdueModuleFailsOncePassesAndDownloadsTheCertificate() throws Exception {
        // The day the test starts; the completion is dated the day it is earned, which a run near midnight may make tomorrow.
        LocalDate started = LocalDate.now(SwedishTime.ZONE);
        long person = sql.number("SELECT id FROM person WHERE hsa_id = ?", HSA_ID);
        String code = MODULES.stream().filter(m -> neverTaken(person, m)).findFirst().orElseThrow(() ->
                new AssertionError(NAME + " has already attempted every candidate module: " + MODULES));
        String title = sql.strings("SELECT title FROM module_version WHERE module_code = ? ORDER BY version DESC LIMIT 1",
                code).get(0);
        String base = server.getURL().toString().replaceFirst("/$", "");
        // The routines' assignments are computed in the background after startup.
        sql.awaitRecomputations();

        try (Browser browser = new Browser()) {
            WebDriver driver = browser.driver();

            // 1. Min utbildning lists the module as overdue.
            browser.signIn(base, LEARNER, PASSWORD);
            browser.waitForHeading("Välkommen, " + NAME);
            assertTrue(browser.text().contains("Min utbildning"), browser.text());
            List<Map<String, String>> overdue = browser.table(By.cssSelector("section[aria-labelledby=forsenade] table"));
            assertTrue(overdue.stream().anyMatch(r -> title.equals(r.get("Modul"))),
                    "'" + title + "' should be listed as overdue: " + overdue);
            visited(browser, "learner-01-start");

            // 2. The module's start page, then every page in turn.
            WebElement moduleLink = driver.findElement(By.cssSelector("section[aria-labelledby=forsenade]"))
                    .findElement(By.linkText(title));
            browser.navigate(moduleLink::click);
            browser.waitForHeading(title);
            int pagesListed = driver.findElements(By.xpath("//h2[normalize-space()='Sidor']/following-sibling::ol[1]/li")).size() - 1;
            visited(browser, "learner-02-module");

            browser.clickLink("Börja modulen");
            int pages = -1;
            for (int n = 1; pages < 0 || n <= pages; n++) {
                String label = browser.waitFor(By.cssSelector("label[for=framsteg]")).getText();
                if (pages < 0) {
                    pages = Integer.parseInt(label.replaceFirst("^Sida 1 av (\\d+)$", "$1"));
                    assertTrue(pages >= 1, label);
                }
                assertEquals("Sida " + n + " av " + pages, label);
                WebElement progress = driver.findElement(By.id("framsteg"));
                assertEquals(String.valueOf(n), progress.getAttribute("value"));
                assertEquals(String.valueOf(pages), progress.getAttribute("max"));
                assertTrue(driver.getCurrentUrl().endsWith("/utbildning/" + code + "/sida/" + n), driver.getCurrentUrl());
                assertEquals(n > 1, !driver.findElements(By.linkText("← Föregående")).isEmpty(), "a link back on page " + n);
                visited(browser, "learner-03-page-" + n);
                if (n < pages) {
                    assertTrue(driver.findElements(By.linkText("Till provet →")).isEmpty(), "the assessment only after the last page");
                    browser.clickLink("Nästa →");
                }
            }
            assertEquals(pagesListed, pages, "the module's start page lists as many pages as there are");
            browser.clickLink("Till provet →");
            browser.waitForHeading("Prov: " + title);

            // 3. The first attempt with the keyboard alone: a wrong option ticked for every question.
            Map<Long, List<Option>> questions = questionsOnThePage(browser);
            assertEquals(new TreeSet<>(sql.strings("""
                    SELECT q.id FROM assessment_question q JOIN module_progress p ON p.module_version_id = q.module_version_id
                    WHERE p.person_id = ? AND p.module_code = ?""", person, code).stream().map(Long::valueOf).toList()),
                    new TreeSet<>(questions.keySet()), "the page asks exactly the questions of the version being taken");
            long firstAttempt = attemptOnThePage(driver, code);
            Set<Long> wrong = wrongAnswers(questions);
            tickWithTheKeyboard(browser, wrong);
            assertEquals(idsOf(wrong), answersSaved(firstAttempt), "every ticked option saved as it was ticked");
            visited(browser, "learner-04-assessment");

            // 4. The answers are still there after a reload, and after signing out and in again.
            browser.navigate(() -> driver.navigate().refresh());
            browser.waitForHeading("Prov: " + title);
            assertEquals(wrong, ticked(driver), "ticked options after reloading the page");
            browser.navigate(() -> driver.findElement(By.cssSelector("form[action='/logout'] button[type=submit]")).click());
            assertTrue(driver.getCurrentUrl().contains("/login"), driver.getCurrentUrl());
            browser.signIn(base, LEARNER, PASSWORD);
            browser.open(base + "/utbildning/" + code);
            browser.waitForHeading(title);
            assertTrue(browser.text().contains("Du har läst sidorna och är på provet."), browser.text());
            browser.clickLink("Fortsätt till provet");
            browser.waitForHeading("Prov: " + title);
            assertEquals(firstAttempt, attemptOnThePage(driver, code), "the same attempt goes on after signing in again");
            assertEquals(wrong, ticked(driver), "ticked options after signing out and in again");

            // Tab to the submit button and press Enter.
            WebElement submit = tabTo(browser, By.cssSelector("form.assessment button[type=submit]"));
            assertEquals("Lämna in provet", submit.getText());
            browser.navigate(() -> new Actions(driver).sendKeys(Keys.ENTER).perform());
            browser.waitForHeading("Resultat: " + title);
            assertTrue(driver.getCurrentUrl().endsWith("/utbildning/" + code + "/resultat/" + firstAttempt), driver.getCurrentUrl());
            assertEquals("Inte godkänt.", driver.findElement(By.cssSelector(".alert strong")).getText());
            long passMark = sql.number("""
                    SELECT m.pass_mark FROM module_version m JOIN assessment_attempt a ON a.module_version_id = m.id WHERE a.id = ?""",
                    firstAttempt);
            assertTrue(browser.text().contains("0 av " + questions.size() + " rätt (0 %). Godkänt från: " + passMark + " %."),
                    browser.text());
            assertFalse(driver.findElements(By.linkText("Gör om provet")).isEmpty(), "a failed attempt offers another");
            assertTrue(driver.findElements(By.partialLinkText("Ladda ner intyg")).isEmpty(), "no certificate for a failed attempt");
            visited(browser, "learner-05-failed");
            assertEquals(1, attempts(person, code, "a.submitted_at IS NOT NULL"), "one submitted attempt");
            assertEquals(1, attempts(person, code, "a.submitted_at IS NOT NULL AND a.passed = FALSE AND a.score = 0"
                    + " AND a.completion_id IS NULL"), "the submitted attempt failed with nothing right");
            assertEquals(0, completions(person, code), "no completion from a failed attempt");

            // 5. Again, with exactly the right options ticked.
            browser.clickLink("Gör om provet");
            browser.waitForHeading("Prov: " + title);
            long secondAttempt = attemptOnThePage(driver, code);
            assertTrue(secondAttempt != firstAttempt, "a new attempt");
            assertEquals(Set.of(), ticked(driver), "a new attempt starts with nothing ticked");
            Set<Long> right = questions.values().stream().flatMap(List::stream).filter(Option::correct).map(Option::id)
                    .collect(Collectors.toSet());
            for (long option : right) {
                WebElement box = driver.findElement(By.id("o" + option));
                tickAndAwaitSaving(browser, box::click);
            }
            assertEquals(right, ticked(driver));
            assertEquals(idsOf(right), answersSaved(secondAttempt));
            browser.navigate(() -> driver.findElement(By.xpath("//button[normalize-space()='Lämna in provet']")).click());
            browser.waitForHeading("Resultat: " + title);
            assertEquals("Godkänt.", driver.findElement(By.cssSelector(".notice strong")).getText());
            assertTrue(browser.text().contains(questions.size() + " av " + questions.size() + " rätt (100 %)"), browser.text());
            visited(browser, "learner-06-passed");
            assertEquals(1, completions(person, code), "exactly one completion");
            long completion = sql.number("""
                    SELECT c.id FROM completion c JOIN module_version m ON m.id = c.module_version_id
                    WHERE c.person_id = ? AND m.module_code = ?""", person, code);
            assertEquals(List.of("100"), sql.strings("SELECT score FROM completion WHERE id = ?", completion));
            LocalDate today = LocalDate.parse(sql.strings("SELECT completed_on FROM completion WHERE id = ?", completion).get(0));
            assertFalse(today.isBefore(started) || today.isAfter(LocalDate.now(SwedishTime.ZONE)),
                    "dated the day it was earned: " + today + ", the test started " + started);
            assertEquals(1, attempts(person, code, "a.passed = TRUE AND a.completion_id = " + completion + " AND a.id = " + secondAttempt));

            // 6. The certificate, fetched as the browser would with its session cookie.
            String certificateUrl = browser.waitFor(By.linkText("Ladda ner intyg (PDF)")).getAttribute("href");
            assertTrue(certificateUrl.endsWith("/min-utbildning/intyg/" + completion), certificateUrl);
            HttpResponse<byte[]> pdf = browser.download(certificateUrl);
            assertEquals(200, pdf.statusCode());
            assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "").trim());
            Path saved = Browser.SCREENSHOTS.resolve("learner-certificate.pdf");
            Files.write(saved, pdf.body());
            String text;
            try (PDDocument document = Loader.loadPDF(pdf.body())) {
                text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
            }
            for (String expected : List.of(NAME, HSA_ID, title, today.toString())) {
                assertTrue(text.contains(expected), "the certificate should say '" + expected + "': " + text);
            }
            assertFalse(text.contains(code), "the module by its title, not its code: " + text);
            assertEquals("attachment; filename=\"intyg-" + FileNames.slug(title) + "-" + today + ".pdf\"",
                    pdf.headers().firstValue("Content-Disposition").orElse(""), "a file name that says what it holds");

            // 7. Back on the start page the module is done, today, with its score.
            browser.clickLink("Min utbildning");
            browser.waitForHeading("Välkommen, " + NAME);
            Map<String, String> done = browser.table(By.cssSelector("section[aria-labelledby=klara] table")).stream()
                    .filter(r -> title.equals(r.get("Modul"))).findFirst()
                    .orElseThrow(() -> new AssertionError("'" + title + "' is not under Klara: " + browser.text()));
            assertEquals(today.toString(), done.get("Genomförd"), done.toString());
            assertEquals("100 %", done.get("Resultat"), done.toString());
            assertTrue(driver.findElement(By.cssSelector("section[aria-labelledby=klara]"))
                    .findElement(By.cssSelector("a[href='/min-utbildning/intyg/" + completion + "']")).getText()
                    .startsWith("Ladda ner intyg"));
            assertTrue(browser.table(By.cssSelector("section[aria-labelledby=forsenade] table")).stream()
                    .noneMatch(r -> title.equals(r.get("Modul"))), "a done module is no longer overdue");
            visited(browser, "learner-07-done");

            // 8. History, settings, and the pages in English.
            browser.clickLink("Min historik");
            browser.waitForHeading("Min historik");
            List<Map<String, String>> history = browser.table(By.cssSelector("section[aria-labelledby=provforsok] table"));
            assertEquals(2, history.stream().filter(r -> r.getOrDefault("Modul", "").startsWith(title)).count(), history.toString());
            visited(browser, "learner-08-history");

            browser.clickLink("Inställningar");
            browser.waitForHeading("Inställningar");
            assertTrue(driver.findElement(By.id("language-sv")).isSelected());
            visited(browser, "learner-09-settings");
            chooseLanguage(browser, "language-en", "Spara", "Settings", "Your settings are saved.");
            assertEquals("en", sql.strings("SELECT language FROM user_account WHERE username = ?", LEARNER).get(0));
            browser.clickLink("My training");
            browser.waitForHeading("Welcome, " + NAME);
            assertEquals("en", driver.findElement(By.tagName("html")).getAttribute("lang"));
            assertEquals("My training", driver.findElement(By.id("min-utbildning")).getText());
            assertTrue(browser.text().contains("Done"), browser.text());
            visited(browser, "learner-10-start-english");
            browser.clickLink("Settings");
            browser.waitForHeading("Settings");
            chooseLanguage(browser, "language-sv", "Save", "Inställningar", "Inställningarna är sparade.");
            assertEquals("sv", sql.strings("SELECT language FROM user_account WHERE username = ?", LEARNER).get(0));

            // 9. On a phone.
            driver.manage().window().setSize(new Dimension(390, 844));
            browser.open(base + "/");
            browser.waitForHeading("Välkommen, " + NAME);
            visited(browser, "learner-11-phone-start");
            browser.assertFitsTheWindowWidth();
            browser.navigate(() -> driver.findElement(By.cssSelector("section[aria-labelledby=klara]"))
                    .findElement(By.linkText(title)).click());
            browser.waitForHeading(title);
            visited(browser, "learner-12-phone-module");
            browser.assertFitsTheWindowWidth();
            browser.open(base + "/min-utbildning/historik");
            browser.waitForHeading("Min historik");
            visited(browser, "learner-13-phone-history");
            browser.assertFitsTheWindowWidth();

            // 10. The catalogue: search, open a module and read one of its pages, on a wide screen and on a phone.
            readsInTheCatalogue(browser, base, 1280, "learner-14-wide");
            readsInTheCatalogue(browser, base, 390, "learner-15-phone");
        }
    }

    /**
     * Searches the catalogue for hygiene, opens the one module found, reads its first page, and opens the external
     * module's page with its launch link; every page axe-clean and as wide as the window at most.
     */
    private void readsInTheCatalogue(Browser browser, String base, int width, String prefix) {
        WebDriver driver = browser.driver();
        String title = "Basala hygienrutiner och klädregler";
        driver.manage().window().setSize(new Dimension(width, 900));
        browser.open(base + "/katalog");
        browser.waitForHeading("Kompetensmål och moduler");
        visited(browser, prefix + "-catalogue");
        browser.assertFitsTheWindowWidth();

        driver.findElement(By.id("sok")).sendKeys("hygien");
        browser.navigate(() -> driver.findElement(By.cssSelector("form.catalogue-search button[type=submit]")).click());
        browser.waitForHeading("Kompetensmål och moduler");
        assertTrue(driver.getCurrentUrl().contains("/katalog?sok=hygien"), driver.getCurrentUrl());
        assertEquals("1 modul matchar sökningen.", driver.findElement(By.cssSelector(".result-count")).getText());
        WebElement found = driver.findElement(By.cssSelector(".module-list > li"));
        found.findElement(By.tagName("summary")).click();
        assertTrue(found.getText().contains("NLI-02 – Kan tillämpa basala hygienrutiner"), "goals with their text: " + found.getText());
        visited(browser, prefix + "-catalogue-search");
        browser.assertFitsTheWindowWidth();

        // An audience chosen opens its goals: a table of code, text, area and modules.
        browser.open(base + "/katalog?malgrupp=LICENSED");
        browser.waitForHeading("Kompetensmål och moduler");
        assertTrue(driver.findElement(By.id("malgrupp-LICENSED")).getAttribute("open") != null, "the audience's goals are open");
        visited(browser, prefix + "-catalogue-audience");
        browser.assertFitsTheWindowWidth();

        browser.clickLink(title);
        browser.waitForHeading(title);
        assertFalse(driver.findElements(By.linkText("Starta modulen")).isEmpty(), "a nurse may start a module meant for nurses");
        visited(browser, prefix + "-catalogue-module");
        browser.assertFitsTheWindowWidth();

        browser.clickLink("Om modulen");
        browser.waitForHeading("Om modulen");
        assertTrue(browser.text().contains("Sida 1 av 6"), browser.text());
        visited(browser, prefix + "-catalogue-page");
        browser.assertFitsTheWindowWidth();

        browser.open(base + "/katalog/moduler/saker-vard-nationell");
        browser.waitForHeading("Säker vård – nationell webbutbildning");
        assertEquals("https://utbildning.socialstyrelsen.se/", driver.findElement(
                By.linkText("Öppna utbildningen hos utbildning.socialstyrelsen.se")).getAttribute("href"));
        assertFalse(browser.text().contains("frågor"), browser.text());
        visited(browser, prefix + "-catalogue-external");
        browser.assertFitsTheWindowWidth();
    }

    @AfterAll
    void reportAccessibility() throws IOException {
        pages.writeReport();
    }

    private void visited(Browser browser, String name) {
        pages.visited(browser, name);
    }

    /** The assessment's questions as the page shows them (by id, in order), with their options and which are right. */
    private Map<Long, List<Option>> questionsOnThePage(Browser browser) {
        Map<Long, List<Option>> questions = new LinkedHashMap<>();
        for (WebElement fieldset : browser.driver().findElements(By.cssSelector("fieldset.question[data-question]"))) {
            long question = Long.parseLong(fieldset.getAttribute("data-question"));
            List<Option> options = sql.strings("SELECT CONCAT(id, ' ', correct) FROM question_option WHERE question_id = ? ORDER BY position",
                    question).stream().map(s -> s.split(" "))
                    .map(s -> new Option(question, Long.parseLong(s[0]), !"0".equals(s[1]))).toList();
            List<Long> shown = fieldset.findElements(By.cssSelector("input[type=checkbox][name='q" + question + "']")).stream()
                    .map(box -> Long.parseLong(box.getAttribute("value"))).toList();
            assertEquals(options.stream().map(Option::id).toList(), shown, "the options of question " + question);
            assertTrue(options.stream().anyMatch(Option::correct), "question " + question + " has a right option");
            questions.put(question, options);
        }
        assertFalse(questions.isEmpty(), "the assessment has questions");
        return questions;
    }

    /**
     * For every question an answer that is not right: a wrong option where there is one, or else the first of several
     * right ones (a question counts as right only when exactly its right options are ticked).
     */
    private static Set<Long> wrongAnswers(Map<Long, List<Option>> questions) {
        Set<Long> ticks = new HashSet<>();
        questions.forEach((question, options) -> {
            Option pick = options.stream().filter(o -> !o.correct()).findFirst().orElseGet(() -> {
                assertTrue(options.size() > 1, "question " + question + " cannot be answered wrongly");
                return options.get(0);
            });
            ticks.add(pick.id());
        });
        return ticks;
    }

    /**
     * Goes through the form as a keyboard user does: Tab from the top of the page, Space on each option to tick, until
     * the focus reaches the submit button; each tick is awaited until the page says it is saved.
     */
    private static void tickWithTheKeyboard(Browser browser, Set<Long> options) {
        WebDriver driver = browser.driver();
        Set<Long> left = new HashSet<>(options);
        WebElement button = driver.findElement(By.cssSelector("form.assessment button[type=submit]"));
        for (int presses = 0; presses < MAX_TABS; presses++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            WebElement focused = driver.switchTo().activeElement();
            if (focused.equals(button)) {
                assertEquals(Set.of(), left, "options the Tab key never reached");
                return;
            }
            String id = focused.getAttribute("id");
            if ("checkbox".equals(focused.getAttribute("type")) && id != null && left.remove(Long.parseLong(id.substring(1)))) {
                assertFalse(focused.isSelected(), id + " was ticked already");
                tickAndAwaitSaving(browser, () -> new Actions(driver).sendKeys(Keys.SPACE).perform());
                assertTrue(focused.isSelected(), "Space should tick " + id);
            }
        }
        throw new AssertionError("the Tab key never reached the submit button");
    }

    /** Presses Tab until the element has the focus. */
    private static WebElement tabTo(Browser browser, By locator) {
        WebDriver driver = browser.driver();
        WebElement target = driver.findElement(locator);
        for (int presses = 0; presses < MAX_TABS; presses++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            if (driver.switchTo().activeElement().equals(target)) {
                return target;
            }
        }
        throw new AssertionError("the Tab key never reached " + locator);
    }

    /** Ticks (or unticks) an option and waits until the page says the answer is saved. */
    private static void tickAndAwaitSaving(Browser browser, Runnable tick) {
        WebElement status = browser.driver().findElement(By.id("sparstatus"));
        // Cleared first, so that the message awaited is the one for this tick.
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].textContent = ''", status);
        tick.run();
        browser.waitUntil(ExpectedConditions.textToBePresentInElement(status, SAVED), "'" + SAVED + "'");
        assertEquals(SAVED, status.getText());
    }

    private static Set<Long> ticked(WebDriver driver) {
        return driver.findElements(By.cssSelector("fieldset.question input[type=checkbox]")).stream()
                .filter(WebElement::isSelected).map(box -> Long.parseLong(box.getAttribute("value"))).collect(Collectors.toSet());
    }

    private static long attemptOnThePage(WebDriver driver, String code) {
        String action = driver.findElement(By.cssSelector("form.assessment")).getAttribute("action");
        String prefix = "/utbildning/" + code + "/prov/";
        assertTrue(action.contains(prefix), action);
        return Long.parseLong(action.substring(action.indexOf(prefix) + prefix.length()));
    }

    private Set<String> answersSaved(long attempt) {
        return new TreeSet<>(sql.strings("SELECT option_id FROM attempt_answer WHERE attempt_id = ?", attempt));
    }

    private static Set<String> idsOf(Set<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }

    private long attempts(long person, String code, String condition) {
        return sql.number("SELECT COUNT(*) FROM assessment_attempt a JOIN module_version m ON m.id = a.module_version_id"
                + " WHERE a.person_id = ? AND m.module_code = ? AND " + condition, person, code);
    }

    private long completions(long person, String code) {
        return sql.number("""
                SELECT COUNT(*) FROM completion c JOIN module_version m ON m.id = c.module_version_id
                WHERE c.person_id = ? AND m.module_code = ?""", person, code);
    }

    private boolean neverTaken(long person, String code) {
        return attempts(person, code, "TRUE") == 0 && completions(person, code) == 0;
    }

    /**
     * On the settings page: picks a language, saves with the button (labelled in the language before), and waits for the
     * settings page in the language chosen.
     */
    private static void chooseLanguage(Browser browser, String radio, String save, String heading, String confirmation) {
        WebDriver driver = browser.driver();
        driver.findElement(By.id(radio)).click();
        browser.navigate(() -> driver.findElement(By.xpath("//form[@action='/installningar']//button[normalize-space()='" + save
                + "']")).click());
        browser.waitForHeading(heading);
        assertTrue(driver.findElement(By.id(radio)).isSelected(), radio);
        assertTrue(browser.text().contains(confirmation), browser.text());
    }
}
