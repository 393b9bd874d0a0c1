package se.kompetensmal.scorm;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.util.LinkedHashMap;

/**
 * Everything a runtime keeps between calls, as {@link ScoRuntime#stateJson()} writes it (Gson, which the project already
 * has for xAPI; no Micronaut context needed). Read-only values that come from the launch (learner, mode, thresholds) are
 * not kept here: they are taken from the {@link ScoLaunch} of each call.
 */
final class RuntimeState {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    /** The session's place in the state machine of both books. */
    enum Phase { NOT_INITIALIZED, RUNNING, TERMINATED }

    /** "1.2" or "2004": which family wrote the state. */
    String family;
    Phase phase = Phase.NOT_INITIALIZED;
    /** cmi.entry / cmi.core.entry of the current session. */
    String entry = "ab-initio";
    /** Whether this attempt has ever been initialised (an attempt never started is "not attempted"). */
    boolean everInitialized;
    /** How the last terminated session ended: with exit "suspend" (or adl.nav.request suspendAll). */
    boolean suspended;
    /** cmi.total_time in hundredths of a second, every terminated session added. */
    long totalHundredths;
    int lastError;
    String lastDiagnostic;
    /** The values set (by the SCO or initialised by the LMS), by full element name. */
    LinkedHashMap<String, String> data = new LinkedHashMap<>();
    /** _count of each array by its concrete name ("cmi.interactions", "cmi.interactions.0.objectives"). */
    LinkedHashMap<String, Integer> counts = new LinkedHashMap<>();

    String toJson() {
        return GSON.toJson(this);
    }

    static RuntimeState fromJson(String json) {
        try {
            RuntimeState state = GSON.fromJson(json, RuntimeState.class);
            if (state == null || state.family == null || state.phase == null) {
                throw new IllegalArgumentException("Not a SCORM runtime state");
            }
            if (state.data == null) {
                state.data = new LinkedHashMap<>();
            }
            if (state.counts == null) {
                state.counts = new LinkedHashMap<>();
            }
            if (state.entry == null) {
                state.entry = "";
            }
            return state;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Not a SCORM runtime state: " + e.getMessage(), e);
        }
    }

    int count(String arrayKey) {
        return counts.getOrDefault(arrayKey, 0);
    }

    /** Characters kept in the data model: names and values, the measure the runtime bounds. */
    long size() {
        long size = 0;
        for (var e : data.entrySet()) {
            size += e.getKey().length() + e.getValue().length();
        }
        return size;
    }
}
