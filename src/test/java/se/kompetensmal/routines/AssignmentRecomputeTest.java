package se.kompetensmal.routines;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AssignmentRecomputeTest extends ServiceTest {

    long municipality;
    long unitA;
    long unitB;
    String coordinator;
    String hsa;

    @BeforeEach
    void aMunicipalityWithTwoUnits() {
        String p = "ASG" + System.nanoTime();
        municipality = tree.add(p, "Kommun A", OrgNodeKind.MUNICIPALITY, null).id();
        unitA = tree.add(p + "-A", "Boende A", OrgNodeKind.UNIT, municipality).id();
        unitB = tree.add(p + "-B", "Boende B", OrgNodeKind.UNIT, municipality).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        hsa = PersonFixture.hsaPrefix();
    }

    @Test
    void routineDueDateCountsFromStartInOrganisationOrInRole() {
        long anna = person("1", unitA, "NON_LICENSED", "2026-01-10", "2026-06-01");
        routine(municipality, "NON_LICENSED", 30, CountsFrom.ORG_START, "vardskador-grunder");
        routine(municipality, "FRONTLINE_MANAGER", 14, CountsFrom.ROLE_START, "sakerhetskultur-och-risker");
        long bo = person("2", unitA, "FRONTLINE_MANAGER", "2010-03-01", "2026-06-01");

        recompute();

        assertEquals(List.of(due("vardskador-grunder", "2026-02-09")), dueDates(anna));
        assertEquals(List.of(due("sakerhetskultur-och-risker", "2026-06-15")), dueDates(bo));
    }

    @Test
    void overrideFurtherDownWinsAndAModuleFromTwoAudiencesIsDueAtTheEarliestDate() {
        routine(municipality, "LICENSED", 60, CountsFrom.ORG_START, "vardskador-grunder");
        routine(unitB, "LICENSED", 10, CountsFrom.ORG_START, "vardskador-grunder", "sakerhetskultur-och-risker");
        routine(municipality, "FRONTLINE_MANAGER", 5, CountsFrom.ORG_START, "vardskador-grunder");
        long inA = person("1", unitA, "LICENSED", "2026-03-01", null);
        long inB = person("2", unitB, "LICENSED", "2026-03-01", null);
        long managerInA = person("3", unitA, "LICENSED|FRONTLINE_MANAGER", "2026-03-01", null);

        recompute();

        assertEquals(List.of(due("vardskador-grunder", "2026-04-30")), dueDates(inA));
        assertEquals(List.of(due("sakerhetskultur-och-risker", "2026-03-11"), due("vardskador-grunder", "2026-03-11")), dueDates(inB));
        assertEquals(List.of(due("vardskador-grunder", "2026-03-06")), dueDates(managerInA));
    }

    @Test
    void recomputingTwiceChangesNothingAndAMoveBetweenUnitsFollowsTheNewUnitsRoutine() {
        routine(unitA, "LICENSED", 10, CountsFrom.ORG_START, "vardskador-grunder");
        routine(unitB, "LICENSED", 20, CountsFrom.ORG_START, "sakerhetskultur-och-risker");
        long person = person("1", unitA, "LICENSED", "2026-03-01", null);
        recompute();
        long rows = sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ?", person);

        recompute();

        assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND withdrawn_at IS NOT NULL", person));
        assertEquals(rows, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ?", person));
        assertEquals(List.of(due("vardskador-grunder", "2026-03-11")), dueDates(person));

        people.move(person, unitB);
        recompute();

        assertEquals(List.of(due("sakerhetskultur-och-risker", "2026-03-21")), dueDates(person));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND withdrawn_at IS NOT NULL", person),
                "the old assignment is withdrawn, not deleted");
    }

    @Test
    void assignmentsFollowARoutineChangeAndARosterImportWithoutBeingAskedFor() {
        long person = person("1", unitA, "LICENSED", "2026-03-01", null);
        Routine routine = http.toBlocking().retrieve(HttpRequest.POST("/api/organisations/" + municipality + "/routines",
                introductionForm("LICENSED", 10)).bearerAuth(coordinator), Routine.class);
        sql.awaitRecomputations();
        assertEquals(List.of(due("vardskador-grunder", "2026-03-11")), dueDates(person));

        http.toBlocking().exchange(HttpRequest.PUT("/api/routines/" + routine.id(), introductionForm("LICENSED", 45))
                .bearerAuth(coordinator));
        sql.awaitRecomputations();
        assertEquals(List.of(due("vardskador-grunder", "2026-04-15")), dueDates(person));

        String unitCode = sql.strings("SELECT code FROM org_node WHERE id = ?", unitA).get(0);
        String csv = "hsa_id;förnamn;efternamn;enhet;målgrupper;startdatum_organisation\n"
                + hsa + "9;Nyanställd;Person;" + unitCode + ";LICENSED;2026-11-02\n";
        String location = http.toBlocking().exchange(HttpRequest.POST("/api/imports/people?organisation=" + municipality, csv)
                .contentType("text/csv").bearerAuth(coordinator)).getHeaders().get("Location");
        long importId = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        se.kompetensmal.Waiting.until(() -> sql.number("SELECT COUNT(*) FROM assignment a JOIN person p ON p.id = a.person_id "
                + "WHERE p.hsa_id = ?", hsa + "9"), n -> n == 1, java.time.Duration.ofSeconds(30), "import " + importId + " assigning");
        long newcomer = sql.number("SELECT id FROM person WHERE hsa_id = ?", hsa + "9");
        assertEquals(List.of(due("vardskador-grunder", "2026-12-17")), dueDates(newcomer));
    }

    @Test
    void recomputationRunsInTheBackgroundWithProgressAndOneLeftRunningByAStoppedInstanceIsFinished() {
        routine(municipality, "LICENSED", 10, CountsFrom.ORG_START, "vardskador-grunder");
        long person = person("1", unitA, "LICENSED", "2026-03-01", null);
        sql.awaitRecomputations();
        sql.update("UPDATE assignment SET due_date = '2000-01-01' WHERE person_id = ?", person);
        sql.update("INSERT INTO recompute_job (scope_org_id, status, total_people, done_people, requested_by) "
                + "VALUES (?, 'RUNNING', 1, 0, 'avbruten')", municipality);
        long cutShort = sql.number("SELECT MAX(id) FROM recompute_job");

        // Left RUNNING by an instance that stopped: the instance holding the recomputations takes it on its next run.
        sql.awaitRecomputations();

        RecomputeJob job = http.toBlocking().retrieve(HttpRequest.GET("/api/recompute-jobs/" + cutShort).bearerAuth(coordinator),
                RecomputeJob.class);
        assertEquals("DONE", job.status());
        assertEquals(1, job.totalPeople());
        assertEquals(1, job.donePeople());
        assertEquals(List.of(due("vardskador-grunder", "2026-03-11")), dueDates(person));
    }

    @Test
    void aStartDateAtTheEndOfTheCalendarDoesNotStopTheRecomputationOfEveryoneElse() {
        routine(municipality, "LICENSED", 30, CountsFrom.ORG_START, "vardskador-grunder");
        long before = person("1", unitA, "LICENSED", "2026-03-01", null);
        long broken = person("2", unitA, "LICENSED", "9999-12-31", null);
        long brokenRole = person("3", unitB, "LICENSED", "2026-03-01", "9999-12-31");
        long after = person("4", unitB, "LICENSED", "2026-04-01", null);

        recompute();

        assertEquals("DONE", sql.strings("SELECT status FROM recompute_job WHERE scope_org_id = ? ORDER BY id DESC LIMIT 1",
                municipality).get(0));
        assertEquals(List.of(due("vardskador-grunder", "2026-03-31")), dueDates(before));
        assertEquals(List.of(due("vardskador-grunder", "2026-05-01")), dueDates(after));
        assertEquals(List.of(), dueDates(broken));
        assertEquals(List.of(), dueDates(brokenRole), "a person with a date the arithmetic cannot carry is left out");
    }

    @Test
    void aCompletionAtTheEndOfTheCalendarStopsOnlyItsOwnPersonsRecomputation() {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", new RoutineForm(
                "Fortbildning", RoutineKind.CONTINUING, "LICENSED", List.of("vardskador-grunder"), null, null, 24, 60,
                LocalDate.parse("2026-01-01"), DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
        long broken = person("1", unitA, "LICENSED", "2026-03-01", null);
        long fine = person("2", unitA, "LICENSED", "2026-03-01", null);
        long moduleVersion = sql.number("SELECT MIN(id) FROM module_version WHERE module_code = 'vardskador-grunder'");
        sql.update("INSERT INTO completion (person_id, module_version_id, completed_on, source) VALUES (?, ?, '9999-12-01', 'INTERNAL')",
                broken, moduleVersion);
        sql.update("INSERT INTO completion (person_id, module_version_id, completed_on, source) VALUES (?, ?, '2026-06-01', 'INTERNAL')",
                fine, moduleVersion);

        recompute();

        assertEquals("DONE", sql.strings("SELECT status FROM recompute_job WHERE scope_org_id = ? ORDER BY id DESC LIMIT 1",
                municipality).get(0));
        assertEquals(List.of(due("vardskador-grunder", "2028-03-01"), due("vardskador-grunder", "2028-06-01")), dueDates(fine));
    }

    @Inject
    RecomputeJobs jobs;

    private static RoutineForm introductionForm(String audience, int days) {
        return new RoutineForm("Introduktion " + audience, RoutineKind.INTRODUCTION, audience, List.of("vardskador-grunder"),
                days, CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null);
    }

    private record Due(String module, LocalDate date) {
    }

    private static Due due(String module, String date) {
        return new Due(module, LocalDate.parse(date));
    }

    private List<Due> dueDates(long personId) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/people/" + personId + "/assignments").bearerAuth(coordinator),
                        Argument.listOf(AssignmentView.class)).stream()
                .map(a -> new Due(a.moduleCode(), a.dueDate()))
                .sorted(java.util.Comparator.comparing(Due::date).thenComparing(Due::module)).toList();
    }

    private void recompute() {
        recomputeUnder(municipality, coordinator);
    }

    private void routine(long node, String audience, int days, CountsFrom countsFrom, String... modules) {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + node + "/routines", new RoutineForm(
                "Introduktion " + audience, RoutineKind.INTRODUCTION, audience, List.of(modules), days, countsFrom, null, null, null,
                DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
    }

    private long person(String suffix, long unit, String audiences, String orgStart, String roleStart) {
        return people.create(hsa + suffix, "Test", "Person", null, unit, LocalDate.parse(orgStart),
                LocalDate.parse(roleStart == null ? orgStart : roleStart), audiences.split("\\|"));
    }
}
