package se.kompetensmal.xapi;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.HeardAssignmentChanges;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.jobs.Backlog;
import se.kompetensmal.jobs.Jobs;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.AssignmentRecompute;
import se.kompetensmal.routines.AssignmentsChanged;
import se.kompetensmal.routines.ManualAssignments;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * New assignment cycles are announced to the LRS ("registered") for exactly the people a change of assignments names,
 * once each: the statement id is derived from the cycle, so announcing it again (two instances, a retried job, a
 * recomputation beside a manual assignment) stores it once; what a crash left unannounced the background job announces.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AssignmentAnnouncementsTest extends ServiceTest {

    private static final String MODULE = "vardskador-grunder";

    @Inject
    ManualAssignments manual;

    @Inject
    AssignmentAnnouncements announcements;

    @Inject
    AssignmentRecompute recompute;

    @Inject
    HeardAssignmentChanges heard;

    @Inject
    Jobs jobs;

    @Test
    void aManualAssignmentAnnouncesItsPeopleOnlyWithStatementIdsDerivedFromTheCycle() {
        long unit = unit("Tilldelad");
        long elsewhere = unit("Annanstans");
        long anna = person(unit, "Anna");
        long bo = person(unit, "Bo");
        long other = person(elsewhere, "Cecilia");
        // Someone else's assignment that nobody announced (made before, or by an instance that died): not this change's.
        long othersAssignment = unannouncedAssignment(other);
        heard.events.clear();

        manual.request(unit, null, MODULE, today().plusDays(30), "samordnare");
        sql.awaitManualAssignments();

        assertEquals(List.of("registered"), verbs(anna));
        assertEquals(List.of("registered"), verbs(bo));
        assertEquals(List.of(), verbs(other), "a manual assignment announces its own people, not the whole database");
        assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE id = ? AND announced", othersAssignment));
        long annas = assignmentOf(anna);
        assertEquals(List.of(registeredId(annas, 1)), sql.strings("SELECT statement_id FROM xapi_outbox WHERE person_id = ?", anna));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE id = ? AND announced", annas));

        AssignmentsChanged event = heard.events.stream().filter(e -> e.change() == AssignmentsChanged.Change.ASSIGNED)
                .findFirst().orElseThrow();
        assertEquals(Set.of(anna, bo), event.personIds(), "the event names the people the assignment reached");
        assertEquals(MODULE, event.moduleCode());
    }

    @Test
    void announcingTheSameCyclesAgainOrAtTheSameTimeStoresEachOnce() throws Exception {
        long unit = unit("Dubbel");
        long dag = person(unit, "Dag");
        manual.request(unit, null, MODULE, today().plusDays(30), "samordnare");
        sql.awaitManualAssignments();
        long assignment = assignmentOf(dag);
        // As if the flag had not been set: another instance announcing the same cycle, or a job retried after a crash.
        sql.update("UPDATE assignment SET announced = FALSE WHERE id = ?", assignment);

        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            CyclicBarrier together = new CyclicBarrier(3);
            List<Future<?>> runs = List.of(
                    threads.submit(() -> { await(together); announcements.run(); return null; }),
                    threads.submit(() -> { await(together); publish(AssignmentsChanged.assigned(unit, Set.of(dag), MODULE)); return null; }),
                    threads.submit(() -> { await(together); publish(AssignmentsChanged.recomputed(unit, dag, dag)); return null; }));
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            threads.shutdown();
        }

        assertEquals(List.of(registeredId(assignment, 1)), sql.strings("SELECT statement_id FROM xapi_outbox WHERE person_id = ?", dag),
                "one statement for the cycle, however many announced it");
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE id = ? AND announced", assignment));
    }

    @Test
    void aRecomputationPublishesItsSliceOnceCommittedAndItsPeopleAreAnnounced() {
        long unit = unit("Omräknad");
        long outside = unit("Utanför");
        long eva = person(unit, "Eva");
        long fredrik = person(outside, "Fredrik");
        long evas = unannouncedAssignment(eva);
        long fredriks = unannouncedAssignment(fredrik);
        heard.events.clear();

        recompute.recompute(unit, Math.min(eva, fredrik), Math.max(eva, fredrik));

        assertEquals(List.of(AssignmentsChanged.recomputed(unit, Math.min(eva, fredrik), Math.max(eva, fredrik))),
                heard.events.stream().filter(e -> e.change() == AssignmentsChanged.Change.RECOMPUTED).toList());
        assertEquals(List.of(registeredId(evas, 1)), sql.strings("SELECT statement_id FROM xapi_outbox WHERE person_id = ?", eva));
        assertEquals(List.of(), verbs(fredrik), "placed outside the recomputed node: not in its slice");
        assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE id = ? AND announced", fredriks));
    }

    @Test
    void whatWasLeftUnannouncedIsAnnouncedByTheBackgroundJobAndCountedInItsBacklog() {
        long unit = unit("Kvar");
        long gun = person(unit, "Gun");
        // Committed, but its instance died before announcing it: no event will come.
        long left = unannouncedAssignment(gun);
        Backlog before = announcements.backlog();
        assertTrue(before.waiting() >= 1 && before.oldestQueuedAt() != null, before.toString());
        assertTrue(jobs.kinds().containsAll(List.of("assignment-announcements")), jobs.kinds().toString());

        announcements.run();

        assertEquals(List.of(registeredId(left, 1)), sql.strings("SELECT statement_id FROM xapi_outbox WHERE person_id = ?", gun));
        assertEquals(0, announcements.backlog().waiting(), "nothing left unannounced");
    }

    private void publish(AssignmentsChanged event) {
        announcements.onAssignmentsChanged(event);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String registeredId(long assignmentId, int cycle) {
        return UUID.nameUUIDFromBytes(("kompetensmal:registered:" + assignmentId + ":" + cycle).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private long unannouncedAssignment(long personId) {
        sql.update("""
                INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by)
                VALUES (?, ?, 1, 'MANUAL', ?, 'test')""", personId, MODULE, today().plusDays(10));
        return assignmentOf(personId);
    }

    private long assignmentOf(long personId) {
        return sql.number("SELECT id FROM assignment WHERE person_id = ? AND module_code = ? AND cycle = 1", personId, MODULE);
    }

    private List<String> verbs(long personId) {
        return sql.strings("SELECT verb FROM xapi_outbox WHERE person_id = ? ORDER BY id", personId);
    }

    private long unit(String name) {
        return tree.add("ANN" + System.nanoTime(), "Enhet " + name, OrgNodeKind.UNIT, null).id();
    }

    private long person(long unit, String name) {
        LocalDate start = today().minusYears(1);
        return people.create(PersonFixture.hsaPrefix() + "1", name, "Annonserad", null, unit, start, start, "LICENSED");
    }

    private static LocalDate today() {
        return LocalDate.now(SwedishTime.ZONE);
    }
}
