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
import se.kompetensmal.learning.Completions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContinuingEducationTest extends ServiceTest {

    static final String MODULE = "vardskador-grunder";

    @Inject
    Completions completions;

    long region;
    long ward;
    String coordinator;
    String hsa;

    @BeforeEach
    void aRegionWithAWard() {
        String p = "CONT" + System.nanoTime();
        region = tree.add(p, "Region F", OrgNodeKind.REGION, null).id();
        ward = tree.add(p + "-A", "Avdelning 1", OrgNodeKind.UNIT, region).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
        hsa = PersonFixture.hsaPrefix();
    }

    @Test
    void firstCycleIsDueOneIntervalAfterTheRoutineStartsOrThePersonStarts() {
        continuing(region, 12, 30, "2026-01-01");
        long veteran = person("1", "2015-04-01");
        long newcomer = person("2", "2026-05-10");

        recompute();

        assertEquals(List.of(open(1, "2027-01-01", null)), cycles(veteran));
        assertEquals(List.of(open(1, "2027-05-10", null)), cycles(newcomer));
    }

    @Test
    void aCompletionIsValidForTheIntervalAndTheModuleIsDueAgainWhenItExpires() {
        continuing(region, 12, 30, "2024-01-01");
        long nurse = person("1", "2020-02-01");
        recompute();

        complete(nurse, "2024-06-01");

        assertEquals(List.of(done(1, "2025-01-01", "2024-06-01", "2025-06-01"), open(2, "2025-06-01", "2025-05-02")),
                cycles(nurse));
        FollowUp.Row behind = followUp().stream().filter(row -> row.personId() == nurse).findFirst().orElseThrow();
        assertTrue(behind.overdue(), "expired on 2025-06-01, so overdue today");
        assertEquals(LocalDate.parse("2025-06-01"), behind.dueDate());
    }

    @Test
    void renewingInsideTheWindowExtendsFromTheOldExpiryAndKeepsEveryCompletion() {
        continuing(region, 12, 30, "2024-01-01");
        long nurse = person("1", "2020-02-01");
        recompute();

        complete(nurse, "2024-06-01");
        complete(nurse, "2025-05-20");

        assertEquals(List.of(done(1, "2025-01-01", "2024-06-01", "2025-06-01"),
                done(2, "2025-06-01", "2025-05-20", "2026-06-01"),
                open(3, "2026-06-01", "2026-05-02")), cycles(nurse));
        assertEquals(2, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", nurse), "no completion is overwritten");
    }

    @Test
    void aCompletionBeforeTheWindowDoesNotRenewAndALateOneCountsFromItsDay() {
        continuing(region, 12, 30, "2024-01-01");
        long nurse = person("1", "2020-02-01");
        recompute();

        complete(nurse, "2024-06-01");
        complete(nurse, "2025-03-01");
        assertEquals(open(2, "2025-06-01", "2025-05-02"), cycles(nurse).get(1), "taken again too early: cycle 2 still open");

        complete(nurse, "2025-08-15");
        assertEquals(List.of(done(1, "2025-01-01", "2024-06-01", "2025-06-01"),
                done(2, "2025-06-01", "2025-08-15", "2026-08-15"),
                open(3, "2026-08-15", "2026-07-16")), cycles(nurse));
    }

    @Test
    void introductionIsTheFirstCycleAndAHistoryTakenBeforeTheRoutineReplaysIntoCycles() {
        introduction(region, 30);
        long nurse = person("1", "2023-01-10");
        complete(nurse, "2023-02-01");
        complete(nurse, "2024-01-20");
        complete(nurse, "2025-01-15");

        continuing(region, 12, 30, "2023-01-01");
        recompute();

        assertEquals(List.of(done(1, "2023-02-09", "2023-02-01", "2024-02-01"),
                done(2, "2024-02-01", "2024-01-20", "2025-02-01"),
                done(3, "2025-02-01", "2025-01-15", "2026-02-01"),
                open(4, "2026-02-01", "2026-01-02")), cycles(nurse));
    }

    @Test
    void changingTheIntervalMovesTheOpenCycleButNotTheHistoryAndRecomputingAgainChangesNothing() {
        Routine routine = continuing(region, 12, 30, "2024-01-01");
        long nurse = person("1", "2020-02-01");
        recompute();
        complete(nurse, "2024-06-01");

        http.toBlocking().exchange(HttpRequest.PUT("/api/routines/" + routine.id(), form(24, 60, "2024-01-01"))
                .bearerAuth(coordinator));
        sql.awaitRecomputations();
        List<Cycle> after = cycles(nurse);
        recompute();

        assertEquals(List.of(done(1, "2025-01-01", "2024-06-01", "2026-06-01"), open(2, "2026-06-01", "2026-04-02")), after);
        assertEquals(after, cycles(nurse));
        assertEquals(2, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ?", nurse));
    }

    @Test
    void leavingTheAudienceWithdrawsTheOpenCycleAndKeepsTheCompletedOnes() {
        continuing(region, 12, 30, "2024-01-01");
        long nurse = person("1", "2020-02-01");
        recompute();
        complete(nurse, "2024-06-01");

        sql.update("DELETE FROM person_audience WHERE person_id = ?", nurse);
        sql.update("DELETE FROM placement_audience WHERE placement_id IN (SELECT id FROM placement WHERE person_id = ?)", nurse);
        recompute();

        assertEquals(List.of(done(1, "2025-01-01", "2024-06-01", null)), cycles(nurse),
                "no routine asks any more: the completion stands, without expiry");
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND withdrawn_at IS NOT NULL", nurse));
    }

    @Test
    void aVoidedCompletionReopensItsCycleWithdrawsTheRenewalItOpenedAndAnotherCompletionTakesItsPlace() {
        continuing(region, 12, 30, "2024-01-01");
        long nurse = person("1", "2020-02-01");
        recompute();
        long account = sql.number("SELECT account_id FROM role_grant WHERE org_node_id = ? AND role = 'COORDINATOR'", region);
        long module = sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", MODULE);
        // Registered as done on 2024-06-01 elsewhere; taken here on 2024-09-01, before cycle 2's window opened.
        long registered = completions.record(nurse, module, LocalDate.parse("2024-06-01"), null, null,
                Completions.Provenance.registered("Annan region", account));
        complete(nurse, "2024-09-01");
        assertEquals(List.of(done(1, "2025-01-01", "2024-06-01", "2025-06-01"), open(2, "2025-06-01", "2025-05-02")),
                cycles(nurse));

        completions.voidCompletion(registered, "Intyget gällde en annan kurs", account);

        // Cycle 1 is fulfilled by the one taken here instead, valid a year from it; cycle 2 follows from that.
        assertEquals(List.of(done(1, "2025-01-01", "2024-09-01", "2025-09-01"), open(2, "2025-09-01", "2025-08-02")),
                cycles(nurse));
        assertEquals(2, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ?", nurse), "voided, never deleted");

        // Without another completion, voiding leaves cycle 1 open and no renewal.
        long other = person("2", "2020-02-01");
        recompute();
        long alone = completions.record(other, module, LocalDate.parse("2024-06-01"), null, null,
                Completions.Provenance.registered("Annan region", account));
        assertEquals(2, cycles(other).size());
        completions.voidCompletion(alone, "Fel person", account);
        assertEquals(List.of(open(1, "2025-01-01", null)), cycles(other));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND cycle = 2 AND withdrawn_at IS NOT NULL",
                other), "the renewal opened because of it is withdrawn");
    }

    /** One cycle as the person's assignment list shows it. */
    record Cycle(int cycle, LocalDate due, LocalDate opens, LocalDate completed, LocalDate validUntil) {
    }

    static Cycle open(int cycle, String due, String opens) {
        return new Cycle(cycle, LocalDate.parse(due), date(opens), null, null);
    }

    static Cycle done(int cycle, String due, String completed, String validUntil) {
        return new Cycle(cycle, LocalDate.parse(due), null, LocalDate.parse(completed), date(validUntil));
    }

    private static LocalDate date(String text) {
        return text == null ? null : LocalDate.parse(text);
    }

    private List<Cycle> cycles(long personId) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/people/" + personId + "/assignments").bearerAuth(coordinator),
                        Argument.listOf(AssignmentView.class)).stream()
                .filter(a -> a.moduleCode().equals(MODULE))
                .map(a -> new Cycle(a.cycle(), a.dueDate(), a.completedOn() == null ? a.opensOn() : null, a.completedOn(),
                        a.validUntil()))
                .sorted(java.util.Comparator.comparingInt(Cycle::cycle)).toList();
    }

    private List<FollowUp.Row> followUp() {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + region + "/follow-up").bearerAuth(coordinator),
                Argument.listOf(FollowUp.Row.class));
    }

    private void complete(long personId, String on) {
        completions.record(personId, sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", MODULE),
                LocalDate.parse(on), 100, null, Completions.Source.INTERNAL);
    }

    private Routine continuing(long node, int months, int windowDays, String startsOn) {
        Routine routine = http.toBlocking().retrieve(HttpRequest.POST("/api/organisations/" + node + "/routines",
                form(months, windowDays, startsOn)).bearerAuth(coordinator), Routine.class);
        sql.awaitRecomputations();
        return routine;
    }

    private static RoutineForm form(int months, int windowDays, String startsOn) {
        return new RoutineForm("Fortbildning", RoutineKind.CONTINUING, "LICENSED", List.of(MODULE), null, null, months,
                windowDays, LocalDate.parse(startsOn), DocumentationLevel.EXISTS, null, null, null);
    }

    private void introduction(long node, int days) {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + node + "/routines", new RoutineForm(
                "Introduktion", RoutineKind.INTRODUCTION, "LICENSED", List.of(MODULE), days, CountsFrom.ORG_START, null, null,
                null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
        sql.awaitRecomputations();
    }

    private void recompute() {
        recomputeUnder(region, coordinator);
    }

    private long person(String suffix, String orgStart) {
        return people.create(hsa + suffix, "Test", "Person" + suffix, null, ward, LocalDate.parse(orgStart),
                LocalDate.parse(orgStart), "LICENSED");
    }
}
