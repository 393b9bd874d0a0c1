package se.kompetensmal.catalog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The image's type is read from its bytes: only PNG, JPEG and WebP, whatever the name says. */
class ImageFilesTest {

    static final byte[] PNG = bytes(new int[]{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'});
    static final byte[] JPEG = bytes(new int[]{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0});
    static final byte[] WEBP = bytes(new int[]{'R', 'I', 'F', 'F', 0x24, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '});

    @Test
    void pngJpegAndWebpAreKnownByTheirContent() {
        assertEquals("image/png", ImageFiles.check("diagram.png", PNG));
        assertEquals("image/jpeg", ImageFiles.check("foto.jpg", JPEG));
        assertEquals("image/webp", ImageFiles.check("bild.webp", WEBP));
        assertEquals("image/jpeg", ImageFiles.check("foto.png", JPEG), "the bytes decide, not the name");
    }

    @Test
    void svgHtmlAndGifAreRefusedEvenWhenNamedPng() {
        String notAnImage = "Filen «bild.png» är inte en PNG-, JPEG- eller WebP-bild (typen läses ur filens innehåll;"
                + " SVG, GIF och andra filer går inte att använda)";
        for (String content : new String[]{"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
                "<!DOCTYPE html><html><script>alert(1)</script></html>", "GIF89a\u0001\u0000"}) {
            ImageFiles.Refused refused = assertThrows(ImageFiles.Refused.class,
                    () -> ImageFiles.check("bild.png", content.getBytes(StandardCharsets.UTF_8)));
            assertEquals(notAnImage, refused.getMessage());
        }
    }

    @Test
    void moreThanTwoMegabytesIsRefused() {
        byte[] big = Arrays.copyOf(PNG, 2 * 1024 * 1024 + 1);
        assertEquals("Bilden «stor.png» är 2049 kB; högst 2 MB (2048 kB) går", ImageFiles.problem("stor.png", big));
        assertEquals("image/png", ImageFiles.check("precis.png", Arrays.copyOf(PNG, 2 * 1024 * 1024)));
    }

    @Test
    void fileNamesAreLowerCaseWithoutPaths() {
        for (String name : new String[]{"Bild.png", "../bild.png", "mapp/bild.png", ".dold.png", "bild med mellanslag.png", "x".repeat(101)}) {
            assertEquals("Bildens filnamn «" + name + "» är ogiltigt (tillåtet: gemener a–z, siffror, punkt, - och _,"
                    + " högst 100 tecken, börjar med bokstav eller siffra)", ImageFiles.problem(name, PNG));
        }
    }

    static byte[] bytes(int[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
