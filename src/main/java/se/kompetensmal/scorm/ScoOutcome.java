package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What the LMS takes from a SCO's data at a commit or terminate, the same for both editions: SCORM 1.2's lesson_status
 * "passed" is COMPLETED + PASSED, "failed" COMPLETED + FAILED (a 1.2 SCO that fails has finished its attempt), "completed"
 * COMPLETED + UNKNOWN; mastery score, completion threshold and scaled passing score already applied.
 *
 * @param scaledScore the score as -1..1 (1.2: raw scaled by min/max, or raw/100 when no max), or null when none was set
 * @param totalTime   cmi.total_time after every terminated session (session_time added at terminate)
 * @param location    the bookmark (cmi.location / cmi.core.lesson_location), or null
 * @param suspended   true when the last session ended with exit "suspend" (or was never terminated): the next launch resumes
 * @param navRequest  adl.nav.request at terminate ("continue", "previous", "{target=ID}choice", "exit", "exitAll",
 *                    "suspendAll", "abandon", "abandonAll"), or null for "_none_" / SCORM 1.2
 * @param terminated  true when the current session has been terminated (LMSFinish / Terminate)
 */
public record ScoOutcome(Completion completion, Success success, @Nullable BigDecimal scaledScore, Duration totalTime,
                         @Nullable String location, boolean suspended, @Nullable String navRequest, boolean terminated) {

    public enum Completion {
        NOT_ATTEMPTED, INCOMPLETE, COMPLETED, UNKNOWN;

        /** As stored in scorm_sco_state.completion_status (SCORM 2004's vocabulary). */
        public String stored() {
            return this == NOT_ATTEMPTED ? "not attempted" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Success {
        PASSED, FAILED, UNKNOWN;

        public String stored() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
