package se.kompetensmal.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.jdbc.MariaDBJdbcCustomization;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.sql.NamedSql;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one mechanism for background work on one or several instances, on db-scheduler: each {@link BackgroundJob} kind
 * is a recurring task in {@code scheduled_tasks}, picked by one instance at a time and held with a heartbeat; when an
 * instance dies its heartbeat stops and, after {@code kompetensmal.jobs.missed-heartbeats} beats, another instance
 * revives the task and takes the kind over.
 *
 * <p>Why recurring tasks that drain the features' own queues, rather than a one-time task per import or job: the
 * features' tables already hold each item's status for the pages, one holder per kind keeps imports one at a time across
 * all instances (two files touching the same people must not interleave), and nothing can fall between "the queue is
 * empty" and "the task has ended", as the next run always looks again.
 */
@Singleton
@Context
public class Jobs {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
    /** The task instance of every kind: one row per kind. */
    static final String INSTANCE = RecurringTask.INSTANCE;

    private final Map<String, BackgroundJob> kinds = new ConcurrentHashMap<>();
    private final Map<String, Run> lastRuns = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final NamedSql sql;
    private final MeterRegistry meters;
    private final boolean enabled;
    private final Duration heartbeat;
    private final int missedHeartbeats;
    private final Duration polling;
    private final String instanceName;
    private final Stopping stopping;
    private volatile Scheduler scheduler;
    /** The scheduler where this instance runs jobs, else a client that only asks for runs. */
    private volatile SchedulerClient client;

    /** What this instance last saw of a kind's run, for health. */
    public record Run(Instant endedAt, boolean failed, @Nullable String error) {
    }

    public Jobs(List<BackgroundJob> jobs, DataSource dataSource, DataSourceResolver resolver, NamedSql sql,
                MeterRegistry meters, Stopping stopping,
                @Value("${kompetensmal.jobs.enabled:true}") boolean enabled,
                @Value("${kompetensmal.jobs.heartbeat:10s}") Duration heartbeat,
                @Value("${kompetensmal.jobs.missed-heartbeats:6}") int missedHeartbeats,
                @Value("${kompetensmal.jobs.polling:2s}") Duration polling,
                @Value("${kompetensmal.instance-name:}") String instanceName) {
        // db-scheduler takes its own connections, outside any transaction of ours.
        this.dataSource = resolver.resolve(dataSource);
        this.sql = sql;
        this.meters = meters;
        this.stopping = stopping;
        this.enabled = enabled;
        this.heartbeat = heartbeat;
        this.missedHeartbeats = missedHeartbeats;
        this.polling = polling;
        this.instanceName = shortened(instanceName.isBlank() ? defaultName() : instanceName);
        for (BackgroundJob job : jobs) {
            if (kinds.putIfAbsent(job.kind(), job) != null) {
                throw new IllegalStateException("Two background jobs of the kind " + job.kind());
            }
            // Read from the shared table when scraped: the same figures on every instance.
            Gauge.builder("kompetensmal.jobs.waiting", this, jobsNow -> jobsNow.backlog(job.kind()).waiting())
                    .description("Items of this kind waiting to be done").tag("kind", job.kind()).register(meters);
            Gauge.builder("kompetensmal.jobs.oldest.waiting", this, jobsNow -> jobsNow.oldestWaitingSeconds(job.kind()))
                    .description("How long the oldest waiting item of this kind has waited").baseUnit("seconds")
                    .tag("kind", job.kind()).register(meters);
        }
    }

    private double oldestWaitingSeconds(String kind) {
        Instant oldest = backlog(kind).oldestQueuedAt();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
    }

    /** This instance's name in {@code scheduled_tasks.picked_by} (host name and a random suffix: unique per start). */
    public String instanceName() {
        return instanceName;
    }

    /** A kind's Swedish name, for pages. */
    public String title(String kind) {
        BackgroundJob job = kinds.get(kind);
        return job == null ? kind : job.title();
    }

    /** The kinds registered, by name. */
    public List<String> kinds() {
        return kinds.keySet().stream().sorted().toList();
    }

    @EventListener
    void start(StartupEvent event) {
        List<RecurringTask<Void>> tasks = new ArrayList<>();
        for (BackgroundJob job : kinds.values()) {
            tasks.add(Tasks.recurring(job.kind(), new FirstRunAfter(Schedules.fixedDelay(job.interval()), job.firstRunAfter()))
                    .onFailureReschedule()
                    .onDeadExecutionRevive()
                    .execute((instance, context) -> runTimed(job)));
        }
        if (!enabled || kinds.isEmpty()) {
            // An instance that only answers requests still queues work (an upload, a recomputation asked for): it moves
            // the kind's next run to now in the shared table, where the instance holding the kind finds it at its next
            // poll. Without this a web-only instance's import waited for the holder's interval (30 s for imports).
            client = SchedulerClient.Builder.create(dataSource, List.<Task<?>>copyOf(tasks)).jdbcCustomization(new MariaDBJdbcCustomization(true)).build();
            LOG.info("Background jobs are off on this instance (kompetensmal.jobs.enabled=false); it only asks for runs");
            return;
        }
        scheduler = Scheduler.create(dataSource)
                .startTasks(tasks)
                .schedulerName(new SchedulerName.Fixed(instanceName))
                .jdbcCustomization(new MariaDBJdbcCustomization(true))
                .alwaysPersistTimestampInUTC()
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(missedHeartbeats)
                .pollingInterval(polling)
                // One thread per kind: a long import never keeps reminders waiting.
                .threads(Math.max(2, kinds.size()))
                .enableImmediateExecution()
                .failureLogging(LogLevel.WARN, true)
                .shutdownMaxWait(Duration.ofSeconds(5))
                // No shutdown hook of db-scheduler's own: it raced Micronaut's, and its stop() returns at once when the
                // other has begun ("already stopping"), so the context could close the database pool under a running
                // job (a reminder mailed and never recorded SENT). The context stops the scheduler in stop() below,
                // before the pool it depends on is closed.
                .build();
        client = scheduler;
        scheduler.start();
        LOG.info("Background jobs started as {}: {}", instanceName, kinds());
    }

    private void runTimed(BackgroundJob job) {
        Timer.Sample sample = Timer.start(meters);
        try {
            job.run();
            lastRuns.put(job.kind(), new Run(Instant.now(), false, null));
            sample.stop(meters.timer("kompetensmal.jobs.run", "kind", job.kind(), "outcome", "success"));
        } catch (RuntimeException | Error e) {
            lastRuns.put(job.kind(), new Run(Instant.now(), true, String.valueOf(e.getMessage())));
            sample.stop(meters.timer("kompetensmal.jobs.run", "kind", job.kind(), "outcome", "failure"));
            meters.counter("kompetensmal.jobs.failures", "kind", job.kind()).increment();
            throw e;
        }
    }

    /**
     * Asks for a run of the kind now rather than after its interval, as a feature does once it has queued work (after
     * its transaction has committed), on any instance, one that runs no jobs too: the kind's next run moves to now in the
     * shared table and whichever instance polls first runs it. While the kind is running this does nothing: the holder
     * looks again after its run, so the work waits at most one interval.
     */
    public void nudge(String kind) {
        SchedulerClient asking = client;
        if (asking == null || !kinds.containsKey(kind)) {
            return;
        }
        try {
            if (asking.reschedule(TaskInstanceId.of(kind, INSTANCE), Instant.now()) && asking instanceof Scheduler running) {
                running.triggerCheckForDueExecutions();
            }
        } catch (RuntimeException e) {
            // Picked (running) right now: its holder looks again after this run.
            LOG.debug("Background job {} not nudged: {}", kind, e.getMessage());
        }
    }

    /** How a kind stands across all instances, read from the shared table; for metrics, health and tests. */
    public record KindStatus(String kind, @Nullable String heldBy, @Nullable Instant lastHeartbeat,
                             @Nullable Instant lastSuccess, @Nullable Instant lastFailure, int consecutiveFailures,
                             Backlog backlog) {
    }

    public List<KindStatus> status() {
        List<KindStatus> statuses = new ArrayList<>();
        for (String kind : kinds()) {
            KindStatus status = sql.one("""
                    SELECT picked, picked_by, last_heartbeat, last_success, last_failure, consecutive_failures
                    FROM scheduled_tasks WHERE task_name = :kind AND task_instance = :instance""",
                    NamedSql.with("kind", kind).and("instance", INSTANCE), row -> new KindStatus(kind,
                            row.flag("picked") ? row.string("picked_by") : null,
                            row.utcInstant("last_heartbeat"), row.utcInstant("last_success"),
                            row.utcInstant("last_failure"), zeroIfNull(row.nullableInt("consecutive_failures")),
                            backlog(kind)))
                    .orElse(new KindStatus(kind, null, null, null, null, 0, backlog(kind)));
            statuses.add(status);
        }
        return statuses;
    }

    /** A kind's waiting work; a kind whose queue cannot be read counts as none (and says so in the log). */
    public Backlog backlog(String kind) {
        try {
            return kinds.get(kind).backlog();
        } catch (RuntimeException e) {
            LOG.warn("The backlog of background job {} could not be read: {}", kind, e.getMessage());
            return Backlog.NONE;
        }
    }

    /** What this instance last saw of each kind's runs. */
    public Map<String, Run> lastRuns() {
        return Map.copyOf(lastRuns);
    }

    /** A fixed delay whose first run waits {@link BackgroundJob#firstRunAfter()}. */
    private record FirstRunAfter(Schedule schedule, Duration delay) implements Schedule {

        @Override
        public Instant getNextExecutionTime(ExecutionComplete done) {
            return schedule.getNextExecutionTime(done);
        }

        @Override
        public Instant getInitialExecutionTime(Instant now) {
            return schedule.getInitialExecutionTime(now).plus(delay);
        }

        @Override
        public boolean isDeterministic() {
            return schedule.isDeterministic();
        }
    }

    private static int zeroIfNull(@Nullable Integer value) {
        return value == null ? 0 : value;
    }

    private static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "instance";
        }
        return host;
    }

    /** picked_by holds 50 characters: up to 41 of the name and a random suffix, so that a restart is a new holder. */
    private static String shortened(String name) {
        String base = name.length() > 41 ? name.substring(0, 41) : name;
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Tells the running kinds first (they finish the item in flight), then waits up to 5 s for them to return. */
    @PreDestroy
    void stop() {
        stopping.begin();
        Scheduler running = scheduler;
        if (running != null) {
            running.stop();
        }
    }
}
