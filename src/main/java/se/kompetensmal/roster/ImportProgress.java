package se.kompetensmal.roster;

/** Reports how far an import has come, every so many rows. */
final class ImportProgress {

    private static final int EVERY = 2_000;

    private final RosterImportRepository imports;
    private final long importId;
    private RosterImportStatus phase = RosterImportStatus.VALIDATING;
    private int total;

    ImportProgress(RosterImportRepository imports, long importId) {
        this.imports = imports;
        this.importId = importId;
    }

    void start(RosterImportStatus newPhase, int totalRows) {
        phase = newPhase;
        total = totalRows;
        imports.updateProgress(importId, phase, total, 0);
    }

    /** Progress at a point that is not a multiple of the interval, such as the end of a slice written set-based. */
    void reached(int processed) {
        imports.updateProgress(importId, phase, total, processed);
    }

    void rowsDone(int processed) {
        if (processed % EVERY == 0 || processed == total) {
            imports.updateProgress(importId, phase, total, processed);
        }
    }
}
