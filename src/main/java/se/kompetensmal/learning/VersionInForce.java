package se.kompetensmal.learning;

/**
 * Which version of a module a completion done elsewhere on a given day belongs to: the newest version that existed on
 * that day (created on or before it), else, for a day before the module was here at all, its first version. The one
 * home of that rule, as an SQL expression, so that a single registration and a set-based import choose alike.
 */
public final class VersionInForce {

    private VersionInForce() {
    }

    /**
     * The same rule as a table, for joining many rows at once: each version with the days it is in force,
     * {@code valid_from} (inclusive; the first version from the beginning of time) to {@code valid_to} (exclusive: the day
     * a newer version appeared; a version replaced on the day it appeared has no days). Join it with
     * {@code v.module_code = x.module_code AND x.day >= v.valid_from AND x.day < v.valid_to}: one row per module and day,
     * the same version {@link #of} names. A history import joins a million rows to it instead of running {@link #of}'s two
     * subqueries for each (41 s of the benchmark's import went to writing the rows with them).
     */
    public static final String RANGES = """
            (SELECT vr.id, vr.module_code,
                    IF(vr.version = (SELECT MIN(f.version) FROM module_version f WHERE f.module_code = vr.module_code),
                       DATE '1000-01-01', DATE(vr.created_at)) AS valid_from,
                    COALESCE((SELECT DATE(MIN(n.created_at)) FROM module_version n
                              WHERE n.module_code = vr.module_code AND n.version > vr.version), DATE '9999-12-31') AS valid_to
             FROM module_version vr)""";

    /** The version's id for the module code and day given as SQL expressions (named parameters or columns). */
    public static String of(String moduleCode, String day) {
        return """
                COALESCE((SELECT vf.id FROM module_version vf WHERE vf.module_code = %1$s AND DATE(vf.created_at) <= %2$s
                          ORDER BY vf.version DESC LIMIT 1),
                         (SELECT vf.id FROM module_version vf WHERE vf.module_code = %1$s ORDER BY vf.version LIMIT 1))"""
                .formatted(moduleCode, day);
    }
}
