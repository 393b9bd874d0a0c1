package se.kompetensmal.web;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Locale;

/**
 * File names that say what an export holds, e.g. {@code uppfoljning-medicinkliniken-2026-12-01.xlsx}: what, for which
 * unit, as of which day. The unit's name is folded to plain ASCII (å and ä to a, ö to o) so that every mail program and
 * file system keeps it as it is.
 */
public final class ExportFileName {

    /** Long enough for any unit's name people would recognise; the date stays visible in file dialogs. */
    private static final int SLUG_MAX = 60;

    private ExportFileName() {
    }

    /** {@code <what>-<slug of name>-<yyyy-mm-dd>.<extension>}; a name with no letters or digits is left out. */
    public static String of(String what, String name, LocalDate day, String extension) {
        String slug = slug(name);
        return what + (slug.isEmpty() ? "" : "-" + slug) + "-" + day + "." + extension;
    }

    /** Lower case ASCII letters and digits joined by single hyphens: "Medicinkliniken Ödeshög" → "medicinkliniken-odeshog". */
    public static String slug(String name) {
        if (name == null) {
            return "";
        }
        String folded = Normalizer.normalize(name.toLowerCase(Locale.ROOT).replace("æ", "ae").replace("ø", "o")
                .replace("ß", "ss"), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = folded.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > SLUG_MAX) {
            slug = slug.substring(0, SLUG_MAX).replaceAll("-+$", "");
        }
        return slug;
    }

    /** The Content-Disposition header value that offers the file for download under that name (ASCII by construction). */
    public static String attachment(String fileName) {
        return "attachment; filename=\"" + fileName + "\"";
    }
}
