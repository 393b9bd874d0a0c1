package se.kompetensmal.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

import java.util.List;

/** Turns every error the API answers with into an {@code application/problem+json} document. */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ProblemJsonBodyProvider implements JsonErrorResponseBodyProvider<Problem> {

    @Override
    public Problem body(ErrorContext context, HttpResponse<?> response) {
        // Only Swedish texts of the service's own; internal errors say nothing about the inside of the service.
        List<String> messages = ErrorTexts.shown(context, response.code());
        boolean fields = context.getErrors().stream().anyMatch(FieldProblem.class::isInstance);
        String detail = response.code() >= 500 ? "Ett oväntat fel inträffade. Försök igen senare."
                : messages.isEmpty() ? null : String.join(" ", messages);
        // The message names the field as people know it; an API client also gets the property itself, first.
        List<String> errors = fields
                ? context.getErrors().stream().filter(FieldProblem.class::isInstance)
                        .map(e -> ((FieldProblem) e).field() + ": " + e.getMessage()).toList()
                : messages.size() > 1 ? messages : List.of();
        // A refusal naming several places (the pages and questions of a module at fault) lists them, each with its place.
        List<Problem.Located> located = response.code() >= 500 ? List.of() : context.getRootCause()
                .filter(LocatedProblems.class::isInstance).map(cause -> ((LocatedProblems) cause).located()).orElse(List.of());
        return new Problem("about:blank", ErrorTexts.titleSv(response.code()), response.code(), detail,
                context.getRequest().getPath(), response.code() >= 500 ? List.of() : errors, located);
    }

    @Override
    public String contentType() {
        return "application/problem+json";
    }
}
