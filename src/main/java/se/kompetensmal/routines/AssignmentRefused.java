package se.kompetensmal.routines;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

/**
 * A manual assignment or exemption that cannot be made as asked (a module that does not exist, a due date already past,
 * a person who has left), with a Swedish message a page shows above the form and the API answers as 422.
 */
public class AssignmentRefused extends HttpStatusException {

    public AssignmentRefused(String message) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, message);
    }
}
