package se.kompetensmal.catalog;

import java.util.List;

/** The content in {@code courses/} cannot be used; every problem names its file. */
public class InvalidCourseContentException extends RuntimeException {

    private final List<String> problems;

    public InvalidCourseContentException(List<String> problems) {
        super("Kursinnehållet har " + problems.size() + " fel och laddades inte:\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
