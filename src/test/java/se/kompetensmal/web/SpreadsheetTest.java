package se.kompetensmal.web;

import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A workbook as people open it in Excel: a frozen, filtered header, fitted columns, and numbers and dates they can use. */
class SpreadsheetTest {

    static final LocalDate DUE = LocalDate.of(2026, 11, 30);

    final byte[] xlsx = Spreadsheet.of("Uppföljning", List.of("Namn", "Antal", "Andel", "Förfallodag", "Klar", "Anteckning"),
            List.of(Arrays.asList("Anna Ahlström", 3, new Spreadsheet.Percent(0.25), DUE, true, "x".repeat(200)),
                    Arrays.asList("=SUM(A1)", new BigDecimal("2.5"), new Spreadsheet.Percent(1), null, false, "kort")));

    @Test
    void theHeaderStaysInViewWithFilterButtonsOverEveryRow() {
        assertTrue(ExportedWorkbook.headerFrozen(xlsx), ExportedWorkbook.sheetXml(xlsx));
        assertEquals("A1:F3", ExportedWorkbook.autoFilter(xlsx));
        Row header = ExportedWorkbook.rows(xlsx).get(0);
        assertEquals("Namn", header.getCellText(0));
    }

    @Test
    void columnsAreAsWideAsTheirContentWithinBounds() {
        List<Double> widths = ExportedWorkbook.columnWidths(xlsx);
        assertEquals(6, widths.size(), ExportedWorkbook.sheetXml(xlsx));
        assertTrue(widths.get(0) >= "Anna Ahlström".length() && widths.get(0) < 25, "the name fits: " + widths);
        assertTrue(widths.get(3) >= "2026-11-30".length(), "a date fits: " + widths);
        assertEquals(60.0, widths.get(5), "a long text does not make its column wider than 60 characters");
        assertTrue(widths.get(1) >= 10, "never narrower than a date: " + widths);
    }

    @Test
    void numbersAndDatesAreCellsOfTheirKindAndTextIsInert() {
        List<Row> rows = ExportedWorkbook.rows(xlsx);
        Row anna = rows.get(1);
        assertEquals(CellType.NUMBER, anna.getCell(1).getType());
        assertEquals(new BigDecimal("3"), anna.getCell(1).asNumber());
        assertEquals(CellType.NUMBER, anna.getCell(2).getType(), "a share is a number shown as a percentage");
        assertTrue(anna.getCell(2).getDataFormatString().contains("%"), anna.getCell(2).getDataFormatString());
        assertEquals(CellType.NUMBER, anna.getCell(3).getType(), "a date is a date cell");
        assertEquals(DUE, anna.getCell(3).asDate().toLocalDate());
        assertEquals("yyyy-mm-dd", anna.getCell(3).getDataFormatString());
        assertEquals(List.of("Ja", "Nej"), List.of(anna.getCellText(4), rows.get(2).getCellText(4)), "yes and no as words");
        assertEquals(CellType.STRING, rows.get(2).getCell(0).getType(), "never a formula");
        assertEquals("'=SUM(A1)", rows.get(2).getCellText(0));
        assertEquals(new BigDecimal("2.5"), rows.get(2).getCell(1).asNumber());
    }
}
