package se.kompetensmal.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens for forms: a keyed digest of the caller's session cookie. Another site can neither read the cookie nor
 * compute the token, so a form it submits in the caller's name is refused.
 */
@Singleton
public class CsrfTokens {

    public static final String FIELD = "csrfToken";
    static final String SESSION_COOKIE = "JWT";

    private final SecretKeySpec key;

    public CsrfTokens(@Value("${micronaut.security.token.jwt.signatures.secret.generator.secret}") String secret) {
        this.key = new SecretKeySpec(("csrf:" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The token for the caller's session, or null when there is no session. */
    public @Nullable String tokenFor(HttpRequest<?> request) {
        return request.getCookies().findCookie(SESSION_COOKIE).map(Cookie::getValue).map(this::digest).orElse(null);
    }

    public void verify(HttpRequest<?> request, @Nullable String submitted) {
        String expected = tokenFor(request);
        if (expected == null || submitted == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), submitted.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpStatusException(HttpStatus.FORBIDDEN,
                    "Formuläret kunde inte godtas (säkerhetskontroll). Ladda om sidan och försök igen.");
        }
    }

    private String digest(String session) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(session.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
