package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one rule for what an image of a module may be. The type is read from the bytes, never from the name: a browser
 * would run an SVG's or an HTML file's script even when it is named .png, so only PNG, JPEG and WebP pass.
 */
public final class ImageFiles {

    public static final int MAX_BYTES = 2 * 1024 * 1024;
    public static final int MAX_PER_MODULE = 50;
    public static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    public static final Set<String> TYPES = Set.of("image/png", "image/jpeg", "image/webp");

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    private ImageFiles() {
    }

    /** An image that may not be used; 422 with the Swedish reason. */
    public static class Refused extends HttpStatusException {
        public Refused(String message) {
            super(HttpStatus.UNPROCESSABLE_ENTITY, message);
        }
    }

    /** The content type read from the bytes, or throws {@link Refused} saying why the image cannot be used. */
    public static String check(String fileName, byte[] bytes) {
        String problem = problem(fileName, bytes);
        if (problem != null) {
            throw new Refused(problem);
        }
        return contentType(bytes);
    }

    /** Why the image cannot be used, or null when it can. */
    public static @Nullable String problem(String fileName, byte[] bytes) {
        String name = fileNameProblem(fileName);
        if (name != null) {
            return name;
        }
        if (bytes == null || bytes.length == 0) {
            return "Bilden «" + fileName + "» är tom";
        }
        if (bytes.length > MAX_BYTES) {
            return "Bilden «" + fileName + "» är " + (bytes.length + 1023) / 1024 + " kB; högst 2 MB (2048 kB) går";
        }
        if (contentType(bytes) == null) {
            return "Filen «" + fileName + "» är inte en PNG-, JPEG- eller WebP-bild (typen läses ur filens innehåll;"
                    + " SVG, GIF och andra filer går inte att använda)";
        }
        return null;
    }

    public static @Nullable String fileNameProblem(String fileName) {
        if (fileName == null || !FILE_NAME.matcher(fileName).matches()) {
            return "Bildens filnamn «" + (fileName == null ? "" : fileName) + "» är ogiltigt (tillåtet: gemener a–z,"
                    + " siffror, punkt, - och _, högst 100 tecken, börjar med bokstav eller siffra)";
        }
        return null;
    }

    /** image/png, image/jpeg or image/webp by the magic numbers at the start of the bytes; null for anything else. */
    public static @Nullable String contentType(byte[] bytes) {
        if (startsWith(bytes, PNG, 0)) {
            return "image/png";
        }
        if (startsWith(bytes, JPEG, 0)) {
            return "image/jpeg";
        }
        if (startsWith(bytes, "RIFF".getBytes(StandardCharsets.US_ASCII), 0)
                && startsWith(bytes, "WEBP".getBytes(StandardCharsets.US_ASCII), 8)) {
            return "image/webp";
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, byte[] magic, int at) {
        return bytes != null && bytes.length >= at + magic.length
                && Arrays.equals(bytes, at, at + magic.length, magic, 0, magic.length);
    }
}
