package se.kompetensmal.roster;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streams a CSV file (RFC 4180: quoted fields may hold delimiters, quotes and line breaks) one row at a time, so that
 * a file of any length is read in constant memory. The delimiter, comma or semicolon, is taken from the header row.
 * The file must be UTF-8; a byte-order mark is skipped.
 */
public final class CsvReader implements Closeable {

    /** One data row; {@code number} counts rows as a spreadsheet does, the header being row 1. */
    public record Row(int number, Map<String, String> values, int fieldCount) {
        public String get(String column) {
            return values.getOrDefault(column, "").strip();
        }
    }

    /** The file itself is unreadable: not UTF-8, or an unterminated quote. */
    public static final class MalformedCsvException extends IOException {
        private final int row;

        public MalformedCsvException(int row, String message) {
            super(message);
            this.row = row;
        }

        public int row() {
            return row;
        }
    }

    private final BufferedReader in;
    private final List<String> header;
    private final char delimiter;
    private int rowNumber;

    public CsvReader(InputStream input) throws IOException {
        this.in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        String firstLine = readLine();
        if (firstLine != null && firstLine.startsWith("\uFEFF")) {
            firstLine = firstLine.substring(1);
        }
        if (firstLine == null || firstLine.isBlank()) {
            throw new MalformedCsvException(1, "filen är tom; första raden ska vara en rubrikrad");
        }
        rowNumber = 1;
        this.delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
        this.header = fields(firstLine).stream().map(CsvReader::normalise).toList();
    }

    /** Column names as lower case without diacritics, so that "Förnamn" and "fornamn" name the same column. */
    public static String normalise(String column) {
        String stripped = Normalizer.normalize(column.strip().toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "");
        return stripped.replace(' ', '_').replace('-', '_');
    }

    public List<String> header() {
        return header;
    }

    /** The next non-empty row, or null at the end of the file. */
    public Row next() throws IOException {
        while (true) {
            String line = readLine();
            if (line == null) {
                return null;
            }
            rowNumber++;
            int startRow = rowNumber;
            StringBuilder record = new StringBuilder(line);
            while (count(record, '"') % 2 != 0) {
                String more = readLine();
                if (more == null) {
                    throw new MalformedCsvException(startRow, "ett citattecken (\") avslutas aldrig");
                }
                record.append('\n').append(more);
            }
            if (record.toString().isBlank()) {
                continue;
            }
            List<String> fields = fields(record.toString());
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < Math.min(fields.size(), header.size()); i++) {
                values.put(header.get(i), fields.get(i));
            }
            return new Row(startRow, values, fields.size());
        }
    }

    private String readLine() throws IOException {
        try {
            return in.readLine();
        } catch (CharacterCodingException e) {
            throw new MalformedCsvException(rowNumber + 1,
                    "filen är inte sparad som UTF-8 (spara den som \"CSV UTF-8\" i Excel och försök igen)");
        }
    }

    private List<String> fields(String record) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < record.length() && record.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static int count(CharSequence text, char wanted) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == wanted) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
