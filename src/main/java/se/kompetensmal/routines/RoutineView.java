package se.kompetensmal.routines;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A routine in force at a node: where it is set, whether it is inherited from above, and its modules. */
@Serdeable
public record RoutineView(Routine routine, String audience, String audienceName, String setAtName, boolean inherited,
                          List<String> modules) {
}
