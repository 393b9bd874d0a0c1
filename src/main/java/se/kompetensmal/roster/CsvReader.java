package se.kompetensmal.roster;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
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
 * a file of any length is read in constant memory. The delimiter, comma, semicolon or tab, is taken from the header
 * row. Read from bytes, the file must be UTF-8; a reader of another encoding can be given (HR files in Windows-1252,
 * see hrfiles/FileEncoding). A byte-order mark is skipped.
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

    /**
     * The longest record read, in characters. A longer one is refused rather than read on: it is almost always a quote
     * that is never closed, which would otherwise swallow the rest of the file as one field.
     */
    public static final int MAX_RECORD_CHARS = 64 * 1024;
    static final String TOO_LONG = "raden är för lång eller har ett citattecken som inte avslutas";

    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private final List<String> header;
    private final List<String> rawHeader;
    private final char delimiter;
    private int rowNumber;

    public CsvReader(InputStream input) throws IOException {
        this(new InputStreamReader(input, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

    /** The file as characters, decoded by the caller; a decoding error is reported as a file that is not UTF-8. */
    public CsvReader(Reader input) throws IOException {
        this.in = input;
        rowNumber = 1;
        String firstLine = readHeaderLine();
        if (firstLine != null && firstLine.startsWith("\uFEFF")) {
            firstLine = firstLine.substring(1);
        }
        if (firstLine == null || firstLine.isBlank()) {
            throw new MalformedCsvException(1, "filen är tom; första raden ska vara en rubrikrad");
        }
        this.delimiter = delimiterOf(firstLine);
        this.rawHeader = fields(firstLine);
        this.header = rawHeader.stream().map(CsvReader::normalise).toList();
    }

    /** The most frequent of semicolon, comma and tab in the header row; comma when none occurs. */
    static char delimiterOf(String headerLine) {
        int semicolons = count(headerLine, ';');
        int commas = count(headerLine, ',');
        int tabs = count(headerLine, '\t');
        return tabs > semicolons && tabs > commas ? '\t' : semicolons > commas ? ';' : ',';
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

    /** The header row as written in the file (without a byte-order mark), for showing it to the user. */
    public List<String> rawHeader() {
        return rawHeader;
    }

    public char delimiter() {
        return delimiter;
    }

    /**
     * The next non-empty row, or null at the end of the file. Each character is looked at once, so that reading is
     * linear in the length of the file whatever its quotes.
     */
    public Row next() throws IOException {
        while (true) {
            if (peek() < 0) {
                return null;
            }
            rowNumber++;
            int startRow = rowNumber;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean blank = true;
            int length = 0;
            while (true) {
                int c = read();
                if (c < 0) {
                    if (quoted) {
                        throw new MalformedCsvException(startRow, "ett citattecken (\") avslutas aldrig");
                    }
                    break;
                }
                if (++length > MAX_RECORD_CHARS) {
                    throw new MalformedCsvException(startRow, TOO_LONG);
                }
                if (quoted) {
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            length++;
                            field.append('"');
                        } else {
                            quoted = false;
                        }
                    } else if (c == '\r') {
                        // A line break inside quotes is kept as one line feed, whichever convention the file uses.
                        if (peek() == '\n') {
                            read();
                        }
                        field.append('\n');
                    } else {
                        field.append((char) c);
                    }
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    break;
                } else if (c == '"') {
                    quoted = true;
                    blank = false;
                } else if (c == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                    blank = false;
                } else {
                    blank &= Character.isWhitespace(c);
                    field.append((char) c);
                }
            }
            if (blank) {
                continue;
            }
            fields.add(field.toString());
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < Math.min(fields.size(), header.size()); i++) {
                values.put(header.get(i), fields.get(i));
            }
            return new Row(startRow, values, fields.size());
        }
    }

    /** The header row, which is one line: read up to its end, but no further than a record may be long. */
    private String readHeaderLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = read(); c >= 0; c = read()) {
            if (c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                return line.toString();
            }
            if (line.length() == MAX_RECORD_CHARS) {
                throw new MalformedCsvException(1, "rubrikraden är för lång");
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position];
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++];
    }

    private boolean fill() throws IOException {
        try {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            position = 0;
            limit = Math.max(n, 0);
            return n > 0;
        } catch (CharacterCodingException e) {
            throw new MalformedCsvException(rowNumber,
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
