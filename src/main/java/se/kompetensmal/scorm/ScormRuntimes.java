package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;

/** Where runtimes come from: a new communication session (a SCO launched) or the next call of a running one. */
public final class ScormRuntimes {

    /** total_time stops growing at 9999 hours, the most a SCORM 1.2 CMITimespan shows. */
    static final long MAX_TOTAL_HUNDREDTHS = 9999L * 360_000 + 59 * 6_000 + 59 * 100 + 99;

    private ScormRuntimes() {
    }

    /**
     * A new launch of the SCO (a frame loaded): not yet initialised. {@code previousState} is what the last session left
     * (null: never launched, cmi.entry "ab-initio"). A last session that exited "suspend", or was never terminated (the
     * browser closed), resumes: its data kept, cmi.entry "resume". Otherwise SCORM 2004 starts a new attempt with fresh
     * data, and SCORM 1.2 keeps the data with cmi.core.entry "".
     *
     * <p>Details: a session never terminated has its cmi.session_time (as last set) added to total_time here, since no
     * Terminate did it. A launch that replaces one never initialised changes nothing (same entry, same data). A review
     * launch never starts a new attempt: it shows the data as the learner left it (entry "" unless suspended). The
     * session's own elements (exit, session_time, adl.nav.request) start empty in every new session.
     */
    public static ScoRuntime begin(ScoLaunch launch, @Nullable String previousState) {
        boolean is2004 = launch.version().is2004();
        if (previousState == null) {
            return runtime(launch, is2004 ? Scorm2004Runtime.fresh(launch) : Scorm12Runtime.fresh());
        }
        RuntimeState previous = read(launch, previousState);
        previous.lastError = 0;
        previous.lastDiagnostic = null;
        if (previous.phase == RuntimeState.Phase.NOT_INITIALIZED) {
            return runtime(launch, previous);
        }
        boolean neverTerminated = previous.phase == RuntimeState.Phase.RUNNING;
        if (neverTerminated) {
            String session = previous.data.get(is2004 ? "cmi.session_time" : "cmi.core.session_time");
            long hundredths = session == null ? -1
                    : is2004 ? ScormTypes.parseDuration(session) : ScormTypes.parseCmiTimespan(session);
            if (hundredths > 0) {
                previous.totalHundredths = Math.min(MAX_TOTAL_HUNDREDTHS, previous.totalHundredths + hundredths);
            }
        }
        boolean resume = neverTerminated || previous.suspended;
        RuntimeState next;
        if (resume) {
            next = previous;
            next.entry = "resume";
        } else if (is2004 && !launch.review()) {
            next = Scorm2004Runtime.fresh(launch);
            next.entry = "ab-initio";
        } else {
            next = previous;
            next.entry = "";
        }
        next.phase = RuntimeState.Phase.NOT_INITIALIZED;
        next.suspended = resume;
        for (String sessionOnly : new String[]{"cmi.exit", "cmi.session_time", "adl.nav.request", "cmi.core.exit",
                "cmi.core.session_time"}) {
            next.data.remove(sessionOnly);
        }
        return runtime(launch, next);
    }

    /** The running session again, for its next call, from the state the previous call left. */
    public static ScoRuntime resume(ScoLaunch launch, String state) {
        return runtime(launch, read(launch, state));
    }

    /** The edition's error table, code to GetErrorString text, for an adapter that answers without a round trip. */
    public static java.util.Map<Integer, String> errorStrings(ScormVersion version) {
        return version.is2004() ? Scorm2004Runtime.MODEL.errorStrings() : Scorm12Runtime.MODEL.errorStrings();
    }

    private static RuntimeState read(ScoLaunch launch, String json) {
        RuntimeState state = RuntimeState.fromJson(json);
        String family = launch.version().is2004() ? "2004" : "1.2";
        if (!family.equals(state.family)) {
            throw new IllegalArgumentException("The state was written by SCORM " + state.family + ", the launch is "
                    + launch.version().label());
        }
        return state;
    }

    private static ScoRuntime runtime(ScoLaunch launch, RuntimeState state) {
        return launch.version().is2004() ? new Scorm2004Runtime(launch, state) : new Scorm12Runtime(launch, state);
    }

    /** ScoOutcome.suspended: a session under way or never terminated resumes, as does one that ended with suspend. */
    static boolean suspended(RuntimeState state) {
        return switch (state.phase) {
            case RUNNING -> true;
            case TERMINATED -> state.suspended;
            case NOT_INITIALIZED -> state.suspended;
        };
    }
}
