package se.kompetensmal.learning;

/**
 * Which version of a module a completion done elsewhere on a given day belongs to: the newest version that existed on
 * that day (created on or before it), else, for a day before the module was here at all, its first version. The one
 * home of that rule, as an SQL expression, so that a single registration and a set-based import choose alike.
 */
public final class VersionInForce {

    private VersionInForce() {
    }

    /** The version's id for the module code and day given as SQL expressions (named parameters or columns). */
    public static String of(String moduleCode, String day) {
        return """
                COALESCE((SELECT vf.id FROM module_version vf WHERE vf.module_code = %1$s AND DATE(vf.created_at) <= %2$s
                          ORDER BY vf.version DESC LIMIT 1),
                         (SELECT vf.id FROM module_version vf WHERE vf.module_code = %1$s ORDER BY vf.version LIMIT 1))"""
                .formatted(moduleCode, day);
    }
}
