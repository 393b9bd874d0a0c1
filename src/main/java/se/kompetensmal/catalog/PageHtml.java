package se.kompetensmal.catalog;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A module page's Markdown as the learner sees it: the one renderer for the learner's pages, the catalogue and the
 * editor's preview, so that a preview is exactly what learners will get. Raw HTML is escaped, links and images keep only
 * the destinations {@link ModuleRules} allows (anything else becomes an empty address), {@code images/<file>} is
 * served from {@code imageBase}, and images load lazily. The rules refuse unsafe content before it is published; this
 * renderer is the second line, for what was stored before the rules or typed into a draft.
 */
public final class PageHtml {

    private static final Parser MARKDOWN = Parser.builder().build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .attributeProviderFactory(context -> (node, tagName, attributes) -> {
                if (node instanceof Image) {
                    attributes.put("loading", "lazy");
                }
            })
            .build();

    private PageHtml() {
    }

    /** Where the images of a published version are served. */
    public static String versionImages(String moduleCode, int version) {
        return "/katalog/moduler/" + moduleCode + "/versioner/" + version + "/bilder/";
    }

    public static String render(String markdown, String imageBase) {
        Node document = MARKDOWN.parse(markdown == null ? "" : markdown);
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                if (ModuleRules.destinationProblem(link.getDestination(), null, false) != null) {
                    link.setDestination("");
                }
                visitChildren(link);
            }

            @Override
            public void visit(Image image) {
                String destination = image.getDestination() == null ? "" : image.getDestination().strip();
                if (destination.startsWith("images/")
                        && ImageFiles.FILE_NAME.matcher(destination.substring("images/".length())).matches()) {
                    image.setDestination(imageBase + destination.substring("images/".length()));
                } else if (ModuleRules.destinationProblem(destination, null, true) != null) {
                    image.setDestination("");
                }
                visitChildren(image);
            }
        });
        return HTML.render(document);
    }
}
