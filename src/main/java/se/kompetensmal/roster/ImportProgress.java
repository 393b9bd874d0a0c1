package se.kompetensmal.roster;

/**
 * Reports how far an import has come, every so many rows (in transactions of their own, so that it shows while the
 * import's own transaction is open), and begins and ends the import's write transaction ({@link ImportWrites}).
 */
final class ImportProgress {

    private static final int EVERY = 2_000;

    private final RosterImportRepository imports;
    private final ImportWrites writes;
    private final RosterImport rosterImport;
    private RosterImportStatus phase = RosterImportStatus.VALIDATING;
    private int total;
    private String token;

    ImportProgress(RosterImportRepository imports, ImportWrites writes, RosterImport rosterImport) {
        this.imports = imports;
        this.writes = writes;
        this.rosterImport = rosterImport;
    }

    private long importId() {
        return rosterImport.id();
    }

    void start(RosterImportStatus newPhase, int totalRows) {
        phase = newPhase;
        total = totalRows;
        imports.updateProgress(importId(), phase, total, 0);
    }

    /** Progress at a point that is not a multiple of the interval, such as the end of a slice written set-based. */
    void reached(int processed) {
        if (phase == RosterImportStatus.WRITING) {
            writes.written(importId(), processed);
        }
        imports.updateProgress(importId(), phase, total, processed);
    }

    void rowsDone(int processed) {
        if (phase == RosterImportStatus.WRITING) {
            writes.written(importId(), processed);
        }
        if (processed % EVERY == 0 || processed == total) {
            imports.updateProgress(importId(), phase, total, processed);
        }
    }

    /** The first statement of the import's write transaction. */
    void beginWrite() {
        token = writes.begin(importId());
    }

    /** The last statements of the import's write transaction: its success, committed with its rows or not at all. */
    ImportOutcome succeeded(ImportOutcome outcome) {
        return succeeded(outcome, null);
    }

    /** As {@link #succeeded(ImportOutcome)}, with the recomputation of assignments asked for in the same transaction. */
    ImportOutcome succeeded(ImportOutcome outcome, Long recomputeJobId) {
        if (token == null) {
            throw new IllegalStateException("The write of import " + importId() + " was not begun");
        }
        writes.succeed(importId(), token, rosterImport.kind(), outcome, recomputeJobId);
        token = null;
        return outcome;
    }
}
