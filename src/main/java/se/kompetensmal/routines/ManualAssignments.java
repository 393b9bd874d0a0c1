package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import se.kompetensmal.sql.AfterCommit;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.jobs.Jobs;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.web.ReasonableDate;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A coordinator's own assignments and exemptions. A manual assignment reaches every active person under a node,
 * optionally only those in one unit below it, of one audience, or one person; where a routine already asks for the
 * module, the earlier date holds. One person's is written at once; a group's is checked and queued here and written by
 * the background job {@code manual-assignment} ({@link ManualAssignmentJobs}) a chunk of people at a time, as a region
 * is one write set too large for a web request (and for Galera). Once a chunk has committed, {@link AssignmentsChanged}
 * names the people it reached (their announcement to the LRS follows from it). Once an exemption has committed,
 * {@link ExemptionsGranted} names it (its learning record follows from it).
 */
@Singleton
public class ManualAssignments {

    /**
     * Whom an assignment reaches (alias {@code p} for person): active, with a current placement under :node that, where
     * given, is under :unit and has :audience among its audiences; and the person :person. The preview counts with the same text the assignment inserts with.
     */
    private static final String REACHED = """
            p.status = 'ACTIVE'
            AND EXISTS (SELECT 1 FROM current_placement pl
                        JOIN org_closure c ON c.ancestor_id = :node AND c.descendant_id = pl.org_node_id
                        WHERE pl.person_id = p.id
                          AND (:unit IS NULL OR EXISTS (SELECT 1 FROM org_closure u WHERE u.ancestor_id = :unit
                                                                                    AND u.descendant_id = pl.org_node_id))
                          AND (:audience IS NULL OR EXISTS (SELECT 1 FROM placement_audience pa
                                                            JOIN audience au ON au.id = pa.audience_id
                                                            WHERE pa.placement_id = pl.id AND au.code = :audience)))
            AND (:person IS NULL OR p.id = :person)""";

    /** The person (alias {@code p}) has the module :module to do or done already. */
    private static final String HAS_MODULE = """

            AND EXISTS (SELECT 1 FROM assignment a WHERE a.person_id = p.id AND a.module_code = :module
                        AND a.withdrawn_at IS NULL)""";

    private final NamedSql sql;
    private final Audiences audiences;
    private final ModuleReach moduleReach;
    private final ModuleTitles titles;
    private final AfterCommit events;
    private final Provider<Jobs> jobs;

    public ManualAssignments(NamedSql sql, Audiences audiences, ModuleReach moduleReach, ModuleTitles titles,
                             AfterCommit events, Provider<Jobs> jobs) {
        this.events = events;
        this.moduleReach = moduleReach;
        this.titles = titles;
        this.sql = sql;
        this.audiences = audiences;
        this.jobs = jobs;
    }

    /**
     * Whom to assign to: everyone active under the node, narrowed (each optional) to a unit under it, an audience and
     * one person.
     */
    public record Reach(long nodeId, @Nullable Long unitId, @Nullable String audience, @Nullable Long personId) {

        public static Reach everyoneUnder(long nodeId) {
            return new Reach(nodeId, null, null, null);
        }
    }

    /** How many people the assignment would reach, and how many of them already have the module to do or done. */
    public record Preview(long reached, long alreadyAssigned) {

        /** Those for whom the assignment is new. */
        public long newlyAssigned() {
            return reached - alreadyAssigned;
        }
    }

    /**
     * Queues an assignment of the module to everyone (or one audience) under the node, as the API asks it; checked after
     * the caller's rights, bounded by the columns: the module code, the audience code and a date a person means. What is
     * refused is refused here, at once; the job only writes what was valid when asked.
     */
    public ManualAssignmentJob request(long nodeId, @Nullable @Size(max = 40) String audience,
                                       @NotBlank @Size(max = 80) String module, @NotNull @ReasonableDate LocalDate dueDate,
                                       String requestedBy) {
        Reach reach = new Reach(nodeId, null, audience, null);
        return queue(reach, module, dueDate, requestedBy, preview(reach, module));
    }

    /** What {@link #requestFromPage} would do, without doing it. */
    public Preview preview(Reach reach, @NotBlank @Size(max = 80) String module) {
        Reach checked = checked(reach, module);
        NamedSql.Params params = params(checked).and("module", module);
        return new Preview(sql.number("SELECT COUNT(*) FROM person p WHERE " + REACHED, params),
                sql.number("SELECT COUNT(*) FROM person p WHERE " + REACHED + HAS_MODULE, params));
    }

    /**
     * A group's assignment made on a page: as {@link #request}, but the due date may not be past (an assignment overdue
     * the day it is made is a slip) and a choice that reaches nobody is refused.
     */
    public ManualAssignmentJob requestFromPage(Reach reach, @NotBlank @Size(max = 80) String module,
                                               @NotNull @ReasonableDate LocalDate dueDate, LocalDate today,
                                               String requestedBy) {
        requireDueDate(dueDate, today);
        Preview preview = preview(reach, module);
        if (preview.reached() == 0) {
            throw new AssignmentRefused("Ingen aktiv person finns i det urval du valt, så ingen fick modulen.");
        }
        return queue(reach, module, dueDate, requestedBy, preview);
    }

    /**
     * One person's assignment made on their page: written at once (one row), as the page shows it next; the due date
     * may not be past.
     */
    @Transactional
    public void assignPerson(long personId, long organisationId, @NotBlank @Size(max = 80) String module,
                             @NotNull @ReasonableDate LocalDate dueDate, LocalDate today, String assignedBy) {
        requireDueDate(dueDate, today);
        Reach checked = checked(new Reach(organisationId, null, null, personId), module);
        NamedSql.Params params = params(checked).and("module", module).and("due", dueDate).and("by", assignedBy);
        if (sql.number("SELECT COUNT(*) FROM person p WHERE " + REACHED, params) == 0) {
            throw new AssignmentRefused("Ingen aktiv person finns i det urval du valt, så ingen fick modulen.");
        }
        insert(REACHED, params);
        events.publish(AssignmentsChanged.assigned(organisationId, Set.of(personId), module));
    }

    /** The module chosen on a page's form: one must be chosen, and no code is longer than the column. */
    public static String chosenModule(@Nullable String module) {
        if (module == null || module.isBlank()) {
            throw new AssignmentRefused("Välj en modul.");
        }
        if (module.length() > 80) {
            throw new AssignmentRefused("Modulen finns inte.");
        }
        return module.strip();
    }

    /** A due date as a page's date field sends it; empty is null (for {@link #requireDueDate} to refuse). */
    public static @Nullable LocalDate typedDueDate(@Nullable String value) {
        try {
            return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new AssignmentRefused(se.kompetensmal.web.InputProblems.notReadable("dueDate", LocalDate.class).message());
        }
    }

    /** A due date for an assignment made on a page: given, and not already past. */
    public static void requireDueDate(@Nullable LocalDate dueDate, LocalDate today) {
        if (dueDate == null) {
            throw new AssignmentRefused("Fältet 'förfallodag' måste fyllas i.");
        }
        if (dueDate.isBefore(today)) {
            throw new AssignmentRefused("Förfallodagen " + dueDate + " har redan passerat. Välj i dag (" + today + ") eller senare.");
        }
    }

    /**
     * Records the checked request (its audience as the code stored) and asks for the job to run: the insert commits on
     * its own before the nudge, so the job finds it.
     */
    private ManualAssignmentJob queue(Reach reach, String module, LocalDate dueDate, String requestedBy, Preview preview) {
        if (reach.personId() != null) {
            throw new IllegalArgumentException("One person's assignment is written at once (assignPerson), not queued");
        }
        Reach checked = checked(reach, module);
        long id = sql.insert("""
                INSERT INTO manual_assignment_job (node_id, unit_id, audience_code, module_code, due_date, requested_by,
                                                   expected_people)
                VALUES (:node, :unit, :audience, :module, :due, :by, :expected)""",
                NamedSql.with("node", checked.nodeId()).and("unit", checked.unitId()).and("audience", checked.audience())
                        .and("module", module).and("due", dueDate).and("by", requestedBy).and("expected", preview.reached()));
        jobs.get().nudge(ManualAssignmentJobs.KIND);
        return job(id).orElseThrow();
    }

    /** A queued assignment by its id. */
    Optional<ManualAssignmentJob> job(long id) {
        return sql.one("SELECT " + ManualAssignmentJob.COLUMNS + " FROM manual_assignment_job WHERE id = :id",
                NamedSql.with("id", id), ManualAssignmentJob::of);
    }

    /**
     * Writes the next chunk of a running job's people, in the caller's transaction: the job's row is locked first (FOR
     * UPDATE; on Galera a second writer's commit fails certification and is retried), so that two runs of the same job
     * (a holder presumed dead that was not, a test) take turns and the second continues where the first stopped. The
     * chunk is the next {@code size} people of the reach by id after the job's {@code last_person_id}, which moves in
     * the same transaction as the assignments: a chunk is written and counted once, whoever writes it. When none are
     * left the job is DONE. Answers whether there may be more.
     */
    boolean assignNextChunk(long jobId, int size) {
        record Running(ManualAssignmentJob job, long after) {
        }
        Optional<Running> running = sql.one("SELECT " + ManualAssignmentJob.COLUMNS
                        + ", last_person_id FROM manual_assignment_job WHERE id = :id FOR UPDATE", NamedSql.with("id", jobId),
                row -> new Running(ManualAssignmentJob.of(row), row.number("last_person_id")));
        if (running.isEmpty() || !"RUNNING".equals(running.get().job().status())) {
            return false;
        }
        ManualAssignmentJob job = running.get().job();
        NamedSql.Params params = params(job.reach()).and("module", job.module()).and("due", job.dueDate())
                .and("by", job.requestedBy()).and("id", jobId);
        List<Long> people = sql.list("SELECT p.id FROM person p WHERE " + REACHED + " AND p.id > :after ORDER BY p.id LIMIT :size",
                params.and("after", running.get().after()).and("size", size), row -> row.number("id"));
        if (people.isEmpty()) {
            sql.update("UPDATE manual_assignment_job SET status = 'DONE', finished_at = CURRENT_TIMESTAMP WHERE id = :id", params);
            return false;
        }
        // The chunk's people, read above in this transaction's snapshot, are exactly the reach's people in this id range.
        String chunk = REACHED + " AND p.id BETWEEN :first AND :last";
        params.and("first", people.get(0)).and("last", people.get(people.size() - 1)).and("reached", people.size());
        params.and("already", sql.number("SELECT COUNT(*) FROM person p WHERE " + chunk + HAS_MODULE, params));
        insert(chunk, params);
        sql.update("""
                UPDATE manual_assignment_job SET last_person_id = :last, reached_people = reached_people + :reached,
                       already_assigned = already_assigned + :already WHERE id = :id""", params);
        events.publish(AssignmentsChanged.assigned(job.nodeId(), new HashSet<>(people), job.module()));
        return true;
    }

    /**
     * Assigns :module, due :due, to the people the condition selects (alias {@code p}): a new cycle, or where the person
     * has the module already the earlier date holds (a withdrawn one is asked for again). The one text of a manual
     * assignment, one person's or a chunk of a group's.
     */
    private void insert(String people, NamedSql.Params params) {
        sql.update("""
                INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by)
                SELECT p.id, :module, 1, 'MANUAL', :due, :by FROM person p
                WHERE %s
                ON DUPLICATE KEY UPDATE assignment.due_date = LEAST(assignment.due_date, VALUES(due_date)),
                    assignment.withdrawn_at = NULL,
                    assignment.assigned_by = COALESCE(assignment.assigned_by, VALUES(assigned_by))""".formatted(people),
                params);
    }

    /** The reach with its audience as the code stored, after checking the module and audience exist here. */
    private Reach checked(Reach reach, String module) {
        requireAssignable(module, reach.nodeId());
        return withAudience(reach);
    }

    /** As {@link #checked}, for an exemption: a withdrawn module may be named, one not usable at the node not. */
    private Reach checkedForExemption(Reach reach, String module) {
        requireUsable(module, reach.nodeId());
        return withAudience(reach);
    }

    private Reach withAudience(Reach reach) {
        if (reach.audience() == null) {
            return reach;
        }
        String code = audiences.usableUnder(reach.audience(), reach.nodeId())
                .orElseThrow(() -> new AssignmentRefused("Målgruppen " + reach.audience() + " finns inte."))
                .code();
        return new Reach(reach.nodeId(), reach.unitId(), code, reach.personId());
    }

    private static NamedSql.Params params(Reach reach) {
        return NamedSql.with("node", reach.nodeId()).and("unit", reach.unitId()).and("audience", reach.audience())
                .and("person", reach.personId());
    }

    /**
     * An exemption replaces an earlier one for the same module: the newest reason and evidence are what hold, and its
     * learning record is written again (a new grant, a statement of its own).
     */
    private static final String EXEMPTION_REPLACES = """
            ON DUPLICATE KEY UPDATE reason = VALUES(reason), evidence = VALUES(evidence), granted_by = VALUES(granted_by),
                granted_at = CURRENT_TIMESTAMP, announced = FALSE""";

    @Transactional
    public void exempt(long personId, @NotBlank @Size(max = 80) String module, @NotBlank @Size(max = 500) String reason,
                       @Nullable @Size(max = 500) String evidence, String grantedBy) {
        if (sql.number("SELECT COUNT(*) FROM person WHERE id = :person", NamedSql.with("person", personId)) == 0) {
            throw new AssignmentRefused("Personen finns inte.");
        }
        if (!moduleReach.usableBy(personId, module)) {
            throw unknown(module);
        }
        sql.update("""
                INSERT INTO exemption (person_id, module_code, reason, evidence, granted_by)
                VALUES (:person, :module, :reason, :evidence, :by)
                """ + EXEMPTION_REPLACES,
                NamedSql.with("person", personId).and("module", module).and("reason", reason).and("evidence", evidence)
                        .and("by", grantedBy));
        exempted(List.of(personId), module);
    }

    /** How many people an exemption would reach, and how many of them are exempted from the module already. */
    public Preview previewExemption(Reach reach, @NotBlank @Size(max = 80) String module) {
        Reach checked = checkedForExemption(reach, module);
        NamedSql.Params params = params(checked).and("module", module);
        return new Preview(sql.number("SELECT COUNT(*) FROM person p WHERE " + REACHED, params),
                sql.number("SELECT COUNT(*) FROM person p WHERE " + REACHED + """
                         AND EXISTS (SELECT 1 FROM exemption e WHERE e.person_id = p.id AND e.module_code = :module)""", params));
    }

    /**
     * Exempts everyone the reach holds from the module with one reason and evidence (a unit that did the training on site,
     * say), in one statement; each exemption is its own learning record, as one made on a person's page.
     */
    @Transactional
    public Preview exemptFromPage(Reach reach, @NotBlank @Size(max = 80) String module, @NotBlank @Size(max = 500) String reason,
                                  @Nullable @Size(max = 500) String evidence, String grantedBy) {
        Preview preview = previewExemption(reach, module);
        if (preview.reached() == 0) {
            throw new AssignmentRefused("Ingen aktiv person finns i det urval du valt, så ingen undantogs.");
        }
        Reach checked = checkedForExemption(reach, module);
        NamedSql.Params params = params(checked).and("module", module).and("reason", reason).and("evidence", evidence)
                .and("by", grantedBy);
        List<Long> people = sql.list("SELECT p.id FROM person p WHERE " + REACHED, params, row -> row.number("id"));
        sql.update("""
                INSERT INTO exemption (person_id, module_code, reason, evidence, granted_by)
                SELECT p.id, :module, :reason, :evidence, :by FROM person p WHERE %s
                """.formatted(REACHED) + EXEMPTION_REPLACES, params);
        exempted(people, module);
        return preview;
    }

    /** Names the exemptions of the people from the module, written in this transaction, once it has committed. */
    private void exempted(List<Long> people, String module) {
        String ids = people.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
        List<Long> exemptions = sql.list("""
                SELECT e.id FROM exemption e WHERE e.module_code = :module
                  AND e.person_id IN (SELECT named.id FROM JSON_TABLE(:people, '$[*]' COLUMNS (id BIGINT PATH '$')) named)""",
                NamedSql.with("module", module).and("people", ids), row -> row.number("id"));
        if (!exemptions.isEmpty()) {
            events.publish(new ExemptionsGranted(Set.copyOf(exemptions)));
        }
    }

    /**
     * The module may be assigned at the node ({@link ModuleReach}): one not usable there is answered as unknown, so that
     * nothing is told about another organisation's module; a withdrawn one is named and refused.
     */
    private void requireAssignable(String moduleCode, long nodeId) {
        switch (moduleReach.assignability(moduleCode, nodeId)) {
            case NOT_HERE -> throw unknown(moduleCode);
            case WITHDRAWN -> throw new AssignmentRefused("Modulen " + titles.of(moduleCode)
                    + " är tillbakadragen och kan inte tilldelas längre.");
            case YES -> {
            }
        }
    }

    /** An exemption may name a withdrawn module (it asks nothing new), but only one usable where the person is. */
    private void requireUsable(String moduleCode, long nodeId) {
        if (!moduleReach.usableAt(moduleCode, nodeId)) {
            throw unknown(moduleCode);
        }
    }

    private static AssignmentRefused unknown(String moduleCode) {
        return new AssignmentRefused("Modulen " + moduleCode + " finns inte.");
    }
}
