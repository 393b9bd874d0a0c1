package se.kompetensmal.roster;

import se.kompetensmal.SwedishTime;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The rules every field of a roster file meets, whichever file it is in: no control characters, no longer than its
 * column in the database, and dates within reason. Values quoted back in a report are cut short.
 */
final class RosterFields {

    /** The earliest start date accepted; anything before is a typing error. */
    static final LocalDate EARLIEST_DATE = LocalDate.of(1900, 1, 1);
    /** How far ahead a start date may lie. */
    static final int YEARS_AHEAD = 10;
    private static final int SHOWN_CHARS = 40;

    private RosterFields() {
    }

    /**
     * The field's value, stripped, after checking it: required, at most {@code maxLength} characters, no control
     * characters (a tab or a line break inside a field is a mistake in the file, and would end up in names and lists).
     * Returns the value even when it has problems; whether the row is bad shows in {@code errors}.
     */
    static String text(CsvReader.Row row, String column, String label, int maxLength, boolean required, RowErrors errors) {
        String raw = row.values().getOrDefault(column, "");
        String value = raw.strip();
        int control = firstControlCharacter(raw);
        if (control >= 0) {
            errors.add(row.number(), column, label + " innehåller ett otillåtet styrtecken (tecken nr " + (control + 1)
                    + "), t.ex. tabb eller radbrytning");
        } else if (value.isEmpty()) {
            if (required) {
                errors.add(row.number(), column, label + " saknas");
            }
        } else if (value.length() > maxLength) {
            errors.add(row.number(), column, label + " är längre än " + maxLength + " tecken");
        }
        return value;
    }

    /** A date as ÅÅÅÅ-MM-DD, from 1900 to ten years ahead; null (with an error if required) when absent or bad. */
    static LocalDate date(CsvReader.Row row, String column, boolean required, RowErrors errors) {
        int before = errors.count();
        String text = text(row, column, "datumet", 20, false, errors);
        if (errors.count() > before) {
            return null;
        }
        if (text.isEmpty()) {
            if (required) {
                errors.add(row.number(), column, "datum saknas (ÅÅÅÅ-MM-DD)");
            }
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            errors.add(row.number(), column, "ogiltigt datum '" + shown(text) + "' (ÅÅÅÅ-MM-DD)");
            return null;
        }
        LocalDate latest = LocalDate.now(SwedishTime.ZONE).plusYears(YEARS_AHEAD);
        if (date.isBefore(EARLIEST_DATE) || date.isAfter(latest)) {
            errors.add(row.number(), column, "datumet " + text + " är orimligt (tillåtet: " + EARLIEST_DATE + " till " + latest + ")");
            return null;
        }
        return date;
    }

    /** A value to quote in a report: long values are cut, so that one field cannot fill the report. */
    static String shown(String value) {
        return value.length() <= SHOWN_CHARS ? value : value.substring(0, SHOWN_CHARS) + "…";
    }

    private static int firstControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.getType(value.charAt(i)) == Character.CONTROL) {
                return i;
            }
        }
        return -1;
    }
}
