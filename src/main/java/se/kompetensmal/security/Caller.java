package se.kompetensmal.security;

import io.micronaut.security.authentication.Authentication;

/** The signed-in account as the rest of the service sees it. */
public record Caller(long accountId, Long personId, String name) {

    static final String ACCOUNT_ID = "accountId";
    static final String PERSON_ID = "personId";
    static final String NAME = "name";

    public static Caller of(Authentication authentication) {
        Object person = authentication.getAttributes().get(PERSON_ID);
        return new Caller(Long.parseLong(String.valueOf(authentication.getAttributes().get(ACCOUNT_ID))),
                person == null ? null : Long.valueOf(String.valueOf(person)),
                String.valueOf(authentication.getAttributes().getOrDefault(NAME, authentication.getName())));
    }
}
