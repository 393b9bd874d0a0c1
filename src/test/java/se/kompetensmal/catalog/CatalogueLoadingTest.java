package se.kompetensmal.catalog;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogueLoadingTest extends ServiceTest {

    @Inject
    CatalogueStore store;

    @Inject
    CatalogueQueries catalogue;

    @Test
    void serviceRefusesToStartOnBrokenContentAndNamesTheFile() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.replace("modules/vardskador-grunder/assessment.yml", "correct: true", "correct: false");
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.put("kompetensmal.courses-dir", courses.root.toString());

        Exception failure = assertThrows(BeanInstantiationException.class, () -> ApplicationContext.run(properties).close());

        Throwable cause = failure;
        while (!(cause instanceof InvalidCourseContentException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("courses/modules/vardskador-grunder/assessment.yml, rad 4: Frågan saknar rätt svar"),
                cause.getMessage());
    }

    @Test
    void loadingTheSameContentAgainChangesNothing() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        String code = courses.copyModule("vardskador-grunder", "test-idempotent-" + System.nanoTime());
        CourseContent content = CourseContentReader.read(courses.root, CourseContentReaderTest.AUDIENCES);

        assertTrue(store.store(content).newModuleVersions().contains(code));
        long rowsBefore = countRows();
        CatalogueStore.LoadResult again = store.store(CourseContentReader.read(courses.root, CourseContentReaderTest.AUDIENCES));

        assertEquals(List.of(), again.newModuleVersions());
        assertEquals(rowsBefore, countRows());
    }

    @Test
    void editingAModuleCreatesItsNextVersionAndLeavesTheOldOneIntact() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        String code = courses.copyModule("vardskador-grunder", "test-versions-" + System.nanoTime());
        store.store(CourseContentReader.read(courses.root, CourseContentReaderTest.AUDIENCES));
        CatalogueQueries.ModuleDetail first = catalogue.module(code, null).orElseThrow();
        long firstVersionId = versionId(code, 1);

        courses.write("modules/" + code + "/pages/02-vad-ar-en-vardskada.md", "# Ny rubrik\n\nNy text om vårdskador.\n");
        courses.replace("modules/" + code + "/assessment.yml", "correct: true", "correct: true # samma");
        store.store(CourseContentReader.read(courses.root, CourseContentReaderTest.AUDIENCES));

        CatalogueQueries.ModuleDetail latest = catalogue.module(code, null).orElseThrow();
        assertEquals(2, latest.module().version());
        assertEquals(List.of(1, 2), latest.versions());
        assertEquals("Ny rubrik", latest.pages().get(1).title());
        CatalogueQueries.ModuleDetail old = catalogue.module(code, 1).orElseThrow();
        assertEquals(first.pages(), old.pages(), "version 1 keeps the pages it had");
        assertEquals(firstVersionId, versionId(code, 1), "whatever points at version 1 still finds it");
        assertEquals(first.module().questions(), old.module().questions());
    }

    @Test
    void goalsAndModulesAreServedOverTheApi() {
        String token = users.admin();
        String goals = http.toBlocking().retrieve(HttpRequest.GET("/api/goals?audience=POLITICIAN").bearerAuth(token));
        assertTrue(goals.contains("\"code\":\"POL-01\""), goals);
        assertTrue(goals.contains("politikerns-ansvar"), goals);
        assertTrue(!goals.contains("\"code\":\"LIC-01\""), "only the politicians' goals: " + goals);

        String module = http.toBlocking().retrieve(HttpRequest.GET("/api/modules/vardskador-grunder").bearerAuth(token));
        assertTrue(module.contains("\"title\":\"Vårdskador och patientsäkerhet – grunderna\""), module);
        assertTrue(!module.contains("correct"), "answers never leave the service: " + module);
    }

    @Test
    void aModuleWithImagesLoadsThemAndReloadingChangesNothing() throws java.io.IOException {
        CourseFolder courses = CourseFolder.copyOfShipped();
        String code = courses.copyModule("vardskador-grunder", "test-bilder-" + System.nanoTime());
        java.nio.file.Path images = courses.root.resolve("modules/" + code + "/images");
        java.nio.file.Files.createDirectories(images);
        java.nio.file.Files.write(images.resolve("korsben.png"), ImageFilesTest.PNG);
        courses.write("modules/" + code + "/pages/02-vad-ar-en-vardskada.md",
                "# Trycksår\n\n![Trycksår på korsbenet](images/korsben.png)\n");

        assertTrue(store.store(CourseContentReader.read(courses.root, CourseContentReaderTest.AUDIENCES)).newModuleVersions().contains(code));
        assertEquals(List.of(), store.store(CourseContentReader.read(courses.root, CourseContentReaderTest.AUDIENCES)).newModuleVersions());

        assertEquals(1, sql.number("""
                SELECT COUNT(*) FROM module_version_image vi JOIN module_version v ON v.id = vi.module_version_id
                JOIN module_image i ON i.id = vi.image_id
                WHERE v.module_code = ? AND vi.file_name = 'korsben.png' AND i.content_type = 'image/png'""", code));
    }

    @Test
    void codesNeverShadow() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        String code = courses.copyModule("vardskador-grunder", "test-egen-" + System.nanoTime());
        String goal = "EGET-" + System.nanoTime();
        long org = tree.add("SKUGGA" + System.nanoTime(), "Region S", se.kompetensmal.organization.OrgNodeKind.REGION, null).id();
        sql.update("INSERT INTO catalogue_module (code, source, owner_org_id) VALUES (?, 'EDITOR', ?)", code, org);
        sql.update("""
                INSERT INTO competence_goal (code, catalogue_version, area, kind, text_sv, owner_org_id)
                VALUES (?, 'egen', 'SAFETY_CULTURE', 'KNOWLEDGE', 'Eget mål', ?)""", goal, org);
        courses.replace("catalogue.yml", "goals:\n", "goals:\n  - code: " + goal + "\n    audiences: [LICENSED]\n"
                + "    area: SAFETY_CULTURE\n    kind: KNOWLEDGE\n    text_sv: Nationellt mål\n");
        long rowsBefore = countRows();

        InvalidCourseContentException e = assertThrows(InvalidCourseContentException.class,
                () -> store.store(CourseContentReader.read(courses.root, CourseContentReaderTest.AUDIENCES)));

        assertEquals(List.of("courses/modules: modulen med id «" + code + "» kan inte laddas, eftersom koden redan används av"
                        + " en modul som skrivits i webbläsaren; ge filernas modul ett annat id",
                "courses/catalogue.yml: målkoden " + goal + " används redan av en organisations eget kompetensmål;"
                        + " ge det nationella målet en annan kod"), e.problems());
        assertEquals(rowsBefore, countRows(), "nothing written");
        assertEquals("Eget mål", sql.strings("SELECT text_sv FROM competence_goal WHERE code = ?", goal).get(0));
    }

    private long versionId(String code, int version) {
        return sql.number("SELECT id FROM module_version WHERE module_code = ? AND version = ?", code, version);
    }

    private long countRows() {
        return sql.number("""
                SELECT (SELECT COUNT(*) FROM module_version) + (SELECT COUNT(*) FROM module_page)
                     + (SELECT COUNT(*) FROM assessment_question) + (SELECT COUNT(*) FROM question_option)
                     + (SELECT COUNT(*) FROM competence_goal) + (SELECT COUNT(*) FROM competence_goal_audience)""");
    }
}
