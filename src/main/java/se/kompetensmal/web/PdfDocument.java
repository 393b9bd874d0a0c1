package se.kompetensmal.web;

import io.micronaut.core.annotation.Nullable;
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
import java.util.List;

/**
 * An A4 PDF written from the top down: lines, wrapped paragraphs and labelled bars, with new pages as needed. PDFBox
 * carries Liberation Sans, which has every letter of Swedish and English, so no font has to be installed.
 */
public final class PdfDocument implements AutoCloseable {

    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final float MARGIN = 56;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final float LABEL_WIDTH = 200;
    private static final float BAR_WIDTH = 220;
    private static final Color BAR = new Color(11, 79, 108);

    private final PDDocument document = new PDDocument();
    private final PDFont font;
    private PDPageContentStream content;
    private float y;

    public PdfDocument(String title) {
        try (InputStream in = PdfDocument.class.getResourceAsStream(FONT)) {
            font = PDType0Font.load(document, in);
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
            content.setFont(font, size);
            content.newLineAtOffset(MARGIN, y);
            content.showText(text);
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
            content.setFont(font, size);
            content.newLineAtOffset(MARGIN, y);
            content.showText(wrap(label, size, LABEL_WIDTH - 6).get(0));
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
            content.setFont(font, size);
            content.newLineAtOffset(MARGIN + LABEL_WIDTH + BAR_WIDTH + 8, y);
            content.showText(shown);
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
                if (!current.isEmpty() && font.getStringWidth(candidate) / 1000 * size > width) {
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
}
