package se.kompetensmal.player;

import io.micronaut.context.ApplicationContext;
import jakarta.inject.Singleton;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestSql;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.organization.OrganizationTree;
import se.kompetensmal.packages.PackageIntake;
import se.kompetensmal.packages.TestPackages;
import se.kompetensmal.scorm.ScormVersion;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A package module built in the test and published as an upload is ({@link TestPackages}), owned by a unit of its own
 * whose learners play it. Each SCO is launched by a page of its own, {@code {identifier}/index.html?del={n}}.
 */
@Singleton
class PackageFixture {

    private final ApplicationContext ctx;
    private final TestSql sql;
    private final OrganizationTree tree;
    private final PersonFixture people;

    PackageFixture(ApplicationContext ctx, TestSql sql, OrganizationTree tree, PersonFixture people) {
        this.ctx = ctx;
        this.sql = sql;
        this.tree = tree;
        this.people = people;
    }

    /** A SCO of the package: its identifier, title, and the manifest's passing figures (1.2 mastery score, 2004 scaled). */
    record Sco(String identifier, String title, String masteryScore, String scaledPassingScore) {
        static Sco plain(String identifier, String title) {
            return new Sco(identifier, title, null, null);
        }
    }

    /** A published package: its module code, version id, the SCOs' item ids in order, and the unit its learners are in. */
    record Published(String code, long versionId, List<Long> items, long unitId, String manifestIdentifier) {
    }

    /** A package of the edition ("1.2", "2004-3", "2004-4") with these SCOs, published as a new module. */
    Published publish(String scormVersion, List<Sco> scos) {
        String code = "paket-" + System.nanoTime();
        long unit = tree.add("P" + System.nanoTime(), "Enhet " + code, OrgNodeKind.UNIT, null).id();
        String manifest = "com.example." + code;
        TestPackages.Sco[] items = new TestPackages.Sco[scos.size()];
        for (int i = 0; i < scos.size(); i++) {
            Sco sco = scos.get(i);
            TestPackages.Sco item = TestPackages.Sco.of(sco.identifier(), sco.title(), sco.identifier() + "/index.html?del=" + (i + 1));
            item = sco.masteryScore() == null ? item : item.mastery(sco.masteryScore());
            items[i] = sco.scaledPassingScore() == null ? item : item.passing(sco.scaledPassingScore());
        }
        ScormVersion edition = ScormVersion.fromStored(scormVersion);
        byte[] zip = edition == ScormVersion.SCORM_12 ? TestPackages.scorm12(manifest, Map.of(), items)
                : TestPackages.scorm2004(edition, manifest, Map.of(), true, true, items);
        PackageIntake.Published published = TestPackages.publish(ctx, zip, code, unit);
        List<Long> scoIds = sql.strings("SELECT id FROM package_item WHERE module_version_id = ? AND kind = 'SCO' ORDER BY position",
                published.moduleVersionId()).stream().map(Long::valueOf).toList();
        return new Published(published.moduleCode(), published.moduleVersionId(), scoIds, unit, manifest);
    }

    long learner(Published published, String name) {
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        return people.create(PersonFixture.hsaPrefix() + name, name, "Spelare", null, published.unitId(), today.minusYears(1),
                today.minusYears(1), TestPackages.AUDIENCE);
    }
}
