package se.kompetensmal.xapi;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.jobs.Backlog;
import se.kompetensmal.jobs.Jobs;
import se.kompetensmal.routines.AssignmentsChanged;
import se.kompetensmal.sql.NamedSql;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/**
 * Announces new assignment cycles to the LRS ("registered", with the due date): for exactly the people an
 * {@link AssignmentsChanged} names, right after the change committed, and, as the background job
 * {@code assignment-announcements}, whatever is still unannounced (a change of many people handed over to it, or an
 * instance that died between committing assignments and announcing them). Each cycle's statement id is derived from it
 * ({@link LearningRecords#registeredStatementId}) and the outbox keeps a statement id once, so announcing the same cycle
 * twice (both paths, two instances, a retry) stores it once; the {@code announced} flag is set on exactly the rows
 * announced. Chunks of {@link Unannounced#CHUNK} cycles, each its own transaction, keep every write set small (Galera).
 */
@Singleton
public class AssignmentAnnouncements implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentAnnouncements.class);
    static final String KIND = "assignment-announcements";
    /**
     * Up to this many named people are announced at once, in the thread that made the change (a person page, an API
     * call, a recomputation slice); more (a manual assignment to a whole region) are left to the background job.
     */
    static final int AT_ONCE = 2_000;

    private static final String UNANNOUNCED = """
            SELECT a.id, a.cycle, a.person_id, p.hsa_id, CONCAT(p.given_name, ' ', p.family_name) AS name, a.module_code,
                   m.title, m.version, a.due_date, a.created_at
            FROM assignment a JOIN person p ON p.id = a.person_id
            JOIN module_version m ON m.module_code = a.module_code
             AND m.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = a.module_code)
            WHERE a.announced = FALSE AND a.withdrawn_at IS NULL AND a.id > :after AND %s
            ORDER BY a.id LIMIT :chunk""";

    /** Everyone placed (now or before) under the scope with an id in the range: a recomputation slice. */
    private static final String SLICE = """
            a.person_id BETWEEN :from AND :to
            AND EXISTS (SELECT 1 FROM placement pl JOIN org_closure c ON c.descendant_id = pl.org_node_id
                        WHERE c.ancestor_id = :scope AND pl.person_id = a.person_id)""";

    /** The people named, as one JSON array. */
    private static final String NAMED = """
            a.person_id IN (SELECT named.person_id FROM JSON_TABLE(:ids, '$[*]' COLUMNS (person_id BIGINT PATH '$')) named)""";

    private final NamedSql sql;
    private final LearningRecords records;
    private final TransactionOperations<Connection> transactions;
    private final BeanProvider<Jobs> jobs;
    private final Duration interval;
    private final Unannounced<LearningRecords.Unannounced> cycles;

    public AssignmentAnnouncements(NamedSql sql, LearningRecords records, TransactionOperations<Connection> transactions,
                                   BeanProvider<Jobs> jobs,
                                   @Value("${kompetensmal.xapi.announce-interval:10m}") Duration interval) {
        this.sql = sql;
        this.records = records;
        this.transactions = transactions;
        this.jobs = jobs;
        this.interval = interval;
        this.cycles = new Unannounced<>(UNANNOUNCED, "assignment",
                row -> new LearningRecords.Unannounced(row.number("id"), (int) row.number("cycle"), row.number("person_id"),
                        row.string("hsa_id"), row.string("name"), row.string("module_code"), row.string("title"),
                        (int) row.number("version"), row.date("due_date"), row.instant("created_at")),
                LearningRecords.Unannounced::assignmentId, records::registered);
    }

    /** Announces what the change made, for its people only; a change of very many is handed to the background job. */
    @EventListener
    void onAssignmentsChanged(AssignmentsChanged event) {
        try {
            if (!event.named()) {
                announce(SLICE, NamedSql.with("scope", event.scopeNodeId()).and("from", event.fromPersonId())
                        .and("to", event.toPersonId()));
                return;
            }
            if (event.personIds().size() > AT_ONCE) {
                jobs.get().nudge(KIND);
                return;
            }
            List<Long> people = event.personIds().stream().sorted().toList();
            for (int from = 0; from < people.size(); from += 1_000) {
                announce(NAMED, NamedSql.with("ids", Unannounced.ids(people.subList(from, Math.min(from + 1_000, people.size())))));
            }
        } catch (RuntimeException e) {
            // The change is committed; what could not be announced now stays unannounced for the background job.
            LOG.warn("Assignments ({}) not announced at once, left for {}: {}", event.change(), KIND, e.getMessage());
            jobs.get().nudge(KIND);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String title() {
        return "Tilldelningar till LRS";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** A safety net, not the usual path: its first run waits an interval too. */
    @Override
    public Duration firstRunAfter() {
        return interval;
    }

    /** Announces every cycle still unannounced. */
    @Override
    public void run() {
        long announced = announce("TRUE", new NamedSql.Params());
        if (announced > 0) {
            LOG.info("{} assignment cycles announced by the background job", announced);
        }
    }

    /** Cycles waiting to be announced, and when the oldest of them was made. */
    @Override
    public Backlog backlog() {
        return Backlog.read(sql, """
                SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest FROM assignment
                WHERE announced = FALSE AND withdrawn_at IS NULL""", java.util.Map.of());
    }

    /** Announces the unannounced cycles the condition selects, a chunk per transaction; answers how many. */
    long announce(String people, NamedSql.Params params) {
        return cycles.announce(sql, transactions, people, params);
    }
}
