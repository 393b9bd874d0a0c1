package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.web.ReasonableDate;
import se.kompetensmal.xapi.LearningRecords;

import java.sql.Date;
import java.time.LocalDate;

/**
 * A coordinator's own assignments and exemptions. A manual assignment reaches every active person under a node,
 * optionally only those of one audience, in one statement; where a routine already asks for the module, the earlier date
 * holds.
 */
@Singleton
public class ManualAssignments {

    private final JdbcOperations jdbc;
    private final LearningRecords records;
    private final Audiences audiences;

    public ManualAssignments(JdbcOperations jdbc, LearningRecords records, Audiences audiences) {
        this.jdbc = jdbc;
        this.audiences = audiences;
        this.records = records;
    }

    /** Checked after the caller's rights, bounded by the columns: the module code, the audience code and a date a person means. */
    @Transactional
    public int assign(long nodeId, @Nullable @Size(max = 40) String audience, @NotBlank @Size(max = 80) String module,
                      @NotNull @ReasonableDate LocalDate dueDate, String assignedBy) {
        String audienceCode = audience;
        String moduleCode = module;
        requireModule(moduleCode);
        if (audienceCode != null && audiences.usableUnder(audienceCode, nodeId).isEmpty()) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Målgruppen " + audienceCode + " finns inte.");
        }
        int assigned = jdbc.prepareStatement("""
                INSERT INTO assignment (person_id, module_code, cycle, source, due_date, assigned_by)
                SELECT DISTINCT p.id, ?, 1, 'MANUAL', ?, ? FROM person p
                JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = ?
                LEFT JOIN person_audience pa ON pa.person_id = p.id
                LEFT JOIN audience a ON a.id = pa.audience_id
                WHERE p.status = 'ACTIVE' AND (? IS NULL OR a.code = ?)
                ON DUPLICATE KEY UPDATE assignment.due_date = LEAST(assignment.due_date, VALUES(due_date)),
                    assignment.withdrawn_at = NULL,
                    assignment.assigned_by = COALESCE(assignment.assigned_by, VALUES(assigned_by))""", statement -> {
            statement.setString(1, moduleCode);
            statement.setDate(2, Date.valueOf(dueDate));
            statement.setString(3, assignedBy);
            statement.setLong(4, nodeId);
            statement.setString(5, audienceCode);
            statement.setString(6, audienceCode);
            return statement.executeUpdate();
        });
        records.assigned(0, Long.MAX_VALUE);
        return assigned;
    }

    @Transactional
    public void exempt(long personId, @NotBlank @Size(max = 80) String module, @NotBlank @Size(max = 500) String reason,
                       @Nullable @Size(max = 500) String evidence, String grantedBy) {
        String moduleCode = module;
        requireModule(moduleCode);
        jdbc.prepareStatement("""
                INSERT INTO exemption (person_id, module_code, reason, evidence, granted_by) VALUES (?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE reason = VALUES(reason), evidence = VALUES(evidence), granted_by = VALUES(granted_by),
                    granted_at = CURRENT_TIMESTAMP""", statement -> {
            statement.setLong(1, personId);
            statement.setString(2, moduleCode);
            statement.setString(3, reason);
            statement.setString(4, evidence);
            statement.setString(5, grantedBy);
            return statement.executeUpdate();
        });
        records.exempted(personId, moduleCode, reason);
    }

    private void requireModule(String moduleCode) {
        boolean known = jdbc.prepareStatement("SELECT COUNT(*) FROM module_version WHERE module_code = ?", statement -> {
            statement.setString(1, moduleCode);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        });
        if (!known) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Modulen " + moduleCode + " finns inte.");
        }
    }
}
