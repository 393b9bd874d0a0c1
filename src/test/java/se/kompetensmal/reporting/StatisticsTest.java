package se.kompetensmal.reporting;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every figure of the leaders' report on a hand-made region, against the real database. Each person of the region is
 * written down below with what they have done; the expected figures are counted from that list, and the report must
 * agree: people with several audiences, someone who left, an expired cycle, an exemption, and the fewer-than-5 rule, where
 * a unit of five (C) and an audience of six (managers) are hidden beside a unit of two (B) and an audience of one
 * (non-licensed) so that the total minus the rows shown does not give the small ones' figures.
 */
@MicronautTest(transactional = false)
// The report is read from the leaders' sums, kept by the background job (standing/Summaries), as in production.
@io.micronaut.context.annotation.Property(name = "kompetensmal.summaries.enabled", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatisticsTest extends ServiceTest {

    private static final String INTRO = "vardskador-grunder";
    private static final String MANAGER_INTRO = "leda-och-styra-for-saker-vard";
    private static final String HYGIENE = "basala-hygienrutiner";

    @Inject
    Completions completions;

    @Inject
    se.kompetensmal.standing.Summaries summaries;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    final LocalDate start = today.minusYears(4);

    /**
     * One person of the region as the test sets them up, with the facts the figures count: introduction done (all
     * introduction modules of the audience, or exempted), on time, current on hygiene, overdue in the audience.
     */
    record Person(String key, String unit, List<String> audiences, boolean left, Map<String, Facts> facts) {
    }

    record Facts(boolean introDone, boolean introOnTime, boolean hygieneCurrent, boolean overdue) {
    }

    private final List<Person> region = new ArrayList<>();
    private long regionId;
    private long unitA;
    private long unitB;
    private long unitC;
    private String leader;

    @BeforeAll
    void aRegionWhereEveryoneHasDoneSomethingElse() {
        String p = "STAT" + System.nanoTime();
        regionId = tree.add(p, "Region Statistik", OrgNodeKind.REGION, null).id();
        unitA = tree.add(p + "-A", "Avdelning A", OrgNodeKind.UNIT, regionId).id();
        unitB = tree.add(p + "-B", "Avdelning B", OrgNodeKind.UNIT, regionId).id();
        unitC = tree.add(p + "-C", "Avdelning C", OrgNodeKind.UNIT, regionId).id();
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, regionId));
        leader = users.token(users.account(p + "-ledare", null, Role.LEADER, regionId));
        // The introductions apply from before anyone's start (RoutineForm.FROM_EVERYONES_START), so that everyone is due
        // their own start plus 30 days and the figures below keep the meaning they were worked out by hand for.
        routine(coordinator, new RoutineForm("Introduktion legitimerade", RoutineKind.INTRODUCTION, "LICENSED", List.of(INTRO), 30,
                CountsFrom.ORG_START, RoutineForm.FROM_EVERYONES_START, null, null, null, null, DocumentationLevel.DOCUMENTED,
                "RD 1", null, null));
        routine(coordinator, new RoutineForm("Hygien varje år", RoutineKind.CONTINUING, "LICENSED", List.of(HYGIENE), null, null, 12,
                60, today.minusYears(3), DocumentationLevel.MANAGEMENT_SYSTEM, "RD 2", "Regiondirektören", today.minusYears(3)));
        routine(coordinator, new RoutineForm("Introduktion chefer", RoutineKind.INTRODUCTION, "FRONTLINE_MANAGER",
                List.of(MANAGER_INTRO), 30, CountsFrom.ORG_START, RoutineForm.FROM_EVERYONES_START, null, null, null, null,
                DocumentationLevel.EXISTS, null, null, null));

        // Hygiene: cycle 1 fell due two years ago; H1 renewed it late (now expired), H2 renewed cycle 2 late (valid a while yet).
        LocalDate onTime = start.plusDays(10);
        LocalDate late = start.plusDays(100);
        LocalDate h1 = today.minusYears(2).plusDays(10);
        LocalDate h2 = today.minusDays(200);
        person(p, "a1", unitA, false, List.of(done(INTRO, onTime), done(HYGIENE, h1), done(HYGIENE, h2)), "LICENSED");
        person(p, "a2", unitA, false, List.of(done(INTRO, late), done(HYGIENE, h1)), "LICENSED");
        person(p, "a3", unitA, false, List.of(), "LICENSED");
        long a4 = person(p, "a4", unitA, false, List.of(done(HYGIENE, h1), done(HYGIENE, h2)), "LICENSED");
        http.toBlocking().exchange(HttpRequest.POST("/api/people/" + a4 + "/exemptions",
                Map.of("module", INTRO, "reason", "Gått motsvarande utbildning i annan region")).bearerAuth(coordinator));
        person(p, "a5", unitA, false, List.of(done(INTRO, onTime), done(HYGIENE, h1), done(HYGIENE, h2)), "LICENSED", "FRONTLINE_MANAGER");
        person(p, "a6", unitA, true, List.of(done(INTRO, onTime)), "LICENSED");
        person(p, "a7", unitA, false, List.of(), "NON_LICENSED");
        person(p, "b1", unitB, false, List.of(done(INTRO, onTime)), "LICENSED");
        person(p, "b2", unitB, false, List.of(), "LICENSED");
        List<String> managers = List.of("c1", "c2", "c3", "c4", "c5");
        managers.forEach(c -> person(p, c, unitC, false, List.of(), "FRONTLINE_MANAGER"));
        recomputeUnder(regionId, coordinator);

        facts("a1", "LICENSED", true, true, true, false);
        facts("a2", "LICENSED", true, false, false, true);
        facts("a3", "LICENSED", false, false, false, true);
        facts("a4", "LICENSED", true, true, true, false);
        facts("a5", "LICENSED", true, true, true, false);
        facts("a5", "FRONTLINE_MANAGER", false, false, false, true);
        facts("a6", "LICENSED", false, false, false, true);
        facts("b1", "LICENSED", true, true, false, true);
        facts("b2", "LICENSED", false, false, false, true);
        managers.forEach(c -> facts(c, "FRONTLINE_MANAGER", false, false, false, true));
        se.kompetensmal.Waiting.until(() -> summaries.keptFor(today) && summaries.state().oldestWaiting() == null, kept -> kept,
                java.time.Duration.ofMinutes(2), "the summaries to hold every change");
    }

    @Test
    void overviewPerAudienceCountsActivePeopleInEachOfTheirAudiences() {
        LeadershipReport.Report report = report(regionId);

        LeadershipReport.Figures licensed = audience(report, "LICENSED");
        List<Person> counted = active(p -> p.audiences().contains("LICENSED"));
        assertEquals(7, counted.size(), "a1–a5, b1, b2: the one who left is not counted");
        assertEquals(Share.count(counted.size()), licensed.headcount());
        assertEquals(Share.of(count(counted, "LICENSED", Facts::introDone), counted.size()), licensed.introduction());
        assertEquals(Share.of(count(counted, "LICENSED", Facts::introOnTime), counted.size()), licensed.introductionOnTime());
        assertEquals(Share.of(count(counted, "LICENSED", Facts::hygieneCurrent), counted.size()), licensed.continuingCurrent());
        assertEquals(Share.of(count(counted, "LICENSED", Facts::overdue), counted.size()), licensed.overdue());
        assertEquals(new Share(5L, 7L, 71, false), licensed.introduction(), "written out once: 5 of 7 is 71 %");
    }

    @Test
    void groupsOfFewerThanFiveShowNoFigures() {
        LeadershipReport.Report report = report(regionId);

        LeadershipReport.Figures nonLicensed = audience(report, "NON_LICENSED");
        assertEquals(1, active(p -> p.audiences().contains("NON_LICENSED")).size());
        for (Share share : List.of(nonLicensed.headcount(), nonLicensed.overdue())) {
            assertTrue(share.fewerThanFive(), share.toString());
            assertNull(share.numerator(), "no number that could single someone out");
            assertEquals("färre än 5", share.shown());
        }
        // The total minus the licensed would leave the one non-licensed person: the next smallest audience is hidden too.
        LeadershipReport.Figures managers = audience(report, "FRONTLINE_MANAGER");
        assertEquals(6, active(p -> p.audiences().contains("FRONTLINE_MANAGER")).size());
        for (Share share : List.of(managers.headcount(), managers.introduction(), managers.overdue())) {
            assertTrue(share.hidden() && !share.fewerThanFive(), share.toString());
            assertNull(share.numerator());
            assertEquals("dold", share.shown());
        }
        LeadershipReport.Figures b = report.subUnits().stream().filter(f -> f.nodeId() == unitB).findFirst().orElseThrow();
        assertTrue(b.headcount().fewerThanFive() && b.overdue().fewerThanFive() && b.introduction().fewerThanFive(), b.toString());
        // Likewise the total minus unit A would leave B's two: C, the smaller of the others, is hidden with it.
        LeadershipReport.Figures c = report.subUnits().stream().filter(f -> f.nodeId() == unitC).findFirst().orElseThrow();
        assertEquals(5, active(p -> p.unit().equals("C")).size());
        assertTrue(c.headcount().hidden() && c.introduction().hidden() && c.overdue().hidden(), c.toString());
        String json = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + unitB + "/statistics").bearerAuth(leader));
        assertFalse(json.contains("\"numerator\":2"), json);
    }

    @Test
    void totalAndSubUnitsCountEachPersonOnceOverAllTheirAudiences() {
        LeadershipReport.Report report = report(regionId);

        List<Person> everyone = active(p -> true);
        assertEquals(13, everyone.size());
        assertEquals(Share.count(13), report.total().headcount());
        List<Person> withIntroduction = active(p -> !p.facts().isEmpty());
        // Done means every introduction of every audience the person belongs to: a5 has not done the managers' one.
        assertEquals(Share.of(all(withIntroduction, Facts::introDone), withIntroduction.size()), report.total().introduction());
        assertEquals(Share.of(all(withIntroduction, Facts::introOnTime), withIntroduction.size()), report.total().introductionOnTime());
        assertEquals(Share.of(any(everyone, Facts::overdue), everyone.size()), report.total().overdue());

        LeadershipReport.Figures a = report.subUnits().stream().filter(f -> f.nodeId() == unitA).findFirst().orElseThrow();
        List<Person> inA = active(p -> p.unit().equals("A"));
        List<Person> inAWithIntroduction = inA.stream().filter(p -> !p.facts().isEmpty()).toList();
        assertEquals(Share.count(inA.size()), a.headcount());
        assertEquals(Share.of(all(inAWithIntroduction, Facts::introDone), inAWithIntroduction.size()), a.introduction());
        assertEquals(Share.of(any(inA, Facts::overdue), inA.size()), a.overdue());
        assertEquals(List.of("Avdelning A", "Avdelning B", "Avdelning C"),
                report.subUnits().stream().map(LeadershipReport.Figures::label).toList());
    }

    @Test
    void goalCoverageCountsOnlyCompletionsThatHaveNotExpired() {
        LeadershipReport.Report report = report(regionId);

        LeadershipReport.GoalAudience licensed = report.goals().stream().filter(g -> g.audience().equals("LICENSED")).findFirst()
                .orElseThrow();
        Set<String> introGoals = Set.copyOf(goalsOf(INTRO));
        Set<String> hygieneGoals = Set.copyOf(goalsOf(HYGIENE));
        // Completions held: the introduction by a1, a2, a5, b1 (a4 was exempted, a6 left); hygiene still valid by a1, a4, a5.
        Set<String> introHolders = Set.of("a1", "a2", "a5", "b1");
        Set<String> hygieneHolders = Set.of("a1", "a4", "a5");
        for (LeadershipReport.GoalRow goal : licensed.goals()) {
            long holders = active(p -> p.audiences().contains("LICENSED")).stream()
                    .filter(p -> introGoals.contains(goal.code()) && introHolders.contains(p.key())
                            || hygieneGoals.contains(goal.code()) && hygieneHolders.contains(p.key()))
                    .count();
            assertEquals(Share.of(holders, 7), goal.holders(), goal.code());
            assertEquals(introGoals.contains(goal.code()) || hygieneGoals.contains(goal.code()), goal.covered(), goal.code());
        }
        assertTrue(licensed.uncovered() > 0, "the LICENSED goals the two modules do not cover stand out");
        assertEquals(licensed.goals().stream().filter(g -> !g.covered()).count(), licensed.uncovered());
    }

    @Test
    void routineMatrixOfOneHuvudmanAnswersYesOrNoWithDocumentation() {
        RoutineMatrix.Matrix matrix = report(unitA).matrix();

        assertTrue(matrix.single(), "a unit's matrix is its region's");
        RoutineMatrix.Row licensed = row(matrix, "LICENSED");
        assertEquals(List.of(1L, 1L, 0L), answers(licensed.introduction()), "documented, not in the management system");
        assertEquals(List.of(1L, 1L, 1L), answers(licensed.continuing()));
        assertEquals(List.of(1L, 0L, 0L), answers(row(matrix, "FRONTLINE_MANAGER").introduction()));
        assertEquals(List.of(0L, 0L, 0L), answers(row(matrix, "NON_LICENSED").introduction()));
    }

    @Test
    void trendCountsCompletionsPerMonthAndIntroductionsDoneByEachMonthsEnd() {
        List<LeadershipReport.TrendPoint> trend = report(regionId).trend();

        assertEquals(24, trend.size());
        assertEquals(today.withDayOfMonth(today.lengthOfMonth()), trend.get(23).monthEnd());
        LocalDate h2Month = today.minusDays(200).withDayOfMonth(today.minusDays(200).lengthOfMonth());
        assertEquals(3L, trend.stream().filter(t -> t.monthEnd().equals(h2Month)).findFirst().orElseThrow().completions().numerator(),
                "a1, a4 and a5 renewed hygiene that month; a6 left and is not counted");
        List<Person> withIntroduction = active(p -> !p.facts().isEmpty());
        assertEquals(Share.of(all(withIntroduction, Facts::introDone), withIntroduction.size()), trend.get(23).introductionDone());
        List<Person> everyone = active(p -> true);
        assertEquals(Share.of(any(everyone, Facts::overdue), everyone.size()), trend.get(23).overdue(),
                "this month's overdue as the overview counts it today: everyone with something overdue in any audience");
    }

    @Test
    void leadersBelowTheNodeAreRefusedAndTheApiCarriesNoNames() {
        String unitLeader = users.token(users.account("unitleader-" + System.nanoTime(), null, Role.LEADER, unitA));

        HttpClientResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class, () ->
                http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + regionId + "/statistics").bearerAuth(unitLeader)));
        assertEquals(403, refused.getStatus().getCode());
        String json = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + regionId + "/statistics").bearerAuth(leader));
        assertTrue(json.contains("\"computedFor\":\"" + today + "\""), json);
        assertFalse(json.contains("Statistikperson"), "no names in aggregates");
        String page = http.toBlocking().retrieve(HttpRequest.GET("/organisationer/" + regionId + "/statistik")
                .cookie(io.micronaut.http.cookie.Cookie.of("JWT", leader)));
        assertTrue(page.contains("Beräknad för <strong>" + today + "</strong>") && page.contains("5 av 7"), page);
        assertTrue(java.util.regex.Pattern.compile("siffror per <strong>\\d\\d:\\d\\d</strong>").matcher(page).find(),
                "the page says the time its figures are true for");
        assertFalse(page.contains("Statistikperson"));
    }

    private LeadershipReport.Report report(long node) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/statistics").bearerAuth(leader),
                LeadershipReport.Report.class);
    }

    private static LeadershipReport.Figures audience(LeadershipReport.Report report, String code) {
        return report.audiences().stream().filter(f -> code.equals(f.audience())).findFirst().orElseThrow(() -> new AssertionError(code));
    }

    private static RoutineMatrix.Row row(RoutineMatrix.Matrix matrix, String audience) {
        return matrix.rows().stream().filter(r -> r.audience().equals(audience)).findFirst().orElseThrow();
    }

    private static List<Long> answers(RoutineMatrix.Answers answers) {
        return List.of(answers.exists().numerator(), answers.documented().numerator(), answers.managementSystem().numerator());
    }

    private List<Person> active(Predicate<Person> which) {
        return region.stream().filter(p -> !p.left()).filter(which).toList();
    }

    private static long count(List<Person> people, String audience, Predicate<Facts> fact) {
        return people.stream().filter(p -> p.facts().containsKey(audience) && fact.test(p.facts().get(audience))).count();
    }

    /** People for whom the fact holds in every audience they have figures in. */
    private static long all(List<Person> people, Predicate<Facts> fact) {
        return people.stream().filter(p -> p.facts().values().stream().allMatch(fact)).count();
    }

    private static long any(List<Person> people, Predicate<Facts> fact) {
        return people.stream().filter(p -> p.facts().values().stream().anyMatch(fact)).count();
    }

    private List<String> goalsOf(String module) {
        return sql.strings("""
                SELECT g.code FROM module_version_goal mg JOIN competence_goal g ON g.id = mg.goal_id
                WHERE mg.module_version_id = (SELECT MAX(id) FROM module_version WHERE module_code = ?)""", module);
    }

    private void routine(String coordinator, RoutineForm form) {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + regionId + "/routines", form).bearerAuth(coordinator));
    }

    record Done(String module, LocalDate on) {
    }

    private static Done done(String module, LocalDate on) {
        return new Done(module, on);
    }

    private long person(String prefix, String key, long unit, boolean left, List<Done> done, String... audiences) {
        // The routines just made are recomputed in the background; a completion recorded beside that recomputation
        // recomputes the person too, and the two met in a deadlock once (CI, 2026-12-02). The facts are set up after it.
        sql.awaitRecomputations();
        long id = people.create(prefix.substring(4) + "-" + key, key.toUpperCase(), "Statistikperson", null, unit, start, start, audiences);
        for (Done d : done) {
            completions.record(id, sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", d.module()), d.on(), 90, null,
                    Completions.Source.INTERNAL);
        }
        if (left) {
            sql.update("UPDATE person SET status = 'LEFT', left_on = ? WHERE id = ?", today.minusDays(30), id);
        }
        region.add(new Person(key, unit == unitA ? "A" : unit == unitB ? "B" : "C", List.of(audiences), left,
                new java.util.HashMap<>()));
        return id;
    }

    private void facts(String key, String audience, boolean introDone, boolean introOnTime, boolean hygieneCurrent, boolean overdue) {
        region.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow().facts()
                .put(audience, new Facts(introDone, introOnTime, hygieneCurrent, overdue));
    }
}
