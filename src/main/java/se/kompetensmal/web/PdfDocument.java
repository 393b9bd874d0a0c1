package se.kompetensmal.web;

import io.micronaut.core.annotation.Nullable;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An A4 PDF written from the top down: lines, wrapped paragraphs and labelled bars, with new pages as needed.
 *
 * <p>Names come from rosters and can be in any script, so text is written run by run, each character in the first of the
 * bundled fonts that has it: DejaVu Sans (Latin, Greek, Cyrillic, many symbols), then Droid Sans Fallback (Chinese,
 * Japanese, Korean). A character that neither has (an emoji, say) shows as a box rather than failing the whole document.
 * The fonts travel in the jar, so nothing has to be installed, and only the glyphs used are embedded.
 */
public final class PdfDocument implements AutoCloseable {

    private static final List<String> FONTS = List.of("/fonts/DejaVuSans.ttf", "/fonts/DroidSansFallbackFull.ttf");
    /** The font files, read once: every document needs its own font objects, but not its own copy of the bytes. */
    private static final Map<String, byte[]> FONT_FILES = new ConcurrentHashMap<>();
    private static final String MISSING_GLYPH = "\u25A1";
    private static final float MARGIN = 56;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final float LABEL_WIDTH = 200;
    private static final float BAR_WIDTH = 220;
    private static final Color BAR = new Color(11, 79, 108);

    private final PDDocument document = new PDDocument();
    /** The fonts of this document in order of preference, each loaded when first needed. */
    private final PDFont[] fonts = new PDFont[FONTS.size()];
    /** Which font draws a character; null where none does. */
    private final Map<Integer, Optional<PDFont>> fontFor = new HashMap<>();
    private PDPageContentStream content;
    private float y;

    public PdfDocument(String title) {
        try {
            document.getDocumentInformation().setTitle(title);
            document.getDocumentInformation().setAuthor("Kompetensmål");
            newPage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void line(String text, float size, float spaceAfter) {
        try {
            room(size * 1.25f + spaceAfter);
            y -= size * 1.25f;
            content.beginText();
            content.newLineAtOffset(MARGIN, y);
            show(text, size);
            content.endText();
            y -= spaceAfter;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void paragraph(String text, float size, float spaceAfter) {
        List<String> lines = wrap(text, size, WIDTH);
        for (int i = 0; i < lines.size(); i++) {
            line(lines.get(i), size, i == lines.size() - 1 ? spaceAfter : 0);
        }
    }

    /** A row of a bar chart: the label, a bar as long as the percentage (none when it is not shown), and the figure. */
    public void bar(String label, @Nullable Integer percent, String shown) {
        float size = 9;
        try {
            room(14);
            y -= 12;
            content.beginText();
            content.newLineAtOffset(MARGIN, y);
            show(wrap(label, size, LABEL_WIDTH - 6).get(0), size);
            content.endText();
            content.setNonStrokingColor(new Color(230, 233, 238));
            content.addRect(MARGIN + LABEL_WIDTH, y - 1, BAR_WIDTH, 9);
            content.fill();
            if (percent != null) {
                content.setNonStrokingColor(BAR);
                content.addRect(MARGIN + LABEL_WIDTH, y - 1, BAR_WIDTH * Math.min(100, percent) / 100f, 9);
                content.fill();
            }
            content.setNonStrokingColor(Color.BLACK);
            content.beginText();
            content.newLineAtOffset(MARGIN + LABEL_WIDTH + BAR_WIDTH + 8, y);
            show(shown, size);
            content.endText();
            y -= 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] bytes() {
        try {
            content.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            document.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void room(float needed) throws IOException {
        if (y - needed < MARGIN) {
            content.close();
            newPage();
        }
    }

    private void newPage() throws IOException {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        content = new PDPageContentStream(document, page);
        y = PDRectangle.A4.getHeight() - MARGIN;
    }

    private List<String> wrap(String text, float size, float width) {
        try {
            List<String> lines = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String word : text.split("\\s+")) {
                String candidate = current.isEmpty() ? word : current + " " + word;
                if (!current.isEmpty() && width(candidate, size) > width) {
                    lines.add(current.toString());
                    current = new StringBuilder(word);
                } else {
                    current = new StringBuilder(candidate);
                }
            }
            lines.add(current.toString());
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A piece of text that one font draws. */
    private record Run(PDFont font, String text) {
    }

    private void show(String text, float size) throws IOException {
        for (Run run : runs(text)) {
            content.setFont(run.font(), size);
            content.showText(run.text());
        }
    }

    private float width(String text, float size) throws IOException {
        float width = 0;
        for (Run run : runs(text)) {
            width += run.font().getStringWidth(run.text()) / 1000 * size;
        }
        return width;
    }

    /**
     * The text cut where the font changes. White space of any kind is a space and other control characters are dropped
     * (no font draws them); a character no font has becomes a box, or is dropped if it is an invisible modifier (a joiner
     * or variation selector inside an emoji).
     */
    private List<Run> runs(String text) throws IOException {
        List<Run> runs = new ArrayList<>();
        PDFont runFont = null;
        StringBuilder runText = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            String shown = Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) ? " "
                    : new String(Character.toChars(codePoint));
            PDFont font = Character.isISOControl(codePoint) ? null : fontFor(shown.codePointAt(0));
            if (font == null) {
                if (Character.isISOControl(codePoint) || invisible(codePoint)) {
                    continue;
                }
                font = fontFor(MISSING_GLYPH.codePointAt(0));
                shown = font == null ? "?" : MISSING_GLYPH;
                font = font == null ? font(0) : font;
            }
            if (font != runFont && !runText.isEmpty()) {
                runs.add(new Run(runFont, runText.toString()));
                runText.setLength(0);
            }
            runFont = font;
            runText.append(shown);
        }
        if (!runText.isEmpty()) {
            runs.add(new Run(runFont, runText.toString()));
        }
        return runs;
    }

    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.FORMAT || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    private PDFont fontFor(int codePoint) throws IOException {
        Optional<PDFont> known = fontFor.get(codePoint);
        if (known == null) {
            known = Optional.empty();
            for (int i = 0; i < fonts.length && known.isEmpty(); i++) {
                if (draws(font(i), codePoint)) {
                    known = Optional.of(font(i));
                }
            }
            fontFor.put(codePoint, known);
        }
        return known.orElse(null);
    }

    /** PDFBox refuses to encode a character its font has no glyph for; that refusal is the test. */
    private static boolean draws(PDFont font, int codePoint) throws IOException {
        try {
            font.encode(new String(Character.toChars(codePoint)));
            return true;
        } catch (IllegalArgumentException noGlyph) {
            return false;
        }
    }

    private PDFont font(int index) throws IOException {
        if (fonts[index] == null) {
            byte[] file = FONT_FILES.computeIfAbsent(FONTS.get(index), PdfDocument::read);
            fonts[index] = PDType0Font.load(document, new RandomAccessReadBuffer(file), true, false);
        }
        return fonts[index];
    }

    private static byte[] read(String resource) {
        try (InputStream in = PdfDocument.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("font missing from the jar: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
