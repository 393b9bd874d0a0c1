package se.kompetensmal.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
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
        List<String> messages = context.getErrors().stream()
                .map(e -> e.getPath().map(path -> path + ": ").orElse("") + e.getMessage())
                .toList();
        // Internal errors say nothing about the inside of the service.
        String detail = response.code() >= 500 ? "Ett oväntat fel inträffade. Försök igen senare."
                : messages.isEmpty() ? null : messages.get(0);
        return new Problem("about:blank", ErrorTexts.titleSv(response.code()), response.code(), detail,
                context.getRequest().getPath(), response.code() < 500 && messages.size() > 1 ? messages : List.of());
    }

    @Override
    public String contentType() {
        return "application/problem+json";
    }
}
