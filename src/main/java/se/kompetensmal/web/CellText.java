package se.kompetensmal.web;

import java.util.regex.Pattern;

/**
 * The one rule for text put into a spreadsheet cell, whether it goes out as CSV or as a workbook. Names, units and sign-in
 * user names are typed by people, some of them by anyone on the sign-in page, and a spreadsheet program runs a cell that
 * starts with =, +, -, @, a tab or a carriage return as a formula (a link that leaks data, or a command). Such text gets a
 * leading apostrophe, as OWASP advises: the program then shows it as text and the reader still sees what was typed.
 */
public final class CellText {

    /** A plain number such as "-5" or "+1,5" is no formula; it is left as it is so that figures stay figures. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+([.,]\\d+)?");

    private CellText() {
    }

    public static String neutralised(String text) {
        if (text.isEmpty() || NUMBER.matcher(text).matches()) {
            return text;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
            default -> text;
        };
    }

    /**
     * The text without the control characters that XML 1.0, and so a workbook, cannot hold at all (a workbook with one does
     * not open). Tab, line feed and carriage return stay; the import should already have refused the others, this is the
     * last line of defence.
     */
    public static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c >= 0x20 ? c != 0xFFFE && c != 0xFFFF : c == '\t' || c == '\n' || c == '\r';
            if (!allowed && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            } else if (allowed && out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
