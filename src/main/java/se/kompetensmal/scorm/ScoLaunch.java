package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.util.List;

/**
 * What the LMS gives one SCO when it is launched: who the learner is and what the manifest says about the item. Fixed for
 * a package version and learner; the runtime's read-only elements (cmi.learner_id, cmi.launch_data, cmi.scaled_passing_score,
 * cmi.student_data.mastery_score, ...) come from here.
 *
 * @param learnerId           the learner's id as the package sees it (cmi.learner_id / cmi.core.student_id)
 * @param learnerName         "Family, Given" as SCORM asks (cmi.learner_name / cmi.core.student_name)
 * @param dataFromLms         adlcp:datafromlms / adlcp:dataFromLMS, or null
 * @param masteryScore        SCORM 1.2 adlcp:masteryscore (0..100), or null
 * @param scaledPassingScore  SCORM 2004 minNormalizedMeasure of the primary objective when satisfiedByMeasure, or null
 * @param completionThreshold SCORM 2004 adlcp:completionThreshold (0..1), or null
 * @param maxTimeAllowed      adlcp:maxtimeallowed (1.2, HH:MM:SS) / attemptAbsoluteDurationLimit (2004), or null
 * @param timeLimitAction     adlcp:timelimitaction, or null
 * @param objectiveIds        the objective ids the manifest declares for the item (2004), in order; the runtime
 *                            initialises cmi.objectives with them
 * @param review              true: cmi.mode "review", cmi.credit "no-credit"; false: "normal" and "credit"
 * @param navigation          which navigation requests are valid from this SCO (adl.nav.request_valid.*)
 */
public record ScoLaunch(ScormVersion version, String learnerId, String learnerName, @Nullable String dataFromLms,
                        @Nullable BigDecimal masteryScore, @Nullable BigDecimal scaledPassingScore,
                        @Nullable BigDecimal completionThreshold, @Nullable String maxTimeAllowed,
                        @Nullable String timeLimitAction, List<String> objectiveIds, boolean review,
                        Navigation navigation) {

    /** Valid navigation from this SCO: flow (continue, previous) and the items a choice may target. */
    public record Navigation(boolean continueValid, boolean previousValid, List<String> choiceTargets) {
        public static final Navigation NONE = new Navigation(false, false, List.of());
    }
}
