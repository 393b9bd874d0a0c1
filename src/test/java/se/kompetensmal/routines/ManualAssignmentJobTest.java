package se.kompetensmal.routines;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.HeardAssignmentChanges;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.Waiting;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group's manual assignment is asked for in the request and made by the background job {@code manual-assignment}, a
 * chunk of people at a time (two here, so that a handful of people is several chunks): exactly the people of its reach,
 * each once, however many runs of the job pick it, and an assignment an instance left half done is finished by the next
 * run without doing again what was done.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.manual-assignment-chunk", value = "2")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManualAssignmentJobTest extends ServiceTest {

    private static final String MODULE = "vardskador-grunder";

    @Inject
    ManualAssignments manual;

    @Inject
    ManualAssignmentJobs jobs;

    @Inject
    HeardAssignmentChanges heard;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    @Test
    void twoRunsPickingTheSameAssignmentMakeItOnceForExactlyItsReach() throws Exception {
        String p = "MAJ" + System.nanoTime();
        long municipality = tree.add(p, "Kommun J", OrgNodeKind.MUNICIPALITY, null).id();
        long north = tree.add(p + "-N", "Norr", OrgNodeKind.UNIT, municipality).id();
        long south = tree.add(p + "-S", "Söder", OrgNodeKind.UNIT, municipality).id();
        long elsewhere = tree.add(p + "-X", "Annan kommun", OrgNodeKind.MUNICIPALITY, null).id();
        // Reached: the non-licensed of Norr, five of them (three chunks); Anna had the module already, due earlier.
        List<Long> reached = new ArrayList<>();
        for (String name : List.of("Anna", "Bo", "Cilla", "Dan", "Eva")) {
            reached.add(person(north, name, "NON_LICENSED"));
        }
        long anna = reached.get(0);
        sql.update("""
                INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by)
                VALUES (?, ?, 1, 'MANUAL', ?, 'tidigare')""", anna, MODULE, today.plusDays(5));
        // Not reached: licensed in Norr, non-licensed in Söder, left Norr, non-licensed in another municipality.
        long licensed = person(north, "Fia", "LICENSED");
        long inSouth = person(south, "Gun", "NON_LICENSED");
        long left = person(north, "Hans", "NON_LICENSED");
        sql.update("UPDATE person SET status = 'LEFT', left_on = ? WHERE id = ?", today.minusDays(3), left);
        long outside = person(elsewhere, "Ida", "NON_LICENSED");
        heard.events.clear();

        ManualAssignmentJob asked = manual.requestFromPage(new ManualAssignments.Reach(municipality, north, "NON_LICENSED", null),
                MODULE, today.plusDays(30), today, "samordnare");
        assertEquals(5, asked.expectedPeople());
        // The instance holding the kind was nudged and may run it too: three runs at once, at most.
        runTogether(2);
        sql.awaitManualAssignments();

        ManualAssignmentJob done = jobs.find(asked.id()).orElseThrow();
        assertEquals("DONE", done.status());
        assertEquals(5, done.reachedPeople(), "each person counted once");
        assertEquals(1, done.alreadyAssigned());
        assertEquals("5 personer fick modulen X (1 av dem hade den redan; den tidigare förfallodagen gäller).",
                done.statusSv("X"));
        for (long person : reached) {
            assertEquals(List.of(person == anna ? today.plusDays(5).toString() : today.plusDays(30).toString()),
                    sql.strings("SELECT due_date FROM assignment WHERE person_id = ? AND module_code = ?", person, MODULE));
        }
        for (long person : List.of(licensed, inSouth, left, outside)) {
            assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ?", person, MODULE),
                    "outside the reach: untouched");
        }
        assertEachNamedOnce(municipality, reached);
    }

    @Test
    void anAssignmentLeftHalfDoneByADeadInstanceIsFinishedByTheNextRunsWithoutDoingItsFirstChunkAgain() throws Exception {
        String p = "MAK" + System.nanoTime();
        long unit = tree.add(p, "Enhet K", OrgNodeKind.UNIT, null).id();
        List<Long> people = new ArrayList<>();
        for (String name : List.of("Ada", "Berit", "Carl", "Doris", "Erik")) {
            people.add(person(unit, name, "LICENSED"));
        }
        heard.events.clear();
        // An instance claimed it and committed its first chunk (Ada and Berit), then died: RUNNING, two people on.
        sql.update("""
                INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by)
                SELECT id, ?, 1, 'MANUAL', ?, 'samordnare' FROM person WHERE id IN (?, ?)""",
                MODULE, today.plusDays(30), people.get(0), people.get(1));
        sql.update("""
                INSERT INTO manual_assignment_job (node_id, module_code, due_date, requested_by, status, expected_people,
                                                   reached_people, last_person_id, started_at)
                VALUES (?, ?, ?, 'samordnare', 'RUNNING', 5, 2, ?, CURRENT_TIMESTAMP)""",
                unit, MODULE, today.plusDays(30), people.get(1));
        long id = sql.number("SELECT MAX(id) FROM manual_assignment_job WHERE node_id = ?", unit);

        runTogether(2);
        sql.awaitManualAssignments();

        ManualAssignmentJob done = jobs.find(id).orElseThrow();
        assertEquals("DONE", done.status());
        assertEquals(5, done.reachedPeople());
        assertEquals(0, done.alreadyAssigned(), "the first chunk is not counted again as had already");
        for (long person : people) {
            assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ?", person, MODULE));
        }
        assertEachNamedOnce(unit, people.subList(2, 5));
    }

    @Test
    void theApiAnswersAtOnceWithAStatusThatOnlyThoseWithRightsOnTheNodeMayRead() {
        String p = "MAL" + System.nanoTime();
        long unit = tree.add(p, "Enhet L", OrgNodeKind.UNIT, null).id();
        long other = tree.add(p + "-O", "Annan", OrgNodeKind.MUNICIPALITY, null).id();
        long lena = person(unit, "Lena", "LICENSED");
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, unit));
        String stranger = users.token(users.account(p + "-annan", null, Role.COORDINATOR, other));
        String leader = users.token(users.account(p + "-ledare", null, Role.LEADER, unit));

        HttpResponse<ManualAssignmentJob> asked = http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + unit
                + "/assignments", Map.of("module", MODULE, "dueDate", today.plusDays(20).toString())).bearerAuth(coordinator),
                ManualAssignmentJob.class);

        assertEquals(HttpStatus.ACCEPTED, asked.getStatus());
        String status = asked.getHeaders().get("Location");
        assertEquals("/api/manual-assignments/" + asked.body().id(), status);
        sql.awaitManualAssignments();
        ManualAssignmentJob done = http.toBlocking().retrieve(HttpRequest.GET(status).bearerAuth(coordinator),
                ManualAssignmentJob.class);
        assertEquals("DONE", done.status());
        assertEquals(1, done.reachedPeople());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ?", lena, MODULE));
        assertEquals(HttpStatus.NOT_FOUND, assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET(status).bearerAuth(stranger))).getStatus());
        assertEquals(HttpStatus.FORBIDDEN, assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET(status).bearerAuth(leader))).getStatus());

        // Refused at once, never queued: a module that does not exist here.
        long before = sql.number("SELECT COUNT(*) FROM manual_assignment_job");
        HttpClientResponseException unknown = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/api/organisations/" + unit + "/assignments",
                        Map.of("module", "finns-inte", "dueDate", today.plusDays(20).toString())).bearerAuth(coordinator)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, unknown.getStatus());
        assertTrue(unknown.getResponse().getBody(String.class).orElseThrow().contains("Modulen finns-inte finns inte."));
        assertEquals(before, sql.number("SELECT COUNT(*) FROM manual_assignment_job"));
    }

    /**
     * The assignment changes published under the node name each of the people exactly once, and nobody else. A run
     * publishes its chunk just after the commit, so another run may already have marked the job done while the last
     * chunk's event is on its way (a CI run saw four of five): wait for every person to be named, then count.
     */
    private void assertEachNamedOnce(long node, List<Long> people) {
        List<Long> named = Waiting.until(() -> named(node), n -> n.containsAll(people), Duration.ofSeconds(10),
                "every chunk's assignment change heard");
        assertEquals(people.size(), named.size(), "no chunk published twice: " + named);
        assertEquals(new TreeSet<>(people), new TreeSet<>(named));
    }

    private List<Long> named(long node) {
        List<Long> named = new ArrayList<>();
        heard.events.stream().filter(e -> e.change() == AssignmentsChanged.Change.ASSIGNED && e.scopeNodeId() == node)
                .forEach(e -> named.addAll(e.personIds()));
        return named;
    }

    /** Runs the job in as many threads at once, as if that many instances believed they held it. */
    private void runTogether(int runs) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(runs);
        try {
            CyclicBarrier together = new CyclicBarrier(runs);
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                started.add(threads.submit(() -> {
                    together.await();
                    jobs.run();
                    return null;
                }));
            }
            for (Future<?> run : started) {
                run.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    private long person(long unit, String name, String audience) {
        LocalDate start = today.minusYears(1);
        return people.create(PersonFixture.hsaPrefix() + name, name, "Jobb", null, unit, start, start, audience);
    }
}
