package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/**
 * What a person is known by, strongest first: the HSA-id (unique across the instance), the employee number
 * (anställningsnummer, unique within the huvudman) and the e-mail address (unique within the huvudman among people with
 * neither). Blank values count as absent.
 */
@Serdeable
public record PersonIdentity(@Nullable String hsaId, @Nullable String employeeNumber, @Nullable String email) {

    public PersonIdentity {
        hsaId = blankToNull(hsaId);
        employeeNumber = blankToNull(employeeNumber);
        email = blankToNull(email);
    }

    /** Has at least one of the three. */
    public boolean isPresent() {
        return hsaId != null || employeeNumber != null || email != null;
    }

    /** Known by e-mail alone: neither HSA-id nor employee number. */
    public boolean byEmail() {
        return hsaId == null && employeeNumber == null && email != null;
    }

    /** The e-mail as compared (the database's email_key): case does not tell two addresses apart. */
    @Nullable
    public String emailKey() {
        return email == null ? null : email.toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
