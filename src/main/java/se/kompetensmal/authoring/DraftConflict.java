package se.kompetensmal.authoring;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

/**
 * A draft saved over an older revision than the stored one: someone else (or the same person in another tab) saved in
 * between. Answered as 409 with a Swedish message saying who saved and when; nothing is overwritten.
 */
public class DraftConflict extends HttpStatusException {

    public DraftConflict(String message) {
        super(HttpStatus.CONFLICT, message);
    }
}
