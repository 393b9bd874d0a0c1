package se.kompetensmal.roster;

/** A person as a source gives them: identity and name. */
public record PersonDetails(PersonIdentity identity, String givenName, String familyName) {
}
