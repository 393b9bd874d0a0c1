package se.kompetensmal.web;

/** Writing CSV that Excel opens right: UTF-8 with a byte-order mark, semicolons, quoted text fields. */
public final class CsvText {

    /** The start of every exported file: the mark that tells Excel it is UTF-8, and the header row. */
    public static String header(String... columns) {
        return "\uFEFF" + String.join(";", columns) + "\n";
    }

    public static String quote(String value) {
        return value == null ? "" : '"' + value.replace("\"", "\"\"") + '"';
    }

    private CsvText() {
    }
}
