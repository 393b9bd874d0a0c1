package se.kompetensmal.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pages a browser test visits: a screenshot of each, and an axe-core scan of each that must find no WCAG 2.1 A/AA
 * violation. The scans are written to target/accessibility/{name}.txt for the record.
 */
final class PageVisits {

    private final String name;
    private final Map<String, List<Browser.Violation>> scans = new LinkedHashMap<>();

    PageVisits(String name) {
        this.name = name;
    }

    private long screenshotNanos;
    private long scanNanos;
    private int screenshots;

    void visited(Browser browser, String screenshot) {
        photographed(browser, screenshot);
        long started = System.nanoTime();
        List<Browser.Violation> violations = browser.accessibilityViolations();
        scanNanos += System.nanoTime() - started;
        String page = screenshot + " " + browser.driver().getCurrentUrl().replaceFirst("^https?://[^/]+", "");
        scans.put(page, violations);
        assertEquals(List.of(), violations, page);
    }

    /**
     * A screenshot alone, for the same page at a second width once {@link #visited} has scanned it at the other: the
     * scan looks at the same document either way (the editor's test scanned each of its 28 pages at both widths, 56
     * scans and about a minute of the CI run, which was at its 20-minute limit; the narrow width is where pages break).
     */
    void photographed(Browser browser, String screenshot) {
        long started = System.nanoTime();
        browser.screenshot(screenshot);
        screenshotNanos += System.nanoTime() - started;
        screenshots++;
    }

    void writeReport() throws IOException {
        StringBuilder report = new StringBuilder("axe-core, tags " + Browser.WCAG_TAGS + "; " + scans.size() + " scans in "
                + scanNanos / 1_000_000 + " ms, " + (Browser.PHOTOGRAPHING ? screenshots + " screenshots in "
                + screenshotNanos / 1_000_000 + " ms" : "no screenshots (KOMPETENSMAL_SCREENSHOTS=off)") + "\n");
        scans.forEach((page, violations) -> {
            report.append("\n").append(page).append(": ").append(violations.size()).append(" violation(s)\n");
            violations.forEach(v -> report.append("  ").append(v).append("\n    ").append(v.helpUrl()).append("\n"));
        });
        Path file = Path.of("target", "accessibility", name + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        System.out.println(report);
    }
}
