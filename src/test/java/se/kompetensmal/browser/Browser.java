package se.kompetensmal.browser;

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
    /**
     * Screenshots are for people to look at, and taken unless KOMPETENSMAL_SCREENSHOTS=off, which .ci/run sets: nobody
     * looks at CI's, and they were the largest cost of the browser work there (the link walk's 57 pages took 4.2 s each
     * with a full-page screenshot at 390 and at 1280 px; about 250 more in the browser tests, 0.3 to 0.8 s each), in a
     * run at its 20-minute limit.
     */
    public static final boolean PHOTOGRAPHING = !"off".equalsIgnoreCase(System.getenv("KOMPETENSMAL_SCREENSHOTS"));
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
            // axe-core in every document (and frame) from its start, for the scans below: handed over once here rather
            // than sent through the driver (550 KB) at every scan.
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", AXE));
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
    }

    /** axe-core itself, as the axe-core Selenium package ships it (its version is the dependency's, in the pom). */
    private static final String AXE = axeSource();

    private static String axeSource() {
        try (var in = Browser.class.getResourceAsStream("/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the test class path (com.deque.html.axe-core:selenium)");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** Saves the whole page, not only the window, as target/screenshots/{name}.png (unless {@link #PHOTOGRAPHING} is off). */
    public Path screenshot(String name) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        if (!PHOTOGRAPHING) {
            return file;
        }
        byte[] png;
        try {
            Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
            // optimizeForSpeed: larger files, 15 % less time (575 against 682 ms for the catalogue page, measured).
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "optimizeForSpeed", true, "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "scale", 1,
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

    /**
     * Runs axe-core on the current page (and its frames) against WCAG 2.1 A and AA.
     *
     * <p>axe is already in the page (see the constructor) and is run here directly. Until 2026-12-03 each scan went
     * through axe's Selenium package (AxeBuilder, legacy mode): measured on the catalogue page on this 2-core machine,
     * 1,094 ms a scan, against 273 ms for the same {@code axe.run} in a page that has axe from its start (loading the
     * page took 23 ms longer for it). The browser tests make about 250 scans, and CI was at its 20-minute limit.
     * Same engine, same tags; only the violations come back in full.
     */
    @SuppressWarnings("unchecked")
    public List<Violation> accessibilityViolations() {
        JavascriptExecutor js = driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(AXE); // a document the browser had before axe was handed over (none in these tests)
        }
        Map<String, Object> outcome = (Map<String, Object>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const selector = t => Array.isArray(t) ? t.join(' ') : String(t);
                axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
                    .then(r => done({passes: r.passes.length, violations: r.violations.map(v => ({rule: v.id,
                        impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
                        targets: v.nodes.map(n => n.target.map(selector).join(' >>> '))}))}))
                    .catch(e => done({error: String(e && e.stack || e)}));""", WCAG_TAGS);
        if (outcome.get("error") != null) {
            throw new IllegalStateException("axe-core failed on " + driver.getCurrentUrl() + ": " + outcome.get("error"));
        }
        List<Map<String, Object>> violations = (List<Map<String, Object>>) outcome.get("violations");
        if (((Number) outcome.get("passes")).intValue() == 0 && violations.isEmpty()) {
            throw new IllegalStateException("axe-core checked nothing on " + driver.getCurrentUrl());
        }
        return violations.stream().map(v -> new Violation((String) v.get("rule"), (String) v.get("impact"),
                (String) v.get("help"), (List<String>) v.get("targets"), (String) v.get("helpUrl"))).toList();
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
