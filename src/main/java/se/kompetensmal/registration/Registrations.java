package se.kompetensmal.registration;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.learning.CompletionKinds;
import se.kompetensmal.learning.CompletionVoided;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.learning.VersionInForce;
import se.kompetensmal.people.PersonView;
import se.kompetensmal.security.Access;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.web.FieldProblem;
import se.kompetensmal.web.Texts;
import se.kompetensmal.xapi.LearningRecords;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A coordinator records that a person completed a module elsewhere: the module (one usable where the person is placed),
 * the day, where, an optional score and evidence. It is written as a REGISTERED completion through {@link Completions}
 * (which brings the assignments up to date), with its evidence and its xAPI statement, in one transaction; it counts like
 * any other. A wrong one is voided with a reason, never deleted. Who may do this is checked by the caller (the pages and
 * the API): coordinators and administrators within their subtree.
 */
@Singleton
public class Registrations {

    /** The longest "where" (completion.done_where). */
    public static final int WHERE_LENGTH = 200;
    /** Nothing done before this day is registered here: older records belong to the history import. */
    public static final LocalDate EARLIEST = LocalDate.of(1990, 1, 1);

    private final NamedSql sql;
    private final Completions completions;
    private final LearningRecords records;
    private final ModuleTitles titles;
    private final Texts texts;

    public Registrations(NamedSql sql, Completions completions, LearningRecords records, ModuleTitles titles, Texts texts) {
        this.sql = sql;
        this.completions = completions;
        this.records = records;
        this.titles = titles;
        this.texts = texts;
    }

    /** What was typed or sent, as text, so that a wrong value comes back in the form as typed. */
    public record Request(@Nullable String module, @Nullable String completedOn, @Nullable String doneWhere,
                          @Nullable String score) {
    }

    /** A completion of the person as the void page and the API show it. */
    public record Registered(long id, long personId, String moduleCode, String title, LocalDate completedOn,
                             @Nullable Integer score, String source, @Nullable String kind, boolean voided,
                             @Nullable String voidReason, boolean evidence) {
        public boolean voidable() {
            return !voided && ("REGISTERED".equals(source) || "IMPORTED".equals(source));
        }
    }

    /** The evidence of a completion, with what its download is named by. */
    public record Evidence(EvidenceFile.Kind kind, byte[] content, String personName, String moduleTitle, LocalDate completedOn) {
        public String downloadName() {
            return EvidenceFile.downloadName(personName, moduleTitle, completedOn, kind);
        }
    }

    /** The modules a completion can be registered for where the person is placed, by title (withdrawn ones too). */
    public Map<String, String> modulesFor(PersonView person) {
        return titles.usableAt(person.organisationId());
    }

    /**
     * Registers the completion with its evidence (may be null: the API sends it separately) and answers its id. Every
     * field at fault is reported at once.
     */
    @Transactional
    public long register(PersonView person, Request request, @Nullable EvidenceFile evidence, long accountId, LocalDate today) {
        List<FieldProblem> problems = new ArrayList<>();
        String module = request.module() == null ? "" : request.module().strip();
        if (module.isEmpty()) {
            problems.add(new FieldProblem("module", "Välj modul."));
        } else if (!modulesFor(person).containsKey(module)) {
            // A module of another organisation is answered like one that does not exist.
            problems.add(new FieldProblem("module", "Modulen finns inte bland dem som kan användas där personen är placerad."));
        }
        LocalDate day = null;
        String typedDay = request.completedOn() == null ? "" : request.completedOn().strip();
        if (typedDay.isEmpty()) {
            problems.add(new FieldProblem("completedOn", "Ange när modulen genomfördes."));
        } else {
            try {
                day = LocalDate.parse(typedDay);
                if (day.isAfter(today)) {
                    problems.add(new FieldProblem("completedOn", "Datumet får inte ligga i framtiden."));
                } else if (day.isBefore(EARLIEST)) {
                    problems.add(new FieldProblem("completedOn", "Datumet får inte vara före " + EARLIEST + "."));
                }
            } catch (DateTimeParseException e) {
                problems.add(new FieldProblem("completedOn", "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel " + today + "."));
            }
        }
        String where = request.doneWhere() == null ? "" : request.doneWhere().strip();
        if (where.isEmpty()) {
            problems.add(new FieldProblem("doneWhere", "Ange var modulen genomfördes."));
        } else if (where.length() > WHERE_LENGTH) {
            problems.add(new FieldProblem("doneWhere", "Var den genomfördes får vara högst " + WHERE_LENGTH + " tecken."));
        }
        Integer score = null;
        String typedScore = request.score() == null ? "" : request.score().strip();
        if (!typedScore.isEmpty()) {
            try {
                score = Integer.valueOf(typedScore);
                if (score < 0 || score > 100) {
                    problems.add(new FieldProblem("score", "Resultatet ska vara ett heltal från 0 till 100 (procent)."));
                }
            } catch (NumberFormatException e) {
                problems.add(new FieldProblem("score", "Resultatet ska vara ett heltal från 0 till 100 (procent)."));
            }
        }
        if (!problems.isEmpty()) {
            throw new RegistrationInvalid(problems);
        }
        long version = sql.number("SELECT " + VersionInForce.of(":module", ":day") + " AS version",
                NamedSql.with("module", module).and("day", day));
        long id = completions.record(person.id(), version, day, score, null, Completions.Provenance.registered(where, accountId));
        if (evidence != null) {
            storeEvidence(id, evidence, accountId);
        }
        records.completedElsewhere(List.of(id));
        return id;
    }

    /** Adds the evidence to a registered completion that has none yet (it is written once, never replaced). */
    @Transactional
    public void attachEvidence(long personId, long completionId, EvidenceFile evidence, long accountId) {
        Registered completion = completion(personId, completionId).orElseThrow(Access::notFound);
        if (!"REGISTERED".equals(completion.source())) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Underlag kan bara läggas till ett registrerat genomförande.");
        }
        if (completion.voided()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Genomförandet är ogiltigförklarat.");
        }
        if (completion.evidence()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Genomförandet har redan ett underlag; det ändras inte.");
        }
        storeEvidence(completionId, evidence, accountId);
    }

    private void storeEvidence(long completionId, EvidenceFile evidence, long accountId) {
        sql.insert("""
                INSERT INTO completion_evidence (completion_id, file_name, content_type, byte_count, sha256, content, uploaded_by)
                VALUES (:completion, :name, :type, :bytes, :sha, :content, :account)""",
                NamedSql.with("completion", completionId).and("name", evidence.fileName())
                        .and("type", evidence.kind().contentType()).and("bytes", evidence.content().length)
                        .and("sha", sha256(evidence.content())).and("content", evidence.content()).and("account", accountId));
    }

    /** Voids a registered or imported completion of the person with a reason. */
    @Transactional
    public CompletionVoided voidCompletion(long personId, long completionId, @Nullable String reason, long accountId) {
        Registered completion = completion(personId, completionId).orElseThrow(Access::notFound);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw RegistrationInvalid.of("reason", "Skriv varför genomförandet ogiltigförklaras.");
        }
        if (why.length() > Completions.VOID_REASON_LENGTH) {
            throw RegistrationInvalid.of("reason", "Skälet får vara högst " + Completions.VOID_REASON_LENGTH + " tecken.");
        }
        if (!completion.voidable()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, completion.voided() ? "Genomförandet är redan ogiltigförklarat."
                    : "Bara registrerade och importerade genomföranden kan ogiltigförklaras.");
        }
        try {
            return completions.voidCompletion(completionId, why, accountId);
        } catch (Completions.NotVoidable e) {
            // Someone else voided it a moment ago.
            throw new HttpStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    /** One completion of the person (voided ones too), or empty when it is not theirs. */
    public Optional<Registered> completion(long personId, long completionId) {
        Map<String, String> t = texts.in(Texts.SWEDISH);
        return sql.one("""
                SELECT c.id, c.person_id, m.module_code, m.title, c.completed_on, c.score, c.source, c.void_reason,
                       EXISTS (SELECT 1 FROM completion_evidence ev WHERE ev.completion_id = c.id) AS has_evidence,
                       %s
                FROM visible_completion c JOIN module_version m ON m.id = c.module_version_id
                WHERE c.id = :id AND c.person_id = :person""".formatted(CompletionKinds.COLUMNS),
                NamedSql.with("id", completionId).and("person", personId),
                row -> new Registered(row.number("id"), row.number("person_id"), row.string("module_code"), row.string("title"),
                        row.date("completed_on"), row.nullableInt("score"), row.string("source"),
                        CompletionKinds.describe(CompletionKinds.read(row), t), row.string("void_reason") != null,
                        row.string("void_reason"), row.flag("has_evidence")));
    }

    /** The evidence of one of the person's completions, or empty. */
    public Optional<Evidence> evidence(long personId, long completionId) {
        return sql.one("""
                SELECT ev.content_type, ev.content, CONCAT(p.given_name, ' ', p.family_name) AS person_name, m.title,
                       c.completed_on
                FROM completion_evidence ev JOIN completion c ON c.id = ev.completion_id
                JOIN person p ON p.id = c.person_id JOIN module_version m ON m.id = c.module_version_id
                WHERE c.id = :id AND c.person_id = :person""", NamedSql.with("id", completionId).and("person", personId),
                row -> new Evidence(EvidenceFile.Kind.ofContentType(row.string("content_type")), row.bytes("content"),
                        row.string("person_name"), row.string("title"), row.date("completed_on")));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
