package se.kompetensmal.web;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** An exported .xlsx read back as a spreadsheet program would: its rows with cell types and formats, and its sheet XML. */
public final class ExportedWorkbook {

    private ExportedWorkbook() {
    }

    /** The rows of the first sheet; fails if the workbook does not open. */
    public static List<Row> rows(byte[] xlsx) {
        try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx), new ReadingOptions(true, false))) {
            return workbook.getFirstSheet().read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first worksheet's XML, for what the reader does not expose (frozen panes, filters). Read through the zip's central
     * directory, as spreadsheet programs do: the streaming writer puts the sizes after each entry.
     */
    public static String sheetXml(byte[] xlsx) {
        try {
            Path file = Files.createTempFile("export", ".xlsx");
            try (ZipFile zip = new ZipFile(Files.write(file, xlsx).toFile())) {
                ZipEntry sheet = zip.getEntry("xl/worksheets/sheet1.xml");
                if (sheet == null) {
                    throw new AssertionError("no worksheet in the workbook");
                }
                return new String(zip.getInputStream(sheet).readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the first row stays in view when scrolling (a pane frozen below it). */
    public static boolean headerFrozen(byte[] xlsx) {
        String sheet = sheetXml(xlsx);
        return sheet.contains("state=\"frozen\"") && sheet.contains("ySplit=\"1\"");
    }

    /** The range the header's filter buttons cover, e.g. "A1:H3", or null without a filter. */
    public static String autoFilter(byte[] xlsx) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<autoFilter ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")
                .matcher(sheetXml(xlsx));
        return m.find() ? m.group(1) : null;
    }

    /** The width of each column set in the sheet (in characters), in column order. */
    public static List<Double> columnWidths(byte[] xlsx) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<col [^>]*width=\"([0-9.]+)\"").matcher(sheetXml(xlsx));
        List<Double> widths = new java.util.ArrayList<>();
        while (m.find()) {
            widths.add(Double.valueOf(m.group(1)));
        }
        return widths;
    }
}
