package se.kompetensmal.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.bind.exceptions.UnsatisfiedArgumentException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedArgumentHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;

import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one place where input the service cannot accept becomes a Swedish answer naming the field: a violated constraint
 * (from {@code @Valid} on a controller or service) or a value that is not of the field's type is 422, a missing
 * argument 400. The problem document and the error page both show these {@link FieldProblem}s.
 */
public final class InputProblems {

    /**
     * What people call the fields, so that a page says "Fältet 'klar inom antal dagar'" rather than a property name. The
     * problem document still names the property itself under {@code errors} (path), for API clients.
     */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("name", "namn"), Map.entry("kind", "slag"), Map.entry("audience", "målgrupp"),
            Map.entry("modules", "moduler"), Map.entry("module", "modul"), Map.entry("dueDays", "klar inom antal dagar"),
            Map.entry("countsFrom", "räknat från"), Map.entry("intervalMonths", "giltig i antal månader"),
            Map.entry("renewalWindowDays", "kan förnyas antal dagar före utgång"), Map.entry("startsOn", "gäller från"),
            Map.entry("documentation", "dokumentation"), Map.entry("governingDocument", "styrande dokument"),
            Map.entry("approvedBy", "fastställd av"), Map.entry("approvedOn", "fastställd den"),
            Map.entry("dueDate", "förfallodag"), Map.entry("reason", "skäl"), Map.entry("evidence", "underlag"),
            Map.entry("enabled", "påminnelser på"), Map.entry("daysBefore", "antal dagar före"),
            Map.entry("whenOverdue", "när det är försenat"), Map.entry("weeklyDigest", "veckosammanställning"),
            Map.entry("username", "användarnamn"), Map.entry("role", "roll"), Map.entry("organisation", "organisation"),
            Map.entry("withinDays", "antal dagar framåt"), Map.entry("sida", "sida"), Map.entry("dagar", "antal dagar"),
            Map.entry("appliesFrom", "gäller från"), Map.entry("catchUpDue", "befintlig personal klar senast"));

    private InputProblems() {
    }

    /** The field as people know it: its Swedish label, or its own name where it has none. */
    public static String label(String field) {
        return LABELS.getOrDefault(field, field);
    }

    /** Every violation as "Fältet 'x' ..." in Swedish, in a stable order. */
    public static List<FieldProblem> of(ConstraintViolationException e) {
        List<FieldProblem> problems = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            String field = field(violation.getPropertyPath());
            problems.add(new FieldProblem(field, "Fältet '" + label(field) + "' " + predicate(violation) + "."));
        }
        problems.sort((a, b) -> a.field().compareTo(b.field()));
        return problems;
    }

    /** The problems as one sentence for a page. */
    public static String sentence(ConstraintViolationException e) {
        return String.join(" ", of(e).stream().map(FieldProblem::message).toList());
    }

    /** A value that could not be read as the field's type, e.g. "Värdet för 'sida' är inte ett giltigt tal." */
    public static FieldProblem notReadable(String field, Class<?> type) {
        return new FieldProblem(field, "Värdet för '" + label(field) + "' är inte " + expected(type) + ".");
    }

    private static String field(Path path) {
        String field = null;
        for (Path.Node node : path) {
            if (node.getName() != null && !node.getName().isEmpty()) {
                field = node.getName();
            }
        }
        return field == null ? "?" : field;
    }

    /** What the constraint asks, said in Swedish; a constraint with its own (Swedish) message says it itself. */
    private static String predicate(ConstraintViolation<?> violation) {
        if (!violation.getMessageTemplate().startsWith("{")) {
            return violation.getMessage();
        }
        Map<String, Object> attributes = violation.getConstraintDescriptor().getAttributes();
        Object value = violation.getInvalidValue();
        String unit = value instanceof Collection<?> || value instanceof Map<?, ?> ? " värden" : " tecken";
        return switch (violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName()) {
            case "NotNull", "NotBlank", "NotEmpty" -> "måste fyllas i";
            case "Size" -> {
                int min = ((Number) attributes.getOrDefault("min", 0)).intValue();
                int max = ((Number) attributes.getOrDefault("max", Integer.MAX_VALUE)).intValue();
                yield max == Integer.MAX_VALUE ? "ska ha minst " + min + unit
                        : min == 0 ? "får ha högst " + max + unit : "ska ha " + min + " till " + max + unit;
            }
            case "Min", "DecimalMin" -> "får inte vara mindre än " + attributes.get("value");
            case "Max", "DecimalMax" -> "får inte vara större än " + attributes.get("value");
            case "Positive" -> "ska vara större än 0";
            case "PositiveOrZero" -> "får inte vara negativt";
            case "Pattern" -> "har fel form";
            case "Email" -> "är ingen giltig e-postadress";
            default -> "har ett ogiltigt värde";
        };
    }

    private static String expected(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class || type == short.class) {
            return "ett giltigt heltal";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "sant eller falskt (true eller false)";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "ett giltigt datum (ÅÅÅÅ-MM-DD)";
        }
        if (type.isEnum()) {
            return "ett av " + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Object::toString).toList());
        }
        if (type == String.class) {
            return "en text";
        }
        return "giltigt";
    }

    private static HttpResponse<?> answer(ErrorResponseProcessor<?> processor, HttpRequest<?> request, Throwable cause,
                                          HttpStatus status, List<FieldProblem> problems) {
        ErrorContext.Builder context = ErrorContext.builder(request).cause(cause);
        problems.forEach(context::error);
        return processor.processResponse(context.build(), HttpResponse.status(status));
    }

    /** A violated constraint: 422 with every field named. */
    @Singleton
    @Produces
    @Replaces(ConstraintExceptionHandler.class)
    public static class Violations implements ExceptionHandler<ConstraintViolationException, HttpResponse<?>> {

        private final ErrorResponseProcessor<?> processor;

        public Violations(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, ConstraintViolationException exception) {
            return answer(processor, request, exception, HttpStatus.UNPROCESSABLE_ENTITY, of(exception));
        }
    }

    /**
     * A value of the wrong type: a query parameter that is no number, or a JSON property of the wrong kind (which
     * {@link StrictJson} refuses instead of coercing). 422, naming the parameter or property.
     */
    @Singleton
    @Produces
    @Replaces(ConversionErrorHandler.class)
    public static class Conversions implements ExceptionHandler<ConversionErrorException, HttpResponse<?>> {

        private final ErrorResponseProcessor<?> processor;

        public Conversions(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, ConversionErrorException exception) {
            FieldProblem problem = StrictJson.problemIn(exception)
                    .orElseGet(() -> notReadable(exception.getArgument().getName(), exception.getArgument().getType()));
            return answer(processor, request, exception, HttpStatus.UNPROCESSABLE_ENTITY, List.of(problem));
        }
    }

    /** A required parameter or body that is missing: 400, naming it. */
    @Singleton
    @Produces
    @Replaces(UnsatisfiedArgumentHandler.class)
    public static class Missing implements ExceptionHandler<UnsatisfiedArgumentException, HttpResponse<?>> {

        private final ErrorResponseProcessor<?> processor;

        public Missing(ErrorResponseProcessor<?> processor) {
            this.processor = processor;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, UnsatisfiedArgumentException exception) {
            Argument<?> argument = exception.getArgument();
            return answer(processor, request, exception, HttpStatus.BAD_REQUEST,
                    List.of(new FieldProblem(argument.getName(), "Fältet '" + label(argument.getName()) + "' måste fyllas i.")));
        }
    }
}
