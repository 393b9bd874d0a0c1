/**
 * The SCORM run-time environment on the server: the data model of SCORM 1.2 and SCORM 2004 (2nd-4th edition) with the
 * API calls' rules, pure Java and without I/O. How the player uses it:
 * <ul>
 *   <li>a runtime frame loads (a new communication session): {@link se.kompetensmal.scorm.ScormRuntimes#begin} with the
 *   state the SCO's last session left, or null; keep its {@code stateJson()};</li>
 *   <li>each API call: {@link se.kompetensmal.scorm.ScormRuntimes#resume} with the kept state, make the call, keep the new
 *   {@code stateJson()} (every call may change it, the last error included);</li>
 *   <li>after a "true" Commit or Terminate: {@code outcome()} gives completion, success, score, time, bookmark, suspension
 *   and navigation request with the mastery score, completion threshold and scaled passing score applied.</li>
 * </ul>
 * A SCORM 2004 launch after a session that ended without suspending starts a new attempt on the SCO: its data (and so its
 * outcome) start over. Whoever keeps results across SCOs keeps what the earlier attempt earned.
 */
package se.kompetensmal.scorm;
