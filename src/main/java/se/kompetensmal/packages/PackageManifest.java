package se.kompetensmal.packages;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.scorm.ScormVersion;

import java.math.BigDecimal;
import java.util.List;

/**
 * What a package's {@code imsmanifest.xml} says that Kompetensmål uses: the edition, the manifest identifier (what makes
 * a later upload the same package), the default organisation's title and its items in manifest order (the flow order),
 * each with what the runtime gives the SCO at launch.
 *
 * @param identifier the manifest's identifier attribute
 * @param title      the default organisation's title (the package's name as its author gave it)
 * @param items      the default organisation's items, depth first in document order
 */
public record PackageManifest(ScormVersion version, String identifier, String title, @Nullable String description,
                              List<Item> items) {

    public enum Kind { CLUSTER, SCO, ASSET }

    /**
     * One item of the default organisation.
     *
     * @param parent     index in {@link #items()} of the item it is in, or -1 at the top
     * @param depth      0 at the top
     * @param launchHref the launch location relative to the package root (xml:base applied, parameters appended);
     *                   null for a cluster
     * @param launchFile the file that launch location names (no query or fragment, URL-decoded), which the zip has
     */
    public record Item(int parent, int depth, String identifier, String title, Kind kind, @Nullable String launchHref,
                       @Nullable String launchFile, @Nullable String dataFromLms, @Nullable BigDecimal masteryScore,
                       @Nullable BigDecimal scaledPassingScore, @Nullable BigDecimal completionThreshold,
                       @Nullable String maxTimeAllowed, @Nullable String timeLimitAction, List<String> objectiveIds) {
    }

    public long scoCount() {
        return items.stream().filter(i -> i.kind() == Kind.SCO).count();
    }
}
