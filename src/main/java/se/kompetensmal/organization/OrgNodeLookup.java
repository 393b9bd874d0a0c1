package se.kompetensmal.organization;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds a node as people outside the service name it: by its own HSA-id, or by its code within a huvudman (codes are
 * unique within a huvudman, not across the instance, so "1001" alone may name a unit in each of two municipalities).
 * The one home of that rule for the API and for forms that take a code.
 */
@Singleton
public class OrgNodeLookup {

    private final OrgNodeRepository nodes;

    public OrgNodeLookup(OrgNodeRepository nodes) {
        this.nodes = nodes;
    }

    /**
     * The node with this HSA-id; or the one with this code within the huvudman with code {@code huvudman} (the huvudman
     * itself when the codes are the same); or, without a huvudman, the only node with the code among those {@code
     * known} lets through. Empty when there is none; 409 with a Swedish message when a code alone names several.
     */
    public Optional<OrgNode> find(@Nullable String hsaId, @Nullable String huvudman, @Nullable String code,
                                  Predicate<OrgNode> known) {
        if (hsaId != null && !hsaId.isBlank()) {
            return nodes.findByHsaId(hsaId.strip()).filter(known);
        }
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        String wanted = code.strip();
        if (huvudman != null && !huvudman.isBlank()) {
            List<OrgNode> huvudmen = nodes.findAllByCode(huvudman.strip()).stream()
                    .filter(n -> n.kind().isHuvudman()).filter(known).toList();
            if (huvudmen.size() != 1) {
                return Optional.empty();
            }
            OrgNode h = huvudmen.get(0);
            return h.code().equals(wanted) ? Optional.of(h) : nodes.findInScope(h.id(), wanted).filter(known);
        }
        List<OrgNode> found = nodes.findAllByCode(wanted).stream().filter(known).toList();
        if (found.size() > 1) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Koden " + wanted
                    + " används av flera huvudmän; ange också huvudmannens kod (huvudman).");
        }
        return found.stream().findFirst();
    }
}
