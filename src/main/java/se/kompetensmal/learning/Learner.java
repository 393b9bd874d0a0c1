package se.kompetensmal.learning;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import se.kompetensmal.security.Caller;

/** The person behind a signed-in account: only people in the roster take modules and have a history. */
public final class Learner {

    private Learner() {
    }

    public static long personOf(Authentication authentication) {
        Long person = Caller.of(authentication).personId();
        if (person == null) {
            throw new HttpStatusException(HttpStatus.FORBIDDEN,
                    "Ditt konto är inte kopplat till någon person i personallistan, så du har ingen egen utbildning här.");
        }
        return person;
    }
}
