package se.kompetensmal.site;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.HtmlErrorResponseBodyProvider;
import io.micronaut.views.ViewsRenderer;
import jakarta.inject.Singleton;
import se.kompetensmal.web.ErrorTexts;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Error pages for people in a browser: in Swedish, in the site's layout with its menu (so that the way on is where it
 * always is), saying what to do next, and without technical detail. API clients get problem JSON instead
 * ({@link se.kompetensmal.web.ProblemJsonBodyProvider}).
 */
@Singleton
@Replaces(HtmlErrorResponseBodyProvider.class)
public class SwedishHtmlErrorBodyProvider implements HtmlErrorResponseBodyProvider {

    private final ViewsRenderer<Map<String, Object>, HttpRequest<?>> renderer;
    private final LayoutModel layout;

    public SwedishHtmlErrorBodyProvider(ViewsRenderer<Map<String, Object>, HttpRequest<?>> renderer, LayoutModel layout) {
        this.renderer = renderer;
        this.layout = layout;
    }

    @Override
    public String body(ErrorContext context, HttpResponse<?> response) {
        int status = response.code();
        HttpRequest<?> request = context.getRequest();
        List<String> detail = new ArrayList<>();
        if ("GET".equals(request.getMethodName())) {
            unreadableValue(context).ifPresent(detail::add);
        }
        detail.addAll(ErrorTexts.shown(context, status));
        Map<String, Object> model = new HashMap<>(layout.of(request));
        // The error page is always Swedish: its texts are not in the language files.
        model.put("lang", "sv");
        model.put("title", title(status));
        model.put("status", status);
        model.put("detail", String.join(" ", detail));
        model.put("advice", ErrorAdvice.of(status, request.getPath()));
        model.put("signedIn", request.getUserPrincipal().isPresent());
        // Busy (503): the same page again in a moment is the way on. Who is signed in may not be known then (the
        // rights are read from the database), so no "Till inloggningen" for someone who is.
        model.put("retry", status == 503 && "GET".equals(request.getMethodName()) ? sameAddress(request) : null);
        StringWriter out = new StringWriter();
        try {
            renderer.render("error", model, request).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The request's own path and query, only ever a path on this site. */
    private static String sameAddress(HttpRequest<?> request) {
        String path = request.getPath();
        if (!path.startsWith("/") || path.startsWith("//")) {
            return "/";
        }
        String query = request.getUri().getRawQuery();
        return query == null ? path : path + "?" + query;
    }

    /** "Sidan finns inte" says more to a reader than "Hittades inte"; the rest as for API clients. */
    static String title(int status) {
        return status == 404 ? "Sidan finns inte" : ErrorTexts.titleSv(status);
    }

    /**
     * A value in the address of a page that could not be read as what the page expects ("?sida=x"): said first, since
     * the reader did not type a form but followed or edited a link.
     */
    private static java.util.Optional<String> unreadableValue(ErrorContext context) {
        return context.getRootCause().filter(ConversionErrorException.class::isInstance)
                .map(cause -> "Adressen innehåller ett värde som inte kan läsas: "
                        + ((ConversionErrorException) cause).getArgument().getName() + ".");
    }
}
