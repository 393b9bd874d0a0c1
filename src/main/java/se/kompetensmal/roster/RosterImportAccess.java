package se.kompetensmal.roster;

import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Role;

import java.util.List;

/**
 * Who may import and read imports: coordinators and administrators of the organisation a file covers; a file that
 * covers no organisation (a new huvudman, say) only a system-wide administrator.
 */
@Singleton
public class RosterImportAccess {

    private final Access access;
    private final RosterImportQueries queries;

    public RosterImportAccess(Access access, RosterImportQueries queries) {
        this.access = access;
        this.queries = queries;
    }

    public void requireImport(Authentication caller, Long scopeOrgId) {
        if (!mayImport(caller, scopeOrgId)) {
            throw scopeOrgId == null ? Access.forbidden() : access.refusal(caller, scopeOrgId);
        }
    }

    public RosterImportView view(Authentication caller, long id) {
        RosterImportView view = queries.view(id);
        requireImport(caller, view.rosterImport().scopeOrgId());
        return view;
    }

    public List<RosterImport> recent(Authentication caller) {
        return queries.recent().stream().filter(i -> mayImport(caller, i.scopeOrgId())).toList();
    }

    private boolean mayImport(Authentication caller, Long scopeOrgId) {
        return scopeOrgId == null
                ? access.holdsSystemWide(caller, Role.ADMINISTRATOR)
                : access.holdsOn(caller, scopeOrgId, Role.COORDINATOR, Role.ADMINISTRATOR);
    }
}
