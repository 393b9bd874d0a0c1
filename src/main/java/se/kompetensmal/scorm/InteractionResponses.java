package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.scorm.ScormTypes.Refusal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SCORM 2004's formats of cmi.interactions.n.learner_response and cmi.interactions.n.correct_responses.m.pattern for
 * each interaction type (RTE 4.2.9.1 and 4.2.9.2): "[,]" between the entries of a set, "[.]" between the two halves of
 * a matching pair or performance step, "[:]" between the bounds of a numeric range, and the {case_matters=},
 * {order_matters=} and {lang=} delimiters at the start of a pattern or string.
 */
final class InteractionResponses {

    private InteractionResponses() {
    }

    static final List<String> TYPES = List.of("true-false", "choice", "fill-in", "long-fill-in", "likert", "matching",
            "performance", "sequencing", "numeric", "other");

    /** How many correct response patterns the type takes (the book: one for these, a set for the others). */
    static int maxPatterns(String type) {
        return switch (type) {
            case "true-false", "likert", "numeric", "other", "long-fill-in" -> 1;
            default -> 36;
        };
    }

    /** A learner_response of the type, or why not. */
    @Nullable
    static Refusal learnerResponse(String type, String value) {
        return switch (type) {
            case "true-false" -> value.equals("true") || value.equals("false") ? null
                    : Refusal.type("A true-false response is \"true\" or \"false\".");
            case "choice" -> identifierSet(value, true, "choice");
            case "sequencing" -> identifierSet(value, false, "sequencing");
            case "fill-in" -> strings(value, 10, 250);
            case "long-fill-in" -> ScormTypes.localizedString(4000).check(value);
            case "likert" -> ScormTypes.isIdentifier(value, 250) ? null
                    : Refusal.type("A likert response is one short identifier.");
            case "matching" -> pairs(value, false);
            case "performance" -> pairs(value, true);
            case "numeric" -> ScormTypes.isReal(value) ? null : Refusal.type("A numeric response is a real number.");
            case "other" -> ScormTypes.string(4000).check(value);
            default -> Refusal.dependency("The interaction's type is not set.");
        };
    }

    /** A correct_responses.m.pattern of the type, or why not. */
    @Nullable
    static Refusal pattern(String type, String value) {
        return switch (type) {
            case "fill-in" -> strings(stripFlags(value, true, true), 10, 250);
            case "long-fill-in" -> ScormTypes.localizedString(4000).check(stripFlags(value, true, false));
            case "performance" -> pairs(stripFlags(value, false, true), true);
            case "numeric" -> numericRange(value);
            default -> learnerResponse(type, value);
        };
    }

    private static final Pattern FLAG = Pattern.compile("\\{(case_matters|order_matters)=(true|false)}");

    /** The pattern without its leading {case_matters=...}/{order_matters=...} delimiters (each at most once). */
    private static String stripFlags(String value, boolean caseMatters, boolean orderMatters) {
        String rest = value;
        Set<String> seen = new HashSet<>();
        while (rest.startsWith("{")) {
            var m = FLAG.matcher(rest);
            if (!m.lookingAt()) {
                break;
            }
            String flag = m.group(1);
            boolean allowed = flag.equals("case_matters") ? caseMatters : orderMatters;
            if (!allowed || !seen.add(flag)) {
                break;
            }
            rest = rest.substring(m.end());
        }
        return rest;
    }

    private static String[] split(String value, String delimiter) {
        return value.split(Pattern.quote(delimiter), -1);
    }

    private static Refusal identifierSet(String value, boolean unique, String type) {
        if (value.isEmpty()) {
            return null;
        }
        String[] ids = split(value, "[,]");
        if (ids.length > 36) {
            return Refusal.type("A " + type + " response has at most 36 entries.");
        }
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!ScormTypes.isIdentifier(id, 250)) {
                return Refusal.type("'" + ScormTypes.clip(id) + "' is not a short identifier (entries are separated by [,]).");
            }
            if (unique && !seen.add(id)) {
                return Refusal.type("'" + ScormTypes.clip(id) + "' is in the " + type + " response twice.");
            }
        }
        return null;
    }

    private static Refusal strings(String value, int max, int spm) {
        String[] parts = split(value, "[,]");
        if (parts.length > max) {
            return Refusal.type("A fill-in response has at most " + max + " strings.");
        }
        for (String part : parts) {
            Refusal refusal = ScormTypes.localizedString(spm).check(part);
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    /** matching "source[.]target[,]..." or performance "step_name[.]step_answer[,]..." (step name optional). */
    private static Refusal pairs(String value, boolean performance) {
        String[] entries = split(value, "[,]");
        if (entries.length > (performance ? 250 : 36)) {
            return Refusal.type("Too many entries.");
        }
        for (String entry : entries) {
            String[] halves = split(entry, "[.]");
            if (performance) {
                String name = halves.length == 2 ? halves[0] : "";
                String answer = halves.length == 2 ? halves[1] : halves[0];
                if (halves.length > 2 || (!name.isEmpty() && !ScormTypes.isIdentifier(name, 250))
                        || answer.isEmpty() && name.isEmpty()
                        || !answer.isEmpty() && !ScormTypes.isIdentifier(answer, 250) && !ScormTypes.isReal(answer)
                        && !isRange(answer)) {
                    return Refusal.type("'" + ScormTypes.clip(entry) + "' is not a performance step (name[.]answer).");
                }
            } else if (halves.length != 2 || !ScormTypes.isIdentifier(halves[0], 250)
                    || !ScormTypes.isIdentifier(halves[1], 250)) {
                return Refusal.type("'" + ScormTypes.clip(entry) + "' is not a matching pair (source[.]target).");
            }
        }
        return null;
    }

    private static boolean isRange(String value) {
        String[] bounds = split(value, "[:]");
        if (bounds.length != 2) {
            return false;
        }
        for (String bound : bounds) {
            if (!bound.isEmpty() && !ScormTypes.isReal(bound)) {
                return false;
            }
        }
        if (!bounds[0].isEmpty() && !bounds[1].isEmpty()) {
            return new java.math.BigDecimal(bounds[0]).compareTo(new java.math.BigDecimal(bounds[1])) <= 0;
        }
        return true;
    }

    /** numeric pattern: "min[:]max", either bound may be left out; a single number is taken as that exact value. */
    private static Refusal numericRange(String value) {
        return isRange(value) || ScormTypes.isReal(value) ? null
                : Refusal.type("A numeric pattern is min[:]max with min <= max, e.g. \"1[:]5\".");
    }
}
