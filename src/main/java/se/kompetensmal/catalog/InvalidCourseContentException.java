package se.kompetensmal.catalog;

import java.util.List;

/** The content in {@code courses/} (or a module's zip) cannot be used; every problem names its file and line. */
public class InvalidCourseContentException extends RuntimeException {

    private final List<String> problems;

    public InvalidCourseContentException(List<String> problems) {
        super("Kursinnehållet har " + problems.size() + " fel och laddades inte:\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** The same problems as the rules give them, for an API answer or a page listing them. */
    public static InvalidCourseContentException of(List<ModuleRules.Problem> problems) {
        return new InvalidCourseContentException(problems.stream().map(ModuleRules.Problem::toString).toList());
    }

    /** Each problem as "where: message" (where is a file, and a line when known). */
    public List<String> problems() {
        return problems;
    }

    /** The problems split into place and message. */
    public List<ModuleRules.Problem> details() {
        return problems.stream().map(p -> {
            int colon = p.indexOf(": ");
            return colon < 0 ? new ModuleRules.Problem("", p)
                    : new ModuleRules.Problem(p.substring(0, colon), p.substring(colon + 2));
        }).toList();
    }
}
