package se.kompetensmal.web;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * Writing CSV that Excel opens right: UTF-8 with a byte-order mark, semicolons, quoted text fields. Every cell of an export
 * goes through {@link #cell}, so that no text reaches the file without the formula guard of {@link CellText}.
 */
public final class CsvText {

    /** The start of every exported file: the mark that tells Excel it is UTF-8, and the header row (fixed column names). */
    public static String header(String... columns) {
        return "\uFEFF" + String.join(";", columns) + "\n";
    }

    /** One line of cells, ended by a line feed. */
    public static String row(Object... cells) {
        return row(Arrays.asList(cells));
    }

    public static String row(List<?> cells) {
        return String.join(";", cells.stream().map(CsvText::cell).toList()) + "\n";
    }

    /** Numbers and dates as they are (a spreadsheet reads them as such), nothing as an empty field, anything else as text. */
    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number || value instanceof LocalDate) {
            return value.toString();
        }
        return quote(value.toString());
    }

    /** A quoted text field, made inert if a spreadsheet would take it for a formula. */
    public static String quote(String value) {
        return value == null ? "" : '"' + CellText.neutralised(value).replace("\"", "\"\"") + '"';
    }

    private CsvText() {
    }
}
