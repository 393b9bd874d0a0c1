package se.kompetensmal.registration;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import se.kompetensmal.web.FieldProblem;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A registration (or its evidence, or a voiding) that cannot be saved as sent: 422 with every field at fault, each with a
 * Swedish message. The page shows each at its field; the API's problem lists them.
 */
public class RegistrationInvalid extends HttpStatusException {

    private final List<FieldProblem> problems;

    public RegistrationInvalid(List<FieldProblem> problems) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, String.join(" ", problems.stream().map(FieldProblem::message).toList()));
        this.problems = List.copyOf(problems);
    }

    public static RegistrationInvalid of(String field, String message) {
        return new RegistrationInvalid(List.of(new FieldProblem(field, message)));
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    public Map<String, String> byField() {
        return problems.stream().collect(Collectors.toMap(FieldProblem::field, FieldProblem::message, (a, b) -> a + " " + b));
    }

    /** Answers the API with a problem that names every field. */
    @Singleton
    @Produces
    public static class Handler implements ExceptionHandler<RegistrationInvalid, HttpResponse<?>> {

        private final ErrorResponseProcessor<?> processor;

        public Handler(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, RegistrationInvalid exception) {
            ErrorContext.Builder context = ErrorContext.builder(request).cause(exception);
            exception.problems().forEach(context::error);
            return processor.processResponse(context.build(), HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY));
        }
    }
}
