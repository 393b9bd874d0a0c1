package se.kompetensmal.xapi;

import gov.adlnet.xapi.model.Statement;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.jobs.Backlog;

import se.kompetensmal.sql.Retried;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Delivers the outbox to the LRS in batches, oldest first, with the xAPI client: the background job {@code outbox}, run
 * by one instance at a time. Runs only where an LRS endpoint is configured; without one, statements wait in the outbox
 * where administrators can see them.
 *
 * <p>The outbox's own row claim ({@link Outbox#claim}) stays, though one holder sends: the job's lease says who should
 * send, the claim is what makes a second sender harmless when there is one anyway. A holder that stalls (a long pause,
 * a slow LRS) past its missed-heartbeat limit is replaced while it may still be sending; its late "sent" or "later"
 * then changes nothing, as only rows still claimed by it can be marked by it, and the new holder does not take its rows
 * before their claim ends. It costs one indexed update per batch.
 */
@Singleton
@Requires(property = "kompetensmal.xapi.endpoint", pattern = ".+")
public class OutboxSender implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);

    private final Outbox outbox;
    private final LrsClient client;
    private final int batchSize;
    private final Duration interval;
    /**
     * How long a claimed batch stays its sender's: longer than any delivery takes (the default, 2 minutes). A batch
     * claimed by an instance that was killed waits this long before the next holder sends it (the LRS keeps one
     * statement per id, so a batch the dead one had delivered costs a second request, not a second record).
     */
    private final Duration claimLease;
    private final String worker = "sender-" + UUID.randomUUID();

    public OutboxSender(Outbox outbox, Lrs lrs, @Value("${kompetensmal.xapi.batch-size:100}") int batchSize,
                        @Value("${kompetensmal.xapi.interval:5s}") Duration interval,
                        @Value("${kompetensmal.xapi.claim-lease:2m}") Duration claimLease) {
        this.outbox = outbox;
        this.client = lrs.client();
        this.batchSize = batchSize;
        this.interval = interval;
        this.claimLease = claimLease;
    }

    @Override
    public String kind() {
        return "outbox";
    }

    @Override
    public String title() {
        return "Lärandeposter till LRS";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void run() {
        deliverAll();
    }

    /** The statements waiting for the LRS (refused ones not counted: they wait for an administrator), and the oldest's age. */
    @Override
    public Backlog backlog() {
        return outbox.backlog();
    }

    public void deliverAll() {
        while (deliverBatch() > 0) {
            // Until the backlog is empty or the LRS stops taking statements.
        }
    }

    /** Sends one batch; the number delivered. */
    public int deliverBatch() {
        List<Outbox.Claimed> batch = outbox.claim(worker, batchSize, claimLease);
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            client.postStatements(statements(batch));
            recordSent(batch);
            return batch.size();
        } catch (IOException e) {
            int status = client.lastStatus();
            if (!refusedByTheLrs(status)) {
                LOG.warn("LRS could not take {} statements: {}", batch.size(), answer(status, e));
                outbox.later(batch, worker, answer(status, e));
                return 0;
            }
            // The LRS refused the batch: send one at a time, so that only the statements it refuses are held back.
            int delivered = 0;
            for (Outbox.Claimed row : batch) {
                delivered += deliverAlone(row);
            }
            return delivered;
        }
    }

    private int deliverAlone(Outbox.Claimed row) {
        try {
            client.postStatements(statements(List.of(row)));
            recordSent(List.of(row));
            return 1;
        } catch (IOException e) {
            int status = client.lastStatus();
            if (refusedByTheLrs(status)) {
                outbox.refused(row, worker, answer(status, e));
            } else {
                outbox.later(List.of(row), worker, answer(status, e));
            }
            return 0;
        }
    }

    /**
     * The LRS has the statements: recorded through a failover if need be. Should that fail too, they stay claimed and
     * are sent again once the claim runs out; the LRS keeps one statement per id, so that costs a request, not a record.
     */
    private void recordSent(List<Outbox.Claimed> rows) {
        if (!Retried.recordedAfterTheFact(() -> outbox.sent(rows, worker))) {
            LOG.error("{} statements the LRS took could not be recorded as sent; they will be sent again", rows.size());
        }
    }

    private static ArrayList<Statement> statements(List<Outbox.Claimed> rows) {
        ArrayList<Statement> statements = new ArrayList<>();
        rows.forEach(row -> statements.add(StatementJson.read(row.payload())));
        return statements;
    }

    /**
     * A 4xx answer other than 401/403 (our credentials) and 408/429 (the LRS is busy): the statement itself is at
     * fault, and sending it again unchanged will not help.
     */
    private static boolean refusedByTheLrs(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429 && status != 401 && status != 403;
    }

    /** What to keep of a failed request: the HTTP status when there was one, and the LRS's answer or the error. */
    private static String answer(int status, IOException e) {
        return (status == 0 ? "" : "HTTP " + status + ": ") + e.getMessage();
    }
}
