package se.kompetensmal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Something sent that cannot be saved as it is: 422 with every field at fault, each with a Swedish message. A page shows
 * each message at its field ({@link #byField()}); the API's problem document lists them. Each feature has its own
 * subclass (an own goal, a registered completion), all answered by the one handler below.
 */
public abstract class InvalidFields extends HttpStatusException {

    private final List<FieldProblem> problems;

    protected InvalidFields(List<FieldProblem> problems) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, String.join(" ", problems.stream().map(FieldProblem::message).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** The message of each field, by field name, for a form. */
    public Map<String, String> byField() {
        return problems.stream().collect(Collectors.toMap(FieldProblem::field, FieldProblem::message, (a, b) -> a + " " + b));
    }

    /** Answers the API with a problem that names every field. */
    @Singleton
    @Produces
    public static class Handler implements ExceptionHandler<InvalidFields, HttpResponse<?>> {

        private final ErrorResponseProcessor<?> processor;

        public Handler(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, InvalidFields exception) {
            ErrorContext.Builder context = ErrorContext.builder(request).cause(exception);
            exception.problems().forEach(context::error);
            return processor.processResponse(context.build(), HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY));
        }
    }
}
