package se.kompetensmal.roster;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {

    /** Endless text after an opening quote: a reader that looks for the closing quote to the end never returns. */
    @Test
    void aRecordLongerThanTheCapIsCutOffWithAnErrorRatherThanReadToTheEnd() throws IOException {
        EndlessText endless = new EndlessText();
        InputStream file = new SequenceInputStream(new ByteArrayInputStream(
                "kod;namn\nA;Ett\nB;\"Två".getBytes(StandardCharsets.UTF_8)), endless);

        try (CsvReader csv = new CsvReader(file)) {
            assertEquals("Ett", csv.next().get("namn"));
            CsvReader.MalformedCsvException e = assertThrows(CsvReader.MalformedCsvException.class, csv::next);

            assertEquals(3, e.row());
            assertEquals("raden är för lång eller har ett citattecken som inte avslutas", e.getMessage());
            assertTrue(endless.read < 1_000_000, "read " + endless.read + " bytes past the quote");
        }
    }

    @Test
    void quotedFieldsKeepDelimitersQuotesAndLineBreaks() throws IOException {
        String text = "kod;namn\r\nA;\"Ett; \"\"två\"\"\r\ntre\"\r\n\r\nB;Fyra\n";
        try (CsvReader csv = new CsvReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            CsvReader.Row first = csv.next();
            assertEquals("Ett; \"två\"\ntre", first.get("namn"));
            CsvReader.Row second = csv.next();
            assertEquals(4, second.number(), "the blank line is skipped but counted, as a spreadsheet counts it");
            assertEquals("Fyra", second.get("namn"));
            assertEquals(null, csv.next());
        }
    }

    private static final class EndlessText extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            if (read > 50_000_000) {
                throw new AssertionError("the reader went on reading");
            }
            return 'x';
        }
    }
}
