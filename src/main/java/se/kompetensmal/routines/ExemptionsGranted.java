package se.kompetensmal.routines;

import java.util.Set;

/**
 * Published after commit when people were exempted from a module (one on a person's page, a group on the group page),
 * or an exemption was replaced with a new reason: what follows from them (their learning record in the LRS) is owed for
 * these exemptions, as they stand now. Named by the exemptions' ids, so that a listener derives what it writes from them
 * and writing it again changes nothing.
 *
 * @param exemptionIds the exemptions granted or replaced
 */
public record ExemptionsGranted(Set<Long> exemptionIds) {

    public ExemptionsGranted {
        exemptionIds = Set.copyOf(exemptionIds);
    }
}
