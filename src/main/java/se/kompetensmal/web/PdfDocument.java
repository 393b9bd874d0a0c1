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
    /** A row of a chart: its label (wrapped, never cut), its bar, and the figure in what is left of the width. */
    private static final float LABEL_WIDTH = 190;
    private static final float BAR_WIDTH = 170;
    private static final float GAP = 8;
    private static final float VALUE_WIDTH = WIDTH - LABEL_WIDTH - BAR_WIDTH - GAP;
    private static final float ROW_LINE = 11;
    private static final Color BAR = new Color(11, 79, 108);
    /** Bars of what is wrong (overdue), set apart from the others by colour and by diagonal stripes. */
    private static final Color WARNING_BAR = new Color(179, 38, 30);
    private static final Color WARNING_GROUND = new Color(246, 214, 211);

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
        bar(label, percent, shown, false);
    }

    /**
     * A row of a bar chart: the label (on as many lines as it needs), a bar as long as the percentage (none when it is not
     * shown), and the figure. A warning bar (overdue) is red and striped, so that it reads apart in grey print too.
     */
    public void bar(String label, @Nullable Integer percent, String shown, boolean warning) {
        float size = 9;
        try {
            List<String> labels = wrap(label, size, LABEL_WIDTH - 6);
            List<String> values = wrap(shown, size, VALUE_WIDTH);
            int lines = Math.max(labels.size(), values.size());
            room(ROW_LINE * lines + 3);
            y -= 12;
            float first = y;
            text(labels, MARGIN, size);
            float barX = MARGIN + LABEL_WIDTH;
            content.setNonStrokingColor(warning ? WARNING_GROUND : new Color(230, 233, 238));
            content.addRect(barX, first - 1, BAR_WIDTH, 9);
            content.fill();
            if (percent != null) {
                float length = BAR_WIDTH * Math.min(100, percent) / 100f;
                content.setNonStrokingColor(warning ? WARNING_BAR : BAR);
                content.addRect(barX, first - 1, length, 9);
                content.fill();
                if (warning && length > 0) {
                    stripes(barX, first - 1, length, 9);
                }
            }
            content.setNonStrokingColor(Color.BLACK);
            text(values, barX + BAR_WIDTH + GAP, size);
            y = first - ROW_LINE * (lines - 1) - 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A row of a table of answers: the label (wrapped) and the value beside it, in the width of the bar and the figure
     * (wrapped too). For figures that mean yes or no, which a bar would only make look like a share.
     */
    public void row(String label, String value) {
        float size = 9;
        try {
            List<String> labels = wrap(label, size, LABEL_WIDTH - 6);
            List<String> values = wrap(value, size, WIDTH - LABEL_WIDTH);
            int lines = Math.max(labels.size(), values.size());
            room(ROW_LINE * lines + 3);
            y -= 12;
            float first = y;
            text(labels, MARGIN, size);
            text(values, MARGIN + LABEL_WIDTH, size);
            y = first - ROW_LINE * (lines - 1) - 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of text one under the other, the first on the current line. */
    private void text(List<String> lines, float x, float size) throws IOException {
        for (int i = 0; i < lines.size(); i++) {
            content.beginText();
            content.newLineAtOffset(x, y - ROW_LINE * i);
            show(lines.get(i), size);
            content.endText();
        }
    }

    /** White diagonal stripes over a bar, clipped to it. */
    private void stripes(float x, float y0, float width, float height) throws IOException {
        content.saveGraphicsState();
        content.addRect(x, y0, width, height);
        content.clip();
        content.setStrokingColor(Color.WHITE);
        content.setLineWidth(1.5f);
        for (float sx = x - height; sx < x + width; sx += 5) {
            content.moveTo(sx, y0);
            content.lineTo(sx + height, y0 + height);
        }
        content.stroke();
        content.restoreGraphicsState();
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
            for (String whole : text.split("\\s+")) {
                String word = whole;
                // A word wider than the line (a long compound, a name without spaces) is broken where it reaches the edge.
                while (width(word, size) > width && word.codePointCount(0, word.length()) > 1) {
                    int cut = word.offsetByCodePoints(0, 1);
                    while (cut < word.length() && width(word.substring(0, word.offsetByCodePoints(cut, 1)), size) <= width) {
                        cut = word.offsetByCodePoints(cut, 1);
                    }
                    if (!current.isEmpty()) {
                        lines.add(current.toString());
                        current = new StringBuilder();
                    }
                    lines.add(word.substring(0, cut));
                    word = word.substring(cut);
                }
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
