package se.kompetensmal.routines;

/**
 * Published when a recomputation of assignments has finished, every slice committed: what is counted from the
 * assignments of the people under {@link #scopeNodeId} as a whole (the trend's estimated months) may be counted again.
 */
public record RecomputationDone(long jobId, long scopeNodeId) {
}
