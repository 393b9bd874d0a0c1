package se.kompetensmal.catalog;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.learning.ModuleVersions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Storing a version with images (once per module by content) and serving them only to those who may see the module. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModuleImagePagesTest extends ServiceTest {

    @Inject
    CatalogueStore store;

    @Inject
    ModuleVersions versions;

    private long region;
    private String insider;
    private String outsider;

    @BeforeAll
    void twoOrganisations() {
        String p = "BLD" + System.nanoTime();
        region = tree.add(p, "Region B", OrgNodeKind.REGION, null).id();
        long other = tree.add(p + "-X", "Annan region", OrgNodeKind.REGION, null).id();
        insider = users.token(users.account(p + "-in", null, Role.COORDINATOR, region));
        outsider = users.token(users.account(p + "-ut", null, Role.COORDINATOR, other));
    }

    private static CourseContent.Module module(String code, String secondPage) {
        CourseContent.Module m = ModuleFilesTest.module();
        return new CourseContent.Module(code, m.title(), m.summary(), m.estimatedMinutes(), List.of("LICENSED"), List.of("LIC-01"),
                m.passMark(), List.of(m.pages().get(0), new CourseContent.Page("Andra", secondPage)), m.questions(), null,
                ModuleFilesTest.images());
    }

    @Test
    void imagesAreStoredOncePerModuleAndTheHashCoversThem() {
        String code = "bilder-" + System.nanoTime();
        assertEquals(1, store.storeVersion(module(code, "Text."), null, "FILES", null, null));
        assertEquals(1, store.storeVersion(module(code, "Text."), null, "FILES", null, null), "unchanged: the same version");
        assertEquals(2, store.storeVersion(module(code, "Ändrad text."), null, "FILES", null, null));
        CourseContent.Module renamed = module(code, "Ändrad text.").withImages(List.of(
                new ImageFile("foto.jpg", "image/jpeg", ImageFilesTest.JPEG),
                new ImageFile("korsben.png", "image/png", ImageFilesTest.PNG),
                new ImageFile("korsben-kopia.png", "image/png", ImageFilesTest.PNG)));
        assertEquals(3, store.storeVersion(renamed, null, "FILES", null, null), "a new image name is new content");

        assertEquals(2, sql.number("SELECT COUNT(*) FROM module_image WHERE module_code = ?", code), "two different pictures");
        assertEquals(2 + 2 + 3, sql.number("""
                SELECT COUNT(*) FROM module_version_image vi JOIN module_version v ON v.id = vi.module_version_id
                WHERE v.module_code = ?""", code));
    }

    @Test
    void aPublishedImageIsServedWithItsTypeToThoseWhoMaySeeTheModule() {
        String code = "egen-" + System.nanoTime();
        sql.update("INSERT INTO catalogue_module (code, source, owner_org_id) VALUES (?, 'EDITOR', ?)", code, region);
        int version = store.storeVersion(module(code, "Text."), null, "EDITOR", region, null);
        String path = PageHtml.versionImages(code, version) + "korsben.png";

        HttpResponse<byte[]> image = http.toBlocking().exchange(HttpRequest.GET(path).cookie(Cookie.of("JWT", insider)), byte[].class);
        assertEquals("image/png", image.getContentType().orElseThrow().toString());
        assertEquals("nosniff", image.getHeaders().get("X-Content-Type-Options"));
        assertTrue(image.getHeaders().get("Content-Disposition").startsWith("inline"));
        assertArrayEquals(ImageFilesTest.PNG, image.body());

        for (String[] call : new String[][]{{path, outsider}, {PageHtml.versionImages(code, version) + "saknas.png", insider},
                {PageHtml.versionImages(code, version + 1) + "korsben.png", insider}}) {
            HttpClientResponseException refused = assertThrows(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.GET(call[0]).cookie(Cookie.of("JWT", call[1])), byte[].class));
            assertEquals(HttpStatus.NOT_FOUND, refused.getStatus(), call[0]);
        }
    }

    @Test
    void aStoredVersionReadsBackAsTheModuleWithItsImages() {
        String code = "tillbaka-" + System.nanoTime();
        CourseContent.Module m = module(code, "Text.");
        int version = store.storeVersion(m, null, "FILES", null, null);

        CatalogueStore.Stored stored = store.version(code, null).orElseThrow();

        assertEquals(version, stored.version());
        assertEquals(m, stored.module());
        assertEquals(ModuleFilesTest.images(), stored.images());
        assertEquals(m, store.version(code, version).orElseThrow().module());
        assertTrue(store.version(code, version + 1).isEmpty());
        ModuleRules.Result again = ModuleRules.validate(m.toDraft(List.of(
                new ModuleDraft.Image("foto.jpg", 1, "image/jpeg", 11), new ModuleDraft.Image("korsben.png", 2, "image/png", 16))),
                ModuleRules.EDITOR, new ModuleRules.Known(java.util.Set.of("LICENSED"), java.util.Set.of("LIC-01")));
        assertEquals(m.withImages(List.of(new ImageFile("foto.jpg", "image/jpeg", null), new ImageFile("korsben.png", "image/png", null))),
                again.module(), "a module made a draft again validates to itself");
    }

    @Test
    void theLearnersPageShowsTheVersionsImages() {
        String code = "sida-" + System.nanoTime();
        int version = store.storeVersion(module(code, "Text."), null, "FILES", null, null);
        String html = versions.latest(code, "sv").orElseThrow().pages().get(0).html();
        assertTrue(html.contains("src=\"" + PageHtml.versionImages(code, version) + "korsben.png\""), html);
        assertTrue(html.contains("loading=\"lazy\""), html);
    }
}
