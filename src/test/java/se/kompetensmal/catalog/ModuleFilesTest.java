package se.kompetensmal.catalog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A module as a zip in the courses/ layout: written and read back identical; unsafe or broken zips refused. */
class ModuleFilesTest {

    static final ModuleRules.Known KNOWN = new ModuleRules.Known(CourseContentReaderTest.AUDIENCES, Set.of("LIC-01"));

    static final CourseContent.Goal OWN_GOAL = new CourseContent.Goal("REG-01", List.of("LICENSED"), GoalArea.HARM_KNOWLEDGE,
            GoalKind.SKILL, "Kan vända en patient säkert: \"alltid två\".", null);

    static CourseContent.Module module() {
        ModuleDraft draft = new ModuleDraft("trycksar-region", "Trycksår – förebygga", "Om trycksår: risk, \"vändschema\" och \\ mer.",
                "25", List.of("LICENSED", "NON_LICENSED"), List.of("LIC-01", "REG-01"), "75",
                List.of(new ModuleDraft.Page("Varför vända?", "Första stycket.\n\n![Huden över korsbenet](images/korsben.png)\n\n- punkt\n- punkt"),
                        new ModuleDraft.Page("Åtgärder & ansvar", "Se [Socialstyrelsen](https://www.socialstyrelsen.se).")),
                List.of(new ModuleDraft.Question("q1", "Hur ofta?\nVälj ett svar.", List.of(
                        new ModuleDraft.Option("Var annan timme", true, "Rätt: «ofta»."),
                        new ModuleDraft.Option("En gång om dagen", false, "Fel.\tFör sällan.")))),
                List.of(new ModuleDraft.Image("korsben.png", 0, "image/png", ImageFilesTest.PNG.length),
                        new ModuleDraft.Image("foto.jpg", 0, "image/jpeg", ImageFilesTest.JPEG.length)), null, null);
        ModuleRules.Result result = ModuleRules.validate(draft, ModuleRules.EDITOR,
                new ModuleRules.Known(KNOWN.audiences(), Set.of("LIC-01", "REG-01")));
        assertEquals(List.of(), result.problems());
        return result.module().withImages(images());
    }

    static List<ImageFile> images() {
        return List.of(new ImageFile("foto.jpg", "image/jpeg", ImageFilesTest.JPEG),
                new ImageFile("korsben.png", "image/png", ImageFilesTest.PNG));
    }

    @Test
    void writtenZipReadsBackIdentical() {
        CourseContent.Module m = module();
        byte[] zip = ModuleFiles.writeZip(m, images(), List.of(OWN_GOAL));

        ModuleFiles.Read read = ModuleFiles.readZip(zip, KNOWN);

        assertEquals(m, read.module());
        assertEquals(images(), read.images());
        assertEquals(List.of(OWN_GOAL), read.ownGoals());
        assertEquals(List.of("catalogue.yml", "modules/trycksar-region/module.yml",
                "modules/trycksar-region/pages/01-varfor-vanda.md", "modules/trycksar-region/pages/02-atgarder-ansvar.md",
                "modules/trycksar-region/assessment.yml", "modules/trycksar-region/images/foto.jpg",
                "modules/trycksar-region/images/korsben.png"), new ArrayList<>(unzip(zip).keySet()));
        assertTrue(unzip(zip).get("modules/trycksar-region/pages/01-varfor-vanda.md").startsWith("# Varför vända?\n"));
    }

    @Test
    void withoutOwnGoalsThereIsNoCatalogue() {
        CourseContent.Module m = module();
        ModuleRules.Known known = new ModuleRules.Known(KNOWN.audiences(), Set.of("LIC-01", "REG-01"));
        byte[] zip = ModuleFiles.writeZip(m, images(), List.of());
        assertTrue(!unzip(zip).containsKey("catalogue.yml"));
        assertEquals(m, ModuleFiles.readZip(zip, known).module());
    }

    @Test
    void aZipThatLeadsOutOfItsFolderIsRefused() {
        Map<String, byte[]> files = unzipBytes(ModuleFiles.writeZip(module(), images(), List.of(OWN_GOAL)));
        files.put("../../etc/cron.d/x", "x".getBytes(StandardCharsets.UTF_8));
        files.put("/etc/passwd", "x".getBytes(StandardCharsets.UTF_8));
        files.put("modules/trycksar-region/../../../x", "x".getBytes(StandardCharsets.UTF_8));

        InvalidCourseContentException e = assertThrows(InvalidCourseContentException.class, () -> ModuleFiles.readZip(zip(files), KNOWN));
        assertTrue(e.problems().contains("../../etc/cron.d/x: sökvägen pekar ut ur mappen (..) och packas inte upp"), e.getMessage());
        assertTrue(e.problems().contains("/etc/passwd: ogiltig eller absolut sökväg i zip-filen"), e.getMessage());
        assertTrue(e.problems().contains("modules/trycksar-region/../../../x: sökvägen pekar ut ur mappen (..) och packas inte upp"), e.getMessage());
    }

    @Test
    void tooManyEntriesAndTwoModulesAreRefused() {
        Map<String, byte[]> many = new TreeMap<>();
        for (int i = 0; i <= ModuleFiles.MAX_ENTRIES; i++) {
            many.put("modules/a/pages/" + i + ".md", new byte[0]);
        }
        InvalidCourseContentException e = assertThrows(InvalidCourseContentException.class, () -> ModuleFiles.readZip(zip(many), KNOWN));
        assertEquals(List.of("zip-filen: har fler än 500 filer"), e.problems());

        Map<String, byte[]> two = unzipBytes(ModuleFiles.writeZip(module(), images(), List.of(OWN_GOAL)));
        two.put("modules/annan/module.yml", "id: annan\n".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(InvalidCourseContentException.class, () -> ModuleFiles.readZip(zip(two), KNOWN));
        assertEquals(List.of("zip-filen: ska innehålla exakt en modulmapp under modules/, men har 2 (annan, trycksar-region)"), e.problems());
    }

    @Test
    void moreThanTwentyMegabytesUnpackedIsRefused() {
        Map<String, byte[]> files = unzipBytes(ModuleFiles.writeZip(module(), images(), List.of()));
        files.put("modules/trycksar-region/images/stor.png", new byte[21 * 1024 * 1024]);
        InvalidCourseContentException e = assertThrows(InvalidCourseContentException.class, () -> ModuleFiles.readZip(zip(files), KNOWN));
        assertEquals(List.of("zip-filen: packar upp till mer än 20 MB"), e.problems());
    }

    @Test
    void problemsNameFileAndLineInTheZip() {
        Map<String, byte[]> files = unzipBytes(ModuleFiles.writeZip(module(), images(), List.of(OWN_GOAL)));
        String assessment = "modules/trycksar-region/assessment.yml";
        files.put(assessment, new String(files.get(assessment), StandardCharsets.UTF_8).replace("correct: true", "correct: false")
                .getBytes(StandardCharsets.UTF_8));
        files.put("modules/trycksar-region/images/bild.png", "<svg><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8));
        String page = "modules/trycksar-region/pages/02-atgarder-ansvar.md";
        files.put(page, "# Åtgärder\n\nText.\n\n[x](javascript:alert(1))\n".getBytes(StandardCharsets.UTF_8));

        InvalidCourseContentException e = assertThrows(InvalidCourseContentException.class, () -> ModuleFiles.readZip(zip(files), KNOWN));
        assertEquals(List.of(
                "modules/trycksar-region/images/bild.png: Filen «bild.png» är inte en PNG-, JPEG- eller WebP-bild (typen läses ur"
                        + " filens innehåll; SVG, GIF och andra filer går inte att använda)",
                "modules/trycksar-region/pages/02-atgarder-ansvar.md, rad 5: Länkens adress «javascript:alert(1)» är inte tillåten:"
                        + " använd en webbadress (https://…), mailto:, en länk inom sidan (#…) eller en av modulens bilder (images/<fil>)",
                "modules/trycksar-region/assessment.yml, rad 4: Frågan saknar rätt svar: markera minst ett svarsalternativ som rätt (correct: true)"),
                e.problems());
    }

    static Map<String, String> unzip(byte[] zip) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        unzipBytes(zip, files);
        return files;
    }

    static Map<String, byte[]> unzipBytes(byte[] zip) {
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                files.put(entry.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    private static void unzipBytes(byte[] zip, Map<String, String> into) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                into.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
