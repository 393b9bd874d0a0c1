package se.kompetensmal.learning;

/**
 * A registered or imported completion was voided: it counts for nothing from now on. Published inside the voiding's
 * transaction, so that whoever reacts (the assignments, in {@code routines}) does so in the same commit or not at all.
 */
public record CompletionVoided(long completionId, long personId, String moduleCode) {
}
