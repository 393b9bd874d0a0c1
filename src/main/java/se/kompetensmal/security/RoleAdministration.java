package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeLookup;
import se.kompetensmal.organization.OrgNodeRepository;

import java.util.List;

/** Granting and revoking roles. An administrator may grant and revoke within their own subtree; each change is audited. */
@Singleton
public class RoleAdministration {

    private final RoleGrantRepository grants;
    private final AccountRepository accounts;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final AuditLog audit;
    private final OrgNodeLookup lookup;

    public RoleAdministration(RoleGrantRepository grants, AccountRepository accounts, OrgNodeRepository nodes, Access access,
                              AuditLog audit, OrgNodeLookup lookup) {
        this.lookup = lookup;
        this.grants = grants;
        this.accounts = accounts;
        this.nodes = nodes;
        this.access = access;
        this.audit = audit;
    }

    /** A grant as the administration page lists it. */
    public record GrantView(long id, String username, String displayName, String roleSv, String organisation) {
    }

    public List<GrantView> visibleGrants(Authentication caller) {
        return grants.listOrderByAccountIdAndRole().stream()
                .filter(g -> mayAdminister(caller, g.orgNodeId()))
                .map(g -> {
                    Account account = accounts.findById(g.accountId()).orElseThrow();
                    String organisation = g.orgNodeId() == null ? "Hela systemet"
                            : nodes.findById(g.orgNodeId()).map(OrgNode::name).orElse("?");
                    return new GrantView(g.id(), account.username(), account.displayName(), g.role().labelSv(), organisation);
                })
                .toList();
    }

    /** Bounded by the columns (account username, organisation code); an unknown account or organisation is named. */
    @Transactional
    public void grant(Authentication caller, @NotBlank @Size(max = 100) String username, @NotNull Role role,
                      @NotBlank @Size(max = 64) String organisation, HttpRequest<?> request) {
        // Another organisation's code is answered as an unknown one, and before anything else is looked up. A code is
        // unique within a huvudman only: among the nodes the caller knows of it must name one (else 409 from the lookup).
        OrgNode node = lookup.find(null, null, organisation.strip(), n -> access.knowsOf(caller, n.id()))
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
                        "Fältet 'organisation' ska vara koden för en organisation som finns; " + organisation.strip() + " finns inte."));
        if (!mayAdminister(caller, node.id())) {
            throw Access.forbidden();
        }
        Account account = accounts.findByUsername(username.strip())
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
                        "Fältet 'användarnamn' ska vara ett konto som finns; " + username.strip() + " finns inte."));
        if (role == Role.LEARNER) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "Rollen medarbetare följer av kopplingen till en person.");
        }
        grants.save(new RoleGrant(null, account.id(), role, node.id(), caller.getName(), null));
        audit.record(caller.getName(), AuditLog.ROLE_GRANTED, role + " på " + node.code() + " till " + account.username(), request);
    }

    @Transactional
    public void revoke(Authentication caller, long grantId, HttpRequest<?> request) {
        RoleGrant grant = grants.findById(grantId).orElseThrow(Access::notFound);
        if (!mayAdminister(caller, grant.orgNodeId())) {
            throw grant.orgNodeId() == null ? Access.forbidden() : access.refusal(caller, grant.orgNodeId());
        }
        if (grant.role() == Role.ADMINISTRATOR && grant.accountId() == Caller.of(caller).accountId()) {
            // Otherwise an administrator could lock everyone out of administration by mistake.
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "Du kan inte återkalla din egen administratörsroll.");
        }
        grants.delete(grant);
        String account = accounts.findById(grant.accountId()).map(Account::username).orElse("?");
        String where = grant.orgNodeId() == null ? "hela systemet" : nodes.findById(grant.orgNodeId()).map(OrgNode::code).orElse("?");
        audit.record(caller.getName(), AuditLog.ROLE_REVOKED, grant.role() + " på " + where + " från " + account, request);
    }

    private boolean mayAdminister(Authentication caller, Long nodeId) {
        return nodeId == null ? access.holdsSystemWide(caller, Role.ADMINISTRATOR)
                : access.holdsOn(caller, nodeId, Role.ADMINISTRATOR);
    }
}
