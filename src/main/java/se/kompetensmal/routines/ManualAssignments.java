package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.web.ReasonableDate;
import se.kompetensmal.xapi.LearningRecords;

import java.time.LocalDate;
import java.util.List;

/**
 * A coordinator's own assignments and exemptions. A manual assignment reaches every active person under a node,
 * optionally only those in one unit below it, of one audience, or one person, in one statement; where a routine already
 * asks for the module, the earlier date holds. Once committed, {@link AssignmentsChanged} names the people it reached
 * (their announcement to the LRS follows from it). Exemptions are still written as learning records in their own
 * transaction.
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

    private final NamedSql sql;
    private final LearningRecords records;
    private final Audiences audiences;
    private final ModuleReach moduleReach;
    private final ModuleTitles titles;

    private final AssignmentEvents events;

    public ManualAssignments(NamedSql sql, LearningRecords records, Audiences audiences, ModuleReach moduleReach,
                             ModuleTitles titles, AssignmentEvents events) {
        this.events = events;
        this.moduleReach = moduleReach;
        this.titles = titles;
        this.sql = sql;
        this.audiences = audiences;
        this.records = records;
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

    /** Checked after the caller's rights, bounded by the columns: the module code, the audience code and a date a person means. */
    @Transactional
    public int assign(long nodeId, @Nullable @Size(max = 40) String audience, @NotBlank @Size(max = 80) String module,
                      @NotNull @ReasonableDate LocalDate dueDate, String assignedBy) {
        return assign(new Reach(nodeId, null, audience, null), module, dueDate, assignedBy);
    }

    /** What {@link #assignFromPage} would do, without doing it. */
    public Preview preview(Reach reach, @NotBlank @Size(max = 80) String module) {
        Reach checked = checked(reach, module);
        NamedSql.Params params = params(checked).and("module", module);
        return new Preview(sql.number("SELECT COUNT(*) FROM person p WHERE " + REACHED, params),
                sql.number("SELECT COUNT(*) FROM person p WHERE " + REACHED + """
                         AND EXISTS (SELECT 1 FROM assignment a WHERE a.person_id = p.id AND a.module_code = :module
                                     AND a.withdrawn_at IS NULL)""", params));
    }

    /**
     * An assignment made on a page: as {@link #assign(long, String, String, LocalDate, String)}, but the due date may not
     * be past (an assignment overdue the day it is made is a slip) and the preview of whom it reached is returned.
     */
    @Transactional
    public Preview assignFromPage(Reach reach, @NotBlank @Size(max = 80) String module,
                                  @NotNull @ReasonableDate LocalDate dueDate, LocalDate today, String assignedBy) {
        requireDueDate(dueDate, today);
        Preview preview = preview(reach, module);
        if (preview.reached() == 0) {
            throw new AssignmentRefused("Ingen aktiv person finns i det urval du valt, så ingen fick modulen.");
        }
        assign(reach, module, dueDate, assignedBy);
        return preview;
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

    private int assign(Reach reach, String module, LocalDate dueDate, String assignedBy) {
        Reach checked = checked(reach, module);
        // The people reached, read before the insert with the same text, so that the change names exactly them: their
        // announcements (and later summaries) follow from the event, never a sweep of the whole database.
        java.util.Set<Long> people = new java.util.HashSet<>(sql.list("SELECT p.id FROM person p WHERE " + REACHED,
                params(checked), row -> row.number("id")));
        int assigned = sql.update("""
                INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by)
                SELECT p.id, :module, 1, 'MANUAL', :due, :by FROM person p
                WHERE %s
                ON DUPLICATE KEY UPDATE assignment.due_date = LEAST(assignment.due_date, VALUES(due_date)),
                    assignment.withdrawn_at = NULL,
                    assignment.assigned_by = COALESCE(assignment.assigned_by, VALUES(assigned_by))""".formatted(REACHED),
                params(checked).and("module", module).and("due", dueDate).and("by", assignedBy));
        if (!people.isEmpty()) {
            events.afterCommit(AssignmentsChanged.assigned(reach.nodeId(), people, module));
        }
        return assigned;
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

    /** An exemption replaces an earlier one for the same module: the newest reason and evidence are what hold. */
    private static final String EXEMPTION_REPLACES = """
            ON DUPLICATE KEY UPDATE reason = VALUES(reason), evidence = VALUES(evidence), granted_by = VALUES(granted_by),
                granted_at = CURRENT_TIMESTAMP""";

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
        records.exempted(personId, module, reason);
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
        people.forEach(person -> records.exempted(person, module, reason));
        return preview;
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
