package se.kompetensmal.authoring;

import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.ModuleDraft;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change published while a learner is in the middle of a module: the learner finishes the version they started and
 * their completion points at it; new learners and routines get the new version from then on; the history says who
 * took which.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModuleVersioningTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    @Inject
    ObjectMapper json;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    @Test
    void aLearnerFinishesTheVersionTheyStartedWhileNewLearnersAndRoutinesGetTheNewOne() {
        OwnModuleApi api = new OwnModuleApi(URI.create(server.getURL().toString()), json);
        String p = "VER" + System.nanoTime();
        long region = tree.add(p + "R", "Region Versionsland", OrgNodeKind.REGION, null).id();
        long unit = tree.add(p + "U", "Avdelning Version", OrgNodeKind.UNIT, region).id();
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
        String code = ("hygien-" + p).toLowerCase();
        api.create(coordinator, region, code, "Hygien i vården");
        api.saveCurrent(coordinator, code, OwnModuleApi.validModule(code, "Hygien i vården",
                "Första versionens text om basala hygienrutiner.", List.of()));
        assertEquals(1, api.published(coordinator, code));

        Learner early = learner(p + "1", "Tidig", unit);
        assertTrue(early.session().page("/utbildning/" + code + "/sida/1").contains("Första versionens text"));

        ModuleDraft changed = OwnModuleApi.validModule(code, "Hygien i vården",
                "Andra versionens text: nu med handsprit vid varje dörr.", List.of());
        api.saveCurrent(coordinator, code, changed);
        assertTrue(api.get(coordinator, "/api/own-modules/" + code).as(json, ModuleAuthoring.Summary.class).unpublishedChanges());
        assertEquals(2, api.published(coordinator, code));

        // The early learner is still in version 1: its text, its questions, and the completion points at it.
        String stillOne = early.session().page("/utbildning/" + code + "/sida/1");
        assertTrue(stillOne.contains("Första versionens text"), stillOne);
        assertFalse(stillOne.contains("Andra versionens text"), stillOne);
        long versionOne = versionId(code, 1);
        long versionTwo = versionId(code, 2);
        early.session().submit(code, rightAnswers(versionOne));
        assertEquals(List.of(String.valueOf(versionOne)), sql.strings(
                "SELECT module_version_id FROM completion WHERE person_id = ?", early.personId()));

        // Someone starting now gets version 2.
        Learner late = learner(p + "2", "Sen", unit);
        assertTrue(late.session().page("/utbildning/" + code + "/sida/1").contains("Andra versionens text"));
        assertEquals(List.of(String.valueOf(versionTwo)), sql.strings(
                "SELECT module_version_id FROM module_progress WHERE person_id = ? AND module_code = ?", late.personId(), code));

        // A routine assigns the module, and whoever it reaches takes the newest version.
        Learner assigned = learner(p + "3", "Tilldelad", unit);
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + region + "/routines",
                new RoutineForm("Introduktion hygien", RoutineKind.INTRODUCTION, "LICENSED", List.of(code), 30,
                        CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null))
                .bearerAuth(coordinator));
        recomputeUnder(region, coordinator);
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ?",
                assigned.personId(), code));
        assertTrue(assigned.session().page("/utbildning/" + code + "/sida/1").contains("Andra versionens text"));
        assigned.session().submit(code, rightAnswers(versionTwo));
        assertEquals(List.of(String.valueOf(versionTwo)), sql.strings(
                "SELECT module_version_id FROM completion WHERE person_id = ?", assigned.personId()));

        // The history: who published each version, who started it and how many completed it.
        List<ModuleAuthoring.VersionRow> versions = List.of(api.get(coordinator, "/api/own-modules/" + code + "/versions")
                .as(json, ModuleAuthoring.VersionRow[].class));
        assertEquals(List.of(2, 1), versions.stream().map(ModuleAuthoring.VersionRow::version).toList());
        assertEquals(List.of(2L, 1L), versions.stream().map(ModuleAuthoring.VersionRow::learnersStarted).toList());
        assertEquals(List.of(1L, 1L), versions.stream().map(ModuleAuthoring.VersionRow::completions).toList());
        assertTrue(versions.stream().allMatch(v -> v.publishedBy().equals(p + "-samordnare")));
        assertEquals(2, sql.number("SELECT COUNT(*) FROM audit_event WHERE action = 'MODULE_PUBLISHED' AND target LIKE ?", code + " %"));
    }

    record Learner(long personId, Learning session) {
    }

    private Learner learner(String hsaSuffix, String givenName, long unit) {
        long person = people.create(PersonFixture.hsaPrefix() + hsaSuffix, givenName, "Versionsson", null, unit,
                today.minusYears(1), today.minusYears(1), "LICENSED");
        String username = users.account("learner-" + hsaSuffix, person, Role.LEARNER, unit);
        return new Learner(person, new Learning(URI.create(server.getURL().toString()), users.token(username)));
    }

    private long versionId(String code, int version) {
        return sql.number("SELECT id FROM module_version WHERE module_code = ? AND version = ?", code, version);
    }

    /** Each question of the version with exactly its right options. */
    private Map<Long, List<Long>> rightAnswers(long versionId) {
        Map<Long, List<Long>> answers = new LinkedHashMap<>();
        for (String row : sql.strings("""
                SELECT CONCAT(q.id, ' ', o.id) FROM assessment_question q JOIN question_option o ON o.question_id = q.id
                WHERE q.module_version_id = ? AND o.correct ORDER BY q.position, o.position""", versionId)) {
            String[] parts = row.split(" ");
            answers.computeIfAbsent(Long.valueOf(parts[0]), key -> new ArrayList<>()).add(Long.valueOf(parts[1]));
        }
        return answers;
    }
}
