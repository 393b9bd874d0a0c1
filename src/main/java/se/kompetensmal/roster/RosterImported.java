package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;

/** Published when a people import has been written: what follows from the roster (assignments) is now out of date. */
public record RosterImported(@Nullable Long scopeOrgId) {
}
