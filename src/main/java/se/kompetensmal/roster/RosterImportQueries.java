package se.kompetensmal.roster;

import jakarta.inject.Singleton;
import se.kompetensmal.routines.RecomputeJobRepository;
import se.kompetensmal.security.Access;

import java.util.List;

/** Reads imports and their reports. */
@Singleton
public class RosterImportQueries {

    /** How many bad rows a page or an API answer shows; the CSV report has them all. */
    public static final int SHOWN_ERRORS = 1_000;

    private final RosterImportRepository imports;
    private final RecomputeJobRepository jobs;

    public RosterImportQueries(RosterImportRepository imports, RecomputeJobRepository jobs) {
        this.imports = imports;
        this.jobs = jobs;
    }

    public RosterImportView view(long id) {
        RosterImport found = imports.findById(id)
                .orElseThrow(() -> Access.notFound());
        return new RosterImportView(found, imports.countErrors(id), imports.findErrors(id, SHOWN_ERRORS),
                found.recomputeJobId() == null ? null : jobs.findById(found.recomputeJobId()).orElse(null));
    }

    public List<RowError> allErrors(long id) {
        return imports.findErrors(id, Integer.MAX_VALUE);
    }

    public List<RosterImport> recent() {
        return imports.findTop20OrderByIdDesc();
    }
}
