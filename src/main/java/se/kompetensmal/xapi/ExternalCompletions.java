package se.kompetensmal.xapi;

import gov.adlnet.xapi.model.Actor;
import gov.adlnet.xapi.model.Statement;
import gov.adlnet.xapi.model.StatementResult;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.annotation.Value;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.jobs.BackgroundJob;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Completions of external modules, read from the LRS: statements "completed" or "passed" about a module's xAPI activity
 * by a learner known by HSA-id become completions here, marked as reported from elsewhere, once per statement. They
 * count in routines and reports like any other. Read by the background job {@code lrs-reading} (one instance at a time)
 * and when an administrator asks.
 *
 * <p>Each activity has a cursor ({@code lrs_reading_cursor}): the {@code stored} time of the newest statement read. A
 * reading asks the LRS only for statements stored since then, less {@code kompetensmal.xapi.reading-overlap} (an LRS may
 * make a statement visible a little after the time it stamps on it); what the overlap reads again is recorded once, by
 * its statement id. The cursor moves only after the statements before it are recorded, and never back, so that a
 * reading cut short reads the rest next time and an administrator's reading beside the job's does no harm.
 *
 * <p>Not {@code @Connectable}: a connection held for the whole reading turned into one open transaction after the first
 * completion was recorded (Micronaut Data leaves auto-commit off on a held connection once a transaction on it ends; see
 * reminders/ReminderSender), so the cursor and every completion waited for the end of a reading that also waits on the
 * LRS. Each completion and each cursor move now commits on its own.
 */
@Singleton
@Requires(property = "kompetensmal.xapi.endpoint", pattern = ".+")
public class ExternalCompletions implements BackgroundJob {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalCompletions.class);
    private static final List<String> VERBS = List.of(LearningRecords.ADL + "completed", LearningRecords.ADL + "passed");

    private final Lrs lrs;
    private final Completions completions;
    private final NamedSql sql;
    private final Duration interval;
    private final Duration overlap;

    public ExternalCompletions(Lrs lrs, Completions completions, NamedSql sql,
                               @Value("${kompetensmal.xapi.import-interval:1h}") Duration interval,
                               @Value("${kompetensmal.xapi.reading-overlap:1m}") Duration overlap) {
        this.lrs = lrs;
        this.completions = completions;
        this.sql = sql;
        this.interval = interval;
        this.overlap = overlap;
    }

    /** What one reading found: completions recorded, statements already recorded, statements about unknown people. */
    @Serdeable
    public record Reading(int recorded, int alreadyKnown, int unknownPeople) {
    }

    private record ExternalModule(long versionId, String activityId) {
    }

    @Override
    public String kind() {
        return "lrs-reading";
    }

    @Override
    public String title() {
        return "Externa genomföranden från LRS";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** A reading; an LRS that cannot be read fails the run (counted and logged by the jobs), tried again after the interval. */
    @Override
    public void run() {
        Reading reading = read();
        LOG.info("Externa genomföranden från LRS: {} nya, {} redan kända, {} okända personer", reading.recorded(),
                reading.alreadyKnown(), reading.unknownPeople());
    }

    public Reading read() {
        int recorded = 0;
        int known = 0;
        int unknown = 0;
        for (ExternalModule module : externalModules()) {
            Optional<Instant> cursor = cursor(module.activityId());
            String since = cursor.map(c -> c.minus(overlap).toString()).orElse(null);
            Instant newest = null;
            for (String verb : VERBS) {
                for (Statement statement : statements(module.activityId(), verb, since)) {
                    if (!about(statement, module.activityId(), verb)) {
                        // A later page that lost the filters (some LRSs' "more" links do): not this reading's statement.
                        continue;
                    }
                    Optional<Long> person = person(statement.getActor());
                    if (person.isEmpty()) {
                        unknown++;
                    } else if (record(person.get(), module, statement)) {
                        recorded++;
                    } else {
                        known++;
                    }
                    Instant stored = stored(statement);
                    if (stored != null && (newest == null || stored.isAfter(newest))) {
                        newest = stored;
                    }
                }
            }
            if (newest != null) {
                moveCursor(module.activityId(), newest);
            }
        }
        return new Reading(recorded, known, unknown);
    }

    /** The newest {@code stored} time read for the activity, if it was ever read. */
    private Optional<Instant> cursor(String activityId) {
        return sql.one("SELECT stored_until FROM lrs_reading_cursor WHERE activity_hash = :hash",
                NamedSql.with("hash", digest(activityId)), row -> row.utcInstant("stored_until"));
    }

    /** Moves the activity's cursor forward to the newest statement read (never back: another reading may be further). */
    private void moveCursor(String activityId, Instant newest) {
        sql.update("""
                INSERT INTO lrs_reading_cursor (activity_hash, activity_id, stored_until, read_at)
                VALUES (:hash, :activity, :stored, :now)
                ON DUPLICATE KEY UPDATE stored_until = GREATEST(stored_until, VALUES(stored_until)), read_at = VALUES(read_at)""",
                NamedSql.with("hash", digest(activityId)).and("activity", activityId)
                        .and("stored", LocalDateTime.ofInstant(newest, ZoneOffset.UTC))
                        .and("now", LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC)));
    }

    /** Whether the statement is the verb about the activity, as asked for. */
    private static boolean about(Statement statement, String activityId, String verb) {
        return statement.getVerb() != null && verb.equals(statement.getVerb().getId())
                && statement.getObject() instanceof gov.adlnet.xapi.model.Activity activity
                && activityId.equals(activity.getId());
    }

    private static @Nullable Instant stored(Statement statement) {
        try {
            return statement.getStored() == null ? null : OffsetDateTime.parse(statement.getStored()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String digest(String activityId) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(activityId.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean record(long personId, ExternalModule module, Statement statement) {
        Integer score = statement.getResult() != null && statement.getResult().getScore() != null
                ? Math.round(statement.getResult().getScore().getScaled() * 100) : null;
        LocalDate on = Instant.parse(statement.getTimestamp()).atZone(SwedishTime.ZONE).toLocalDate();
        return completions.recordReported(personId, module.versionId(), on, score, statement.getId()).isPresent();
    }

    /**
     * The statements of the verb about the activity, stored since {@code since} when given. The client's filters answer
     * a new client each (so they are chained). Later pages follow the LRS's "more" links; as an LRS answers newest first,
     * a page that reaches back to {@code since} is the last one wanted (an LRS whose "more" links drop the filters would
     * otherwise lead on through everything it holds).
     */
    private List<Statement> statements(String activityId, String verb, @Nullable String since) {
        try {
            gov.adlnet.xapi.client.StatementClient filtered = lrs.client().filterByActivity(activityId).filterByVerb(verb);
            if (since != null) {
                filtered = filtered.filterBySince(since);
            }
            StatementResult page = filtered.getStatements();
            List<Statement> statements = new ArrayList<>(page.getStatements());
            Instant from = since == null ? null : Instant.parse(since);
            while (page.hasMore() && page.getMore() != null && !page.getMore().isEmpty() && !reachesBack(page, from)) {
                page = lrs.client().getStatements(page.getMore());
                statements.addAll(page.getStatements());
            }
            return statements;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the page holds a statement stored at or before the instant (none when reading everything). */
    private static boolean reachesBack(StatementResult page, @Nullable Instant from) {
        return from != null && page.getStatements().stream().map(ExternalCompletions::stored)
                .anyMatch(stored -> stored != null && !stored.isAfter(from));
    }

    /** The learner, by the HSA-id of the statement's account. */
    private Optional<Long> person(@Nullable Actor actor) {
        if (actor == null || actor.getAccount() == null || actor.getAccount().getName() == null) {
            return Optional.empty();
        }
        return sql.one("SELECT id FROM person WHERE hsa_id = :hsa", NamedSql.with("hsa", actor.getAccount().getName()),
                row -> row.number("id"));
    }

    /** The latest version of every external module. */
    private List<ExternalModule> externalModules() {
        return sql.list("""
                SELECT m.id, m.xapi_activity_id FROM module_version m WHERE m.xapi_activity_id IS NOT NULL
                  AND m.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = m.module_code)""",
                Map.of(), row -> new ExternalModule(row.number("id"), row.string("xapi_activity_id")));
    }
}
