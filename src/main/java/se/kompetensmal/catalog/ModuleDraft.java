package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A module as written, before it is known to be valid: what the editor saves as the coordinator types (numbers kept as
 * typed text, so that nothing is lost) and what the files of a {@code courses/} folder read into. {@link ModuleRules}
 * validates it into a {@link CourseContent.Module}, with the same rules and messages for both.
 */
@Serdeable
public record ModuleDraft(String code, String title, String summary, String estimatedMinutes, List<String> audiences,
                          List<String> goals, String passMark, List<Page> pages, List<Question> questions,
                          List<Image> images, @Nullable String xapiActivityId, @Nullable String launchUrl) {

    /** A page: its title and its Markdown body (without the title line). */
    @Serdeable
    public record Page(String title, String markdown) {
    }

    @Serdeable
    public record Question(String code, String text, List<Option> options) {
    }

    @Serdeable
    public record Option(String text, boolean correct, String feedback) {
    }

    /**
     * An image the pages may show as {@code ![alt text](images/<fileName>)}: a row of {@code module_image} (its id), whose
     * type was read from its bytes when it came in.
     */
    @Serdeable
    public record Image(String fileName, long imageId, String contentType, long size) {
    }

    /** An empty draft for a new module, with the editor's defaults. */
    public static ModuleDraft empty(String code, String title) {
        return new ModuleDraft(code, title, "", "15", List.of(), List.of(), "80", List.of(), List.of(), List.of(), null, null);
    }
}
