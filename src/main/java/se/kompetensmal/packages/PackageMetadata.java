package se.kompetensmal.packages;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * What the coordinator says about an uploaded package: the module's audiences, the competence goals it covers and the
 * estimated minutes, and optionally a title (else the manifest's) and a code (else one made from the manifest
 * identifier). For a next version, what is left out (null or empty) is taken from the module's latest version.
 */
public record PackageMetadata(@Nullable String title, @Nullable String code, List<String> audiences, List<String> goals,
                              @Nullable Integer estimatedMinutes, @Nullable String summary) {

    public PackageMetadata {
        audiences = audiences == null ? List.of() : audiences.stream().filter(a -> a != null && !a.isBlank())
                .map(String::strip).distinct().toList();
        goals = goals == null ? List.of() : goals.stream().filter(g -> g != null && !g.isBlank())
                .map(String::strip).distinct().toList();
        title = title == null || title.isBlank() ? null : title.strip();
        code = code == null || code.isBlank() ? null : code.strip();
        summary = summary == null || summary.isBlank() ? null : summary.strip();
    }

    /** A new package's particulars with the manifest's title and a code made from its identifier. */
    public static PackageMetadata of(List<String> audiences, List<String> goals, int estimatedMinutes) {
        return new PackageMetadata(null, null, audiences, goals, estimatedMinutes, null);
    }

    /** Nothing new: a next version keeps the module's title, audiences, goals and minutes. */
    public static PackageMetadata unchanged() {
        return new PackageMetadata(null, null, List.of(), List.of(), null, null);
    }
}
