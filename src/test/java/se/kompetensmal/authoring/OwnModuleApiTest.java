package se.kompetensmal.authoring;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.ModuleDraft;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Own modules over the API: created under the caller's node with a code nobody has, drafts kept exactly as typed with
 * revisions that stop one editor overwriting another, publishing that names every problem and says when nothing
 * changed, images checked by what they are, withdrawal, and the scope (404 outside, 403 for those who see but may not
 * change) on every route.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnModuleApiTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    @Inject
    ObjectMapper json;

    OwnModuleApi api;
    String p;
    long region;
    long unit;
    long otherOrganisation;
    String regionCoordinator;
    String secondRegionCoordinator;
    String unitCoordinator;
    String otherCoordinator;
    String learner;

    @BeforeAll
    void organisations() {
        api = new OwnModuleApi(URI.create(server.getURL().toString()), json);
        p = "OWN" + System.nanoTime();
        region = tree.add(p + "R", "Region Egenland", OrgNodeKind.REGION, null).id();
        unit = tree.add(p + "U", "Avdelning 7", OrgNodeKind.UNIT, region).id();
        otherOrganisation = tree.add(p + "K", "Annan kommun", OrgNodeKind.MUNICIPALITY, null).id();
        regionCoordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
        secondRegionCoordinator = users.token(users.account(p + "-samordnare2", null, Role.COORDINATOR, region));
        unitCoordinator = users.token(users.account(p + "-enhet", null, Role.COORDINATOR, unit));
        otherCoordinator = users.token(users.account(p + "-annan", null, Role.COORDINATOR, otherOrganisation));
        LocalDate yearAgo = LocalDate.now(SwedishTime.ZONE).minusYears(1);
        long person = people.create(PersonFixture.hsaPrefix() + "1", "Lena", "Lärande", null, unit, yearAgo, yearAgo, "LICENSED");
        learner = users.token(users.account(p + "-medarbetare", person, Role.LEARNER, unit));
    }

    private String code(String name) {
        return (name + "-" + p).toLowerCase();
    }

    @Test
    void aDraftIsSavedExactlyAsTypedEvenWhenNotValid() {
        String code = code("utkast");
        ModuleAuthoring.Summary created = api.create(regionCoordinator, region, code, "Handhygien på avdelningen");

        assertEquals(ModuleAuthoring.Status.DRAFT, created.status());
        assertEquals("Region Egenland", created.ownerName());
        assertTrue(created.editable());
        assertNull(created.latestVersion());
        ModuleAuthoring.Draft empty = api.draft(regionCoordinator, code);
        assertEquals(1, empty.revision());
        assertEquals(ModuleDraft.empty(code, "Handhygien på avdelningen"), empty.content());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM catalogue_module WHERE code = ? AND source = 'EDITOR' AND owner_org_id = ?",
                code, region));

        // Half written: a pass mark in words, a page without text, a question with one answer and none right.
        ModuleDraft typed = new ModuleDraft(code, "Handhygien", "", "en kvart", List.of("LICENSED"), List.of(), "åttio",
                List.of(new ModuleDraft.Page("Inledning", "Varför handhygien?"), new ModuleDraft.Page("Att göra", "")),
                List.of(new ModuleDraft.Question("q1", "Vad gör du först?", List.of(new ModuleDraft.Option("Tvättar", false, "")))),
                List.of(), null, null);
        OwnModuleApi.Answer saved = api.save(regionCoordinator, code, typed, 1);

        assertEquals(200, saved.status(), saved.body());
        assertEquals(2, saved.as(json, ModuleAuthoring.Draft.class).revision());
        ModuleAuthoring.Draft read = api.draft(regionCoordinator, code);
        assertEquals(typed, read.content());
        assertEquals(2, read.revision());
        assertEquals("Handhygien", api.get(regionCoordinator, "/api/own-modules/" + code).as(json, ModuleAuthoring.Summary.class).title());
    }

    @Test
    void aSaveOnAnOlderRevisionIsRefusedAndSaysWhoSavedAndWhen() {
        String code = code("krock");
        api.create(regionCoordinator, region, code, "Fallprevention");
        ModuleDraft mine = OwnModuleApi.validModule(code, "Fallprevention", "Min text.", List.of());
        ModuleDraft theirs = OwnModuleApi.validModule(code, "Fallprevention", "Deras text.", List.of());
        assertEquals(200, api.save(secondRegionCoordinator, code, theirs, 1).status());

        OwnModuleApi.Answer late = api.save(regionCoordinator, code, mine, 1);

        assertEquals(409, late.status(), late.body());
        assertTrue(late.contentType().startsWith("application/problem+json"), late.contentType());
        assertTrue(late.body().matches("(?s).*" + p + "-samordnare2 sparade utkastet kl\\. \\d\\d:\\d\\d.*"), late.body());
        assertEquals(theirs, api.draft(regionCoordinator, code).content(), "nothing overwritten");
        // The same content saved again (an autosave) is no new revision.
        OwnModuleApi.Answer again = api.save(secondRegionCoordinator, code, theirs, 2);
        assertEquals(2, again.as(json, ModuleAuthoring.Draft.class).revision());
    }

    @Test
    void aCodeIsTakenOnceAndNeverShadowsAShippedModule() {
        OwnModuleApi.Answer shipped = api.post(regionCoordinator, "/api/own-modules",
                Map.of("owner", region, "code", "vardskador-grunder", "title", "Vårdskador"));
        assertEquals(422, shipped.status(), shipped.body());
        assertTrue(shipped.body().contains("Koden används redan av en annan modul"), shipped.body());

        String code = code("dubblett");
        api.create(regionCoordinator, region, code, "Första");
        OwnModuleApi.Answer twice = api.post(unitCoordinator, "/api/own-modules", Map.of("owner", unit, "code", code, "title", "Andra"));
        assertEquals(422, twice.status(), twice.body());
        assertTrue(twice.body().contains("Koden används redan av en annan modul"), twice.body());

        OwnModuleApi.Answer badCode = api.post(regionCoordinator, "/api/own-modules",
                Map.of("owner", region, "code", "Stora Bokstäver", "title", "Fel kod"));
        assertEquals(422, badCode.status(), badCode.body());

        // For everyone: system-wide administrators only. Another organisation's node: as unknown.
        assertEquals(403, api.post(regionCoordinator, "/api/own-modules", Map.of("code", code("alla"), "title", "Alla")).status());
        assertEquals(404, api.post(regionCoordinator, "/api/own-modules",
                Map.of("owner", otherOrganisation, "code", code("annan"), "title", "Annan")).status());
        // Under the caller's node, but they could not edit a module owned there: refused with the reason.
        OwnModuleApi.Answer below = api.post(regionCoordinator, "/api/own-modules", Map.of("owner", unit, "code", code("under"), "title", "Under"));
        assertEquals(422, below.status(), below.body());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM catalogue_module WHERE code IN (?, ?, ?)", code("alla"), code("annan"), code("under")));
        ModuleAuthoring.Owners owners = api.get(regionCoordinator, "/api/own-module-owners").as(json, ModuleAuthoring.Owners.class);
        assertEquals(List.of(region), owners.nodes().stream().map(n -> n.id()).toList());
        assertFalse(owners.everyone());
    }

    @Test
    void publishingNamesEveryProblemAndUnchangedContentMakesNoNewVersion() {
        String code = code("publicera");
        api.create(regionCoordinator, region, code, "Läkemedelshantering");
        ModuleDraft valid = OwnModuleApi.validModule(code, "Läkemedelshantering", "Så hanterar vi läkemedel.", List.of());
        ModuleDraft broken = new ModuleDraft(code, valid.title(), valid.summary(), valid.estimatedMinutes(), valid.audiences(),
                valid.goals(), valid.passMark(), List.of(valid.pages().get(0), new ModuleDraft.Page("Dubbelkontroll", "")),
                List.of(new ModuleDraft.Question("q1", "Vem kontrollerar?", List.of(new ModuleDraft.Option("Två personer", false, "Ja.")))),
                List.of(), null, null);
        api.saveCurrent(regionCoordinator, code, broken);

        OwnModuleApi.Answer refused = api.publish(regionCoordinator, code);

        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("\"problems\":["), refused.body());
        assertTrue(refused.body().contains("{\"where\":\"Sida 2 «Dubbelkontroll»\",\"message\":\"Sidan har ingen text under rubriken\"}"),
                refused.body());
        assertTrue(refused.body().contains("\"where\":\"Fråga 1 «Vem kontrollerar?»\""), refused.body());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM module_version WHERE module_code = ?", code));

        api.saveCurrent(regionCoordinator, code, valid);
        assertEquals(1, api.published(regionCoordinator, code));
        ModuleAuthoring.Summary published = api.get(regionCoordinator, "/api/own-modules/" + code).as(json, ModuleAuthoring.Summary.class);
        assertEquals(ModuleAuthoring.Status.PUBLISHED, published.status());
        assertEquals(1, published.latestVersion());
        assertFalse(published.unpublishedChanges());
        assertEquals(valid, api.draft(regionCoordinator, code).content(), "the draft stays what was published");

        OwnModuleApi.Answer unchanged = api.publish(regionCoordinator, code);
        assertEquals(422, unchanged.status(), unchanged.body());
        assertTrue(unchanged.body().contains("Inget har ändrats sedan version 1"), unchanged.body());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM module_version WHERE module_code = ?", code));

        List<ModuleAuthoring.VersionRow> versions = List.of(api.get(regionCoordinator, "/api/own-modules/" + code + "/versions")
                .as(json, ModuleAuthoring.VersionRow[].class));
        assertEquals(1, versions.size());
        assertEquals(p + "-samordnare", versions.get(0).publishedBy());
        assertEquals(0, versions.get(0).learnersStarted());

        // A published module without a draft (one published before drafts were kept) gets one made from its latest version.
        sql.update("DELETE FROM module_draft WHERE module_code = ?", code);
        ModuleAuthoring.Draft fromVersion = api.draft(regionCoordinator, code);
        assertEquals(valid, fromVersion.content());
        assertEquals(1, fromVersion.revision());
        assertFalse(fromVersion.module().unpublishedChanges());
        assertEquals(p + "-samordnare", fromVersion.module().draftSavedBy());
    }

    @Test
    void imagesAreCheckedByWhatTheyAreStoredOnceAndServedWithTheirType() {
        String code = code("bilder");
        api.create(regionCoordinator, region, code, "Bilder");
        String images = "/api/own-modules/" + code + "/images";

        OwnModuleApi.Answer added = api.upload(regionCoordinator, images, "hander.png", OwnModuleApi.png());
        assertEquals(201, added.status(), added.body());
        ModuleDraft.Image image = added.as(json, ModuleDraft.Image.class);
        assertEquals("image/png", image.contentType());
        assertEquals(OwnModuleApi.png().length, image.size());

        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes();
        OwnModuleApi.Answer disguised = api.upload(regionCoordinator, images, "bild.png", svg);
        assertEquals(422, disguised.status(), disguised.body());

        // The same picture under another name is stored once.
        api.upload(regionCoordinator, images, "kopia.png", OwnModuleApi.png());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM module_image WHERE module_code = ?", code));
        ModuleDraft draft = api.draft(regionCoordinator, code).content();
        assertEquals(List.of("hander.png", "kopia.png"), draft.images().stream().map(ModuleDraft.Image::fileName).toList());
        assertEquals(1, api.draft(regionCoordinator, code).revision(), "an upload leaves the typed text's revision alone");

        OwnModuleApi.Answer served = api.get(unitCoordinator, "/api/own-modules/" + code + "/draft/images/hander.png");
        assertEquals(200, served.status());
        assertEquals("image/png", served.contentType());
        assertArrayEquals(OwnModuleApi.png(), served.bytes());
        assertEquals(404, api.get(regionCoordinator, "/api/own-modules/" + code + "/draft/images/finns-inte.png").status());

        // A save keeps the draft's own images whatever the content sent lists.
        ModuleDraft withoutImages = OwnModuleApi.validModule(code, "Bilder", "Text.", List.of());
        assertEquals(draft.images(), api.saveCurrent(regionCoordinator, code, withoutImages).content().images());
    }

    @Test
    void withdrawingIsFinalAndOnlyANeverPublishedModuleCanBeThrownAway() {
        String never = code("kasta");
        api.create(regionCoordinator, region, never, "Kastas");
        assertEquals(422, api.post(regionCoordinator, "/api/own-modules/" + never + "/withdraw", Map.of("reason", "Behövs inte")).status());
        assertEquals(204, api.delete(regionCoordinator, "/api/own-modules/" + never).status());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM catalogue_module WHERE code = ?", never));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM module_draft WHERE module_code = ?", never));

        String code = code("dra-tillbaka");
        api.create(regionCoordinator, region, code, "Gammal rutin");
        api.saveCurrent(regionCoordinator, code, OwnModuleApi.validModule(code, "Gammal rutin", "Gäller inte längre.", List.of()));
        api.published(regionCoordinator, code);
        assertEquals(422, api.delete(regionCoordinator, "/api/own-modules/" + code).status(), "published: never deleted");
        assertEquals(422, api.post(regionCoordinator, "/api/own-modules/" + code + "/withdraw", Map.of("reason", " ")).status());

        OwnModuleApi.Answer withdrawn = api.post(regionCoordinator, "/api/own-modules/" + code + "/withdraw",
                Map.of("reason", "Ersatt av den nya rutinen"));

        assertEquals(200, withdrawn.status(), withdrawn.body());
        ModuleAuthoring.Summary summary = withdrawn.as(json, ModuleAuthoring.Summary.class);
        assertEquals(ModuleAuthoring.Status.WITHDRAWN, summary.status());
        assertFalse(summary.editable());
        assertEquals(List.of("Ersatt av den nya rutinen"), sql.strings(
                "SELECT withdrawn_reason FROM catalogue_module WHERE code = ? AND withdrawn_at IS NOT NULL AND withdrawn_by IS NOT NULL", code));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM module_version WHERE module_code = ?", code), "history kept");
        OwnModuleApi.Answer again = api.publish(regionCoordinator, code);
        assertEquals(422, again.status());
        assertTrue(again.body().contains("tillbakadragen"), again.body());
        assertEquals(422, api.save(regionCoordinator, code, OwnModuleApi.validModule(code, "Ny", "Ny.", List.of()), 1).status());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM audit_event WHERE action = 'MODULE_WITHDRAWN' AND target LIKE ?", code + "%"));
    }

    @Test
    void aModuleForEveryoneIsASystemAdministratorsAndNamesNationalGoalsOnly() {
        String admin = users.admin();
        String code = code("for-alla");
        ModuleAuthoring.Summary created = api.create(admin, null, code, "För alla");
        assertEquals(0, created.ownerOrgId());
        assertEquals(ModuleAuthoring.EVERYONE, created.ownerName());
        assertTrue(api.get(admin, "/api/own-module-owners").as(json, ModuleAuthoring.Owners.class).everyone());

        // Every organisation sees it; only system-wide administrators change it.
        ModuleAuthoring.Summary seen = api.list(otherCoordinator).stream().filter(m -> m.code().equals(code)).findFirst().orElseThrow();
        assertFalse(seen.editable());
        assertEquals(403, api.save(otherCoordinator, code, ModuleDraft.empty(code, "Kapad"), 1).status());

        // An organisation's own audience is not usable in a module for everyone.
        sql.update("INSERT INTO audience (code, name_sv, owner_org_id) VALUES (?, 'Regionens egna', ?)", "EGEN" + p, region);
        ModuleDraft valid = OwnModuleApi.validModule(code, "För alla", "Text.", List.of());
        api.saveCurrent(admin, code, new ModuleDraft(code, valid.title(), valid.summary(), valid.estimatedMinutes(),
                List.of("LICENSED", "EGEN" + p), valid.goals(), valid.passMark(), valid.pages(), valid.questions(), List.of(), null, null));
        OwnModuleApi.Answer refused = api.publish(admin, code);
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("EGEN" + p), refused.body());
        api.saveCurrent(admin, code, valid);
        assertEquals(1, api.published(admin, code));
        assertEquals(List.of(""), sql.strings("SELECT COALESCE(owner_org_id, '') FROM catalogue_module WHERE code = ?", code));
    }

    @Test
    void anotherOrganisationGets404EverywhereAndThoseWhoSeeButMayNotChangeGet403() {
        String regional = code("regionens");
        api.create(regionCoordinator, region, regional, "Regionens modul");
        api.saveCurrent(regionCoordinator, regional, OwnModuleApi.validModule(regional, "Regionens modul", "Text.", List.of()));
        api.published(regionCoordinator, regional);
        String units = code("enhetens");
        api.create(unitCoordinator, unit, units, "Enhetens modul");
        api.upload(unitCoordinator, "/api/own-modules/" + units + "/images", "bild.png", OwnModuleApi.png());

        for (String code : List.of(regional, units)) {
            for (OwnModuleApi.Answer answer : everyRoute(otherCoordinator, code)) {
                assertEquals(404, answer.status(), code + ": " + answer.body());
            }
        }
        assertTrue(api.list(otherCoordinator).stream().noneMatch(m -> m.code().equals(regional) || m.code().equals(units)));

        // The unit's coordinator uses the region's module and may read it here, but not change it.
        assertReadsButMayNotChange(unitCoordinator, regional);
        // The region's coordinator sees the unit's module, but editing is the unit's.
        assertReadsButMayNotChange(regionCoordinator, units);
        ModuleAuthoring.Summary seen = api.list(regionCoordinator).stream().filter(m -> m.code().equals(units)).findFirst().orElseThrow();
        assertFalse(seen.editable());
        assertEquals("Avdelning 7", seen.ownerName());
        assertTrue(api.list(unitCoordinator).stream().anyMatch(m -> m.code().equals(regional) && !m.editable()));

        // A learner takes the published module, but its draft (with the right answers) is not theirs to read.
        assertEquals(403, api.get(learner, "/api/own-modules/" + regional + "/draft").status());
        assertEquals(403, api.get(learner, "/api/own-modules").status());
    }

    private void assertReadsButMayNotChange(String token, String code) {
        String base = "/api/own-modules/" + code;
        for (String path : List.of(base, base + "/draft", base + "/versions", base + "/draft/images/bild.png")) {
            OwnModuleApi.Answer answer = api.get(token, path);
            assertTrue(answer.status() == 200 || path.endsWith(".png") && answer.status() == 404, path + ": " + answer.body());
        }
        for (OwnModuleApi.Answer answer : changes(token, code)) {
            assertEquals(403, answer.status(), code + ": " + answer.body());
        }
    }

    /** Every route of one module, reading and changing. */
    private List<OwnModuleApi.Answer> everyRoute(String token, String code) {
        String base = "/api/own-modules/" + code;
        List<OwnModuleApi.Answer> answers = new java.util.ArrayList<>(List.of(api.get(token, base), api.get(token, base + "/draft"),
                api.get(token, base + "/versions"), api.get(token, base + "/draft/images/bild.png"),
                api.download(token, base + "/export.zip")));
        answers.addAll(changes(token, code));
        return answers;
    }

    private List<OwnModuleApi.Answer> changes(String token, String code) {
        String base = "/api/own-modules/" + code;
        Function<String, OwnModuleApi.Answer> post = path -> api.post(token, path, Map.of("reason", "Prov"));
        return List.of(api.save(token, code, OwnModuleApi.validModule(code, "Kapad", "Kapad.", List.of()), 1),
                api.upload(token, base + "/images", "intrang.png", OwnModuleApi.png()),
                api.delete(token, base + "/draft/images/bild.png"),
                post.apply(base + "/publish"), post.apply(base + "/withdraw"), api.delete(token, base));
    }
}
