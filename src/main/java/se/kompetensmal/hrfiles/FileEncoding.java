package se.kompetensmal.hrfiles;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Locale;

/**
 * The encodings HR systems save files in. Excel "CSV UTF-8" and most new systems write UTF-8 (often with a byte-order
 * mark); older exports (Heroma, Visma, Excel "CSV (semikolonavgränsad)") write Windows-1252, and a few ISO-8859-1. The
 * two single-byte ones agree on å, ä and ö and differ only in bytes 0x80–0x9F, where Windows-1252 has – ’ € and
 * ISO-8859-1 has control characters.
 */
public enum FileEncoding {
    UTF8("UTF-8", "UTF-8"),
    WINDOWS_1252("Windows-1252 (äldre Windows och Excel)", "windows-1252"),
    ISO_8859_1("ISO-8859-1 (Latin-1)", "ISO-8859-1");

    private final String labelSv;
    private final Charset charset;

    FileEncoding(String labelSv, String charset) {
        this.labelSv = labelSv;
        this.charset = Charset.forName(charset);
    }

    public String labelSv() {
        return labelSv;
    }

    public String code() {
        return name();
    }

    /**
     * The bytes as characters. UTF-8 that is not UTF-8 is an error (the reader reports it as such), never a guess; the
     * five bytes Windows-1252 leaves undefined become U+FFFD, which the import then refuses as it would any odd value.
     */
    public Reader reader(InputStream in) {
        CharsetDecoder decoder = charset.newDecoder();
        CodingErrorAction onError = this == UTF8 ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        return new InputStreamReader(in, decoder.onMalformedInput(onError).onUnmappableCharacter(onError));
    }

    /** The encoding a user or a stored setting names (its code, any case), or null for one that is not ours. */
    public static FileEncoding of(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        try {
            return valueOf(code.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Reads the encoding from the bytes, fed as they stream past: bytes that are valid UTF-8 throughout are UTF-8 (with
     * or without a byte-order mark; plain ASCII too), whatever else is Windows-1252 when a byte 0x80–0x9F occurs
     * (characters in ISO-8859-1 no file has any use for) and ISO-8859-1 otherwise.
     */
    public static final class Detector {
        /** Continuation bytes the current UTF-8 sequence still needs. */
        private int needed;
        private boolean validUtf8 = true;
        private boolean windowsRange;

        public void update(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                int b = bytes[i] & 0xFF;
                if (b >= 0x80 && b <= 0x9F) {
                    windowsRange = true;
                }
                if (!validUtf8) {
                    continue;
                }
                if (needed > 0) {
                    if (b < 0x80 || b > 0xBF) {
                        validUtf8 = false;
                    }
                    needed--;
                } else if (b >= 0x80) {
                    if (b >= 0xC2 && b <= 0xDF) {
                        needed = 1;
                    } else if (b >= 0xE0 && b <= 0xEF) {
                        needed = 2;
                    } else if (b >= 0xF0 && b <= 0xF4) {
                        needed = 3;
                    } else {
                        // A continuation byte with no lead, or a lead byte UTF-8 never uses.
                        validUtf8 = false;
                    }
                }
            }
        }

        public FileEncoding result() {
            if (validUtf8 && needed == 0) {
                return UTF8;
            }
            return windowsRange ? WINDOWS_1252 : ISO_8859_1;
        }
    }
}
