package se.kompetensmal.web;

import java.text.Normalizer;
import java.util.Locale;

/**
 * File names that say what they hold, made from names people know ("Säker läkemedelshantering" becomes
 * "saker-lakemedelshantering"): only a–z, 0–9 and dashes, so that they survive every browser, mail client and file system.
 */
public final class FileNames {

    /** Long enough to be recognisable, short enough for any file system together with a date and an extension. */
    private static final int MAX = 60;

    private FileNames() {
    }

    public static String slug(String name) {
        String plain = Normalizer.normalize(name.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (plain.length() > MAX) {
            plain = plain.substring(0, MAX).replaceAll("-+$", "");
        }
        return plain.isEmpty() ? "fil" : plain;
    }
}
