package se.kompetensmal.routines;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.roster.RosterImported;

/** Keeps assignments current when the roster changes: new people, changed audiences, start dates or units. */
@Singleton
public class AssignmentTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentTriggers.class);

    private final AssignmentRecompute recompute;
    private final OrgNodeRepository nodes;

    public AssignmentTriggers(AssignmentRecompute recompute, OrgNodeRepository nodes) {
        this.recompute = recompute;
        this.nodes = nodes;
    }

    @EventListener
    void onRosterImported(RosterImported event) {
        if (event.scopeOrgId() != null) {
            log(event.scopeOrgId(), recompute.recompute(event.scopeOrgId()));
        } else {
            for (OrgNode root : nodes.findByParentIdIsNullOrderByName()) {
                log(root.id(), recompute.recompute(root.id()));
            }
        }
    }

    private static void log(long nodeId, AssignmentRecompute.Result result) {
        LOG.info("Assignments under node {} recomputed after a roster import: {} set, {} withdrawn", nodeId,
                result.upserted(), result.withdrawn());
    }
}
