package se.kompetensmal.catalog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one page renderer: what got past the rules (an old version, a draft being typed) still cannot run script. */
class PageHtmlTest {

    private static final String BASE = PageHtml.versionImages("trycksar", 3);

    @Test
    void rawHtmlIsShownAsTextNotRun() {
        String html = PageHtml.render("Text\n\n<script>alert(1)</script>\n\nKlicka <img src=x onerror=alert(1)>.", BASE);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<img src=\"x\""), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
    }

    @Test
    void unsafeDestinationsAreDropped() {
        String html = PageHtml.render("[a](javascript:alert(1)) [b](vbscript:x) ![c](data:image/svg+xml;base64,PHN2Zz4=) "
                + "<javascript:alert(2)> [d](java\tscript:alert(3))", BASE);
        java.util.regex.Matcher addresses = java.util.regex.Pattern.compile("(href|src)=\"([^\"]*)\"").matcher(html);
        int count = 0;
        while (addresses.find()) {
            assertEquals("", addresses.group(2), "every unsafe address is emptied: " + html);
            count++;
        }
        assertEquals(4, count, html);
        assertFalse(html.contains("<script"), html);
    }

    @Test
    void moduleImagesComeFromTheVersionAndLoadLazily() {
        String html = PageHtml.render("![Ett diagram](images/diagram.png)\n\n[Källa](https://example.se/a?b=1) [Upp](#topp)", BASE);
        assertEquals("<p><img src=\"/katalog/moduler/trycksar/versioner/3/bilder/diagram.png\" alt=\"Ett diagram\" loading=\"lazy\" /></p>\n"
                + "<p><a rel=\"nofollow\" href=\"https://example.se/a?b=1\">Källa</a> <a rel=\"nofollow\" href=\"#topp\">Upp</a></p>\n", html);
    }
}
