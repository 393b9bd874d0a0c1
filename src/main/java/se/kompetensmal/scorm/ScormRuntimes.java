package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;

/** Where runtimes come from: a new communication session (a SCO launched) or the next call of a running one. */
public final class ScormRuntimes {

    private ScormRuntimes() {
    }

    /**
     * A new launch of the SCO (a frame loaded): not yet initialised. {@code previousState} is what the last session left
     * (null: never launched, cmi.entry "ab-initio"). A last session that exited "suspend", or was never terminated (the
     * browser closed), resumes: its data kept, cmi.entry "resume". Otherwise SCORM 2004 starts a new attempt with fresh
     * data, and SCORM 1.2 keeps the data with cmi.core.entry "".
     */
    public static ScoRuntime begin(ScoLaunch launch, @Nullable String previousState) {
        throw new UnsupportedOperationException("written in issue 18 (ScormRuntimes.begin)");
    }

    /** The running session again, for its next call, from the state the previous call left. */
    public static ScoRuntime resume(ScoLaunch launch, String state) {
        throw new UnsupportedOperationException("written in issue 18 (ScormRuntimes.resume)");
    }
}
