package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.scorm.RuntimeState.Phase;
import se.kompetensmal.scorm.ScormTypes.Check;
import se.kompetensmal.scorm.ScormTypes.Refusal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What both editions share: the session state machine, the walk from an element name to its definition (arrays with
 * their index rules, _children, _count, _version, read-only and write-only elements) and the bookkeeping of the last
 * error. The editions give their element tables, their error codes for each {@link Problem} and their own rules.
 */
abstract class BaseRuntime implements ScoRuntime {

    /** The data model's size limit in characters (names and values), far above what a SCO needs, far below MEDIUMTEXT. */
    static final long MAX_STATE_CHARS = 1_000_000;
    /** Longer element names are no element of either book. */
    private static final int MAX_ELEMENT_LENGTH = 4_300;
    private static final Pattern INDEX = Pattern.compile("0|[1-9]\\d{0,8}");

    /** Every way a call can fail; each edition gives its code for each. */
    enum Problem {
        INIT_ARGUMENT, ALREADY_INITIALIZED, INIT_AFTER_TERMINATE, TERMINATE_BEFORE_INIT, TERMINATE_AFTER_TERMINATE,
        GET_BEFORE_INIT, GET_AFTER_TERMINATE, SET_BEFORE_INIT, SET_AFTER_TERMINATE, COMMIT_BEFORE_INIT,
        COMMIT_AFTER_TERMINATE, ARGUMENT, GET_EMPTY, SET_EMPTY, UNDEFINED, NO_CHILDREN, NO_COUNT, KEYWORD, READ_ONLY,
        WRITE_ONLY, TYPE, RANGE, DEPENDENCY, GET_INDEX, SET_INDEX, SET_GENERAL, NOT_INITIALIZED
    }

    enum Access { READ_ONLY, WRITE_ONLY, READ_WRITE }

    record Element(Access access, Check check) {
    }

    /** An array of the data model and how many entries it takes (about twice the book's smallest permitted maximum). */
    record Array(int capacity) {
    }

    /**
     * An element name taken apart: its pattern with each index as "n" ("cmi.interactions.n.id"), and for each index the
     * array it points into (pattern and concrete name) and the index.
     */
    record Path(String name, String pattern, List<Level> levels) {
        String last() {
            int dot = pattern.lastIndexOf('.');
            return dot < 0 ? pattern : pattern.substring(dot + 1);
        }
    }

    record Level(String arrayPattern, String arrayKey, int index) {
    }

    /** One edition's tables. */
    record Model(Map<String, Element> elements, Map<String, String> children, Map<String, Array> arrays,
                 Map<Problem, Integer> codes, Map<Integer, String> errorStrings, Set<String> prefixes) {

        static Model of(Map<String, Element> elements, Map<String, String> children, Map<String, Array> arrays,
                        Map<Problem, Integer> codes, Map<Integer, String> errorStrings) {
            Set<String> prefixes = new HashSet<>();
            for (String pattern : elements.keySet()) {
                String p = pattern;
                prefixes.add(p);
                for (int dot = p.lastIndexOf('.'); dot > 0; dot = p.lastIndexOf('.')) {
                    p = p.substring(0, dot);
                    prefixes.add(p);
                }
            }
            return new Model(Map.copyOf(elements), Map.copyOf(children), Map.copyOf(arrays),
                    new EnumMap<>(codes), Map.copyOf(errorStrings), Set.copyOf(prefixes));
        }
    }

    protected final ScoLaunch launch;
    protected final RuntimeState s;
    private final Model model;

    BaseRuntime(ScoLaunch launch, RuntimeState state, Model model) {
        this.launch = launch;
        this.s = state;
        this.model = model;
    }

    // ------------------------------------------------------------------ edition hooks

    /** A value the LMS gives (read-only elements, evaluated statuses, defaults), or null to read what is stored. */
    @Nullable
    protected abstract String computed(Path path);

    /** Rules checked before the value's type: may this element create its array entry, is its prerequisite set. */
    @Nullable
    protected abstract Refusal dependencies(Path path, String value);

    /** Rules checked after the value's type: uniqueness, response formats per interaction type, navigation. */
    @Nullable
    protected abstract Refusal rules(Path path, String value);

    /** What is stored for an accepted value (SCORM 1.2 appends cmi.comments). */
    protected String stored(Path path, String value) {
        return value;
    }

    /** The edition's own work at terminate: total time, statuses decided by the LMS. */
    protected abstract void onTerminate();

    /** Elements outside the table that the edition reads itself (adl.nav.request_valid.choice.{target=...}). */
    @Nullable
    protected String specialGet(String element) {
        return null;
    }

    protected boolean isSpecial(String element) {
        return false;
    }

    // ------------------------------------------------------------------ API

    @Override
    public String initialize(String parameter) {
        if (s.phase == Phase.RUNNING) {
            return fail(Problem.ALREADY_INITIALIZED, "Initialize was already called in this session.");
        }
        if (s.phase == Phase.TERMINATED) {
            return fail(Problem.INIT_AFTER_TERMINATE, "The session was terminated; a new launch starts a new one.");
        }
        if (parameter != null && !parameter.isEmpty()) {
            return fail(Problem.INIT_ARGUMENT, "The parameter must be \"\".");
        }
        s.phase = Phase.RUNNING;
        s.everInitialized = true;
        return ok("true");
    }

    @Override
    public String terminate(String parameter) {
        if (s.phase == Phase.NOT_INITIALIZED) {
            return fail(Problem.TERMINATE_BEFORE_INIT, "Terminate before Initialize.");
        }
        if (s.phase == Phase.TERMINATED) {
            return fail(Problem.TERMINATE_AFTER_TERMINATE, "The session was already terminated; nothing changed.");
        }
        if (parameter != null && !parameter.isEmpty()) {
            return fail(Problem.ARGUMENT, "The parameter must be \"\".");
        }
        onTerminate();
        s.phase = Phase.TERMINATED;
        return ok("true");
    }

    @Override
    public String commit(String parameter) {
        if (s.phase == Phase.NOT_INITIALIZED) {
            return fail(Problem.COMMIT_BEFORE_INIT, "Commit before Initialize.");
        }
        if (s.phase == Phase.TERMINATED) {
            return fail(Problem.COMMIT_AFTER_TERMINATE, "Commit after Terminate: the data was already kept at Terminate.");
        }
        if (parameter != null && !parameter.isEmpty()) {
            return fail(Problem.ARGUMENT, "The parameter must be \"\".");
        }
        return ok("true");
    }

    @Override
    public String getValue(String element) {
        if (s.phase == Phase.NOT_INITIALIZED) {
            return failEmpty(Problem.GET_BEFORE_INIT, "GetValue before Initialize.");
        }
        if (s.phase == Phase.TERMINATED) {
            return failEmpty(Problem.GET_AFTER_TERMINATE, "GetValue after Terminate.");
        }
        if (element == null || element.isEmpty()) {
            return failEmpty(Problem.GET_EMPTY, "No element was named.");
        }
        if (isSpecial(element)) {
            String value = specialGet(element);
            return value != null ? ok(value) : failEmpty(Problem.UNDEFINED, "Not an element: " + shown(element));
        }
        Path path = parse(element);
        if (path == null) {
            return failEmpty(Problem.UNDEFINED, "Not an element: " + shown(element));
        }
        String last = path.last();
        if (last.equals(path.pattern())) {
            return failEmpty(Problem.UNDEFINED, "Not an element: " + shown(element));
        }
        if (last.equals("_children") || last.equals("_count")) {
            String base = path.pattern().substring(0, path.pattern().length() - last.length() - 1);
            boolean children = last.equals("_children");
            boolean has = children ? model.children().containsKey(base) : model.arrays().containsKey(base);
            if (!has) {
                if (model.prefixes().contains(base)) {
                    return failEmpty(children ? Problem.NO_CHILDREN : Problem.NO_COUNT,
                            shown(base) + (children ? " has no children." : " is not an array."));
                }
                return failEmpty(Problem.UNDEFINED, "Not an element: " + shown(element));
            }
            String missing = missingIndex(path);
            if (missing != null) {
                return failEmpty(Problem.GET_INDEX, missing);
            }
            if (children) {
                return ok(model.children().get(base));
            }
            return ok(Integer.toString(s.count(element.substring(0, element.length() - "._count".length()))));
        }
        Element def = model.elements().get(path.pattern());
        if (def == null) {
            if (last.equals("_version") && model.prefixes().contains(
                    path.pattern().substring(0, path.pattern().length() - "._version".length()))) {
                return failEmpty(Problem.GET_EMPTY, shown(element) + ": only cmi._version exists.");
            }
            return failEmpty(Problem.UNDEFINED, "Not an element: " + shown(element));
        }
        if (def.access() == Access.WRITE_ONLY) {
            return failEmpty(Problem.WRITE_ONLY, shown(element) + " is write-only.");
        }
        String missing = missingIndex(path);
        if (missing != null) {
            return failEmpty(Problem.GET_INDEX, missing);
        }
        String value = computed(path);
        if (value == null) {
            value = s.data.get(element);
        }
        if (value == null) {
            return failEmpty(Problem.NOT_INITIALIZED, shown(element) + " has no value yet.");
        }
        return ok(value);
    }

    @Override
    public String setValue(String element, String value) {
        if (s.phase == Phase.NOT_INITIALIZED) {
            return fail(Problem.SET_BEFORE_INIT, "SetValue before Initialize.");
        }
        if (s.phase == Phase.TERMINATED) {
            return fail(Problem.SET_AFTER_TERMINATE, "SetValue after Terminate.");
        }
        if (element == null || element.isEmpty()) {
            return fail(Problem.SET_EMPTY, "No element was named.");
        }
        String v = value == null ? "" : value;
        if (isSpecial(element)) {
            return specialGet(element) != null ? fail(Problem.READ_ONLY, shown(element) + " is read-only.")
                    : fail(Problem.UNDEFINED, "Not an element: " + shown(element));
        }
        Path path = parse(element);
        if (path == null) {
            return fail(Problem.UNDEFINED, "Not an element: " + shown(element));
        }
        String last = path.last();
        if (last.equals(path.pattern())) {
            return fail(Problem.UNDEFINED, "Not an element: " + shown(element));
        }
        if (last.equals("_children") || last.equals("_count") || last.equals("_version")) {
            String base = path.pattern().substring(0, path.pattern().length() - last.length() - 1);
            if (model.prefixes().contains(base)) {
                return fail(Problem.KEYWORD, shown(element) + " is a keyword and is read-only.");
            }
            return fail(Problem.UNDEFINED, "Not an element: " + shown(element));
        }
        Element def = model.elements().get(path.pattern());
        if (def == null) {
            return fail(Problem.UNDEFINED, "Not an element: " + shown(element));
        }
        if (def.access() == Access.READ_ONLY) {
            return fail(Problem.READ_ONLY, shown(element) + " is read-only.");
        }
        for (Level level : path.levels()) {
            int count = s.count(level.arrayKey());
            if (level.index() > count) {
                return fail(Problem.SET_INDEX, "Index " + level.index() + " of " + level.arrayKey() + ": the next entry is "
                        + count + "; entries are added in order.");
            }
            if (level.index() == count && level.index() >= model.arrays().get(level.arrayPattern()).capacity()) {
                return fail(Problem.SET_GENERAL, level.arrayKey() + " takes at most "
                        + model.arrays().get(level.arrayPattern()).capacity() + " entries.");
            }
        }
        Refusal refusal = dependencies(path, v);
        if (refusal == null) {
            refusal = def.check().check(v);
        }
        if (refusal == null) {
            refusal = rules(path, v);
        }
        if (refusal != null) {
            return fail(switch (refusal.fault()) {
                case TYPE -> Problem.TYPE;
                case RANGE -> Problem.RANGE;
                case DEPENDENCY -> Problem.DEPENDENCY;
                case GENERAL -> Problem.SET_GENERAL;
            }, refusal.diagnostic());
        }
        String kept = stored(path, v);
        String previous = s.data.get(element);
        long growth = kept.length() - (previous == null ? -element.length() : previous.length());
        if (growth > 0 && s.size() + growth > MAX_STATE_CHARS) {
            return fail(Problem.SET_GENERAL, "The SCO's data is full (" + MAX_STATE_CHARS + " characters).");
        }
        for (Level level : path.levels()) {
            if (level.index() == s.count(level.arrayKey())) {
                s.counts.put(level.arrayKey(), level.index() + 1);
            }
        }
        s.data.put(element, kept);
        return ok("true");
    }

    @Override
    public int lastError() {
        return s.lastError;
    }

    @Override
    public String errorString(int code) {
        return model.errorStrings().getOrDefault(code, "");
    }

    @Override
    public String diagnostic(int code) {
        if (code == s.lastError && s.lastDiagnostic != null) {
            return s.lastDiagnostic;
        }
        return errorString(code);
    }

    @Override
    public Map<Integer, String> errorStrings() {
        return model.errorStrings();
    }

    @Override
    @Nullable
    public String lastDiagnostic() {
        return s.lastDiagnostic;
    }

    @Override
    public String stateJson() {
        return s.toJson();
    }

    @Override
    public boolean running() {
        return s.phase == Phase.RUNNING;
    }

    // ------------------------------------------------------------------ helpers

    /** The element taken apart, or null when it cannot be an element name (empty parts, too long). */
    @Nullable
    static Path parse(String element) {
        if (element.length() > MAX_ELEMENT_LENGTH) {
            return null;
        }
        String[] tokens = element.split("\\.", -1);
        StringBuilder pattern = new StringBuilder();
        StringBuilder concrete = new StringBuilder();
        List<Level> levels = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.isEmpty() || token.equals("n")) {
                // "n" stands for an index in the tables; no element has a part of that name.
                return null;
            }
            boolean index = i > 0 && INDEX.matcher(token).matches();
            if (index) {
                levels.add(new Level(pattern.toString(), concrete.toString(), Integer.parseInt(token)));
            }
            if (i > 0) {
                pattern.append('.');
                concrete.append('.');
            }
            pattern.append(index ? "n" : token);
            concrete.append(token);
        }
        return new Path(element, pattern.toString(), List.copyOf(levels));
    }

    /** Why an index in the path points past its array (for a read), or null when every entry exists. */
    @Nullable
    private String missingIndex(Path path) {
        for (Level level : path.levels()) {
            int count = s.count(level.arrayKey());
            if (level.index() >= count) {
                return level.arrayKey() + " has " + count + " entries; there is no index " + level.index() + ".";
            }
        }
        return null;
    }

    protected String ok(String answer) {
        s.lastError = 0;
        s.lastDiagnostic = null;
        return answer;
    }

    protected String fail(Problem problem, String diagnostic) {
        int code = model.codes().get(problem);
        s.lastError = code;
        s.lastDiagnostic = code == 0 ? null : diagnostic;
        return code == 0 ? "true" : "false";
    }

    /** A failed GetValue: "" and the error (SCORM 1.2 answers an unset value with "" and no error). */
    protected String failEmpty(Problem problem, String diagnostic) {
        fail(problem, diagnostic);
        return "";
    }

    protected static String shown(String element) {
        return ScormTypes.clip(element);
    }

    @Nullable
    protected String value(String element) {
        String v = s.data.get(element);
        return v == null || v.isEmpty() ? null : v;
    }
}
