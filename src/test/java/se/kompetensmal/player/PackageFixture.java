package se.kompetensmal.player;

import jakarta.inject.Singleton;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestSql;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.organization.OrganizationTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A package module put straight into the database and the test package store: a version with its SCOs (each with a
 * page of its own) and learners in a unit of their own. For the player's tests, which are about playing, not uploading.
 */
@Singleton
class PackageFixture {

    static final String STORE = "target/test-packages";

    private final TestSql sql;
    private final OrganizationTree tree;
    private final PersonFixture people;

    PackageFixture(TestSql sql, OrganizationTree tree, PersonFixture people) {
        this.sql = sql;
        this.tree = tree;
        this.people = people;
    }

    /** A SCO of the package: its identifier, title and the manifest's figures the runtime gets. */
    record Sco(String identifier, String title, String masteryScore, String scaledPassingScore) {
        static Sco plain(String identifier, String title) {
            return new Sco(identifier, title, null, null);
        }
    }

    /** A published package: its module code, version id, the SCOs' item ids in order, and the unit its learners are in. */
    record Published(String code, long versionId, List<Long> items, long unitId, String manifestIdentifier) {
    }

    Published publish(String scormVersion, List<Sco> scos) {
        String code = "paket-" + System.nanoTime();
        long unit = tree.add("P" + System.nanoTime(), "Enhet " + code, OrgNodeKind.UNIT, null).id();
        String manifest = "com.example." + code;
        sql.update("INSERT INTO catalogue_module (code, source, owner_org_id, package_identifier) VALUES (?, 'PACKAGE', ?, ?)",
                code, unit, manifest);
        sql.update("""
                INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash)
                VALUES (?, 1, ?, 'Ett paket', 15, 0, ?)""", code, "Paketet " + code, "0".repeat(64));
        long version = sql.number("SELECT id FROM module_version WHERE module_code = ?", code);
        String key = String.format("%064x", System.nanoTime());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("imsmanifest.xml", "<manifest identifier=\"" + manifest + "\"/>");
        sql.update("""
                INSERT INTO package_version (module_version_id, scorm_version, manifest_identifier, storage_key, file_count, total_bytes)
                VALUES (?, ?, ?, ?, ?, 100)""", version, scormVersion, manifest, key, scos.size() + 1);
        sql.update("""
                INSERT INTO package_item (module_version_id, position, parent_id, depth, item_identifier, title, kind)
                VALUES (?, 0, NULL, 0, 'organisation', 'Paketet', 'CLUSTER')""", version);
        long root = sql.number("SELECT id FROM package_item WHERE module_version_id = ? AND position = 0", version);
        List<Long> items = new java.util.ArrayList<>();
        for (int i = 0; i < scos.size(); i++) {
            Sco sco = scos.get(i);
            String href = sco.identifier() + "/index.html?del=" + (i + 1);
            files.put(sco.identifier() + "/index.html", "<!doctype html><title>" + sco.title() + "</title><p>" + sco.title());
            sql.update("""
                    INSERT INTO package_item (module_version_id, position, parent_id, depth, item_identifier, title, kind,
                                              launch_href, mastery_score, scaled_passing_score)
                    VALUES (?, ?, ?, 1, ?, ?, 'SCO', ?, ?, ?)""", version, i + 1, root, sco.identifier(), sco.title(), href,
                    sco.masteryScore(), sco.scaledPassingScore());
            items.add(sql.number("SELECT id FROM package_item WHERE module_version_id = ? AND position = ?", version, i + 1));
        }
        write(key, files);
        return new Published(code, version, items, unit, manifest);
    }

    long learner(Published published, String name) {
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        return people.create(PersonFixture.hsaPrefix() + name, name, "Spelare", null, published.unitId(), today.minusYears(1),
                today.minusYears(1));
    }

    private static void write(String key, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = Path.of(STORE, key, file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
