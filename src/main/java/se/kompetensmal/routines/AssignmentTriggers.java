package se.kompetensmal.routines;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.roster.PeopleChanged;
import se.kompetensmal.roster.RosterImported;
import se.kompetensmal.sql.NamedSql;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Keeps assignments current when the roster changes: new people, changed audiences, start dates, units or placements. */
@Singleton
public class AssignmentTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentTriggers.class);

    /**
     * Up to this many changed people are recomputed at once, one by one, so that a person page or a SCIM call shows the
     * new assignments right away; more (an import, a bulk SCIM sync) go to the background jobs, which work in slices.
     */
    static final int AT_ONCE = 50;

    private final RecomputeJobs jobs;
    private final OrgNodeRepository nodes;
    private final AssignmentRecompute recompute;
    private final NamedSql sql;

    public AssignmentTriggers(RecomputeJobs jobs, OrgNodeRepository nodes, AssignmentRecompute recompute, NamedSql sql) {
        this.jobs = jobs;
        this.nodes = nodes;
        this.recompute = recompute;
        this.sql = sql;
    }

    @EventListener
    void onRosterImported(RosterImported event) {
        if (event.scopeOrgId() != null) {
            jobs.requestCovered(event.scopeOrgId(), "personalimport");
        } else {
            nodes.findByParentIdIsNullOrderByName().forEach(root -> jobs.request(root.id(), "personalimport"));
        }
    }

    /**
     * Changed people get the assignments of their placements now: a new placement's routines, an ended placement's open
     * assignments withdrawn. A few are recomputed at once; many through a job per huvudman they are placed in (ended
     * placements included, so that what those gave is withdrawn too).
     */
    @EventListener
    void onPeopleChanged(PeopleChanged event) {
        if (event.personIds().isEmpty()) {
            return;
        }
        if (event.personIds().size() <= AT_ONCE) {
            for (long personId : event.personIds().stream().sorted().toList()) {
                try {
                    recompute.recomputePersonOnItsOwn(personId);
                } catch (RuntimeException e) {
                    // One person's data must not keep the others (or the change that was already committed) from going
                    // through; the nightly or next recomputation of their organisation tries again.
                    LOG.error("Assignment recomputation after {} skipped person {}: {}", event.reason(), personId,
                            e.getMessage());
                }
            }
            return;
        }
        for (long scope : huvudmenOf(event.personIds())) {
            jobs.requestCovered(scope, abbreviated(event.reason()));
        }
    }

    /**
     * The huvudmän (or, for a node above every huvudman, the node itself) where the people are or were placed, in one
     * statement however many they are: the ids go in as one JSON array.
     */
    private List<Long> huvudmenOf(Set<Long> personIds) {
        String ids = personIds.stream().sorted().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
        return sql.list("""
                SELECT DISTINCT COALESCE(n.huvudman_id, n.id) AS scope_id
                FROM JSON_TABLE(:ids, '$[*]' COLUMNS (person_id BIGINT PATH '$')) changed
                JOIN placement pl ON pl.person_id = changed.person_id
                JOIN org_node n ON n.id = pl.org_node_id
                ORDER BY scope_id""", NamedSql.with("ids", ids), row -> row.number("scope_id"));
    }

    /** The job's requested_by column is short; the reason names the change, e.g. "scim" or "personalimport". */
    private static String abbreviated(String reason) {
        String text = reason == null || reason.isBlank() ? "personändring" : reason.strip();
        return text.length() > 60 ? text.substring(0, 60) : text;
    }
}
