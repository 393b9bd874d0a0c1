package se.kompetensmal.player;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import se.kompetensmal.scorm.ScoLaunch;
import se.kompetensmal.scorm.ScoRuntime;
import se.kompetensmal.scorm.ScormRuntimes;

/** Where the calls get their SCO runtime: the SCORM data model of {@link ScormRuntimes} (a bean, so a test may stand in). */
@Singleton
public class ScoRuntimeSource {

    public ScoRuntime begin(ScoLaunch launch, @Nullable String previousState) {
        return ScormRuntimes.begin(launch, previousState);
    }

    public ScoRuntime resume(ScoLaunch launch, String state) {
        return ScormRuntimes.resume(launch, state);
    }
}
