package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Access;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which audiences may be seen and used where. An organisation's own audience belongs to the subtree of the node that
 * owns it: other organisations neither see it listed nor can use it, and asking for it is answered as for an unknown code.
 */
@Singleton
public class Audiences {

    private final AudienceRepository audiences;
    private final Access access;

    public Audiences(AudienceRepository audiences, Access access) {
        this.audiences = audiences;
        this.access = access;
    }

    /** Usable for people, routines and assignments at the node. */
    public List<Audience> usableUnder(long nodeId) {
        return audiences.findUsableUnder(nodeId);
    }

    /** The audience with the code, if it is usable at the node; empty as for an unknown code otherwise. */
    public Optional<Audience> usableUnder(@Nullable String code, long nodeId) {
        if (code == null) {
            return Optional.empty();
        }
        String wanted = code.strip().toUpperCase(Locale.ROOT);
        return usableUnder(nodeId).stream().filter(a -> a.code().equals(wanted)).findFirst();
    }

    /** The national audiences and those owned within the organisations the caller belongs to. */
    public List<Audience> visibleTo(Authentication caller) {
        return audiences.listOrderBySortOrderAndCode().stream()
                .filter(a -> a.ownerOrgId() == null || access.knowsOf(caller, a.ownerOrgId()))
                .toList();
    }
}
