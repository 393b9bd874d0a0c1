package se.kompetensmal.web;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Names of downloaded files that say what they hold, e.g. {@code statistik-region-demoland-2026-12-01.pdf}: what, of
 * what, computed when. Plain ASCII, so that every browser, mail program and file system keeps the name as it is.
 */
public final class FileNames {

    private static final int LONGEST_SLUG = 60;

    private FileNames() {
    }

    /** "statistik", "Region Demoland", 2026-12-01, "pdf" gives "statistik-region-demoland-2026-12-01.pdf". */
    public static String of(String what, String of, LocalDate day, String extension) {
        return what + "-" + slug(of) + "-" + day + "." + extension;
    }

    /**
     * The name in lower-case letters, digits and hyphens: å and ä become a, ö becomes o, other accents are dropped, and
     * anything else separates words. A name with no such letters at all (in Chinese, say) gives "organisation".
     */
    public static String slug(String name) {
        String plain = Normalizer.normalize(name.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .replace("æ", "ae").replace("ø", "o").replace("ß", "ss")
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
        if (plain.length() > LONGEST_SLUG) {
            plain = plain.substring(0, LONGEST_SLUG).replaceAll("-[^-]*$", "");
        }
        return plain.isEmpty() ? "organisation" : plain;
    }

    /** The Content-Disposition header value that downloads the body under this name. */
    public static String attachment(String fileName) {
        return "attachment; filename=\"" + fileName + "\"";
    }
}
