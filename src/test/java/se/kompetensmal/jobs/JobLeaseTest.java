package se.kompetensmal.jobs;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.Waiting;
import se.kompetensmal.organization.OrgNodeKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several instances on one database (plain MariaDB, as a developer has it): background work of a kind runs on one
 * instance at a time, an instance that dies has its work taken over once its lease ends, and never while it lives.
 * The same rules hold on the Galera cluster (galera/GaleraClusterIT), where the instances run on separate nodes.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobLeaseTest extends ServiceTest implements TestPropertyProvider {

    /** Each run of the probe kind, on whichever instance: who ran it and when. */
    record ProbeRun(String instance, Instant start, Instant end) {
    }

    static final List<ProbeRun> RUNS = new CopyOnWriteArrayList<>();

    /** A kind of work that takes a while and remembers who ran it; only in this test's services. */
    @Singleton
    @Requires(property = "kompetensmal.test.lease-probe", value = "true")
    static class LeaseProbe implements BackgroundJob {

        private final String instance;

        LeaseProbe(@Value("${kompetensmal.instance-name}") String instance) {
            this.instance = instance;
        }

        @Override
        public String kind() {
            return "lease-probe";
        }

        @Override
        public String title() {
            return "Provjobb för testet";
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(50);
        }

        @Override
        public void run() {
            Instant start = Instant.now();
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RUNS.add(new ProbeRun(instance, start, Instant.now()));
        }
    }

    @Inject
    Jobs jobs;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("kompetensmal.test.lease-probe", "true");
        properties.put("kompetensmal.instance-name", "instans-a");
        return properties;
    }

    @Test
    void twoInstancesNeverRunTheSameKindAtOnce() {
        Map<String, Object> second = new HashMap<>(getProperties());
        second.put("kompetensmal.instance-name", "instans-b");
        second.put("micronaut.server.port", "-1");
        RUNS.clear();
        try (ApplicationContext other = ApplicationContext.run(second, "test")) {
            Waiting.until(() -> RUNS.size(), n -> n >= 20, Duration.ofSeconds(60), "20 runs of the probe");
            assertEquals("lease-probe", other.getBean(Jobs.class).kinds().stream().filter("lease-probe"::equals)
                    .findFirst().orElseThrow(), "the second instance has the kind registered too");
        }
        List<ProbeRun> runs = new ArrayList<>(RUNS);
        runs.sort(Comparator.comparing(ProbeRun::start));
        for (int i = 1; i < runs.size(); i++) {
            assertTrue(!runs.get(i).start().isBefore(runs.get(i - 1).end()),
                    "run " + i + " on " + runs.get(i).instance() + " started before run " + (i - 1) + " on "
                            + runs.get(i - 1).instance() + " ended: " + runs);
        }
    }

    @Test
    void workOfAnInstanceThatDiedIsTakenOverWhenItsLeaseEndsAndNotBefore() {
        String p = "LEASE" + System.nanoTime();
        long municipality = tree.add(p, "Kommun Lease", OrgNodeKind.MUNICIPALITY, null).id();
        sql.awaitRecomputations();
        // Another instance ("instans-dod") holds the recomputations and is running one under the municipality.
        sql.update("INSERT INTO recompute_job (scope_org_id, status, total_people, done_people, requested_by) "
                + "VALUES (?, 'RUNNING', 0, 0, 'instans-dod')", municipality);
        long job = sql.number("SELECT MAX(id) FROM recompute_job WHERE scope_org_id = ?", municipality);
        Waiting.until(() -> sql.update("UPDATE scheduled_tasks SET picked = TRUE, picked_by = 'instans-dod', "
                        + "last_heartbeat = UTC_TIMESTAMP(6), version = version + 1 "
                        + "WHERE task_name = 'recompute' AND picked = FALSE"), n -> n == 1, Duration.ofSeconds(30),
                "the recomputations' lease free to take");

        // While its heartbeat goes on (three times the limit of 3 x 1 s), nobody else touches its work.
        Instant alive = Instant.now().plusSeconds(9);
        while (Instant.now().isBefore(alive)) {
            sql.update("UPDATE scheduled_tasks SET last_heartbeat = UTC_TIMESTAMP(6) WHERE task_name = 'recompute'");
            sleep(300);
            assertEquals("RUNNING", status(job), "the live holder's job is left alone");
            assertEquals("instans-dod", holder());
        }

        // Its heartbeat stops: after the lease ends, this instance revives the kind and finishes the job.
        Waiting.until(() -> status(job), "DONE"::equals, Duration.ofSeconds(30), "the job taken over");
        assertTrue(!"instans-dod".equals(holder()), "the dead instance no longer holds the kind");
        Jobs.KindStatus recompute = jobs.status().stream().filter(s -> s.kind().equals("recompute")).findFirst().orElseThrow();
        assertEquals(0, recompute.backlog().waiting());
    }

    private String status(long job) {
        return sql.strings("SELECT status FROM recompute_job WHERE id = ?", job).get(0);
    }

    private String holder() {
        List<String> holder = sql.strings("SELECT COALESCE(picked_by, '') FROM scheduled_tasks WHERE task_name = 'recompute' AND picked");
        return holder.isEmpty() ? "" : holder.get(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
