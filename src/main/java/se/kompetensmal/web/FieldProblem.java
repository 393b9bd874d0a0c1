package se.kompetensmal.web;

import io.micronaut.http.server.exceptions.response.Error;

import java.util.Optional;

/**
 * One field a request got wrong, said in Swedish: the problem document lists it under {@code errors} and an error page
 * shows it. Only texts of this type and of the service's own exceptions reach a user; the framework's English does not.
 */
public record FieldProblem(String field, String message) implements Error {

    @Override
    public Optional<String> getPath() {
        return Optional.of(field);
    }

    @Override
    public String getMessage() {
        return message;
    }
}
