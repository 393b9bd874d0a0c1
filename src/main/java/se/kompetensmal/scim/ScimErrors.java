package se.kompetensmal.scim;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Every SCIM refusal as a SCIM error document (RFC 7644 section 3.12), never as a page or a problem document. */
@Produces
@Singleton
public class ScimErrors implements ExceptionHandler<ScimException, HttpResponse<?>> {

    private final ScimJson json;

    public ScimErrors(ScimJson json) {
        this.json = json;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ScimException exception) {
        return json.error(exception);
    }
}
