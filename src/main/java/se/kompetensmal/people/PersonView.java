package se.kompetensmal.people;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;
import java.util.List;

/**
 * A person as the API and the pages show them; the audiences by code, and by name (same order) for pages. The
 * organisation is the home placement (the earliest current one); every placement is in {@link PlacementView}. HSA-id and
 * employee number may be absent (a politician known by e-mail).
 */
@Serdeable
public record PersonView(long id, @Nullable String hsaId, String givenName, String familyName, @Nullable String email,
                         long organisationId, String organisationCode, String organisationName, List<String> audiences,
                         LocalDate orgStartDate, LocalDate roleStartDate, PersonStatus status, @Nullable LocalDate leftOn,
                         List<String> audienceNames, @Nullable String employeeNumber) {

    /** Given and family name, as pages and messages call the person. */
    public String name() {
        return givenName + " " + familyName;
    }
}
