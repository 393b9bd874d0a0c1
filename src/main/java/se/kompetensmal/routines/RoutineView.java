package se.kompetensmal.routines;

import io.micronaut.serde.annotation.Serdeable;
import se.kompetensmal.catalog.ModuleTitles;

import java.util.List;

/**
 * A routine in force at a node (or retired): where it is set, whether it is inherited from above, and its modules, as
 * codes and with the titles people know them by.
 */
@Serdeable
public record RoutineView(Routine routine, String audience, String audienceName, String setAtName, boolean inherited,
                          List<String> modules, List<Module> titledModules) {

    /** A module of the routine: its code and the title people know it by ({@link ModuleTitles}). */
    @Serdeable
    public record Module(String code, String title) {
    }
}
