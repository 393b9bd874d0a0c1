package se.kompetensmal.registration;

import java.util.Arrays;
import java.util.Locale;

/**
 * The evidence of a registered completion: a PDF or an image, known by what its bytes are, never by its name or the
 * content type the browser sent (a renamed program or a text file called .pdf is refused). At most 5 MB, kept in the
 * database with the completion.
 */
public record EvidenceFile(String fileName, Kind kind, byte[] content) {

    public static final int MAX_BYTES = 5 * 1024 * 1024;

    /** What the file is, by its first bytes: the type it is served as and the extension its download name gets. */
    public enum Kind {
        PDF("application/pdf", "pdf"), PNG("image/png", "png"), JPEG("image/jpeg", "jpg"), WEBP("image/webp", "webp");

        private final String contentType;
        private final String extension;

        Kind(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }

        public String contentType() {
            return contentType;
        }

        public String extension() {
            return extension;
        }

        public static Kind ofContentType(String contentType) {
            return Arrays.stream(values()).filter(k -> k.contentType.equals(contentType)).findFirst().orElseThrow();
        }
    }

    static final String WRONG_KIND = "Underlaget ska vara en PDF eller en bild (PNG, JPEG eller WebP). Filen är inget av dem, "
            + "vad den än heter.";
    static final String TOO_LARGE = "Underlaget får vara högst 5 MB.";
    static final String EMPTY = "Filen med underlaget är tom.";

    /**
     * The file if its content is one of the kinds taken, else why not in Swedish. A PDF must also end as one (%%EOF near
     * the end): a file that only starts like a PDF is no document a reader opens.
     */
    public static EvidenceFile of(String originalName, byte[] content) {
        if (content.length == 0) {
            throw RegistrationInvalid.of("evidence", EMPTY);
        }
        if (content.length > MAX_BYTES) {
            throw RegistrationInvalid.of("evidence", TOO_LARGE);
        }
        Kind kind = kindOf(content);
        if (kind == null) {
            throw RegistrationInvalid.of("evidence", WRONG_KIND);
        }
        return new EvidenceFile(name(originalName), kind, content);
    }

    static Kind kindOf(byte[] b) {
        if (startsWith(b, 0, "%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) && endsAsPdf(b)) {
            return Kind.PDF;
        }
        if (startsWith(b, 0, new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
            return Kind.PNG;
        }
        if (startsWith(b, 0, new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return Kind.JPEG;
        }
        if (startsWith(b, 0, new byte[]{'R', 'I', 'F', 'F'}) && startsWith(b, 8, new byte[]{'W', 'E', 'B', 'P'})) {
            return Kind.WEBP;
        }
        return null;
    }

    private static boolean endsAsPdf(byte[] b) {
        int from = Math.max(0, b.length - 1024);
        String tail = new String(b, from, b.length - from, java.nio.charset.StandardCharsets.ISO_8859_1);
        return tail.contains("%%EOF");
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (b.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The name as sent, for the record only (the download is named by what it is): no path, at most 255 characters. */
    private static String name(String originalName) {
        String name = originalName == null ? "" : originalName.replaceAll("^.*[/\\\\]", "").strip();
        if (name.isEmpty()) {
            name = "underlag";
        }
        return name.length() > 255 ? name.substring(0, 255) : name;
    }

    /** The download's name: underlag-anna-andersson-basala-hygienrutiner-2026-11-30.pdf. */
    public static String downloadName(String personName, String moduleTitle, java.time.LocalDate completedOn, Kind kind) {
        return "underlag-" + se.kompetensmal.web.FileNames.slug(personName) + "-" + se.kompetensmal.web.FileNames.slug(moduleTitle)
                + "-" + completedOn + "." + kind.extension().toLowerCase(Locale.ROOT);
    }
}
