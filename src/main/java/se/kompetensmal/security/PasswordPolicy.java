package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one home of what a password must be, for a password chosen with a link and one changed by its owner: at least
 * {@value #MIN_LENGTH} characters (at most {@value #MAX_LENGTH}: enough for any passphrase, and Argon2 is not to be fed
 * megabytes), not the username nor containing it, and not a common password. Common means in the shipped list
 * ({@code security/common-passwords.txt}, compared without regard to case), or such a password with only digits and
 * symbols added at the end ("Sommar2024!" is "sommar" dressed up). Length counts characters as people see them.
 */
@Singleton
public class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;
    static final String LIST = "security/common-passwords.txt";

    /** Shown beside the field before anything is typed. */
    public static final String RULES = "Minst " + MIN_LENGTH + " tecken. Använd gärna flera ord, till exempel en mening."
            + " Lösenordet får inte innehålla ditt användarnamn och inte vara ett vanligt lösenord.";

    private final Set<String> common;

    public PasswordPolicy() {
        this.common = load();
    }

    /** What is wrong with the password for this account, in Swedish, or empty when it may be used. */
    public Optional<String> problem(@Nullable String password, String username) {
        if (password == null || password.isEmpty()) {
            return Optional.of("Skriv ett lösenord.");
        }
        String text = Normalizer.normalize(password, Normalizer.Form.NFC);
        int length = text.codePointCount(0, text.length());
        if (length < MIN_LENGTH) {
            return Optional.of("Lösenordet är för kort: det har " + length + " tecken och ska ha minst " + MIN_LENGTH + ".");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("Lösenordet är för långt: det får ha högst " + MAX_LENGTH + " tecken.");
        }
        String lower = lower(text);
        if (containsUsername(lower, lower(username))) {
            return Optional.of("Lösenordet får inte innehålla ditt användarnamn.");
        }
        if (isCommon(lower)) {
            return Optional.of("Lösenordet är för vanligt och lätt att gissa. Välj ett annat, till exempel några ord som bara du sätter ihop.");
        }
        return Optional.empty();
    }

    /** Whether the password (any case) is in the list, or is one from the list followed by digits and symbols only. */
    boolean isCommon(String lower) {
        if (common.contains(lower)) {
            return true;
        }
        String base = lower.replaceFirst("[\\p{N}\\p{P}\\p{S}\\s]+$", "");
        return !base.isEmpty() && !base.equals(lower) && common.contains(base);
    }

    /**
     * The whole username, and for an e-mail address also the part before @ when it is long enough to be more than chance
     * (four characters): "anna.berg2024!" is as weak for anna.berg@kommun.se as the address itself.
     */
    private static boolean containsUsername(String lowerPassword, String lowerUsername) {
        if (lowerUsername.isBlank()) {
            return false;
        }
        if (lowerPassword.contains(lowerUsername)) {
            return true;
        }
        int at = lowerUsername.indexOf('@');
        return at >= 4 && lowerPassword.contains(lowerUsername.substring(0, at));
    }

    private static String lower(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException("The list of common passwords is missing: " + LIST);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(lower(word));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }

    /** How many entries the list holds (for the README and a test that it was read at all). */
    int size() {
        return common.size();
    }
}
