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
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.reporting.LeadershipReport;
import se.kompetensmal.reporting.Share;
import se.kompetensmal.roster.PeopleChanged;
import se.kompetensmal.roster.PersonRecords;
import se.kompetensmal.security.Role;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A nurse placed in two units of a region, each unit with an introduction routine of its own: she gets both units'
 * assignments, each due from that placement's own start dates (the earlier date where both ask for the same module), is in
 * both units' follow-up and statistics and once in the region's, and ending one placement withdraws only what that one
 * asked of her, while what she completed stays.
 *
 * <p>The facts, from which every expected figure below is worked out:
 * <ul>
 * <li>Unit A's routine (licensed): {@link #INTRO} and {@link #HYGIENE}, due 30 days after the start in the organisation.</li>
 * <li>Unit B's routine (licensed): {@link #HYGIENE}, {@link #SAFETY} and {@link #SPEAK_UP}, due 10 days after the start
 * in the role.</li>
 * <li>The nurse: placed in A since {@code today - 20} (so due {@code today + 10} there), and in B in the role since
 * {@code today - 3} (due {@code today + 7} there; the role start of her home placement, A's, would give
 * {@code today - 10}).
 * She has completed {@link #SPEAK_UP}.</li>
 * <li>Four licensed colleagues in each unit, placed there alone, with the nurse's dates in that unit.</li>
 * </ul>
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeveralPlacementsTest extends ServiceTest {

    private static final String INTRO = "vardskador-grunder";
    private static final String HYGIENE = "basala-hygienrutiner";
    private static final String SAFETY = "sakerhetskultur-och-risker";
    private static final String SPEAK_UP = "se-och-saga-till";

    @Inject
    Completions completions;
    @Inject
    FollowUp followUp;
    @Inject
    PersonRecords personRecords;
    @Inject
    io.micronaut.context.event.ApplicationEventPublisher<PeopleChanged> events;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    final LocalDate startA = today.minusDays(20);
    final LocalDate orgStartB = today.minusYears(2);
    final LocalDate roleStartB = today.minusDays(3);

    /** What each unit's routine asks, and when it falls due from that unit's dates. */
    final Map<String, List<String>> asks = Map.of("A", List.of(INTRO, HYGIENE), "B", List.of(HYGIENE, SAFETY, SPEAK_UP));
    final Map<String, LocalDate> dueIn = Map.of("A", startA.plusDays(30), "B", roleStartB.plusDays(10));

    long region;
    long unitA;
    long unitB;
    String coordinator;
    String leader;
    long nurse;
    long nurseInB;
    /** Where each person of the region is placed: the nurse in both units, her colleagues in one. */
    final Map<Long, Set<String>> placedIn = new TreeMap<>();

    @BeforeEach
    void aRegionWithTwoUnitsAndANurseInBoth() {
        placedIn.clear();
        String p = "PLC" + System.nanoTime();
        region = tree.add(p, "Region Placering", OrgNodeKind.REGION, null).id();
        unitA = tree.add(p + "-A", "Medicinavdelning A", OrgNodeKind.UNIT, region).id();
        unitB = tree.add(p + "-B", "Akutmottagning B", OrgNodeKind.UNIT, region).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
        leader = users.token(users.account(p + "-ledare", null, Role.LEADER, region));
        routine(unitA, "Introduktion A", List.of(INTRO, HYGIENE), 30, CountsFrom.ORG_START);
        routine(unitB, "Introduktion B", List.of(HYGIENE, SAFETY, SPEAK_UP), 10, CountsFrom.ROLE_START);
        sql.awaitRecomputations();

        String hsa = PersonFixture.hsaPrefix();
        nurse = people.create(hsa + "N", "Nora", "Sjuksköterska", null, unitA, startA, startA, "LICENSED");
        nurseInB = people.place(nurse, unitB, orgStartB, roleStartB, "LICENSED");
        placedIn.put(nurse, Set.of("A", "B"));
        for (int i = 1; i <= 4; i++) {
            placedIn.put(people.create(hsa + "A" + i, "Kollega" + i, "Avdelning A", null, unitA, startA, startA, "LICENSED"), Set.of("A"));
            placedIn.put(people.create(hsa + "B" + i, "Kollega" + i, "Akuten B", null, unitB, orgStartB, roleStartB, "LICENSED"),
                    Set.of("B"));
        }
        completions.record(nurse, sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", SPEAK_UP),
                today.minusDays(1), 90, null, Completions.Source.INTERNAL);
        recomputeUnder(region, coordinator);
    }

    @Test
    void sheGetsBothUnitsAssignmentsEachDueFromItsOwnPlacementTheEarliestWinning() {
        assertEquals(expectedOpen(nurse), open(nurse));
        // Written out once: the shared hygiene module is due at B's earlier date; B's modules count from her role start
        // in B, not from her start in the organisation (which would have made them overdue already).
        assertEquals(Map.of(INTRO, today.plusDays(10), HYGIENE, today.plusDays(7), SAFETY, today.plusDays(7)), open(nurse));
        assertEquals(List.of(SPEAK_UP), completed(nurse));
    }

    @Test
    void sheAppearsInBothUnitsFollowUpAndOnceInTheRegionsTotals() {
        // The region's list: a row per person and unit they are placed in, each row with all the person still has to do.
        FollowUp.PersonPage page = followUp.page(region, FollowUp.Filter.everyone(), FollowUp.Sort.NAME, false, 1, today);
        assertEquals(List.of("Akutmottagning B", "Medicinavdelning A"), page.rows().stream()
                .filter(r -> r.personId() == nurse).map(FollowUp.PersonRow::unit).sorted().toList());
        long rows = placedIn.values().stream().mapToLong(Set::size).sum();
        assertEquals(rows, page.rows().size(), "10 rows: the nurse twice");
        assertEquals(placedIn.size(), page.people(), "9 people: the nurse once");

        // Everyone's open assignments are due within the fortnight looked ahead, none overdue.
        assertEquals(new FollowUp.Counts(0, placedIn.size(), openAssignments(placedIn.keySet())),
                followUp.counts(region, FollowUp.Filter.everyone(), today));
        for (String unit : List.of("A", "B")) {
            Set<Long> there = placed(unit);
            long unitId = unit.equals("A") ? unitA : unitB;
            assertEquals(new FollowUp.Counts(0, there.size(), openAssignments(there)),
                    followUp.counts(unitId, FollowUp.Filter.everyone(), today), "unit " + unit);
            assertEquals(there.stream().sorted().toList(), apiRows(region, "&unit=" + unitId).stream()
                    .map(FollowUp.Row::personId).distinct().sorted().toList(), "the unit filter of the region's list, " + unit);
        }
        assertEquals(List.of(placed("A").size(), placed("B").size()), followUp.countsByUnitUnder(region,
                        FollowUp.Filter.everyone(), today).stream()
                .sorted(Comparator.comparing(FollowUp.UnitCounts::unitId))
                .map(c -> (int) (c.counts().dueSoonPeople())).toList());
    }

    @Test
    void statisticsCountHerInEachUnitAndOnceAtTheRegion() {
        LeadershipReport.Report report = report(region);
        assertEquals(Share.count(placedIn.size()), report.total().headcount(), "9, not 10");
        assertEquals(Share.count(placedIn.size()), report.audiences().stream()
                .filter(f -> "LICENSED".equals(f.audience())).findFirst().orElseThrow().headcount());
        Map<Long, Share> byUnit = report.subUnits().stream()
                .collect(Collectors.toMap(LeadershipReport.Figures::nodeId, LeadershipReport.Figures::headcount));
        assertEquals(Map.of(unitA, Share.count(placed("A").size()), unitB, Share.count(placed("B").size())), byUnit);
        // Nobody is overdue yet, everyone has an introduction (so its share is of all of them), none done.
        assertEquals(Share.of(0, placedIn.size()), report.total().overdue());
        assertEquals(Share.of(0, placedIn.size()), report.total().introduction());
        assertEquals(Share.count(placed("A").size()), report(unitA).total().headcount());
        assertEquals(Share.count(placed("B").size()), report(unitB).total().headcount());
    }

    @Test
    void endingOnePlacementWithdrawsOnlyWhatItAskedAndKeepsHerCompletion() {
        personRecords.endPlacement(nurseInB, today, "samordnare");
        sql.awaitRecomputations();
        placedIn.put(nurse, Set.of("A"));

        // Unit A alone now: its modules at A's dates (hygiene moves to A's later date); B's safety module is withdrawn,
        // not deleted; the module she completed for B stays completed.
        assertEquals(expectedOpen(nurse), open(nurse));
        assertEquals(Map.of(INTRO, today.plusDays(10), HYGIENE, today.plusDays(10)), open(nurse));
        assertEquals(List.of(SAFETY), sql.strings("""
                SELECT module_code FROM assignment WHERE person_id = ? AND withdrawn_at IS NOT NULL""", nurse));
        assertEquals(List.of(SPEAK_UP), completed(nurse));
        // Her colleagues in B keep what B asks of them.
        placed("B").forEach(colleague -> assertEquals(expectedOpen(colleague), open(colleague)));

        FollowUp.PersonPage page = followUp.page(region, FollowUp.Filter.everyone(), FollowUp.Sort.NAME, false, 1, today);
        assertEquals(List.of("Medicinavdelning A"), page.rows().stream().filter(r -> r.personId() == nurse)
                .map(FollowUp.PersonRow::unit).toList());
        assertEquals(Share.count(placed("B").size()), report(unitB).total().headcount());
    }

    @Test
    void manyChangedPeopleAreRecomputedInTheBackgroundByTheirHuvudman() {
        // More people than are recomputed at once, put straight into unit A without any recomputation, then announced.
        String hsa = PersonFixture.hsaPrefix();
        Set<Long> newcomers = new java.util.TreeSet<>();
        for (int i = 0; i <= AssignmentTriggers.AT_ONCE; i++) {
            long id = people.create(hsa + "M" + i, "Ny" + i, "Massändring", null, unitA, startA, startA, "LICENSED");
            newcomers.add(id);
            placedIn.put(id, Set.of("A"));
        }

        events.publishEvent(new PeopleChanged(newcomers, "scim"));
        sql.awaitRecomputations();

        newcomers.forEach(id -> assertEquals(expectedOpen(id), open(id)));
        assertEquals(List.of(String.valueOf(region)), sql.strings(
                "SELECT scope_org_id FROM recompute_job WHERE requested_by = 'scim' AND scope_org_id = ?", region),
                "one job, for the region (the huvudman), not one per person");
    }

    /** Per module still open: the earliest date any of the person's placements sets, less what they have completed. */
    private Map<String, LocalDate> expectedOpen(long person) {
        Map<String, LocalDate> due = new TreeMap<>();
        for (String unit : placedIn.get(person)) {
            asks.get(unit).forEach(module -> due.merge(module, dueIn.get(unit), (a, b) -> a.isBefore(b) ? a : b));
        }
        completed(person).forEach(due::remove);
        return due;
    }

    private long openAssignments(Set<Long> who) {
        return who.stream().mapToLong(person -> expectedOpen(person).size()).sum();
    }

    private Set<Long> placed(String unit) {
        return placedIn.entrySet().stream().filter(e -> e.getValue().contains(unit)).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private Map<String, LocalDate> open(long person) {
        Map<String, LocalDate> open = new TreeMap<>();
        for (String row : sql.strings("""
                SELECT CONCAT(module_code, ' ', due_date) FROM assignment
                WHERE person_id = ? AND withdrawn_at IS NULL AND completion_id IS NULL""", person)) {
            String[] parts = row.split(" ");
            open.put(parts[0], LocalDate.parse(parts[1]));
        }
        return open;
    }

    private List<String> completed(long person) {
        return sql.strings("""
                SELECT module_code FROM assignment WHERE person_id = ? AND completion_id IS NOT NULL AND withdrawn_at IS NULL
                ORDER BY module_code""", person);
    }

    private List<FollowUp.Row> apiRows(long node, String query) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/follow-up?x=1" + query)
                .bearerAuth(coordinator), Argument.listOf(FollowUp.Row.class));
    }

    private LeadershipReport.Report report(long node) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/statistics").bearerAuth(leader),
                LeadershipReport.Report.class);
    }

    private void routine(long unit, String name, List<String> modules, int days, CountsFrom countsFrom) {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + unit + "/routines", new RoutineForm(name,
                RoutineKind.INTRODUCTION, "LICENSED", new ArrayList<>(modules), days, countsFrom, null, null, null,
                DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
    }
}
