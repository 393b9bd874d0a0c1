package se.kompetensmal.player;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

/** The module has no package to play, or the attempt asked for is not the learner's: answered as unknown (404). */
public class PackageNotPlayable extends HttpStatusException {

    public PackageNotPlayable(String swedishMessage) {
        super(HttpStatus.NOT_FOUND, swedishMessage);
    }
}
