package se.kompetensmal.browser;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.routines.Routine;
import se.kompetensmal.routines.RoutineRepository;
import se.kompetensmal.routines.RoutineService;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a real browser: the demo region's coordinator writes her own module in the editor (two pages, an image with alt
 * text, three questions), previews a page as learners will see it, is told by the publish step that a question has no
 * right answer, follows the link to it, fixes it and publishes. Every editor page is axe-clean and fits the window at
 * 1280 and at 390 px.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.demo-data", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModuleEditorBrowserTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    private static final String REGION_CODE = "SE2321000999";
    private static final String REGION = "Region Demoland";
    /** The demo learner's unit, Medicinavdelning 11. */
    private static final String UNIT_CODE = "SE2321000999-E01";
    private static final String LEARNER_HSA_ID = "SE2321000999-1001";
    private static final String LEARNER_NAME = "Anders Olofsson";
    private static final String AUDIENCE = "LICENSED";

    @Inject
    RoutineService routines;

    @Inject
    RoutineRepository routineRepository;

    private final PageVisits pages = new PageVisits("editor");
    private String goal;
    /** The routine this test makes, retired afterwards. */
    private String routine;
    private Browser browser;
    private boolean overviewSeen;

    @Test
    void theRegionsCoordinatorWritesPreviewsFixesAndPublishesAModule() throws IOException {
        String base = server.getURL().toString().replaceFirst("/$", "");
        String code = "handsprit-" + Long.toString(System.nanoTime(), 36);
        Files.createDirectories(Browser.SCREENSHOTS.resolve("editor"));
        // The routines' assignments and the demo history are computed in the background after startup.
        sql.awaitRecomputations();
        long region = sql.number("SELECT id FROM org_node WHERE code = ?", REGION_CODE);
        long person = sql.number("SELECT id FROM person WHERE hsa_id = ?", LEARNER_HSA_ID);
        // A national goal for the learner's audience that he does not hold (no completion of any module covering it): the
        // module covers it, so his one completion must make him one more holder of it in the leader's statistics.
        goal = sql.strings("""
                SELECT g.code FROM competence_goal g JOIN competence_goal_audience ga ON ga.goal_id = g.id
                JOIN audience a ON a.id = ga.audience_id
                WHERE a.code = ? AND g.owner_org_id IS NULL AND NOT EXISTS (
                    SELECT 1 FROM completion c JOIN module_version_goal mg ON mg.module_version_id = c.module_version_id
                    WHERE mg.goal_id = g.id AND c.person_id = ?)
                ORDER BY g.code""", AUDIENCE, person).stream().findFirst()
                .orElseThrow(() -> new AssertionError(LEARNER_NAME + " holds every goal of " + AUDIENCE));
        int[] holdersBefore = goalHolders(base, region, "leader-01-before");
        try (Browser b = new Browser()) {
            browser = b;
            b.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
            b.signIn(base, "samordnare.region", "Demo-samordnare-2026");
            b.clickLink("Egna moduler");
            b.waitForHeading("Egna moduler");
            look("01-list");

            b.clickLink("Ny modul");
            b.waitForHeading("Ny modul");
            assertTrue(new Select(b.driver().findElement(By.id("owner"))).getFirstSelectedOption().getText().contains("Region Demoland"));
            look("02-new");
            b.driver().findElement(By.id("code")).sendKeys(code);
            b.driver().findElement(By.id("title")).sendKeys("Handsprit på rätt sätt");
            submit("form[action='/egna-moduler/ny'] button[type=submit]");
            b.waitForHeading("Handsprit på rätt sätt");
            assertTrue(b.text().contains("Utkast"), b.text());

            // The particulars: what the module is, for whom, which goals.
            b.clickLink("Ändra uppgifterna");
            b.waitForHeading("Uppgifter om modulen");
            b.driver().findElement(By.id("summary")).sendKeys("Hur och när du använder handsprit.");
            clear("estimatedMinutes", "10");
            clear("passMark", "60");
            b.driver().findElement(By.cssSelector("input[name=audiences][value=" + AUDIENCE + "]")).click();
            b.driver().findElement(By.cssSelector("input[name=goals][value='" + goal + "']")).click();
            // The background save says when it saved, without leaving the page.
            try {
                b.waitUntil(d -> d.findElement(By.cssSelector("[data-save-status]")).getText().startsWith("Sparat "), "the background save");
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("no background save: " + b.driver().findElement(By.cssSelector("[data-save-status]")).getText(), e);
            }
            look("03-particulars");
            submit("form[data-autosave] button[type=submit]");
            expectNotice();

            // Two pages.
            overview(base, code);
            addAndWritePage("Varför handsprit", "Handsprit tar bort de flesta **bakterier** på händerna.\n\n- Före patientkontakt\n- Efter patientkontakt");
            overview(base, code);
            addAndWritePage("Så gör du", "Gnid in spriten tills händerna är torra.");

            // An image, with alt text, put on page 2.
            overview(base, code);
            b.clickLink("Bilder (0)");
            b.waitForHeading("Bilder");
            look("06-images");
            b.driver().findElement(By.id("file")).sendKeys(png().toAbsolutePath().toString());
            b.driver().findElement(By.id("alt")).sendKeys("Händer som gnids mot varandra");
            submit("form[enctype='multipart/form-data'] button[type=submit]");
            expectNotice();
            assertTrue(b.text().contains("![Händer som gnids mot varandra](images/"), b.text());
            look("07-image-uploaded");
            new Select(b.driver().findElement(By.cssSelector("form.insert select[name=page]"))).selectByIndex(1);
            submit("form.insert button[type=submit]");
            b.waitForHeading("Sida 2: Så gör du");
            assertTrue(b.driver().findElement(By.id("markdown")).getAttribute("value").contains("![Händer som gnids mot varandra](images/"));

            // The preview: the server's rendering in the learner page's markup, with the image.
            submit("button[value=forhandsgranska]");
            b.waitFor(By.id("forhandsgranskning"));
            WebElement image = b.driver().findElement(By.cssSelector(".page-preview .course-page img"));
            assertEquals("Händer som gnids mot varandra", image.getAttribute("alt"));
            assertTrue((Boolean) ((org.openqa.selenium.JavascriptExecutor) b.driver()).executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", image),
                    "the draft's image is served");
            look("08-page-preview");

            // Three questions; the third has no right answer yet.
            overview(base, code);
            addQuestion("Hur länge gnider du in handspriten?", new String[] {"Tills händerna är torra", "I fem sekunder"}, 0);
            overview(base, code);
            addQuestion("När använder du handsprit?", new String[] {"Före patientkontakt", "Efter patientkontakt", "Bara på fredagar"}, 0, 1);
            overview(base, code);
            addQuestion("Får ringar bäras vid patientnära arbete?", new String[] {"Ja", "Nej"});

            overview(base, code);
            submit("form[action$='/publicera'] button[type=submit]");
            b.waitFor(By.id("problem-rubrik"));
            assertEquals("problem-rubrik", b.driver().switchTo().activeElement().getAttribute("id"), "the focus is on the problems");
            WebElement problem = b.driver().findElements(By.cssSelector(".problems li a")).stream()
                    .filter(a -> a.getText().startsWith("Fråga 3")).findFirst().orElseThrow(() -> new AssertionError(b.text()));
            look("09-publish-problems");
            b.navigate(problem::click);
            b.waitForHeading("Fråga 3");
            b.driver().findElement(By.id("correct1")).click();
            submit("button[name=action][value=spara]");
            expectNotice();

            overview(base, code);
            submit("form[action$='/publicera'] button[type=submit]");
            b.waitUntil(d -> d.getPageSource().contains("Version 1 är publicerad"), "the module published");
            assertTrue(b.text().contains("Publicerad version 1"), b.text());
            List<WebElement> rows = b.driver().findElements(By.cssSelector("table tbody tr"));
            assertEquals(1, rows.size(), "one version in the history");
            look("10-published");

            // Taking the draft as a learner: nothing recorded.
            b.clickLink("Prova som deltagare");
            b.waitUntil(d -> d.getPageSource().contains("Provläge – inget sparas"), "the try-out");
            assertTrue(b.text().contains("Sida 1 av 2"), b.text());
            look("11-try");
            b.clickLink("Nästa →");
            b.clickLink("Till kunskapstestet →");
            b.waitForHeading("Kunskapstest: Handsprit på rätt sätt");
            look("12-try-questions");
            b.driver().findElement(By.id("q0o0")).click();
            submit("form.assessment button[type=submit]");
            b.waitForHeading("Resultat: Handsprit på rätt sätt");
            assertTrue(b.text().contains("Inte godkänd") && b.text().contains("1 av 3 rätt"), b.text());
            look("13-try-result");
            assertEquals(0L, sql.number("SELECT COUNT(*) FROM module_progress WHERE module_code = ?", code), "nothing recorded");

            b.open(base + "/egna-moduler");
            b.waitForHeading("Egna moduler");
            assertTrue(b.text().contains("Handsprit på rätt sätt") && b.text().contains("Publicerad version 1"), b.text());
            look("14-list-after");
            assertFalse(b.driver().getPageSource().contains("<script>"), "no inline script");

            // In an introduction routine for the learner's audience. The region has one for it already and a level holds
            // one introduction per audience, so the routine goes on the learner's unit, reached from the region's routines.
            b.open(base + "/organisationer/" + region + "/rutiner");
            b.waitForHeading("Rutiner för " + REGION);
            look("15-region-routines");
            String unit = sql.strings("SELECT name FROM org_node WHERE code = ?", UNIT_CODE).get(0);
            long unitId = sql.number("SELECT id FROM org_node WHERE code = ?", UNIT_CODE);
            b.open(base + "/organisationer/" + unitId + "/rutiner");
            b.waitForHeading("Rutiner för " + unit);
            // Unique to this run, without the module's code: a routine's name is shown where names belong.
            routine = "Introduktion med handsprit (webbtest " + Long.toString(System.nanoTime(), 36) + ")";
            b.waitFor(By.id("name")).sendKeys(routine);
            b.driver().findElement(By.id("kind-intro")).click();
            new Select(b.driver().findElement(By.id("audience"))).selectByValue(AUDIENCE);
            b.driver().findElement(By.id("module-" + code)).click();
            b.driver().findElement(By.id("dueDays")).sendKeys("30");
            // Applies from before anyone in the demo started: everyone is due at their own start plus 30 days, long past.
            ((org.openqa.selenium.JavascriptExecutor) b.driver()).executeScript("arguments[0].value = arguments[1]",
                    b.driver().findElement(By.id("appliesFrom")), "1990-01-01");
            new Select(b.driver().findElement(By.id("countsFrom"))).selectByValue("ORG_START");
            look("16-routine-form");
            b.navigate(() -> b.driver().findElement(By.xpath("//button[normalize-space()='Spara rutinen']")).click());
            b.waitForHeading("Rutiner för " + unit);
            assertTrue(b.text().contains("Rutinen är sparad."), b.text());
            Map<String, String> saved = b.table(By.tagName("table")).stream()
                    .filter(r -> r.getOrDefault("Rutin", "").startsWith(routine)).findFirst()
                    .orElseThrow(() -> new AssertionError("the new routine is not listed: " + b.text()));
            assertEquals("Handsprit på rätt sätt", saved.get("Moduler"), saved.toString());
            look("17-routine-saved");
        }
        sql.awaitRecomputations();

        // The learner finds it in Min utbildning, reads the pages, passes the assessment and gets the certificate.
        String title = "Handsprit på rätt sätt";
        try (Browser b = new Browser()) {
            browser = b;
            b.signIn(base, "medarbetare", "Demo-medarbetare-2026");
            b.waitForHeading("Välkommen, " + LEARNER_NAME);
            List<Map<String, String>> overdue = b.table(By.cssSelector("section[aria-labelledby=forsenade] table"));
            assertTrue(overdue.stream().anyMatch(r -> title.equals(r.get("Modul"))), "overdue: " + overdue);
            look("18-learner-start");
            b.navigate(() -> b.driver().findElement(By.cssSelector("section[aria-labelledby=forsenade]")).findElement(By.linkText(title)).click());
            b.waitForHeading(title);
            look("19-learner-module");
            b.clickLink("Börja modulen");
            assertEquals("Sida 1 av 2", b.waitFor(By.cssSelector("label[for=framsteg]")).getText());
            look("20-learner-page-1");
            b.clickLink("Nästa →");
            assertEquals("Sida 2 av 2", b.waitFor(By.cssSelector("label[for=framsteg]")).getText());
            WebElement picture = b.driver().findElement(By.cssSelector(".course-page img"));
            assertEquals("Händer som gnids mot varandra", picture.getAttribute("alt"));
            assertTrue((Boolean) ((org.openqa.selenium.JavascriptExecutor) b.driver()).executeScript(
                    "return arguments[0].complete && arguments[0].naturalWidth > 0", picture), "the published image is served");
            look("21-learner-page-2");
            b.clickLink("Till provet →");
            b.waitForHeading("Prov: " + title);
            List<WebElement> questions = b.driver().findElements(By.cssSelector("fieldset.question[data-question]"));
            assertEquals(3, questions.size(), "the three questions");
            for (WebElement question : questions) {
                for (String option : sql.strings("SELECT id FROM question_option WHERE question_id = ? AND correct = TRUE",
                        Long.parseLong(question.getAttribute("data-question")))) {
                    WebElement status = b.driver().findElement(By.id("sparstatus"));
                    ((org.openqa.selenium.JavascriptExecutor) b.driver()).executeScript("arguments[0].textContent = ''", status);
                    b.driver().findElement(By.id("o" + option)).click();
                    b.waitUntil(ExpectedConditions.textToBePresentInElement(status, "Svaret är sparat."), "the answer saved");
                }
            }
            look("22-learner-assessment");
            submit("form.assessment button[type=submit]");
            b.waitForHeading("Resultat: " + title);
            assertEquals("Godkänt.", b.driver().findElement(By.cssSelector(".notice strong")).getText());
            assertTrue(b.text().contains("3 av 3 rätt (100 %)"), b.text());
            look("23-learner-passed");
            long completion = sql.number("""
                    SELECT c.id FROM completion c JOIN module_version m ON m.id = c.module_version_id
                    WHERE c.person_id = ? AND m.module_code = ?""", person, code);
            String certificate = b.waitFor(By.linkText("Ladda ner intyg (PDF)")).getAttribute("href");
            assertTrue(certificate.endsWith("/min-utbildning/intyg/" + completion), certificate);
            HttpResponse<byte[]> pdf = b.download(certificate);
            assertEquals(200, pdf.statusCode());
            assertEquals("%PDF", new String(pdf.body(), 0, 4, StandardCharsets.ISO_8859_1));
            Files.write(Browser.SCREENSHOTS.resolve("editor/certificate.pdf"), pdf.body());
            try (PDDocument document = Loader.loadPDF(pdf.body())) {
                String text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
                assertTrue(text.contains(title) && text.contains(LEARNER_NAME), "the certificate names the module and him: " + text);
            }
        }

        // The leader sees him counted: one more holder of the goal the module covers, of as many people as before.
        int[] holdersAfter = goalHolders(base, region, "leader-02-after");
        assertEquals(holdersBefore[0] + 1, holdersAfter[0], "holders of " + goal + " before and after");
        assertEquals(holdersBefore[1], holdersAfter[1], "the audience's people");
    }

    /** The routine made above is retired, so that the demo is as the other browser tests expect it. */
    @AfterAll
    void retireTheRoutine() {
        if (routine == null) {
            return;
        }
        for (Routine r : routineRepository.findAll()) {
            if (routine.equals(r.name()) && !r.retired()) {
                routines.retire(r, "samordnare.region");
            }
        }
        sql.awaitRecomputations();
    }

    /**
     * As the leader: the region's statistics, the learner's audience's goals, and for the goal the holders shown as
     * "N av M" (a figure shown, as the audience has five or more people).
     */
    private int[] goalHolders(String base, long region, String name) {
        try (Browser b = new Browser()) {
            browser = b;
            b.signIn(base, "ledare", "Demo-ledare-2026");
            b.open(base + "/organisationer/" + region + "/statistik");
            b.waitForHeading("Statistik för " + REGION);
            By table = By.xpath("//caption[@id='tabell-mal-" + AUDIENCE + "']/ancestor::table");
            WebElement summary = b.driver().findElement(table).findElement(By.xpath("ancestor::details/summary"));
            summary.click();
            Map<String, String> row = b.table(table).stream().filter(r -> r.getOrDefault("Mål", "").startsWith(goal + " "))
                    .findFirst().orElseThrow(() -> new AssertionError(goal + " is not in the statistics: " + b.text()));
            String shown = row.get("Giltigt genomförande").replaceAll("\\s+", " ");
            Matcher m = Pattern.compile("(\\d+) av (\\d+)").matcher(shown);
            assertTrue(m.find(), "a figure shown for " + goal + ": " + row);
            look(name);
            return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        }
    }

    @AfterAll
    void report() throws IOException {
        pages.writeReport();
    }

    private void overview(String base, String code) {
        browser.open(base + "/egna-moduler/" + code);
        browser.waitForHeading("Handsprit på rätt sätt");
        if (!overviewSeen) {
            overviewSeen = true;
            look("04-overview");
        }
    }

    private void addAndWritePage(String title, String markdown) {
        submit("form[action$='/sidor'] button[type=submit]");
        browser.waitUntil(d -> d.findElements(By.id("markdown")).size() == 1, "the page editor");
        clear("title", title);
        browser.driver().findElement(By.id("markdown")).sendKeys(markdown);
        look("05-page-" + title.replace(' ', '-').toLowerCase());
        submit("button[name=action][value=spara]");
        expectNotice();
    }

    private void addQuestion(String text, String[] options, int... right) {
        submit("form[action$='/fragor'] button[type=submit]");
        browser.waitUntil(d -> d.findElements(By.id("text")).size() == 1, "the question editor");
        browser.driver().findElement(By.id("text")).sendKeys(text);
        for (int i = 2; i < options.length; i++) {
            submit("button[value=lagg-till-svar]");
            browser.waitFor(By.id("optionText" + i));
        }
        for (int i = 0; i < options.length; i++) {
            browser.driver().findElement(By.id("optionText" + i)).sendKeys(options[i]);
            browser.driver().findElement(By.id("optionFeedback" + i)).sendKeys("Återkoppling till " + options[i].toLowerCase() + ".");
        }
        for (int i : right) {
            browser.driver().findElement(By.id("correct" + i)).click();
        }
        if (options.length == 3) {
            look("09-question");
        }
        submit("button[name=action][value=spara]");
        expectNotice();
    }

    private void expectNotice() {
        try {
            browser.waitFor(By.cssSelector(".notice"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no notice on " + browser.driver().getCurrentUrl() + ": " + browser.text(), e);
        }
    }

    private void clear(String id, String value) {
        WebElement field = browser.driver().findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private void submit(String selector) {
        WebElement button = browser.waitFor(By.cssSelector(selector));
        browser.navigate(button::click);
    }

    /** The page fits the window at 1280 px and at 390 px, with a screenshot of each, and is axe-clean (scanned at 390 px). */
    private void look(String name) {
        browser.assertFitsTheWindowWidth();
        pages.photographed(browser, "editor/" + name + "-1280");
        browser.atWidth(390, () -> {
            browser.assertFitsTheWindowWidth();
            pages.visited(browser, "editor/" + name + "-390");
        });
    }

    /** A small PNG drawn here: a blue square with a white bar. */
    private static Path png() throws IOException {
        BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(11, 79, 108));
        g.fillRect(0, 0, 120, 80);
        g.setColor(Color.WHITE);
        g.fillRect(20, 35, 80, 10);
        g.dispose();
        Path file = Files.createTempFile("handsprit", ".png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
