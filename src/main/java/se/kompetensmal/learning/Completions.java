package se.kompetensmal.learning;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.routines.AssignmentRecompute;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.xapi.LearningRecords;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Records that a person completed a module version: the one place a completion row is written one at a time (the
 * history import writes many at once, set-based, through {@code HistoryImport}). The row is never changed afterwards,
 * except that a registered or imported one can be voided; in the same transaction the person's assignments are brought
 * up to date, so the completion fulfils the open cycle and the next cycle appears.
 */
@Singleton
public class Completions {

    /** The longest reason a voiding takes (completion.void_reason). */
    public static final int VOID_REASON_LENGTH = 500;

    private final NamedSql sql;
    private final AssignmentRecompute assignments;
    private final ApplicationEventPublisher<CompletionVoided> voidings;
    private final LearningRecords records;

    public Completions(NamedSql sql, AssignmentRecompute assignments, ApplicationEventPublisher<CompletionVoided> voidings,
                       LearningRecords records) {
        this.sql = sql;
        this.assignments = assignments;
        this.voidings = voidings;
        this.records = records;
    }

    /**
     * Where a completion came from: taken here (assessment or package), reported by the LRS, attended at a session
     * occasion, registered by a coordinator, or imported from the previous system. Stored in {@code completion.source}.
     */
    public enum Source { INTERNAL, EXTERNAL, SESSION, REGISTERED, IMPORTED }

    /**
     * What else is known of where a completion came from, by source: the occasion attended (SESSION); where it was done
     * and the account that registered it (REGISTERED); the statement it was read from (EXTERNAL).
     */
    public record Provenance(Source source, @Nullable String doneWhere, @Nullable Long registeredBy,
                             @Nullable Long occasionId, @Nullable String statementId) {

        public static Provenance of(Source source) {
            return new Provenance(source, null, null, null, null);
        }

        public static Provenance session(long occasionId) {
            return new Provenance(Source.SESSION, null, null, occasionId, null);
        }

        public static Provenance registered(String doneWhere, long registeredBy) {
            return new Provenance(Source.REGISTERED, doneWhere, registeredBy, null, null);
        }

        public static Provenance reported(String statementId) {
            return new Provenance(Source.EXTERNAL, null, null, null, statementId);
        }
    }

    @Transactional
    public long record(long personId, long moduleVersionId, LocalDate completedOn, @Nullable Integer score,
                       @Nullable Integer secondsSpent, Source source) {
        return record(personId, moduleVersionId, completedOn, score, secondsSpent, Provenance.of(source));
    }

    @Transactional
    public long record(long personId, long moduleVersionId, LocalDate completedOn, @Nullable Integer score,
                       @Nullable Integer secondsSpent, Provenance provenance) {
        long id = sql.insert("""
                INSERT INTO completion (person_id, module_version_id, completed_on, score, seconds_spent, source,
                                        external_statement_id, done_where, registered_by, occasion_id)
                VALUES (:person, :version, :on, :score, :seconds, :source, :statement, :doneWhere, :registeredBy, :occasion)""",
                NamedSql.with("person", personId).and("version", moduleVersionId).and("on", completedOn)
                        .and("score", score).and("seconds", secondsSpent).and("source", provenance.source().name())
                        .and("statement", provenance.statementId()).and("doneWhere", provenance.doneWhere())
                        .and("registeredBy", provenance.registeredBy()).and("occasion", provenance.occasionId()));
        assignments.recomputePerson(personId);
        return id;
    }

    /**
     * A completion reported by the LRS, once per statement: the same statement read again records nothing (empty).
     */
    @Transactional
    public Optional<Long> recordReported(long personId, long moduleVersionId, LocalDate completedOn, @Nullable Integer score,
                                         String statementId) {
        if (sql.number("SELECT COUNT(*) FROM completion WHERE external_statement_id = :statement",
                NamedSql.with("statement", statementId)) > 0) {
            return Optional.empty();
        }
        return Optional.of(record(personId, moduleVersionId, completedOn, score, null, Provenance.reported(statementId)));
    }

    /** Why a completion could not be voided, in Swedish. */
    public static class NotVoidable extends RuntimeException {
        public NotVoidable(String swedishMessage) {
            super(swedishMessage);
        }
    }

    /**
     * Voids a registered or imported completion with a reason: never deleted, it stays in the history struck through and
     * counts for nothing (the view counted_completion leaves it out). The update is conditional, so that of two voidings
     * at once only one takes effect; then {@link CompletionVoided} lets the assignments follow in the same transaction.
     * Other sources are facts of this system (an assessment passed, an attendance marked) and cannot be voided here.
     */
    @Transactional
    public CompletionVoided voidCompletion(long completionId, String reason, long accountId) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new NotVoidable("Skriv varför genomförandet ogiltigförklaras.");
        }
        if (why.length() > VOID_REASON_LENGTH) {
            throw new NotVoidable("Skälet får vara högst " + VOID_REASON_LENGTH + " tecken.");
        }
        // Only a completion there to be seen: one an import has written but not yet made visible is not voidable (the
        // update cannot name the view over its own table, so it is asked first: an unseen one only ever becomes visible,
        // or is deleted, which leaves the update nothing to change).
        int changed = sql.number("SELECT COUNT(*) FROM visible_completion WHERE id = :id", NamedSql.with("id", completionId)) == 0
                ? 0 : sql.update("""
                UPDATE completion SET voided_at = CURRENT_TIMESTAMP, voided_by = :account, void_reason = :reason
                WHERE id = :id AND voided_at IS NULL AND source IN ('REGISTERED', 'IMPORTED')""",
                NamedSql.with("id", completionId).and("account", accountId).and("reason", why));
        if (changed == 0) {
            throw new NotVoidable(sql.number("SELECT COUNT(*) FROM completion WHERE id = :id AND voided_at IS NOT NULL",
                    NamedSql.with("id", completionId)) > 0
                    ? "Genomförandet är redan ogiltigförklarat."
                    : "Bara registrerade och importerade genomföranden kan ogiltigförklaras.");
        }
        CompletionVoided voided = sql.one("""
                SELECT c.person_id, m.module_code FROM completion c JOIN module_version m ON m.id = c.module_version_id
                WHERE c.id = :id""", NamedSql.with("id", completionId),
                row -> new CompletionVoided(completionId, row.number("person_id"), row.string("module_code"))).orElseThrow();
        records.voided(completionId);
        voidings.publishEvent(voided);
        return voided;
    }
}
