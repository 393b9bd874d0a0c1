package se.kompetensmal.routines;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.roster.RosterImported;

/** Keeps assignments current when the roster changes: new people, changed audiences, start dates or units. */
@Singleton
public class AssignmentTriggers {

    private final RecomputeJobs jobs;
    private final OrgNodeRepository nodes;

    public AssignmentTriggers(RecomputeJobs jobs, OrgNodeRepository nodes) {
        this.jobs = jobs;
        this.nodes = nodes;
    }

    @EventListener
    void onRosterImported(RosterImported event) {
        if (event.scopeOrgId() != null) {
            jobs.request(event.scopeOrgId(), "personalimport");
        } else {
            nodes.findByParentIdIsNullOrderByName().forEach(root -> jobs.request(root.id(), "personalimport"));
        }
    }
}
