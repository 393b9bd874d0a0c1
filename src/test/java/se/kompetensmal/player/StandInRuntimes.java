package se.kompetensmal.player;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.scorm.ScoLaunch;
import se.kompetensmal.scorm.ScoOutcome;
import se.kompetensmal.scorm.ScoRuntime;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * A small stand-in for the SCORM 2004 data model while the real one (se.kompetensmal.scorm) is written: the session state
 * machine with its error codes, any element stored as set, and the outcome read from completion_status, success_status
 * and score.scaled. Enough for the player's tests of calls, retries, rollup and completion; not the standard's rules.
 */
class StandInRuntimes extends ScoRuntimeSource {

    @Override
    public ScoRuntime begin(ScoLaunch launch, @Nullable String previousState) {
        JsonObject state = new JsonObject();
        JsonObject data = new JsonObject();
        if (previousState != null) {
            JsonObject previous = JsonParser.parseString(previousState).getAsJsonObject();
            boolean resume = previous.get("phase").getAsInt() != 2 || "suspend".equals(str(previous.getAsJsonObject("data"), "cmi.exit"));
            if (resume) {
                data = previous.getAsJsonObject("data");
                data.addProperty("cmi.entry", "resume");
            }
            state.addProperty("seconds", previous.get("seconds").getAsLong());
        } else {
            state.addProperty("seconds", 0L);
        }
        state.add("data", data);
        state.addProperty("phase", 0);
        return new Runtime(state);
    }

    @Override
    public ScoRuntime resume(ScoLaunch launch, String state) {
        return new Runtime(JsonParser.parseString(state).getAsJsonObject());
    }

    private static String str(JsonObject data, String element) {
        return data.has(element) ? data.get(element).getAsString() : null;
    }

    private static final class Runtime implements ScoRuntime {
        private final JsonObject state;
        private int error;

        Runtime(JsonObject state) {
            this.state = state;
        }

        private int phase() {
            return state.get("phase").getAsInt();
        }

        private JsonObject data() {
            return state.getAsJsonObject("data");
        }

        private String answer(boolean ok, int code) {
            error = ok ? 0 : code;
            return ok ? "true" : "false";
        }

        @Override
        public String initialize(String parameter) {
            if (phase() != 0) {
                return answer(false, phase() == 1 ? 103 : 104);
            }
            state.addProperty("phase", 1);
            return answer(true, 0);
        }

        @Override
        public String terminate(String parameter) {
            if (phase() != 1) {
                return answer(false, phase() == 0 ? 112 : 113);
            }
            state.addProperty("phase", 2);
            String session = str(data(), "cmi.session_time");
            if (session != null) {
                state.addProperty("seconds", state.get("seconds").getAsLong() + Duration.parse(session).getSeconds());
            }
            return answer(true, 0);
        }

        @Override
        public String getValue(String element) {
            if (phase() != 1) {
                error = phase() == 0 ? 122 : 123;
                return "";
            }
            String value = str(data(), element);
            error = value == null ? 403 : 0;
            return value == null ? "" : value;
        }

        @Override
        public String setValue(String element, String value) {
            if (phase() != 1) {
                return answer(false, phase() == 0 ? 132 : 133);
            }
            data().addProperty(element, value);
            return answer(true, 0);
        }

        @Override
        public String commit(String parameter) {
            return phase() == 1 ? answer(true, 0) : answer(false, phase() == 0 ? 142 : 143);
        }

        @Override
        public int lastError() {
            return error;
        }

        @Override
        public String errorString(int code) {
            return code == 0 ? "No Error" : "Error " + code;
        }

        @Override
        public String diagnostic(int code) {
            return errorString(code);
        }

        @Override
        public String stateJson() {
            return new Gson().toJson(state);
        }

        @Override
        public ScoOutcome outcome() {
            String completion = str(data(), "cmi.completion_status");
            String success = str(data(), "cmi.success_status");
            String scaled = str(data(), "cmi.score.scaled");
            return new ScoOutcome(
                    completion == null ? ScoOutcome.Completion.UNKNOWN
                            : ScoOutcome.Completion.valueOf(completion.toUpperCase().replace(' ', '_')),
                    success == null ? ScoOutcome.Success.UNKNOWN : ScoOutcome.Success.valueOf(success.toUpperCase()),
                    scaled == null ? null : new BigDecimal(scaled), Duration.ofSeconds(state.get("seconds").getAsLong()),
                    str(data(), "cmi.location"), "suspend".equals(str(data(), "cmi.exit")), null, phase() == 2);
        }

        @Override
        public boolean running() {
            return phase() == 1;
        }

        @Override
        public Map<Integer, String> errorStrings() {
            return Map.of(0, "No Error");
        }

        @Override
        public String lastDiagnostic() {
            return error == 0 ? null : errorString(error);
        }
    }
}
