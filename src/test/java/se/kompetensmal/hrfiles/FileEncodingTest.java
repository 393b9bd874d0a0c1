package se.kompetensmal.hrfiles;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The encoding read from a file's bytes: valid UTF-8 wins, then bytes 0x80–0x9F mean Windows-1252, else ISO-8859-1. */
class FileEncodingTest {

    private static FileEncoding detect(byte[] bytes) {
        FileEncoding.Detector detector = new FileEncoding.Detector();
        // Fed in pieces of three bytes, so that characters are split between pieces as they are between chunks.
        for (int i = 0; i < bytes.length; i += 3) {
            detector.update(bytes, i, Math.min(3, bytes.length - i));
        }
        return detector.result();
    }

    @Test
    void utf8WithAndWithoutByteOrderMarkAndPlainAsciiAreUtf8() {
        byte[] text = "förnamn;efternamn\nÅsa;Öberg – O’Neill\n".getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[text.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bom, 3, text.length);

        assertEquals(FileEncoding.UTF8, detect(text));
        assertEquals(FileEncoding.UTF8, detect(bom));
        assertEquals(FileEncoding.UTF8, detect("fornamn;efternamn\nAsa;Oberg\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void singleByteFilesAreWindows1252WhenTheyUseItsOwnCharactersElseLatin1() {
        Charset windows = Charset.forName("windows-1252");
        assertEquals(FileEncoding.WINDOWS_1252, detect("Märta;O’Neill\n".getBytes(windows)));
        assertEquals(FileEncoding.WINDOWS_1252, detect("Åsa;Öberg – Berg\n".getBytes(windows)));
        assertEquals(FileEncoding.ISO_8859_1, detect("Åsa;Öberg\n".getBytes(windows)));
        assertEquals(FileEncoding.ISO_8859_1, detect("Åsa;Öberg\n".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void utf8CutShortOrWithAStrayContinuationByteIsNotUtf8() {
        byte[] cut = "Asa;Ö".getBytes(StandardCharsets.UTF_8);
        byte[] shortened = java.util.Arrays.copyOf(cut, cut.length - 1);
        // The lead byte of Ö (0xC3) without its continuation: no longer UTF-8, and no byte 0x80–0x9F left.
        assertEquals(FileEncoding.ISO_8859_1, detect(shortened));
        assertEquals(FileEncoding.ISO_8859_1, detect(new byte[] {'a', (byte) 0xE5, 'b'}), "å in Latin-1 is no UTF-8 lead");
        assertEquals(FileEncoding.WINDOWS_1252, detect(new byte[] {'a', (byte) 0x85, 'b'}));
    }
}
