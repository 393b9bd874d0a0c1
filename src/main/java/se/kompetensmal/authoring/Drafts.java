package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.catalog.ModuleDraft;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Drafts as sent or stored made whole: nothing missing, nothing null. */
final class Drafts {

    private Drafts() {
    }

    /**
     * The draft as sent, made whole: a missing text is empty, a missing list empty, entries that are null dropped, and the
     * code is the module's (a module keeps its code). Everything typed is kept as typed, valid or not.
     */
    static ModuleDraft whole(ModuleDraft draft, String code, List<ModuleDraft.Image> images) {
        return new ModuleDraft(code, text(draft.title()), text(draft.summary()), text(draft.estimatedMinutes()),
                texts(draft.audiences()), texts(draft.goals()), text(draft.passMark()),
                list(draft.pages(), p -> new ModuleDraft.Page(text(p.title()), text(p.markdown()))),
                list(draft.questions(), q -> new ModuleDraft.Question(text(q.code()), text(q.text()),
                        list(q.options(), o -> new ModuleDraft.Option(text(o.text()), o.correct(), text(o.feedback()))))),
                List.copyOf(images), blankAsNull(draft.xapiActivityId()), blankAsNull(draft.launchUrl()));
    }

    private static String text(@Nullable String text) {
        return text == null ? "" : text;
    }

    private static @Nullable String blankAsNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static List<String> texts(@Nullable List<String> texts) {
        return texts == null ? List.of() : texts.stream().filter(Objects::nonNull).toList();
    }

    private static <T> List<T> list(@Nullable List<T> items, Function<T, T> whole) {
        return items == null ? List.of() : items.stream().filter(Objects::nonNull).map(whole).toList();
    }
}
