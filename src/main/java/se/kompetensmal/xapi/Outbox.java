package se.kompetensmal.xapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements waiting for the LRS. A worker claims the oldest due ones for a lease; only rows it still holds can be
 * marked by it, so two instances never deliver the same row at the same time, and a crashed worker's rows come free
 * when the lease ends. An outage only pushes the next attempt later (doubling, up to a ceiling): nothing is given up.
 * Only a statement the LRS itself refuses is marked failed, with its answer, for an administrator to look at.
 */
@Singleton
public class Outbox {

    private final JdbcOperations jdbc;
    private final long longestWaitSeconds;

    public Outbox(JdbcOperations jdbc, @Value("${kompetensmal.xapi.longest-wait:5m}") Duration longestWait) {
        this.jdbc = jdbc;
        this.longestWaitSeconds = Math.max(1, longestWait.toSeconds());
    }

    public record Claimed(long id, String statementId, String payload) {
    }

    @Transactional
    public List<Claimed> claim(String worker, int limit, Duration lease) {
        // For an UPDATE with ORDER BY … LIMIT, MariaDB otherwise picks (status, sent_at), and with the connection's
        // collation it does not see "ORDER BY id" as the order of (status, id): either way it sorted the whole backlog
        // for each batch.
        jdbc.prepareStatement("""
                UPDATE xapi_outbox FORCE INDEX (ix_xapi_outbox_pending)
                SET claimed_by = ?, claimed_until = CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND
                WHERE status = 'PENDING' AND next_attempt_at <= CURRENT_TIMESTAMP(3)
                  AND (claimed_until IS NULL OR claimed_until < CURRENT_TIMESTAMP(3))
                ORDER BY status, id LIMIT ?""", statement -> {
            statement.setString(1, worker);
            statement.setLong(2, lease.toSeconds());
            statement.setInt(3, limit);
            return statement.executeUpdate();
        });
        return jdbc.prepareStatement("""
                SELECT id, statement_id, payload FROM xapi_outbox WHERE claimed_by = ? AND status = 'PENDING'
                  AND claimed_until >= CURRENT_TIMESTAMP(3) ORDER BY id""", statement -> {
            statement.setString(1, worker);
            List<Claimed> claimed = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return claimed;
        });
    }

    @Transactional
    public void sent(List<Claimed> rows, String worker) {
        update(rows, worker, "status = 'SENT', sent_at = CURRENT_TIMESTAMP(3), attempts = attempts + 1, last_error = NULL", null);
    }

    /** The LRS could not be reached or failed: try again later, waiting twice as long each time. */
    @Transactional
    public void later(List<Claimed> rows, String worker, String error) {
        update(rows, worker, """
                attempts = attempts + 1, last_error = ?,
                next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL LEAST(POW(2, LEAST(attempts, 20)), %d) SECOND"""
                .formatted(longestWaitSeconds), error);
    }

    /** The LRS refused the statement itself: keep it, with the LRS's answer, until an administrator retries it. */
    @Transactional
    public void refused(Claimed row, String worker, String answer) {
        update(List.of(row), worker, "status = 'FAILED', attempts = attempts + 1, last_error = ?", answer);
    }

    /** Puts the refused statements back in line (an administrator's action, once the cause is mended). */
    @Transactional
    public int retryRefused() {
        return jdbc.prepareStatement("""
                UPDATE xapi_outbox SET status = 'PENDING', next_attempt_at = CURRENT_TIMESTAMP(3), claimed_by = NULL,
                       claimed_until = NULL WHERE status = 'FAILED'""", statement -> statement.executeUpdate());
    }

    /**
     * What waits for the LRS: statements not sent yet (refused ones wait for an administrator and are not counted) and
     * when the oldest of them was written, the outbox's age for metrics.
     */
    @Transactional(readOnly = true)
    public se.kompetensmal.jobs.Backlog backlog() {
        // Both by the (status, id) index: the oldest waiting is the first by id, as ids follow the writing order closely
        // enough for an age (on Galera they step by the cluster size but still grow).
        return jdbc.prepareStatement("""
                SELECT (SELECT COUNT(*) FROM xapi_outbox FORCE INDEX (ix_xapi_outbox_pending) WHERE status = 'PENDING'),
                       (SELECT created_at FROM xapi_outbox FORCE INDEX (ix_xapi_outbox_pending) WHERE status = 'PENDING'
                        ORDER BY status, id LIMIT 1)""",
                statement -> {
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        java.sql.Timestamp oldest = rs.getTimestamp(2);
                        return new se.kompetensmal.jobs.Backlog(rs.getLong(1), oldest == null ? null : oldest.toInstant());
                    }
                });
    }

    /** A statement waiting or refused, as administrators see it. */
    @Serdeable
    public record Waiting(String statementId, String verb, String status, int attempts, String createdAt, @Nullable String answer) {
    }

    @Serdeable
    public record DeliveredOn(LocalDate day, long statements) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record State(long pending, long refused, @Nullable String oldestPending, List<Waiting> refusedStatements,
                        List<Waiting> nextInLine, List<DeliveredOn> deliveredPerDay) {
    }

    /** What is waiting, what the LRS refused (with its answer), and what was delivered each of the last 14 days. */
    @Transactional(readOnly = true)
    public State state() {
        long pending = count("PENDING");
        long refused = count("FAILED");
        List<Waiting> oldest = waiting("PENDING", 20);
        List<DeliveredOn> perDay = jdbc.prepareStatement("""
                SELECT DATE(sent_at), COUNT(*) FROM xapi_outbox WHERE status = 'SENT' AND sent_at >= CURRENT_DATE - INTERVAL 13 DAY
                GROUP BY DATE(sent_at) ORDER BY DATE(sent_at) DESC""", statement -> {
            List<DeliveredOn> days = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    days.add(new DeliveredOn(rs.getObject(1, LocalDate.class), rs.getLong(2)));
                }
            }
            return days;
        });
        return new State(pending, refused, oldest.isEmpty() ? null : oldest.get(0).createdAt(), waiting("FAILED", 100), oldest,
                perDay);
    }

    private long count(String status) {
        return jdbc.prepareStatement("SELECT COUNT(*) FROM xapi_outbox WHERE status = ?", statement -> {
            statement.setString(1, status);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private List<Waiting> waiting(String status, int limit) {
        return jdbc.prepareStatement("""
                SELECT statement_id, verb, status, attempts, created_at, last_error FROM xapi_outbox WHERE status = ?
                ORDER BY id LIMIT ?""", statement -> {
            statement.setString(1, status);
            statement.setInt(2, limit);
            List<Waiting> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Waiting(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            SwedishTime.format(rs.getTimestamp(5).toInstant()), rs.getString(6)));
                }
            }
            return rows;
        });
    }

    private void update(List<Claimed> rows, String worker, String set, String text) {
        if (rows.isEmpty()) {
            return;
        }
        String ids = rows.stream().map(r -> String.valueOf(r.id())).collect(Collectors.joining(","));
        jdbc.prepareStatement("UPDATE xapi_outbox SET " + set + ", claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND id IN ("
                + ids + ")", statement -> {
            int i = 1;
            if (text != null) {
                statement.setString(i++, text.length() > 2000 ? text.substring(0, 2000) : text);
            }
            statement.setString(i, worker);
            return statement.executeUpdate();
        });
    }
}
