package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/** Everything read from {@code courses/}: the goal catalogue and the modules, validated. */
public record CourseContent(String catalogueVersion, List<Goal> goals, List<Module> modules) {

    public record Goal(String code, List<String> audiences, GoalArea area, GoalKind kind, String textSv, String textEn) {
    }

    /**
     * A module. An external one is taken elsewhere (an xAPI activity with a launch link, such as a national e-learning
     * course): it has no pages or assessment here, and its completions are read from the LRS.
     */
    public record Module(String code, String title, String summary, int estimatedMinutes, List<String> audiences,
                         List<String> goals, int passMark, List<Page> pages, List<Question> questions,
                         @Nullable External external, List<ImageFile> images) {

        /** The same module with its images' bytes (the rules see names and types; the files carry the bytes). */
        public Module withImages(List<ImageFile> withBytes) {
            return new Module(code, title, summary, estimatedMinutes, audiences, goals, passMark, pages, questions,
                    external, List.copyOf(withBytes));
        }

        /**
         * The module as a draft again, for the editor (a draft from the latest version) and for checking it anew.
         * {@code draftImages} are the draft's images (rows of module_image); validating the draft gives this module again.
         */
        public ModuleDraft toDraft(List<ModuleDraft.Image> draftImages) {
            return new ModuleDraft(code, title, summary, String.valueOf(estimatedMinutes), audiences, goals,
                    String.valueOf(passMark),
                    pages.stream().map(p -> new ModuleDraft.Page(p.title(), p.markdown())).toList(),
                    questions.stream().map(q -> new ModuleDraft.Question(q.code(), q.text(), q.options().stream()
                            .map(o -> new ModuleDraft.Option(o.text(), o.correct(), o.feedback())).toList())).toList(),
                    draftImages, external == null ? null : external.activityId(), external == null ? null : external.launchUrl());
        }
    }

    public record External(String activityId, String launchUrl) {
    }

    public record Page(String title, String markdown) {
    }

    public record Question(String code, String text, List<Option> options) {
    }

    public record Option(String text, boolean correct, String feedback) {
    }
}
