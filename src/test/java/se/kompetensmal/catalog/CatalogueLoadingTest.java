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

    /** Anyone signed in: a shipped module is for everyone. */
    static final io.micronaut.security.authentication.Authentication ANYONE =
            io.micronaut.security.authentication.Authentication.build("test", Map.of("accountId", 0L));

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
        assertTrue(cause.getMessage().contains("courses/modules/vardskador-grunder/assessment.yml: fråga q1 saknar rätt svar"),
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
        CatalogueQueries.ModuleDetail first = catalogue.module(code, null, ANYONE).orElseThrow();
        long firstVersionId = versionId(code, 1);

        courses.write("modules/" + code + "/pages/02-vad-ar-en-vardskada.md", "# Ny rubrik\n\nNy text om vårdskador.\n");
        courses.replace("modules/" + code + "/assessment.yml", "correct: true", "correct: true # samma");
        store.store(CourseContentReader.read(courses.root, CourseContentReaderTest.AUDIENCES));

        CatalogueQueries.ModuleDetail latest = catalogue.module(code, null, ANYONE).orElseThrow();
        assertEquals(2, latest.module().version());
        assertEquals(List.of(1, 2), latest.versions());
        assertEquals("Ny rubrik", latest.pages().get(1).title());
        CatalogueQueries.ModuleDetail old = catalogue.module(code, 1, ANYONE).orElseThrow();
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
