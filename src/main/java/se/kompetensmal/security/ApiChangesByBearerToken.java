package se.kompetensmal.security;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.exceptions.HttpStatusException;

/**
 * The API changes nothing for a request that carries only the session cookie: a browser sends the cookie along with a
 * request another site makes, and an API call has no form to carry a CSRF token. Changes through the API need the token
 * as a bearer token ({@code Authorization: Bearer}), which another site cannot make a browser send; reading by cookie
 * stays possible. The pages' own scripts post to the pages, with the form's CSRF token, not to the API.
 */
@ServerFilter("/api/**")
public class ApiChangesByBearerToken {

    static final String COOKIE_ONLY = "Ändringar via API:t kräver token i huvudet Authorization: Bearer; "
            + "inloggningens kaka räcker inte.";

    @RequestFilter
    public void check(HttpRequest<?> request) {
        if (SameOriginCheck.UNSAFE.contains(request.getMethod()) && !request.getHeaders().contains(HttpHeaders.AUTHORIZATION)
                && request.getCookies().contains(CsrfTokens.SESSION_COOKIE)) {
            throw new HttpStatusException(HttpStatus.FORBIDDEN, COOKIE_ONLY);
        }
    }
}
