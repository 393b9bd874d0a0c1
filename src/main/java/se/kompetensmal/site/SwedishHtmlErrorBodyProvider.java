package se.kompetensmal.site;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.HtmlErrorResponseBodyProvider;
import io.micronaut.views.ViewsRenderer;
import jakarta.inject.Singleton;
import se.kompetensmal.web.ErrorTexts;
import se.kompetensmal.web.Texts;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** Error pages for people in a browser: in Swedish, in the site's layout, and without technical detail for 5xx. */
@Singleton
@Replaces(HtmlErrorResponseBodyProvider.class)
public class SwedishHtmlErrorBodyProvider implements HtmlErrorResponseBodyProvider {

    private final ViewsRenderer<Map<String, Object>, HttpRequest<?>> renderer;

    private final Texts texts;

    public SwedishHtmlErrorBodyProvider(ViewsRenderer<Map<String, Object>, HttpRequest<?>> renderer, Texts texts) {
        this.renderer = renderer;
        this.texts = texts;
    }

    @Override
    public String body(ErrorContext context, HttpResponse<?> response) {
        int status = response.code();
        String detail = String.join(" ", ErrorTexts.shown(context, status));
        Map<String, Object> model = Map.of(
                "title", ErrorTexts.titleSv(status),
                "status", status,
                "detail", detail,
                "lang", Texts.SWEDISH,
                "t", texts.in(Texts.SWEDISH));
        StringWriter out = new StringWriter();
        try {
            renderer.render("error", model, context.getRequest()).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
