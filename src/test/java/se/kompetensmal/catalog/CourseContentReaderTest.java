package se.kompetensmal.catalog;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CourseContentReaderTest {

    static final Set<String> AUDIENCES = Set.of("LICENSED", "NON_LICENSED", "FRONTLINE_MANAGER", "STRATEGIC_LEADER",
            "POLITICIAN", "PATIENT_SAFETY_FUNCTION", "LOCAL_SUPPORT", "CENTRAL_SUPPORT");

    @Test
    void shippedContentIsAcceptedWhole() {
        CourseContent content = CourseContentReader.read(Path.of("courses"), AUDIENCES);

        assertEquals("2026.1", content.catalogueVersion());
        for (String audience : Set.of("LICENSED", "FRONTLINE_MANAGER", "STRATEGIC_LEADER", "POLITICIAN")) {
            long goals = content.goals().stream().filter(g -> g.audiences().contains(audience)).count();
            assertTrue(goals >= 5 && goals <= 10, audience + " has " + goals + " goals");
        }
        assertTrue(content.modules().size() >= 3);
        assertEquals(List.of("saker-vard-nationell"), content.modules().stream().filter(m -> m.external() != null)
                .map(CourseContent.Module::code).toList(), "the national course is taken elsewhere");
        for (CourseContent.Module module : content.modules().stream().filter(m -> m.external() == null).toList()) {
            assertTrue(module.pages().size() >= 1 && module.questions().size() >= 1, module.code());
            module.questions().forEach(q -> assertTrue(q.options().stream().anyMatch(CourseContent.Option::correct),
                    module.code() + " " + q.code()));
        }
    }

    @Test
    void moduleNamingAGoalTheCatalogueLacksIsRejected() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.replace("modules/vardskador-grunder/module.yml", "LIC-01", "LIC-99");

        assertOnce(courses, "courses/modules/vardskador-grunder/module.yml, rad 6: Kompetensmål (goals): okänd målkod «LIC-99»");
    }

    @Test
    void twoModulesWithTheSameIdAreRejected() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.copyModule("vardskador-grunder", "kopia");
        courses.replace("modules/kopia/module.yml", "id: kopia", "id: vardskador-grunder");

        assertOnce(courses, "courses/modules/vardskador-grunder/module.yml: Kod (id) «vardskador-grunder» används redan av courses/modules/kopia/module.yml");
    }

    @Test
    void duplicateGoalCodeIsRejected() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.replace("catalogue.yml", "- code: LIC-02", "- code: LIC-01");

        assertProblem(courses, "courses/catalogue.yml: målkoden LIC-01 finns mer än en gång");
    }

    @Test
    void questionWithoutARightAnswerIsRejected() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.replace("modules/vardskador-grunder/assessment.yml", "correct: true", "correct: false");

        assertOnce(courses, "courses/modules/vardskador-grunder/assessment.yml, rad 4: Frågan saknar rätt svar: markera minst ett svarsalternativ som rätt (correct: true)");
    }

    @Test
    void passMarkOutsideZeroToHundredPercentIsRejected() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.replace("modules/vardskador-grunder/module.yml", "pass_mark: 80", "pass_mark: 120");

        assertOnce(courses, "courses/modules/vardskador-grunder/module.yml, rad 7: Gräns för godkänt (pass_mark) ska vara ett heltal mellan 0 och 100 (procent rätt), inte «120»");
    }

    @Test
    void unknownAudienceAreaAndKindAreRejected() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.replace("catalogue.yml", "audiences: [LICENSED, NON_LICENSED]", "audiences: [NURSES]");
        courses.replace("catalogue.yml", "area: HARM_KNOWLEDGE", "area: HARM");
        courses.replace("catalogue.yml", "kind: KNOWLEDGE", "kind: WISDOM");

        InvalidCourseContentException e = read(courses);
        assertContains(e, "courses/catalogue.yml: mål LIC-01 har okänd målgrupp 'NURSES'");
        assertContains(e, "courses/catalogue.yml: mål LIC-01 har okänt värde 'HARM' i fältet 'area'");
        assertContains(e, "courses/catalogue.yml: mål LIC-01 har okänt värde 'WISDOM' i fältet 'kind'");
    }

    @Test
    void brokenYamlMissingFilesAndPagesWithoutTitleAreRejected() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.write("modules/sakerhetskultur-och-risker/module.yml", "id: [unterminated\n");
        courses.delete("modules/politikerns-ansvar/assessment.yml");
        courses.write("modules/vardskador-grunder/pages/02-vad-ar-en-vardskada.md", "Ingen rubrik här.\n");

        InvalidCourseContentException e = read(courses);
        assertContains(e, "courses/modules/sakerhetskultur-och-risker/module.yml: ogiltig YAML");
        assertContains(e, "courses/modules/politikerns-ansvar/assessment.yml: filen saknas");
        assertContains(e, "courses/modules/vardskador-grunder/pages/02-vad-ar-en-vardskada.md, rad 1: sidan måste börja med sin rubrik");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.replace("modules/vardskador-grunder/module.yml", "pass_mark: 80", "pass_mark: -1");
        courses.replace("modules/politikerns-ansvar/module.yml", "estimated_minutes:", "estimated_minutes: x\nold_minutes:");

        InvalidCourseContentException e = read(courses);
        assertEquals(2, e.problems().size(), e.getMessage());
    }

    @Test
    void moduleRulesNameFileAndLine() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.replace("modules/vardskador-grunder/module.yml", "estimated_minutes: 20", "estimated_minutes: 0");
        courses.replace("modules/vardskador-grunder/module.yml", "audiences: [LICENSED,", "audiences: [NURSES, LICENSED,");
        courses.replace("modules/vardskador-grunder/assessment.yml", "- id: q2", "- id: q1");
        courses.replace("modules/vardskador-grunder/assessment.yml",
                "feedback: \"Fel. Att något är vanligt gör det inte oundvikligt.", "feedback: \"\"\n        old: \"");

        InvalidCourseContentException e = read(courses);
        String module = "courses/modules/vardskador-grunder/module.yml";
        String assessment = "courses/modules/vardskador-grunder/assessment.yml";
        assertEquals(List.of(
                module + ", rad 4: Beräknad tid (estimated_minutes) ska vara ett heltal mellan 1 och 240 (minuter), inte «0»",
                module + ", rad 5: Målgrupper (audiences): okänd målgrupp «NURSES»",
                assessment + ", rad 7: Återkopplingen till svaret (feedback) saknas",
                assessment + ", rad 19: Frågans id (id) «q1» används redan av fråga 1"), e.problems());
    }

    @Test
    void unsafeMarkdownAndImageRulesNameThePageFileAndLine() throws java.io.IOException {
        CourseFolder courses = CourseFolder.copyOfShipped();
        String dir = "modules/vardskador-grunder/";
        java.nio.file.Files.createDirectories(courses.root.resolve(dir + "images"));
        java.nio.file.Files.write(courses.root.resolve(dir + "images/korsben.png"), ImageFilesTest.PNG);
        courses.write(dir + "images/bild.png", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
        courses.write(dir + "pages/02-vad-ar-en-vardskada.md", "# Bilder\n\n![](images/korsben.png)\n\n![Saknas](images/saknas.png)\n\n"
                + "<script>alert(1)</script>\n\nLäs [mer](javascript:alert(1)).\n");

        InvalidCourseContentException e = read(courses);
        String page = "courses/" + dir + "pages/02-vad-ar-en-vardskada.md";
        assertEquals(List.of(
                "courses/" + dir + "images/bild.png: Filen «bild.png» är inte en PNG-, JPEG- eller WebP-bild (typen läses ur"
                        + " filens innehåll; SVG, GIF och andra filer går inte att använda)",
                page + ", rad 3: Bilden «images/korsben.png» saknar alternativtext: skriv vad bilden visar mellan"
                        + " hakparenteserna, ![vad bilden visar](images/korsben.png)",
                page + ", rad 5: Bilden visar «images/saknas.png», men den bilden finns inte bland modulens bilder",
                page + ", rad 7: Sidan innehåller HTML-kod («<script>alert(1)</script>»); skriv med Markdown i stället"
                        + " (HTML visas inte för deltagarna)",
                page + ", rad 9: Länkens adress «javascript:alert(1)» är inte tillåten: använd en webbadress (https://…),"
                        + " mailto:, en länk inom sidan (#…) eller en av modulens bilder (images/<fil>)"), e.problems());
    }

    static InvalidCourseContentException read(CourseFolder courses) {
        return assertThrows(InvalidCourseContentException.class, () -> CourseContentReader.read(courses.root, AUDIENCES));
    }

    private static void assertProblem(CourseFolder courses, String expected) {
        assertContains(read(courses), expected);
    }

    /** The rule's whole message, given exactly once, naming the file and line. */
    static void assertOnce(CourseFolder courses, String expected) {
        InvalidCourseContentException e = read(courses);
        assertEquals(1, e.problems().stream().filter(expected::equals).count(),
                "expected exactly once\n  " + expected + "\nbut got\n  " + String.join("\n  ", e.problems()));
        assertEquals(1, e.problems().stream().filter(p -> p.endsWith(expected.substring(expected.indexOf(": ")))).count(),
                "the message is given once: " + String.join("\n  ", e.problems()));
    }

    private static void assertContains(InvalidCourseContentException e, String expected) {
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(expected)),
                "expected a problem starting with\n  " + expected + "\nbut got\n  " + String.join("\n  ", e.problems()));
    }
}
