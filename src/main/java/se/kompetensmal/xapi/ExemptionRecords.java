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
import se.kompetensmal.routines.ExemptionsGranted;
import se.kompetensmal.sql.NamedSql;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Puts an exemption's "waived" statement in the outbox: for the exemptions an {@link ExemptionsGranted} names, right
 * after they committed, and, as the background job {@code exemption-records}, any still unannounced (an instance that
 * died between the commit and the statement). The statement id is derived from the exemption and its grant
 * ({@link LearningRecords#waivedStatementId}) and the outbox keeps a statement id once, so writing it twice (both paths,
 * a re-published event) stores it once. The exemption's {@code announced} flag is set in the same transaction as its
 * statement, on rows locked while read, so that an exemption replaced meanwhile (announced again set FALSE) is not
 * marked by the older grant's statement.
 */
@Singleton
public class ExemptionRecords implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(ExemptionRecords.class);
    static final String KIND = "exemption-records";
    private static final String UNANNOUNCED = """
            SELECT e.id, e.person_id, e.module_code, e.reason, UNIX_TIMESTAMP(e.granted_at) AS granted
            FROM exemption e WHERE e.announced = FALSE AND e.id > :after AND %s
            ORDER BY e.id LIMIT :chunk FOR UPDATE""";

    /** The exemptions named, as one JSON array. */
    private static final String NAMED = """
            e.id IN (SELECT named.id FROM JSON_TABLE(:ids, '$[*]' COLUMNS (id BIGINT PATH '$')) named)""";

    private final NamedSql sql;
    private final LearningRecords records;
    private final TransactionOperations<Connection> transactions;
    private final BeanProvider<Jobs> jobs;
    private final Duration interval;
    private final Unannounced<LearningRecords.Exempted> exemptions;

    public ExemptionRecords(NamedSql sql, LearningRecords records, TransactionOperations<Connection> transactions,
                            BeanProvider<Jobs> jobs, @Value("${kompetensmal.xapi.announce-interval:10m}") Duration interval) {
        this.sql = sql;
        this.records = records;
        this.transactions = transactions;
        this.jobs = jobs;
        this.interval = interval;
        this.exemptions = new Unannounced<>(UNANNOUNCED, "exemption",
                row -> new LearningRecords.Exempted(row.number("id"), row.number("person_id"), row.string("module_code"),
                        row.string("reason"), Instant.ofEpochSecond(row.number("granted"))),
                LearningRecords.Exempted::exemptionId, records::exempted);
    }

    @EventListener
    void onExemptionsGranted(ExemptionsGranted event) {
        try {
            announce(NAMED, NamedSql.with("ids", Unannounced.ids(event.exemptionIds().stream().sorted().toList())));
        } catch (RuntimeException e) {
            // The exemptions are committed; what could not be written now stays unannounced for the background job.
            LOG.warn("Exemptions not recorded at once, left for {}: {}", KIND, e.getMessage());
            jobs.get().nudge(KIND);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String title() {
        return "Undantag till LRS";
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

    @Override
    public void run() {
        long written = announce("TRUE", new NamedSql.Params());
        if (written > 0) {
            LOG.info("{} exemptions recorded by the background job", written);
        }
    }

    @Override
    public Backlog backlog() {
        return Backlog.read(sql, "SELECT COUNT(*) AS waiting, MIN(granted_at) AS oldest FROM exemption WHERE announced = FALSE",
                Map.of());
    }

    /** Writes the statements of the unannounced exemptions the condition selects, a chunk per transaction; answers how many. */
    long announce(String which, NamedSql.Params params) {
        return exemptions.announce(sql, transactions, which, params);
    }
}
