package se.kompetensmal.authoring;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.catalog.ModuleDraft;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A module leaves as a zip in the courses/ layout and comes back identical; a zip with anything wrong in it writes
 * nothing at all and names the file and line at fault.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModuleExportImportTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    @Inject
    ObjectMapper json;

    OwnModuleApi api;
    String p;
    long region;
    long otherRegion;
    String coordinator;
    String otherCoordinator;
    String ownGoal;
    String code;
    ModuleDraft published;

    /** A published module with an image, covering a national goal and one of the region's own goals. */
    @BeforeAll
    void aPublishedModule() {
        api = new OwnModuleApi(URI.create(server.getURL().toString()), json);
        p = "EXP" + System.nanoTime();
        region = tree.add(p + "R", "Region Exportland", OrgNodeKind.REGION, null).id();
        otherRegion = tree.add(p + "O", "Region Annanstans", OrgNodeKind.REGION, null).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
        otherCoordinator = users.token(users.account(p + "-annan", null, Role.COORDINATOR, otherRegion));
        ownGoal = "X" + p;
        sql.update("""
                INSERT INTO competence_goal (code, catalogue_version, area, kind, text_sv, owner_org_id)
                VALUES (?, 'egen', 'SAFE_CARE_NOW', 'SKILL', 'Kan regionens rutin för handhygien.', ?)""", ownGoal, region);
        sql.update("""
                INSERT INTO competence_goal_audience (goal_id, audience_id)
                SELECT g.id, a.id FROM competence_goal g, audience a WHERE g.code = ? AND a.code = 'LICENSED'""", ownGoal);
        code = ("export-" + p).toLowerCase();
        api.create(coordinator, region, code, "Handhygien enligt regionens rutin");
        ModuleDraft.Image image = api.upload(coordinator, "/api/own-modules/" + code + "/images", "hander.png", OwnModuleApi.png())
                .as(json, ModuleDraft.Image.class);
        ModuleDraft typed = OwnModuleApi.validModule(code, "Handhygien enligt regionens rutin",
                "Text med \"citattecken\", radbrytning\noch kolon: som i YAML.", List.of(image));
        published = new ModuleDraft(code, typed.title(), typed.summary(), typed.estimatedMinutes(), typed.audiences(),
                List.of("LIC-01", ownGoal), typed.passMark(), typed.pages(), typed.questions(), typed.images(), null, null);
        api.saveCurrent(coordinator, code, published);
        assertEquals(1, api.published(coordinator, code));
    }

    @Test
    void anExportedModuleImportsBackAsExactlyTheSameContent() {
        OwnModuleApi.Answer exported = api.download(coordinator, "/api/own-modules/" + code + "/export.zip");
        assertEquals(200, exported.status(), exported.body());
        assertEquals("application/zip", exported.contentType());
        Map<String, byte[]> files = unzip(exported.bytes());
        assertEquals(List.of("catalogue.yml", "modules/" + code + "/assessment.yml", "modules/" + code + "/images/hander.png",
                "modules/" + code + "/module.yml", "modules/" + code + "/pages/01-varfor-det-spelar-roll.md",
                "modules/" + code + "/pages/02-sa-gor-du.md"), files.keySet().stream().sorted().toList());
        assertTrue(text(files, "catalogue.yml").contains(ownGoal), "the own goal travels with the module");
        assertArrayEquals(OwnModuleApi.png(), files.get("modules/" + code + "/images/hander.png"));

        // Back into the same module: its draft is what was published, and publishing it finds nothing new.
        OwnModuleApi.Answer back = api.postBytes(coordinator, "/api/own-modules/import?owner=" + region, "application/zip",
                exported.bytes());
        assertEquals(201, back.status(), back.body());
        assertEquals(published, api.draft(coordinator, code).content());
        OwnModuleApi.Answer unchanged = api.publish(coordinator, code);
        assertTrue(unchanged.status() == 422 && unchanged.body().contains("Inget har ändrats sedan version 1"), unchanged.body());

        // As a new module under another code: the same content, its own copy of the image.
        String copy = code + "-kopia";
        byte[] renamed = rezip(exported.bytes(), name -> name.replace("modules/" + code + "/", "modules/" + copy + "/"),
                (name, text) -> name.endsWith("module.yml") ? text.replace("id: " + code, "id: " + copy) : text);
        OwnModuleApi.Answer imported = api.postBytes(coordinator, "/api/own-modules/import?owner=" + region,
                "application/octet-stream", renamed);
        assertEquals(201, imported.status(), imported.body());
        ModuleAuthoring.Summary summary = imported.as(json, ModuleAuthoring.Summary.class);
        assertEquals(ModuleAuthoring.Status.DRAFT, summary.status());
        assertEquals(region, summary.ownerOrgId());
        ModuleDraft copied = api.draft(coordinator, copy).content();
        assertEquals(withCodeAndImages(published, copy, copied.images()), copied);
        assertEquals(1, copied.images().size());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM module_image WHERE module_code = ? AND id = ?", copy,
                copied.images().get(0).imageId()));
        assertEquals(1, api.published(coordinator, copy));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM competence_goal WHERE code = ?", ownGoal), "no second goal");
        assertEquals(1, sql.number("SELECT COUNT(*) FROM audit_event WHERE action = 'MODULE_IMPORTED' AND target = ?", copy));
    }

    @Test
    void aZipWithOneErrorAnywhereWritesNothingAndNamesTheFileAndLine() {
        byte[] zip = api.download(coordinator, "/api/own-modules/" + code + "/export.zip").bytes();
        String fresh = code + "-ny";
        String newGoal = "Y" + p;
        // A new module bringing a new goal of its own, and one question left without a right answer.
        byte[] broken = rezip(zip, name -> name.replace("modules/" + code + "/", "modules/" + fresh + "/"), (name, text) -> {
            if (name.endsWith("module.yml")) {
                return text.replace("id: " + code, "id: " + fresh).replace("\"" + ownGoal + "\"", "\"" + ownGoal + "\", \"" + newGoal + "\"");
            }
            if (name.equals("catalogue.yml")) {
                return text + "  - code: " + newGoal + "\n    audiences: [\"LICENSED\"]\n    area: SAFE_CARE_NOW\n"
                        + "    kind: KNOWLEDGE\n    text_sv: \"Känner till basala hygienrutiner.\"\n";
            }
            return name.endsWith("assessment.yml") ? text.replaceFirst("correct: true", "correct: false") : text;
        });
        Map<String, Long> before = counts();

        OwnModuleApi.Answer refused = api.postBytes(coordinator, "/api/own-modules/import?owner=" + region, "application/zip", broken);

        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("\"problems\":["), refused.body());
        assertTrue(refused.body().matches("(?s).*\"where\":\"[^\"]*modules/" + fresh + "/assessment\\.yml, rad \\d+\".*"), refused.body());
        assertEquals(before, counts(), "nothing written");

        // Without the error it goes in, goal and all.
        byte[] fixed = rezip(broken, name -> name, (name, text) -> name.endsWith("assessment.yml")
                ? new String(unzip(zip).get("modules/" + code + "/assessment.yml"), StandardCharsets.UTF_8) : text);
        OwnModuleApi.Answer imported = api.postBytes(coordinator, "/api/own-modules/import?owner=" + region, "application/zip", fixed);
        assertEquals(201, imported.status(), imported.body());
        assertEquals(List.of(String.valueOf(region)), sql.strings("SELECT owner_org_id FROM competence_goal WHERE code = ?", newGoal));
    }

    @Test
    void anotherOrganisationCannotImportAModuleBringingThisRegionsGoalNorTakeAShippedCode() {
        byte[] zip = api.download(coordinator, "/api/own-modules/" + code + "/export.zip").bytes();
        byte[] elsewhere = rezip(zip, name -> name.replace("modules/" + code + "/", "modules/" + code + "-annan/"),
                (name, text) -> name.endsWith("module.yml") ? text.replace("id: " + code, "id: " + code + "-annan") : text);
        Map<String, Long> before = counts();

        OwnModuleApi.Answer goalTaken = api.postBytes(otherCoordinator, "/api/own-modules/import?owner=" + otherRegion,
                "application/zip", elsewhere);
        assertEquals(422, goalTaken.status(), goalTaken.body());
        assertTrue(goalTaken.body().contains(ownGoal), goalTaken.body());

        // The same module's code is this region's: another organisation cannot import over it.
        OwnModuleApi.Answer codeTaken = api.postBytes(otherCoordinator, "/api/own-modules/import?owner=" + otherRegion,
                "application/zip", rezip(zip, name -> name.equals("catalogue.yml") ? null : name,
                        (name, text) -> text.replace(", \"" + ownGoal + "\"", "")));
        assertEquals(422, codeTaken.status(), codeTaken.body());
        assertTrue(codeTaken.body().contains("används redan av en annan modul"), codeTaken.body());

        byte[] shipped = rezip(zip, name -> name.replace("modules/" + code + "/", "modules/vardskador-grunder/"),
                (name, text) -> name.endsWith("module.yml") ? text.replace("id: " + code, "id: vardskador-grunder") : text);
        OwnModuleApi.Answer shippedCode = api.postBytes(coordinator, "/api/own-modules/import?owner=" + region, "application/zip", shipped);
        assertEquals(422, shippedCode.status(), shippedCode.body());
        assertTrue(shippedCode.body().contains("levereras med tjänsten"), shippedCode.body());
        assertEquals(before, counts());
        // Another organisation's node as owner: as unknown.
        assertEquals(404, api.postBytes(coordinator, "/api/own-modules/import?owner=" + otherRegion, "application/zip", zip).status());
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("catalogue_module", "module_draft", "module_image", "module_version", "competence_goal",
                "competence_goal_audience")) {
            counts.put(table, sql.number("SELECT COUNT(*) FROM " + table));
        }
        return counts;
    }

    private static ModuleDraft withCodeAndImages(ModuleDraft d, String code, List<ModuleDraft.Image> images) {
        return new ModuleDraft(code, d.title(), d.summary(), d.estimatedMinutes(), d.audiences(), d.goals(), d.passMark(),
                d.pages(), d.questions(), images, d.xapiActivityId(), d.launchUrl());
    }

    private static String text(Map<String, byte[]> files, String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                files.put(entry.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The zip with its entries renamed (null: left out) and its text files (not images) changed. */
    static byte[] rezip(byte[] zip, UnaryOperator<String> rename, java.util.function.BinaryOperator<String> change) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> file : unzip(zip).entrySet()) {
                String name = rename.apply(file.getKey());
                if (name == null) {
                    continue;
                }
                z.putNextEntry(new ZipEntry(name));
                boolean text = name.endsWith(".yml") || name.endsWith(".md");
                z.write(text ? change.apply(name, new String(file.getValue(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)
                        : file.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
