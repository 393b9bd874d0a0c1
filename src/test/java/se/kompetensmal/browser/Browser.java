package se.kompetensmal.browser;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import se.kompetensmal.HttpCalls;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real browser for tests: Debian's headless Chromium driven through Debian's chromedriver, with a fresh profile each
 * time. Nothing is downloaded: the driver binary is given explicitly, so Selenium Manager is never asked. Offers what
 * page tests keep needing: signing in through the login form, waiting, screenshots and an axe-core accessibility scan.
 */
public final class Browser implements AutoCloseable {

    /** Override with -Dkompetensmal.chromedriver=... or -Dkompetensmal.chromium=... when they live elsewhere. */
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("kompetensmal.chromedriver", "/usr/bin/chromedriver"));
    public static final Path CHROMIUM = Path.of(System.getProperty("kompetensmal.chromium", "/usr/bin/chromium"));
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** The WCAG 2.1 A and AA rules: what Swedish public-sector web accessibility law (DOS-lagen) asks for. */
    public static final List<String> WCAG_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    public static final Duration WAIT = Duration.ofSeconds(30);

    /*
     * Selenium looks for a devtools module matching Chromium's version and warns when there is none. Nothing here needs
     * one: screenshots go through chromedriver's own CDP endpoint, which is not tied to a version. Held so they stay quiet.
     */
    private static final Logger[] QUIET = {Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver")};

    static {
        for (Logger logger : QUIET) {
            logger.setLevel(Level.SEVERE);
        }
    }

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    public Browser() {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            String missing = "Browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian packages chromium and chromium-driver; .ci/run installs them)";
            // On a machine with only a JDK the browser tests are skipped; CI asks for them and fails without them.
            if ("required".equals(System.getenv("KOMPETENSMAL_BROWSER_TESTS"))) {
                throw new IllegalStateException(missing);
            }
            Assumptions.abort(missing);
        }
        try {
            profile = Files.createTempDirectory("kompetensmal-chromium-");
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(Path.of("target", "chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--lang=sv-SE", "--user-data-dir=" + profile);
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
    }

    /** The underlying driver, for what this class does not offer. */
    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Signs in through the login form and waits for the page after it; fails when the form says no. */
    public void signIn(String baseUrl, String username, String password) {
        open(stripSlash(baseUrl) + "/login");
        waitFor(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        navigate(() -> driver.findElement(By.cssSelector("form[action='/login'] button[type='submit']")).click());
        if (driver.getCurrentUrl().contains("/login")) {
            throw new AssertionError("signing in as " + username + " was refused: " + text());
        }
    }

    /**
     * Clicks the first shown link with exactly this text, in the page's main content if there is one there (the menu
     * has links such as "Rutiner" to the top of the caller's remit, the page itself to what it shows), and waits for the
     * page it leads to.
     */
    public void clickLink(String linkText) {
        WebElement link = waitUntil(d -> d.findElements(By.cssSelector("main a")).stream()
                .filter(a -> linkText.equals(a.getText().strip()) && a.isDisplayed()).findFirst()
                .or(() -> d.findElements(By.linkText(linkText)).stream().filter(WebElement::isDisplayed).findFirst())
                .orElse(null), "a link '" + linkText + "'");
        navigate(link::click);
    }

    /** Does something that leaves the page (a click, a submit) and waits until the next page has loaded. */
    public void navigate(Runnable action) {
        WebElement old = driver.findElement(By.tagName("html"));
        action.run();
        // Chromium reports a node of a page that is gone in more than one way; any of them means the page has changed.
        waitUntil(d -> {
            try {
                old.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        }, "the next page");
        waitUntil(d -> "complete".equals(driver.executeScript("return document.readyState")), "the page to load");
    }

    /** Reloads the page until the condition holds, as someone waiting for a background job would. */
    public void reloadUntil(Predicate<WebDriver> condition, Duration limit, String what) {
        new WebDriverWait(driver, limit, Duration.ofMillis(500)).withMessage(what).until(d -> {
            if (condition.test(d)) {
                return true;
            }
            navigate(() -> d.navigate().refresh());
            return false;
        });
    }

    public WebElement waitFor(By locator) {
        return waitUntil(ExpectedConditions.visibilityOfElementLocated(locator), "an element " + locator);
    }

    /** Waits until the page's h1 is exactly this text. */
    public void waitForHeading(String heading) {
        waitUntil(ExpectedConditions.textToBe(By.tagName("h1"), heading), "the heading '" + heading + "'");
    }

    public <T> T waitUntil(Function<WebDriver, T> condition, String what) {
        return new WebDriverWait(driver, WAIT).withMessage(() -> what + " on " + driver.getCurrentUrl()).until(condition);
    }

    /**
     * The rows of a table as its column headings (the {@code thead} cells) to the visible text of each cell, read in one
     * round trip to the browser.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, String>> table(By locator) {
        List<WebElement> tables = driver.findElements(locator);
        if (tables.isEmpty()) {
            return List.of();
        }
        List<String> headings = (List<String>) driver.executeScript(
                "return [...arguments[0].querySelectorAll('thead th')].map(c => c.innerText.trim())", tables.get(0));
        List<List<String>> rows = (List<List<String>>) driver.executeScript(
                "return [...arguments[0].tBodies].flatMap(b => [...b.rows]).map(r => [...r.cells].map(c => c.innerText.trim()))",
                tables.get(0));
        return rows.stream().map(cells -> {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < cells.size(); i++) {
                row.put(i < headings.size() ? headings.get(i) : String.valueOf(i), cells.get(i));
            }
            return row;
        }).toList();
    }

    /** The page's visible text. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public String heading() {
        return driver.findElement(By.tagName("h1")).getText();
    }

    /** Saves the whole page, not only the window, as target/screenshots/{name}.png. */
    public Path screenshot(String name) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        byte[] png;
        try {
            Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "scale", 1,
                            "width", ((Number) size.get("width")).doubleValue(),
                            "height", ((Number) size.get("height")).doubleValue())));
            png = Base64.getDecoder().decode((String) shot.get("data"));
        } catch (WebDriverException | ClassCastException | NullPointerException e) {
            png = driver.getScreenshotAs(OutputType.BYTES);
        }
        try {
            return Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One failed axe-core rule on the page and the elements that fail it. */
    public record Violation(String rule, String impact, String help, List<String> targets, String helpUrl) {
        @Override
        public String toString() {
            return rule + " (" + impact + "): " + help + " " + targets;
        }
    }

    /** Runs axe-core on the current page against WCAG 2.1 A and AA. */
    public List<Violation> accessibilityViolations() {
        // Only violations come back in full (passes and the rest with one example each): the full results of a long page
        // are megabytes of JSON through the driver, and only the violations are read.
        com.deque.html.axecore.args.AxeRunOptions options = new com.deque.html.axecore.args.AxeRunOptions();
        options.setResultTypes(List.of("violations"));
        // Legacy mode runs axe.run in the page itself. The default (runPartial) path also opens an about:blank tab and
        // injects axe (about 550 KB of script) a second time for every scan, to finish the run there: it exists for
        // frames of other origins, and every frame here has the page's own origin. Same rules, same results (0
        // violations and 22 passes both ways on a 200-row table page); in 8 scans × 3 rounds it was faster each round.
        @SuppressWarnings("deprecation")
        AxeBuilder axe = new AxeBuilder().withOptions(options).withTags(WCAG_TAGS).setLegacyMode(true);
        Results results = axe.analyze(driver);
        if (results.isErrored()) {
            throw new IllegalStateException("axe-core failed on " + driver.getCurrentUrl() + ": " + results.getErrorMessage());
        }
        if (results.getPasses().isEmpty() && results.getViolations().isEmpty()) {
            throw new IllegalStateException("axe-core checked nothing on " + driver.getCurrentUrl());
        }
        return results.getViolations().stream().map(Browser::violation).toList();
    }

    private static Violation violation(Rule rule) {
        // A target is a list of selectors, one per frame on the way to the element.
        List<String> targets = rule.getNodes().stream().map(n -> n.getTarget() instanceof List<?> selectors
                ? selectors.stream().map(String::valueOf).collect(Collectors.joining(" >>> ")) : String.valueOf(n.getTarget())).toList();
        return new Violation(rule.getId(), rule.getImpact(), rule.getHelp(), targets, rule.getHelpUrl());
    }

    /** Looks at the current page in a window this wide (a phone is 390 px), then goes back to the desktop width. */
    public void atWidth(int width, Runnable look) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
        try {
            look.run();
        } finally {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        }
    }

    /** The page fits the window's width; if not, the message names the elements that stick out (deepest first). */
    public void assertFitsTheWindowWidth() {
        Map<?, ?> sizes = (Map<?, ?>) ((JavascriptExecutor) driver).executeScript("""
                const inner = window.innerWidth;
                const out = [...document.body.querySelectorAll('*')]
                    .filter(e => e.getBoundingClientRect().right > inner + 1)
                    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > inner + 1))
                    .slice(0, 8)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
                        + ' (' + Math.round(e.getBoundingClientRect().right) + ' px) ' + (e.textContent || '').trim().slice(0, 40));
                return {scroll: document.documentElement.scrollWidth, inner: inner, out: out.join('; ')};""");
        long scroll = ((Number) sizes.get("scroll")).longValue();
        long inner = ((Number) sizes.get("inner")).longValue();
        assertTrue(scroll <= inner + 1, "the page is " + scroll + " px wide in a window of " + inner + " px on "
                + driver.getCurrentUrl() + "; sticking out: " + sizes.get("out"));
    }

    /** A file behind a link, fetched with the browser's session cookie as the browser would (Selenium cannot read downloads). */
    public HttpResponse<byte[]> download(String url) {
        Cookie session = driver.manage().getCookieNamed("JWT");
        assertNotNull(session, "the browser holds the session cookie");
        return HttpCalls.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", "JWT=" + session.getValue())
                .header("Accept", "*/*").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary profile is harmless.
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
