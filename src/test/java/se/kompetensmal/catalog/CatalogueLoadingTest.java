package se.kompetensmal.catalog;

import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.RefusedStart;
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

    @Inject
    CatalogueLoader loader;

    /** Anyone signed in: a shipped module is for everyone. */
    static final io.micronaut.security.authentication.Authentication ANYONE =
            io.micronaut.security.authentication.Authentication.build("test", Map.of("accountId", 0L));

    @Test
    void serviceRefusesToStartOnBrokenContentAndNamesTheFile() {
        CourseFolder courses = CourseFolder.copyOfShipped();
        courses.replace("modules/vardskador-grunder/assessment.yml", "correct: true", "correct: false");
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.put("kompetensmal.courses-dir", courses.root.toString());

        Exception failure = RefusedStart.expect(BeanInstantiationException.class, properties);

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

    // Starting instances: the courses/ content is stored once per change across all instances, never older over newer.
    // Each test puts back the row of what is stored, so that later classes' services find the shipped content stored.

    @Test
    void theSameContentLoadedTwiceIsStoredOnce() {
        withStoredContentKept(() -> {
            CourseFolder courses = CourseFolder.copyOfShipped();
            courses.replace("catalogue.yml", "version: \"2026.1\"", "version: \"2099.1\"");
            String code = courses.copyModule("vardskador-grunder", "test-en-gang-" + System.nanoTime());

            assertEquals(CatalogueStore.Loaded.STORED, loader.storeOnce(read(courses)).loaded());
            long rows = countRows();
            CatalogueStore.Load again = loader.storeOnce(read(courses));

            assertEquals(CatalogueStore.Loaded.ALREADY_STORED, again.loaded());
            assertEquals(rows, countRows());
            assertEquals(List.of(1), versions(code));
        });
    }

    @Test
    void olderContentLoadedAfterNewerChangesNothing() {
        withStoredContentKept(() -> {
            CourseFolder courses = CourseFolder.copyOfShipped();
            courses.replace("catalogue.yml", "version: \"2026.1\"", "version: \"2099.2\"");
            String code = courses.copyModule("vardskador-grunder", "test-aldre-" + System.nanoTime());
            CourseContent older = read(courses);
            assertEquals(CatalogueStore.Loaded.STORED, loader.storeOnce(older).loaded());
            // A new release: the module changed, the catalogue version too.
            courses.write("modules/" + code + "/pages/02-vad-ar-en-vardskada.md", "# Ny rubrik\n\nNy text om vårdskador.\n");
            courses.replace("catalogue.yml", "version: \"2099.2\"", "version: \"2099.3\"");
            assertEquals(CatalogueStore.Loaded.STORED, loader.storeOnce(read(courses)).loaded());
            long rows = countRows();

            // An instance of the older release starts (a rolling deploy): its content is older than what is stored.
            assertEquals(CatalogueStore.Loaded.OLDER_VERSION, loader.storeOnce(older).loaded());

            assertEquals(List.of(1, 2), versions(code), "the older content is not stored as a newer version");
            assertEquals("Ny rubrik", catalogue.module(code, null, ANYONE).orElseThrow().pages().get(1).title());
            assertEquals(rows, countRows());
            assertEquals("2099.3", sql.strings("SELECT catalogue_version FROM catalogue_load").get(0));
        });
    }

    @Test
    void contentReplacedWithinTheSameCatalogueVersionIsNotStoredAgain() {
        withStoredContentKept(() -> {
            CourseFolder courses = CourseFolder.copyOfShipped();
            courses.replace("catalogue.yml", "version: \"2026.1\"", "version: \"2099.4\"");
            String code = courses.copyModule("vardskador-grunder", "test-samma-version-" + System.nanoTime());
            String other = courses.copyModule("vardskador-grunder", "test-annan-" + System.nanoTime());
            String page = "modules/" + code + "/pages/02-vad-ar-en-vardskada.md";
            String firstText = courses.read(page);
            CourseContent first = read(courses);
            assertEquals(CatalogueStore.Loaded.STORED, loader.storeOnce(first).loaded());
            courses.write(page, "# Ändrad\n\nÄndrad text.\n");
            assertEquals(CatalogueStore.Loaded.STORED, loader.storeOnce(read(courses)).loaded());

            // The first content again: an instance started before the change.
            assertEquals(CatalogueStore.Loaded.REPLACED_SINCE, loader.storeOnce(first).loaded());
            // Content never stored whose module is the first text again (another module changed beside it).
            courses.write(page, firstText);
            courses.write("modules/" + other + "/pages/02-vad-ar-en-vardskada.md", "# Annan\n\nAnnan text.\n");
            CatalogueStore.Load mixed = loader.storeOnce(read(courses));

            assertEquals(CatalogueStore.Loaded.STORED, mixed.loaded());
            assertEquals(List.of(other), mixed.result().newModuleVersions());
            assertEquals(List.of(1, 2), versions(code), "a module equal to a stored version is not stored again");
            assertEquals("Ändrad", catalogue.module(code, null, ANYONE).orElseThrow().pages().get(1).title());
        });
    }

    @Test
    void twoInstancesLoadingAtOnceStoreOnce() throws Exception {
        withStoredContentKept(() -> {
            CourseFolder courses = CourseFolder.copyOfShipped();
            courses.replace("catalogue.yml", "version: \"2026.1\"", "version: \"2099.5\"");
            String code = courses.copyModule("vardskador-grunder", "test-samtidigt-" + System.nanoTime());
            CourseContent content = read(courses);
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<CatalogueStore.Loaded>> loads = List.of(
                        threads.submit(() -> { together.await(); return loader.storeOnce(content).loaded(); }),
                        threads.submit(() -> { together.await(); return loader.storeOnce(content).loaded(); }));
                List<CatalogueStore.Loaded> outcomes = new java.util.ArrayList<>();
                for (var load : loads) {
                    outcomes.add(load.get());
                }
                java.util.Collections.sort(outcomes);
                assertEquals(List.of(CatalogueStore.Loaded.STORED, CatalogueStore.Loaded.ALREADY_STORED), outcomes);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                threads.shutdown();
            }
            assertEquals(List.of(1), versions(code));
        });
    }

    @Test
    void catalogueVersionsCompareByTheirParts() {
        assertTrue(CatalogueStore.compareVersions("2026.2", "2026.10") < 0);
        assertTrue(CatalogueStore.compareVersions("2027.1", "2026.9") > 0);
        assertEquals(0, CatalogueStore.compareVersions("2026.1", "2026.1"));
        assertTrue(CatalogueStore.compareVersions("2026.1", "") > 0, "anything is newer than nothing stored");
    }

    private static CourseContent read(CourseFolder courses) {
        return CourseContentReader.read(courses.root, CourseContentReaderTest.AUDIENCES);
    }

    private List<Integer> versions(String code) {
        return sql.strings("SELECT version FROM module_version WHERE module_code = ? ORDER BY version", code).stream()
                .map(Integer::valueOf).toList();
    }

    /** Runs the test and puts back what catalogue_load held, as the next test class's service expects the shipped content. */
    private void withStoredContentKept(Runnable test) {
        List<String> kept = sql.strings("SELECT CONCAT(content_hash, ' ', catalogue_version) FROM catalogue_load WHERE id = 1");
        try {
            test.run();
        } finally {
            String[] row = kept.get(0).split(" ", 2);
            sql.update("UPDATE catalogue_load SET content_hash = ?, catalogue_version = ? WHERE id = 1", row[0],
                    row.length > 1 ? row[1] : "");
        }
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
