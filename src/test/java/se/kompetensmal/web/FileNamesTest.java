package se.kompetensmal.web;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export file names say what, for which unit and as of which day, in letters every system keeps. */
class FileNamesTest {

    static final LocalDate DAY = LocalDate.of(2026, 12, 1);

    @Test
    void swedishLettersAreFoldedAndEverythingElseBecomesHyphens() {
        assertEquals("uppfoljning-medicinkliniken-2026-12-01.xlsx", FileNames.of("uppfoljning", "Medicinkliniken", DAY, "xlsx"));
        assertEquals("uppfoljning-hemtjanst-soder-ostra-2026-12-01.csv",
                FileNames.of("uppfoljning", "Hemtjänst Söder / Östra", DAY, "csv"));
        assertEquals("aaoaao-e", FileNames.slug("ÅÄÖåäö é"));
        assertEquals("uppfoljning-organisation-2026-12-01.csv", FileNames.of("uppfoljning", "王", DAY, "csv"), "no letters left: a word in place of the name");
    }

    @Test
    void aLongNameIsCutAndTheHeaderIsPlainAscii() {
        String slug = FileNames.slug("Avdelning ".repeat(20));
        assertTrue(slug.length() <= 60 && !slug.endsWith("-"), slug);
        assertEquals("attachment; filename=\"uppfoljning-a-b-2026-12-01.xlsx\"",
                FileNames.attachment(FileNames.of("uppfoljning", "A\"; B", DAY, "xlsx")));
    }
}
