package se.kompetensmal.catalog;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A module page's Markdown as the learner sees it: the one renderer for the learner's pages, the catalogue and the
 * editor's preview, so that a preview is exactly what learners will get. Raw HTML is escaped, unsafe link schemes are
 * dropped, and {@code images/<file>} is served from {@code imageBase}.
 */
public final class PageHtml {

    private static final Parser MARKDOWN = Parser.builder().build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    private PageHtml() {
    }

    /** Where the images of a published version are served. */
    public static String versionImages(String moduleCode, int version) {
        return "/katalog/moduler/" + moduleCode + "/versioner/" + version + "/bilder/";
    }

    public static String render(String markdown, String imageBase) {
        // TODO(rules helper): rewrite images/<file> to imageBase + file, lazy-load, width/height from the stored image.
        return HTML.render(MARKDOWN.parse(markdown));
    }
}
