package se.kompetensmal.web;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A one-sheet Excel workbook (Office Open XML, .xlsx) for exports, written by a streaming library that produces valid XML
 * whatever the text. The sheet is ready to work with: a bold header row that stays in view and has filters, columns as wide
 * as their content, numbers as numbers and dates as dates.
 */
public final class Spreadsheet {

    public static final String CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static final String DATE_FORMAT = "yyyy-mm-dd";
    private static final String DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm";
    private static final String PERCENT_FORMAT = "0%";
    /** Column widths in characters: never narrower than a date, never so wide that one long text hides the rest. */
    private static final int MIN_WIDTH = 10;
    private static final int MAX_WIDTH = 60;

    private Spreadsheet() {
    }

    /** A share (0.25 for a quarter) shown as a percentage but kept a number, so that it sorts and sums as one. */
    public record Percent(double fraction) {
    }

    /**
     * The workbook bytes: the header row, then one row per list. Numbers become number cells, {@link Percent} a number cell
     * shown as a percentage, LocalDate and date-time cells date cells, a Boolean "Ja" or "Nej", null an empty cell and
     * anything else text, made inert if it looks like a formula ({@link CellText}).
     */
    public static byte[] of(String sheetName, List<String> header, List<List<Object>> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            Workbook workbook = new Workbook(bytes, "Kompetensmål", "1.0");
            Worksheet sheet = workbook.newWorksheet(sheetName);
            int[] widths = header(sheet, header);
            for (int r = 0; r < rows.size(); r++) {
                List<Object> row = rows.get(r);
                for (int c = 0; c < row.size(); c++) {
                    int width = cell(sheet, r + 1, c, row.get(c));
                    if (c < widths.length) {
                        widths[c] = Math.max(widths[c], width);
                    }
                }
            }
            for (int c = 0; c < widths.length; c++) {
                sheet.width(c, Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widths[c] + 1)));
            }
            sheet.freezePane(0, 1);
            if (!header.isEmpty()) {
                sheet.setAutoFilter(0, 0, rows.size(), header.size() - 1);
            }
            workbook.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The bold header row; answers each column's width for it (with room for the filter button). */
    private static int[] header(Worksheet sheet, List<String> header) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            sheet.value(0, c, CellText.printable(header.get(c)));
            widths[c] = header.get(c).length() + 3;
        }
        sheet.range(0, 0, 0, Math.max(0, header.size() - 1)).style().bold().set();
        return widths;
    }

    /**
     * A workbook written row by row to a stream ({@link StreamedExport}), {@value #FLUSH_EVERY} rows held at a time, for
     * a list too long to hold: the cells as {@link #of} writes them, the header in view and filtered. Its columns'
     * widths precede the rows in the file, so they are given (in characters) rather than fitted to what follows.
     */
    public static final class Streamed {
        private static final int FLUSH_EVERY = 500;

        private final Workbook workbook;
        private final Worksheet sheet;
        private final int columns;
        private int rows;

        public Streamed(OutputStream out, String sheetName, List<String> header, List<Integer> widths) throws IOException {
            workbook = new Workbook(out, "Kompetensmål", "1.0");
            sheet = workbook.newWorksheet(sheetName);
            columns = header.size();
            int[] least = header(sheet, header);
            for (int c = 0; c < columns; c++) {
                sheet.width(c, Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.max(least[c], widths.get(c)) + 1)));
            }
            sheet.freezePane(0, 1);
        }

        public void row(List<Object> cells) throws IOException {
            rows++;
            for (int c = 0; c < cells.size(); c++) {
                cell(sheet, rows, c, cells.get(c));
            }
            if (rows % FLUSH_EVERY == 0) {
                sheet.flush();
            }
        }

        /** The filter over the header and every row, and the file's end. */
        public void finish() throws IOException {
            if (columns > 0) {
                sheet.setAutoFilter(0, 0, rows, columns - 1);
            }
            workbook.finish();
        }
    }

    /** Writes one cell and answers how many characters wide it shows. */
    private static int cell(Worksheet sheet, int r, int c, Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Number number) {
            sheet.value(r, c, number);
            return number.toString().length();
        }
        if (value instanceof Percent percent) {
            sheet.value(r, c, percent.fraction());
            sheet.style(r, c).format(PERCENT_FORMAT).set();
            return PERCENT_FORMAT.length() + 2;
        }
        if (value instanceof Boolean yes) {
            // A yes/no cell reads as a word people use, never as TRUE or 1.
            sheet.value(r, c, yes ? "Ja" : "Nej");
            return 3;
        }
        if (value instanceof LocalDate date) {
            sheet.value(r, c, date);
            sheet.style(r, c).format(DATE_FORMAT).set();
            return DATE_FORMAT.length();
        }
        if (value instanceof LocalDateTime dateTime) {
            sheet.value(r, c, dateTime);
            sheet.style(r, c).format(DATE_TIME_FORMAT).set();
            return DATE_TIME_FORMAT.length();
        }
        if (value instanceof ZonedDateTime dateTime) {
            sheet.value(r, c, dateTime.toLocalDateTime());
            sheet.style(r, c).format(DATE_TIME_FORMAT).set();
            return DATE_TIME_FORMAT.length();
        }
        String text = CellText.neutralised(CellText.printable(value.toString()));
        sheet.value(r, c, text);
        return text.codePointCount(0, text.length());
    }
}
