package se.kompetensmal.site;

import io.micronaut.data.connection.annotation.Connectable;
import jakarta.inject.Singleton;
import se.kompetensmal.roster.RosterImportStatus;
import se.kompetensmal.sql.NamedSql;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the start pages count and list. It only reads; the tables belong to their packages (assignments to routines,
 * imports to roster, role grants to security), which is why these few queries live here instead of in a repository there.
 */
@Singleton
@Connectable
public class StartPageQueries {

    /** How far back a failed import or recomputation still asks for attention. */
    static final int RECENT_DAYS = 30;

    private final NamedSql sql;

    public StartPageQueries(NamedSql sql) {
        this.sql = sql;
    }

    /**
     * The audiences (codes) of the active people placed under the node, by the audiences of those placements: coverage
     * gaps matter only where someone is.
     */
    public Set<String> audiencesPresent(long nodeId) {
        return Set.copyOf(sql.list("""
                SELECT DISTINCT au.code AS code
                FROM org_closure c
                JOIN current_placement pl ON pl.org_node_id = c.descendant_id
                JOIN person p ON p.id = pl.person_id AND p.status = 'ACTIVE'
                JOIN placement_audience pa ON pa.placement_id = pl.id
                JOIN audience au ON au.id = pa.audience_id
                WHERE c.ancestor_id = :node""", NamedSql.with("node", nodeId), row -> row.string("code")));
    }

    /** An import that did not go through, or waits for someone to confirm it. */
    public record ImportNeedingAttention(long id, String fileName, String status, LocalDate createdOn) {
        public String statusSv() {
            return RosterImportStatus.valueOf(status).labelSv();
        }

        public boolean awaitingConfirmation() {
            return "AWAITING_CONFIRMATION".equals(status);
        }
    }

    /** Imports for the node or under it, of the last {@link #RECENT_DAYS} days, that failed or wait for a confirmation. */
    public List<ImportNeedingAttention> importsNeedingAttention(long nodeId) {
        return sql.list("""
                SELECT ri.id, ri.file_name, ri.status, ri.created_at
                FROM roster_import ri
                JOIN org_closure c ON c.descendant_id = ri.scope_org_id AND c.ancestor_id = :node
                WHERE ri.status IN ('FAILED', 'REJECTED', 'AWAITING_CONFIRMATION')
                  AND ri.created_at >= CURRENT_TIMESTAMP - INTERVAL :days DAY
                ORDER BY ri.id DESC LIMIT 10""", NamedSql.with("node", nodeId).and("days", RECENT_DAYS),
                row -> new ImportNeedingAttention(row.number("id"), row.string("file_name"), row.string("status"),
                        row.swedishDay("created_at")));
    }

    /** A recomputation of assignments that failed. */
    public record FailedJob(long id, long nodeId, String nodeName, LocalDate createdOn) {
    }

    public List<FailedJob> failedRecomputations(long nodeId) {
        return sql.list("""
                SELECT j.id, j.scope_org_id, n.name, j.created_at
                FROM recompute_job j
                JOIN org_closure c ON c.descendant_id = j.scope_org_id AND c.ancestor_id = :node
                JOIN org_node n ON n.id = j.scope_org_id
                WHERE j.status = 'FAILED' AND j.created_at >= CURRENT_TIMESTAMP - INTERVAL :days DAY
                ORDER BY j.id DESC LIMIT 10""", NamedSql.with("node", nodeId).and("days", RECENT_DAYS),
                row -> new FailedJob(row.number("id"), row.number("scope_org_id"), row.string("name"),
                        row.swedishDay("created_at")));
    }

    /** Accounts, and role grants per role, for the administrator's start page. */
    public record AccountFigures(long accounts, long lockedAccounts, Map<String, Long> grantsByRole) {
    }

    public AccountFigures accountFigures() {
        long accounts = sql.number("SELECT COUNT(*) FROM user_account", Map.of());
        long locked = sql.number("SELECT COUNT(*) FROM user_account WHERE locked_until > CURRENT_TIMESTAMP", Map.of());
        Map<String, Long> grants = new TreeMap<>();
        sql.list("SELECT role, COUNT(*) AS grants FROM role_grant GROUP BY role", Map.of(),
                row -> grants.put(row.string("role"), row.number("grants")));
        return new AccountFigures(accounts, locked, grants);
    }
}
