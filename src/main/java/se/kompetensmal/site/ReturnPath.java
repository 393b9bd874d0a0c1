package se.kompetensmal.site;

import io.micronaut.core.annotation.Nullable;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where to go after signing in: the page first asked for, carried as {@code ?tillbaka=/path} on the sign-in page and its
 * form. Only a path on this site is followed ("/organisationer/5?sida=2"); anything that a browser could read as another
 * site ("//evil.example", "/\evil", "https://evil", control characters) gives the start page, so the sign-in page cannot
 * be used to send someone elsewhere with a trustworthy-looking link.
 */
public final class ReturnPath {

    public static final String PARAMETER = "tillbaka";
    private static final int MAX_LENGTH = 2000;

    private ReturnPath() {
    }

    /** The path if it is safe to send the browser to, otherwise "/". */
    public static String safe(@Nullable String asked) {
        if (asked == null || asked.isEmpty() || asked.length() > MAX_LENGTH || asked.charAt(0) != '/') {
            return "/";
        }
        if (asked.length() > 1 && (asked.charAt(1) == '/' || asked.charAt(1) == '\\')) {
            return "/";
        }
        for (int i = 0; i < asked.length(); i++) {
            char c = asked.charAt(i);
            // Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil"); backslashes count as slashes.
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return "/";
            }
        }
        // Never back to the sign-in or sign-out pages themselves.
        if (asked.equals("/login") || asked.startsWith("/login?") || asked.startsWith("/login/") || asked.startsWith("/logout")) {
            return "/";
        }
        return asked;
    }

    /** "?tillbaka=…" for a sign-in address, or nothing when the start page is where one would land anyway. */
    public static String query(@Nullable String asked) {
        String safe = safe(asked);
        return "/".equals(safe) ? "" : "?" + PARAMETER + "=" + URLEncoder.encode(safe, StandardCharsets.UTF_8);
    }
}
