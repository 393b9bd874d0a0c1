package se.kompetensmal.catalog;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.reporting.LeadershipReport;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.GoalCoverage;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An organisation's own competence goals: a region adds one for licensed staff, and it stands beside the national goals
 * in the region and its units (coverage, statistics, catalogue), uncovered until a module covers it and a routine includes
 * that module; another organisation never sees it; a unit's coordinator sees but does not change it; a code is never
 * taken twice, national codes included. A unit's own goal shows at the region named for its unit.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// By name: the coverage test (theRegion...) sees the goal before any module covers it, which the statistics test adds.
@TestMethodOrder(MethodOrderer.MethodName.class)
class OwnGoalsTest extends ServiceTest {

    @Inject
    Completions completions;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    String p;
    long region;
    long unitA;
    long unitB;
    long municipality;
    String regionCoordinator;
    String unitCoordinator;
    String regionLeader;
    String municipalityCoordinator;
    String goal;
    String moduleCode;
    long moduleVersionId;

    @BeforeAll
    void aRegionWithAnOwnGoal() {
        p = "OG" + (System.nanoTime() % 1_000_000_000L);
        region = tree.add(p + "R", "Region " + p, OrgNodeKind.REGION, null).id();
        unitA = tree.add(p + "RA", "Enhet A " + p, OrgNodeKind.UNIT, region).id();
        unitB = tree.add(p + "RB", "Enhet B " + p, OrgNodeKind.UNIT, region).id();
        municipality = tree.add(p + "K", "Kommun " + p, OrgNodeKind.MUNICIPALITY, null).id();
        regionCoordinator = users.token(users.account(p + "-rs", null, Role.COORDINATOR, region));
        unitCoordinator = users.token(users.account(p + "-es", null, Role.COORDINATOR, unitA));
        regionLeader = users.token(users.account(p + "-rl", null, Role.LEADER, region));
        municipalityCoordinator = users.token(users.account(p + "-ks", null, Role.COORDINATOR, municipality));
        goal = "REG-" + p;
        HttpResponse<Map> created = http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + region + "/goals",
                body(goal, "Hanterar regionens läkemedelsrutin " + p)).bearerAuth(regionCoordinator), Map.class);
        assertEquals(HttpStatus.CREATED, created.getStatus());
        assertEquals("Region " + p, created.body().get("ownerName"));
    }

    private static Map<String, Object> body(String code, String textSv) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("audiences", List.of("LICENSED"));
        body.put("area", "SAFE_CARE_NOW");
        body.put("kind", "SKILL");
        body.put("textSv", textSv);
        return body;
    }

    @Test
    void theRegionAndItsUnitsSeeItUncoveredUntilAModuleInARoutineCoversIt() {
        // No module covers it yet: listed for licensed staff at the region and its units, with no module and no routine.
        for (long node : List.of(region, unitA)) {
            GoalCoverage.Goal row = coverage(node, regionCoordinator, goal).orElseThrow(() -> new AssertionError("at " + node));
            assertEquals(List.of(), row.modules());
            assertFalse(row.covered());
            assertEquals("Egen (Region " + p + ")", row.owner());
        }
        String module = ownModuleCovering(goal);
        assertEquals(List.of(module), coverage(unitA, regionCoordinator, goal).orElseThrow().modules());
        assertFalse(coverage(unitA, regionCoordinator, goal).orElseThrow().covered(), "a module alone is no routine");

        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + region + "/routines", new RoutineForm(
                "Läkemedel " + p, RoutineKind.INTRODUCTION, "LICENSED", List.of(module), 30, CountsFrom.ORG_START, null, null,
                null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(regionCoordinator));
        assertEquals(List.of("Läkemedel " + p), coverage(region, regionCoordinator, goal).orElseThrow().coveredBy());
        assertEquals(List.of("Läkemedel " + p), coverage(unitA, regionCoordinator, goal).orElseThrow().coveredBy());

        String routinesPage = page("/organisationer/" + unitA + "/rutiner", unitCoordinator);
        assertTrue(routinesPage.contains(goal) && routinesPage.contains("Egen (Region " + p + ")"), routinesPage);
        assertTrue(routinesPage.contains("href=\"/organisationer/" + unitA + "/mal\""));
    }

    @Test
    void theStatisticsCountTheHoldersOfTheOwnGoal() {
        String module = ownModuleCovering(goal);
        // A goal of unit A's own, covered by a module of unit A's own.
        String unitGoal = "ENH2-" + p;
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + unitA + "/goals",
                body(unitGoal, "Känner enhetens larmrutin " + p)).bearerAuth(unitCoordinator));
        long unitModuleVersion = module("enhet-" + p.toLowerCase(), unitA, unitGoal);

        // Licensed staff under the region, and which of the two modules each completed.
        record Person(String key, long unit, boolean regionModule, boolean unitModule) {
        }
        List<Person> staff = List.of(new Person("a1", unitA, true, true), new Person("a2", unitA, true, false),
                new Person("a3", unitA, false, false), new Person("a4", unitA, false, true), new Person("a5", unitA, false, false),
                new Person("b1", unitB, true, false), new Person("b2", unitB, false, true), new Person("b3", unitB, false, false));
        String hsa = se.kompetensmal.PersonFixture.hsaPrefix();
        for (Person person : staff) {
            long id = people.create(hsa + person.key(), person.key().toUpperCase(), "Målperson", null, person.unit(),
                    today.minusYears(1), today.minusYears(1), "LICENSED");
            if (person.regionModule()) {
                completions.record(id, moduleVersionId, today.minusDays(3), 90, null, Completions.Source.INTERNAL);
            }
            if (person.unitModule()) {
                completions.record(id, unitModuleVersion, today.minusDays(3), 90, null, Completions.Source.INTERNAL);
            }
        }
        // Someone of another organisation with the same completion never counts here.
        long stranger = people.create(hsa + "k1", "K1", "Målperson", null, municipality, today.minusYears(1),
                today.minusYears(1), "LICENSED");
        completions.record(stranger, moduleVersionId, today.minusDays(3), 90, null, Completions.Source.INTERNAL);

        // The region's goal: a share of all licensed staff under the region.
        long holders = staff.stream().filter(Person::regionModule).count();
        LeadershipReport.GoalRow row = goalRow(region, goal).orElseThrow();
        assertEquals(holders, row.holders().numerator());
        assertEquals((long) staff.size(), row.holders().denominator());
        assertEquals(Math.round(100.0 * holders / staff.size()), (long) row.holders().percent());
        assertEquals("Egen (Region " + p + ")", row.owner());
        assertTrue(goalRow(municipality, goal).isEmpty(), "the municipality's statistics never show the region's goal");

        // Unit A's goal at the region: a share of unit A's licensed staff, those it is for (b2's completion is not).
        List<Person> ofUnitA = staff.stream().filter(s -> s.unit() == unitA).toList();
        long unitHolders = ofUnitA.stream().filter(Person::unitModule).count();
        LeadershipReport.GoalRow unitRow = goalRow(region, unitGoal).orElseThrow();
        assertEquals("Eget mål för Enhet A " + p, unitRow.owner());
        assertEquals(unitHolders, unitRow.holders().numerator());
        assertEquals((long) ofUnitA.size(), unitRow.holders().denominator());
        assertTrue(module.startsWith("egen-"));
    }

    @Test
    void theCatalogueFiltersByItForTheRegionOnly() {
        String mine = page("/katalog?mal=" + goal, regionCoordinator);
        assertFalse(mine.contains("Det finns inget kompetensmål med koden"), mine);
        assertTrue(mine.contains("value=\"" + goal + "\" selected"), "offered and chosen in the goal filter");
        HttpClientResponseException theirs = assertThrows(HttpClientResponseException.class,
                () -> page("/katalog?mal=" + goal, municipalityCoordinator));
        assertEquals(HttpStatus.BAD_REQUEST, theirs.getStatus());
        assertFalse(page("/katalog", municipalityCoordinator).contains(goal));
    }

    @Test
    void theMunicipalityNeverSeesIt() {
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.GET("/api/goals/" + goal), municipalityCoordinator));
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.GET("/api/goals/FINNS-INTE-" + p), municipalityCoordinator));
        assertFalse(http.toBlocking().retrieve(HttpRequest.GET("/api/goals").bearerAuth(municipalityCoordinator)).contains(goal));
        assertTrue(http.toBlocking().retrieve(HttpRequest.GET("/api/goals").bearerAuth(regionCoordinator)).contains(goal));
        assertTrue(coverage(municipality, municipalityCoordinator, goal).isEmpty());
        assertFalse(page("/organisationer/" + municipality + "/mal", municipalityCoordinator).contains(goal));
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.GET("/organisationer/" + region + "/mal/" + goal)
                .accept(MediaType.TEXT_HTML), municipalityCoordinator));
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.GET("/organisationer/" + municipality + "/mal/" + goal)
                .accept(MediaType.TEXT_HTML), municipalityCoordinator));
        assertEquals(HttpStatus.NOT_FOUND, status(HttpRequest.PUT("/api/goals/" + goal, body(goal, "Ändrad")),
                municipalityCoordinator));
        assertEquals("Hanterar regionens läkemedelsrutin " + p,
                sql.strings("SELECT text_sv FROM competence_goal WHERE code = ?", goal).get(0));
    }

    @Test
    void aUnitCoordinatorSeesButCannotChangeTheRegionsGoal() {
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/goals/" + goal), unitCoordinator));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.PUT("/api/goals/" + goal, body(goal, "Ändrad")), unitCoordinator));
        String shown = page("/organisationer/" + unitA + "/mal/" + goal, unitCoordinator);
        assertTrue(shown.contains("Hanterar regionens läkemedelsrutin " + p) && !shown.contains("<textarea"), shown);
        String list = page("/organisationer/" + unitA + "/mal", unitCoordinator);
        assertTrue(list.contains(goal) && list.contains("Egen (Region " + p + ")"));
        assertTrue(list.contains("/organisationer/" + unitA + "/mal/ny"), "the unit's coordinator adds the unit's own goals");
        assertFalse(page("/organisationer/" + region + "/mal", regionLeader).contains("/mal/ny"), "a leader adds none");

        // The region's coordinator changes it; the change is audited.
        Map<String, Object> changed = body(goal, "Hanterar regionens nya läkemedelsrutin " + p);
        changed.put("audiences", List.of("LICENSED", "NON_LICENSED"));
        assertEquals(HttpStatus.OK, status(HttpRequest.PUT("/api/goals/" + goal, changed), regionCoordinator));
        assertEquals(List.of("Hanterar regionens nya läkemedelsrutin " + p),
                sql.strings("SELECT text_sv FROM competence_goal WHERE code = ?", goal));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM audit_event WHERE action = 'GOAL_CHANGED' AND target LIKE ?", goal + " %"));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM audit_event WHERE action = 'GOAL_CREATED' AND target LIKE ?", goal + " %"));
        http.toBlocking().exchange(HttpRequest.PUT("/api/goals/" + goal, body(goal, "Hanterar regionens läkemedelsrutin " + p))
                .bearerAuth(regionCoordinator));
    }

    @Test
    void nationalGoalsAreChangedInTheCourseContent() {
        String national = sql.strings("SELECT code FROM competence_goal WHERE owner_org_id IS NULL ORDER BY code LIMIT 1").get(0);
        Map<?, ?> problem = problem(HttpRequest.PUT("/api/goals/" + national, body(national, "Ändrad")), users.admin());
        assertEquals(403, problem.get("status"));
        assertEquals("Nationella mål ändras i kursinnehållet.", problem.get("detail"));
    }

    @Test
    void aCodeIsNeverTakenTwice() {
        String national = sql.strings("SELECT code FROM competence_goal WHERE owner_org_id IS NULL ORDER BY code LIMIT 1").get(0);
        for (String taken : List.of(goal, national)) {
            Map<?, ?> problem = problem(HttpRequest.POST("/api/organisations/" + unitA + "/goals", body(taken, "Ett annat mål")),
                    unitCoordinator);
            assertEquals(422, problem.get("status"));
            assertEquals(List.of("code: Koden används redan."), problem.get("errors"));
        }
        Map<?, ?> bad = problem(HttpRequest.POST("/api/organisations/" + unitA + "/goals",
                Map.of("code", "1-fel", "audiences", List.of("FINNS_INTE"), "area", "X", "kind", "SKILL", "textSv", "x".repeat(2001))),
                unitCoordinator);
        assertEquals(java.util.Set.of("audiences", "area", "code", "textSv"), ((List<?>) bad.get("errors")).stream()
                .map(e -> e.toString().substring(0, e.toString().indexOf(':'))).collect(java.util.stream.Collectors.toSet()));

        // The page re-renders the form, the message at the field and what was typed kept.
        String form = page("/organisationer/" + region + "/mal/ny", regionCoordinator);
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/organisationer/" + region + "/mal", "csrfToken=" + enc(TestUsers.csrfTokenOf(form))
                        + "&code=" + enc(goal) + "&audiences=LICENSED&area=SAFE_CARE_NOW&kind=SKILL&textSv=" + enc("Mitt mål " + p))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML)
                        .cookie(Cookie.of("JWT", regionCoordinator)), String.class));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, refused.getStatus());
        String page = refused.getResponse().getBody(String.class).orElseThrow();
        assertTrue(page.contains("id=\"code-error\">Koden används redan.") && page.contains("Mitt mål " + p), page);
    }

    @Test
    void aUnitsOwnGoalShowsAtTheRegionNamedForTheUnit() {
        String unitGoal = "ENH-" + p;
        String form = page("/organisationer/" + unitA + "/mal/ny", unitCoordinator);
        HttpResponse<String> saved = http.toBlocking().exchange(HttpRequest.POST("/organisationer/" + unitA + "/mal",
                        "csrfToken=" + enc(TestUsers.csrfTokenOf(form)) + "&code=" + enc(unitGoal.toLowerCase())
                                + "&audiences=LICENSED&area=RISK_PREPAREDNESS&kind=KNOWLEDGE&textSv=" + enc("Känner enhetens larmrutin"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(Cookie.of("JWT", unitCoordinator)), String.class);
        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());

        assertEquals("Egen (Enhet A " + p + ")", coverage(unitA, unitCoordinator, unitGoal).orElseThrow().owner());
        assertEquals("Eget mål för Enhet A " + p, coverage(region, regionCoordinator, unitGoal).orElseThrow().owner());
        assertTrue(coverage(unitB, regionCoordinator, unitGoal).isEmpty(), "a sibling unit does not have it");
        assertEquals("Eget mål för Enhet A " + p, goalRow(region, unitGoal).orElseThrow().owner());
        assertTrue(page("/organisationer/" + region + "/mal", regionLeader).contains("Eget mål för Enhet A " + p));
        // The region's coordinator sees it, but it is the unit's to change.
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/goals/" + unitGoal), regionCoordinator));
        assertEquals(HttpStatus.FORBIDDEN, status(HttpRequest.PUT("/api/goals/" + unitGoal, body(unitGoal, "Ändrad")),
                regionCoordinator));
        assertNull(goalRow(municipality, unitGoal).orElse(null));
    }

    /** The region's own module (as the editor publishes one), whose only version covers the goal. */
    private synchronized String ownModuleCovering(String goalCode) {
        if (moduleCode == null) {
            moduleCode = "egen-" + p.toLowerCase();
            moduleVersionId = module(moduleCode, region, goalCode);
        }
        return moduleCode;
    }

    /** An own module of the node with one version covering the goal, written with plain SQL; the version's id. */
    private long module(String code, long owner, String goalCode) {
        sql.update("INSERT INTO catalogue_module (code, source, owner_org_id) VALUES (?, 'EDITOR', ?)", code, owner);
        sql.update("INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash) "
                + "VALUES (?, 1, ?, 'En egen modul.', 10, 80, ?)", code, owner == region ? "Regionens läkemedelsrutin" : "Enhetens larmrutin",
                "0".repeat(64));
        long version = sql.number("SELECT id FROM module_version WHERE module_code = ?", code);
        sql.update("INSERT INTO module_version_goal (module_version_id, goal_id) SELECT ?, id FROM competence_goal WHERE code = ?",
                version, goalCode);
        return version;
    }

    private Optional<GoalCoverage.Goal> coverage(long node, String token, String code) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/goal-coverage").bearerAuth(token),
                        Argument.listOf(GoalCoverage.Audience.class)).stream()
                .flatMap(a -> a.goals().stream()).filter(g -> g.code().equals(code)).findFirst();
    }

    private Optional<LeadershipReport.GoalRow> goalRow(long node, String code) {
        String token = node == municipality ? municipalityCoordinator : regionLeader;
        LeadershipReport.Report report = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/statistics")
                .bearerAuth(token), LeadershipReport.Report.class);
        return report.goals().stream().filter(a -> a.audience().equals("LICENSED")).flatMap(a -> a.goals().stream())
                .filter(g -> g.code().equals(code)).findFirst();
    }

    private String page(String uri, String token) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", token)));
    }

    private HttpStatus status(MutableHttpRequest<?> request, String token) {
        try {
            return http.toBlocking().exchange(request.bearerAuth(token), String.class).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    private Map<?, ?> problem(MutableHttpRequest<?> request, String token) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(request.bearerAuth(token), String.class));
        return e.getResponse().getBody(Map.class).orElseThrow();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
