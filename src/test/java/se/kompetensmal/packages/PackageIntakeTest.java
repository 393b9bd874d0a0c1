package se.kompetensmal.packages;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.scorm.ScormVersion;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packages taken in: what the manifest says is stored for the player (edition, items in flow order with their launch
 * data and sequencing limits), the files are in the store under the zip's sha256, and a later upload of the same
 * package (same manifest identifier) is the module's next version while a learner's attempt keeps the version it began.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageIntakeTest extends ServiceTest {

    @Inject
    ApplicationContext ctx;

    @Inject
    PackageStore store;

    private String p;
    private long unit;
    private long otherUnit;

    @BeforeAll
    void organisation() {
        p = "PIT" + System.nanoTime();
        long region = tree.add(p, "Region Paketland", OrgNodeKind.REGION, null).id();
        unit = tree.add(p + "-E", "Avdelning Paket", OrgNodeKind.UNIT, region).id();
        otherUnit = tree.add(p + "-F", "Avdelning Annan", OrgNodeKind.UNIT, region).id();
    }

    private String id(String name) {
        return "se.example." + p.toLowerCase() + "." + name;
    }

    @Test
    void aScorm12PackageIsStoredWithItsItemsLaunchDataAndFiles() throws Exception {
        byte[] zip = TestPackages.scorm12(id("hygien12"), TestPackages.files("index.html", TestPackages.page("Start"),
                        "media/bild.txt", "en fil i en mapp"),
                TestPackages.Sco.of("intro", "Introduktion", "index.html").mastery("80").data("niva=1")
                        .timeLimit("00:30:00", "exit,message").parameters("?kapitel=1"),
                TestPackages.Sco.asset("bilaga", "Bilaga", "media/bild.txt"));
        PackageIntake.Published published = TestPackages.publish(ctx, zip, p.toLowerCase() + "-hygien12", unit);

        assertEquals(new PackageIntake.Published(p.toLowerCase() + "-hygien12", 1, published.moduleVersionId(), true), published);
        assertEquals("PACKAGE", sql.strings("SELECT source FROM catalogue_module WHERE code = ?", published.moduleCode()).get(0));
        assertEquals(id("hygien12"), sql.strings("SELECT package_identifier FROM catalogue_module WHERE code = ?",
                published.moduleCode()).get(0));
        assertEquals("Paket " + id("hygien12"), sql.strings("SELECT title FROM module_version WHERE id = ?",
                published.moduleVersionId()).get(0), "the manifest's organisation title is the module's title");
        assertEquals(List.of("1.2|" + id("hygien12") + "|3"), sql.strings("""
                SELECT CONCAT(scorm_version, '|', manifest_identifier, '|', file_count) FROM package_version
                WHERE module_version_id = ?""", published.moduleVersionId()));
        assertEquals(List.of("1|intro|Introduktion|SCO|index.html?kapitel=1|niva=1|80.0000000|00:30:00|exit,message",
                        "2|bilaga|Bilaga|ASSET|media/bild.txt|||-|-"),
                sql.strings("""
                        SELECT CONCAT_WS('|', position, item_identifier, title, kind, launch_href, COALESCE(data_from_lms, ''),
                                         COALESCE(mastery_score, ''), COALESCE(max_time_allowed, '-'),
                                         COALESCE(time_limit_action, '-'))
                        FROM package_item WHERE module_version_id = ? ORDER BY position""", published.moduleVersionId()));

        String key = sql.strings("SELECT storage_key FROM package_version WHERE module_version_id = ?",
                published.moduleVersionId()).get(0);
        assertEquals(sha256(zip), key, "the store key is the zip's sha256");
        Path media = store.file(key, "media/bild.txt").orElseThrow();
        assertEquals("en fil i en mapp", Files.readString(media, StandardCharsets.UTF_8));
        assertTrue(store.file(key, "imsmanifest.xml").isPresent());
        assertTrue(store.file(key, "../" + key + "/index.html").isEmpty(), "no path leaves the package's folder");
        assertTrue(store.file(key, "media/../../x").isEmpty());
        assertTrue(store.file(key, "finns-inte.html").isEmpty());
        assertEquals("text/html", store.contentType("index.html"));
        assertEquals("text/javascript", store.contentType("js/app.JS"));
        assertEquals("application/octet-stream", store.contentType("data.bin"));
        try (var leftovers = Files.list(store.root().resolve(".tmp"))) {
            assertTrue(leftovers.noneMatch(f -> f.getFileName().toString().contains(key)), "temporary files are gone");
        }
    }

    @Test
    void aMultiScoScorm2004PackageKeepsTheTreeInFlowOrderWithSequencingData() {
        byte[] zip = TestPackages.scorm2004(ScormVersion.SCORM_2004_3, id("multi"), Map.of(), true, true,
                TestPackages.Sco.cluster("del-1", "Del 1",
                        TestPackages.Sco.of("sco-a", "Lektion A", "a/index.html").threshold("0.75"),
                        TestPackages.Sco.of("sco-b", "Lektion B", "b/index.html").passing("0.6").objectives("obj-extra")
                                .timeLimit("PT1H", "continue,no message")),
                TestPackages.Sco.of("sco-c", "Prov", "c/prov.html").data("läge=prov"));
        PackageIntake.Published published = TestPackages.publish(ctx, zip, null, unit);

        assertTrue(published.newModule());
        assertTrue(published.moduleCode().startsWith("se-example-" + p.toLowerCase() + "-multi"), published.moduleCode());
        assertEquals("2004-3", sql.strings("SELECT scorm_version FROM package_version WHERE module_version_id = ?",
                published.moduleVersionId()).get(0));
        assertEquals(List.of(
                        "1|0|del-1|CLUSTER|-|-|-|-|-",
                        "2|1|sco-a|SCO|a/index.html|0.7500000|-|-|-",
                        "3|1|sco-b|SCO|b/index.html|-|0.6000000|PT1H|[\"PRIMARY-sco-b\",\"obj-extra\"]",
                        "4|0|sco-c|SCO|c/prov.html|-|-|-|-"),
                sql.strings("""
                        SELECT CONCAT_WS('|', position, depth, item_identifier, kind, COALESCE(launch_href, '-'),
                                         COALESCE(completion_threshold, '-'), COALESCE(scaled_passing_score, '-'),
                                         COALESCE(max_time_allowed, '-'), COALESCE(objective_ids, '-'))
                        FROM package_item WHERE module_version_id = ? ORDER BY position""", published.moduleVersionId()));
        assertEquals(2, sql.number("""
                SELECT COUNT(*) FROM package_item c JOIN package_item parent ON parent.id = c.parent_id
                WHERE c.module_version_id = ? AND parent.item_identifier = 'del-1'""", published.moduleVersionId()),
                "both lessons are in the cluster");
        assertEquals("läge=prov", sql.strings("""
                SELECT data_from_lms FROM package_item WHERE module_version_id = ? AND item_identifier = 'sco-c'""",
                published.moduleVersionId()).get(0));
    }

    @Test
    void fourthEditionThresholdsCountOnlyWhenCompletedByMeasure() {
        String manifest = TestPackages.manifest2004(ScormVersion.SCORM_2004_4, id("fjarde"), "Fjärde", true, true,
                TestPackages.Sco.of("med", "Med mått", "med.html").threshold("0.8"),
                TestPackages.Sco.of("utan", "Utan mått", "utan.html"))
                .replace("<title>Utan mått</title>", "<title>Utan mått</title>\n<adlcp:completionThreshold "
                        + "completedByMeasure=\"false\" minProgressMeasure=\"0.5\"/>");
        byte[] zip = TestPackages.zipOfText(TestPackages.files("imsmanifest.xml", manifest, "med.html", "m",
                "utan.html", "u"));
        PackageIntake.Published published = TestPackages.publish(ctx, zip, null, unit);
        assertEquals(List.of("med|0.8000000", "utan|-"), sql.strings("""
                SELECT CONCAT(item_identifier, '|', COALESCE(completion_threshold, '-')) FROM package_item
                WHERE module_version_id = ? ORDER BY position""", published.moduleVersionId()));
    }

    @Test
    void xmlBaseAndParametersMakeTheLaunchLocation() {
        String manifest = TestPackages.manifest12(id("bas"), "Bas", TestPackages.Sco.of("s", "S", "start.html")
                        .parameters("&del=2"))
                .replace("<resources>", "<resources xml:base=\"innehall/\">")
                .replace("<resource identifier=\"res-s\"", "<resource xml:base=\"kap 1/\" identifier=\"res-s\"");
        byte[] zip = TestPackages.zipOfText(TestPackages.files("imsmanifest.xml", manifest,
                "innehall/kap 1/start.html", "start"));
        PackageIntake.Published published = TestPackages.publish(ctx, zip, null, unit);
        assertEquals(List.of("innehall/kap 1/start.html?del=2"), sql.strings(
                "SELECT launch_href FROM package_item WHERE module_version_id = ?", published.moduleVersionId()));
    }

    @Test
    void theSamePackageAgainIsTheModulesNextVersionAndAStartedLearnerKeepsTheirs() {
        String identifier = id("versioner");
        byte[] first = TestPackages.scorm12(identifier, TestPackages.files("index.html", "<p>version 1</p>"));
        PackageIntake.Published v1 = TestPackages.publish(ctx, first, p.toLowerCase() + "-versioner", unit);
        long person = people.create(PersonFixture_hsa(), "Vera", "Version", null, unit, LocalDate.now().minusYears(1),
                LocalDate.now().minusYears(1), "LICENSED");
        sql.update("""
                INSERT INTO scorm_attempt (person_id, module_code, module_version_id, registration)
                VALUES (?, ?, ?, UUID())""", person, v1.moduleCode(), v1.moduleVersionId());

        // The same upload again, with nothing changed, is no new version.
        PackageRefused same = assertThrows(PackageRefused.class, () -> TestPackages.publish(ctx, first, null, unit));
        assertTrue(same.getMessage().contains("redan version 1"), same.getMessage());

        byte[] second = TestPackages.scorm12(identifier, TestPackages.files("index.html", "<p>version 2</p>"));
        PackageIntake.Published v2 = TestPackages.publish(ctx, second, null, unit);
        assertEquals(new PackageIntake.Published(v1.moduleCode(), 2, v2.moduleVersionId(), false), v2,
                "an upload with the identifier of the owner's package module is its next version");
        assertEquals(v1.moduleVersionId(), sql.number("SELECT module_version_id FROM scorm_attempt WHERE person_id = ?", person),
                "the learner's attempt stays on the version it began");
        String firstKey = sql.strings("SELECT storage_key FROM package_version WHERE module_version_id = ?",
                v1.moduleVersionId()).get(0);
        assertTrue(store.file(firstKey, "index.html").isPresent(), "the earlier version's files stay");
        assertEquals(List.of("Paket " + identifier + "|LICENSED|15"), sql.strings("""
                SELECT CONCAT(v.title, '|', a.code, '|', v.estimated_minutes) FROM module_version v
                JOIN module_version_audience va ON va.module_version_id = v.id JOIN audience a ON a.id = va.audience_id
                WHERE v.id = ?""", v2.moduleVersionId()));

        // Through the module's own page: a next version with nothing but the file keeps title, audiences and minutes.
        byte[] third = TestPackages.scorm12(identifier, TestPackages.files("index.html", "<p>version 3</p>"));
        PackageIntake.Published v3 = TestPackages.nextVersion(ctx, third, v1.moduleCode(), unit);
        assertEquals(3, v3.version());
        assertEquals(15, sql.number("SELECT estimated_minutes FROM module_version WHERE id = ?", v3.moduleVersionId()));

        // Another package is not this module's version.
        byte[] other = TestPackages.scorm12(id("annat"), Map.of());
        PackageRefused mismatch = assertThrows(PackageRefused.class,
                () -> TestPackages.nextVersion(ctx, other, v1.moduleCode(), unit));
        assertTrue(mismatch.getMessage().contains("samma identifierare"), mismatch.getMessage());
        assertEquals(3, sql.number("SELECT COUNT(*) FROM module_version WHERE module_code = ?", v1.moduleCode()));

        // Another owner's upload of the same identifier is that owner's own module.
        PackageIntake.Published elsewhere = TestPackages.publish(ctx, second, null, otherUnit);
        assertTrue(elsewhere.newModule());
        assertFalse(elsewhere.moduleCode().equals(v1.moduleCode()));
        assertEquals(1, elsewhere.version());
    }

    @Test
    void aGivenCodeThatIsTakenIsRefusedAndNothingIsStored() {
        byte[] zip = TestPackages.scorm12(id("kod"), Map.of());
        TestPackages.publish(ctx, zip, p.toLowerCase() + "-kod", unit);
        byte[] another = TestPackages.scorm12(id("kod2"), Map.of());
        PackageRefused taken = assertThrows(PackageRefused.class,
                () -> TestPackages.publish(ctx, another, p.toLowerCase() + "-kod", unit));
        assertEquals("Koden «" + p.toLowerCase() + "-kod» används redan av en annan modul. Välj en annan kod.", taken.getMessage());
        assertFalse(store.contains(sha256(another)), "the refused package's files are not kept");
        assertNull(sql.strings("SELECT code FROM catalogue_module WHERE package_identifier = ?", id("kod2"))
                .stream().findFirst().orElse(null));
    }

    private static String PersonFixture_hsa() {
        return se.kompetensmal.PersonFixture.hsaPrefix() + "1";
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
