package se.kompetensmal.authoring;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

/**
 * Something asked of an own module that cannot be done as asked (a code already taken, publishing what has not changed,
 * a withdrawn module), with a Swedish message a page shows above the form and the API answers as 422.
 */
public class AuthoringRefused extends HttpStatusException {

    public AuthoringRefused(String message) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, message);
    }
}
