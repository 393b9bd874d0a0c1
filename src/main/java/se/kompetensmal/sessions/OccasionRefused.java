package se.kompetensmal.sessions;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

/**
 * Something asked of an occasion that cannot be done as asked (a field out of bounds, a trainer who may not hold it,
 * attendance before the start), with a Swedish message a page shows above its form and the API answers as 422.
 */
public class OccasionRefused extends HttpStatusException {

    public OccasionRefused(String message) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, message);
    }
}
