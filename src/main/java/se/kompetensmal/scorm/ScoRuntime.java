package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;

/**
 * One SCO's run-time environment as the RTE book of its edition defines it: the API calls, the session state machine
 * (not initialised, running, terminated), the data model with its element names, types, vocabularies, read-only and
 * write-only elements, _children/_count, interactions and objectives arrays, and the error codes and strings. Pure Java,
 * no I/O: the server keeps {@link #stateJson()} between calls (one HTTP request per call) and restores it for the next.
 * No method throws on anything a SCO sends: wrong calls answer "false" (or "") and set the error code, as the standard says.
 *
 * <p>Implemented by {@link ScormRuntimes#begin} / {@link ScormRuntimes#resume}.
 */
public interface ScoRuntime {

    /** LMSInitialize / Initialize: "true" or "false". */
    String initialize(String parameter);

    /** LMSFinish / Terminate: "true" or "false"; adds cmi.session_time into cmi.total_time, decides entry for next time. */
    String terminate(String parameter);

    /** LMSGetValue / GetValue: the value, or "" with the error code set. */
    String getValue(String element);

    /** LMSSetValue / SetValue: "true" or "false". */
    String setValue(String element, String value);

    /** LMSCommit / Commit: "true" or "false". The caller persists {@link #stateJson()} after a true commit. */
    String commit(String parameter);

    /** LMSGetLastError / GetLastError as a number. */
    int lastError();

    /** LMSGetErrorString / GetErrorString for the edition ("" for an unknown code). */
    String errorString(int code);

    /** LMSGetDiagnostic / GetDiagnostic: a more detailed text for the last error (Swedish or English, for developers). */
    String diagnostic(int code);

    /** Everything needed to restore this SCO's state for the next call: the data model and the session state. */
    String stateJson();

    /** The outcome as it stands (evaluated with mastery score / thresholds applied). */
    ScoOutcome outcome();

    /** True between a successful initialize and terminate. */
    boolean running();

    /** The edition's error table, code to string, for the adapter to answer GetErrorString without a round trip. */
    java.util.Map<Integer, String> errorStrings();

    /** Convenience for callers: the last diagnostic text, or null. */
    @Nullable
    String lastDiagnostic();
}
