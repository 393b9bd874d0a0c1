package se.kompetensmal.scorm;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data types of both RTE books, as checks a runtime applies to a value a SCO sets. Each check answers null when the
 * value is acceptable, otherwise a {@link Refusal} saying whether the value has the wrong type, is out of range or fails
 * another rule; the runtime turns that into its edition's error code (1.2: 405 for all, 2004: 406/407/351).
 */
final class ScormTypes {

    private ScormTypes() {
    }

    /** Why a value was refused; the edition maps the fault to its code. */
    enum Fault { TYPE, RANGE, GENERAL, DEPENDENCY }

    record Refusal(Fault fault, String diagnostic) {
        static Refusal type(String diagnostic) {
            return new Refusal(Fault.TYPE, diagnostic);
        }

        static Refusal range(String diagnostic) {
            return new Refusal(Fault.RANGE, diagnostic);
        }

        static Refusal general(String diagnostic) {
            return new Refusal(Fault.GENERAL, diagnostic);
        }

        static Refusal dependency(String diagnostic) {
            return new Refusal(Fault.DEPENDENCY, diagnostic);
        }
    }

    /** A check of one value. */
    @FunctionalInterface
    interface Check {
        @Nullable
        Refusal check(String value);
    }

    // ---------------------------------------------------------------- shared

    /** A string of at most {@code max} characters (CMIString255/4096, characterstring with its SPM). */
    static Check string(int max) {
        return value -> value.length() <= max ? null
                : Refusal.type("The value has " + value.length() + " characters; at most " + max + " are kept.");
    }

    /** One of the listed words, exactly (vocabularies are case sensitive in both books). */
    static Check vocabulary(String... words) {
        return value -> {
            for (String word : words) {
                if (word.equals(value)) {
                    return null;
                }
            }
            return Refusal.type("'" + clip(value) + "' is not one of: " + String.join(", ", words) + ".");
        };
    }

    static String clip(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "…";
    }

    // ---------------------------------------------------------------- SCORM 1.2

    private static final Pattern CMI_DECIMAL = Pattern.compile("-?(\\d{1,10}(\\.\\d{0,10})?|\\.\\d{1,10})");
    private static final Pattern CMI_SINTEGER = Pattern.compile("-?\\d{1,5}");
    private static final Pattern CMI_TIMESPAN = Pattern.compile("(\\d{2,4}):(\\d{2}):(\\d{2})(\\.(\\d{1,2}))?");
    private static final Pattern CMI_TIME = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d{1,2})?");

    static boolean isCmiDecimal(String value) {
        return CMI_DECIMAL.matcher(value).matches();
    }

    /** CMIDecimal. */
    static Check cmiDecimal() {
        return value -> isCmiDecimal(value) ? null : Refusal.type("'" + clip(value) + "' is not a CMIDecimal.");
    }

    /** cmi.core.score.*: a CMIDecimal from 0 to 100, or blank (the book allows clearing a score). */
    static Check cmiScore() {
        return value -> {
            if (value.isEmpty()) {
                return null;
            }
            if (!isCmiDecimal(value)) {
                return Refusal.type("'" + clip(value) + "' is not a CMIDecimal.");
            }
            BigDecimal number = new BigDecimal(value);
            return number.signum() < 0 || number.compareTo(BigDecimal.valueOf(100)) > 0
                    ? Refusal.range("A score is from 0 to 100; " + value + " is not.") : null;
        };
    }

    /** CMISInteger within a range. */
    static Check cmiSInteger(int min, int max) {
        return value -> {
            if (!CMI_SINTEGER.matcher(value).matches()) {
                return Refusal.type("'" + clip(value) + "' is not a CMISInteger.");
            }
            int number = Integer.parseInt(value);
            return number < min || number > max
                    ? Refusal.range("The value is from " + min + " to " + max + "; " + value + " is not.") : null;
        };
    }

    /** CMITimespan: HHHH:MM:SS.SS. */
    static Check cmiTimespan() {
        return value -> parseCmiTimespan(value) >= 0 ? null
                : Refusal.type("'" + clip(value) + "' is not a CMITimespan (HHHH:MM:SS.SS).");
    }

    /** CMITimespan in hundredths of a second, or -1 when it is not one. */
    static long parseCmiTimespan(String value) {
        Matcher m = CMI_TIMESPAN.matcher(value);
        if (!m.matches()) {
            return -1;
        }
        int minutes = Integer.parseInt(m.group(2));
        int seconds = Integer.parseInt(m.group(3));
        if (minutes > 59 || seconds > 59) {
            return -1;
        }
        long hundredths = 0;
        if (m.group(5) != null) {
            hundredths = Long.parseLong(m.group(5)) * (m.group(5).length() == 1 ? 10 : 1);
        }
        return ((Long.parseLong(m.group(1)) * 60 + minutes) * 60 + seconds) * 100 + hundredths;
    }

    /** Hundredths of a second as a CMITimespan, hours at least four digits ("0000:00:00.00"). */
    static String formatCmiTimespan(long hundredths) {
        long h = hundredths / 360_000;
        long m = hundredths / 6_000 % 60;
        long s = hundredths / 100 % 60;
        long c = hundredths % 100;
        return String.format(java.util.Locale.ROOT, "%04d:%02d:%02d.%02d", h, m, s, c);
    }

    /** CMITime: a time of day HH:MM:SS(.SS). */
    static Check cmiTime() {
        return value -> {
            Matcher m = CMI_TIME.matcher(value);
            if (m.matches() && Integer.parseInt(m.group(1)) < 24 && Integer.parseInt(m.group(2)) < 60
                    && Integer.parseInt(m.group(3)) < 60) {
                return null;
            }
            return Refusal.type("'" + clip(value) + "' is not a CMITime (HH:MM:SS).");
        };
    }

    /**
     * CMIIdentifier: no white space or unprintable characters, at most 255 characters. Letters outside ASCII are accepted
     * (authoring tools put them in ids) and so is an empty id only where the book lets the id be cleared (never here).
     */
    static Check cmiIdentifier() {
        return value -> {
            if (value.isEmpty() || value.length() > 255) {
                return Refusal.type("A CMIIdentifier has 1 to 255 characters.");
            }
            return noSpaceOrControl(value) ? null
                    : Refusal.type("A CMIIdentifier has no white space or unprintable characters.");
        };
    }

    static boolean noSpaceOrControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- SCORM 2004

    /** real(10,7): a decimal number without exponent; at least ten significant digits with seven decimals are kept. */
    private static final Pattern REAL = Pattern.compile("-?(\\d{1,20}(\\.\\d{0,20})?|\\.\\d{1,20})");

    static boolean isReal(String value) {
        return REAL.matcher(value).matches();
    }

    static Check real() {
        return value -> isReal(value) ? null : Refusal.type("'" + clip(value) + "' is not a real(10,7) number.");
    }

    /** real(10,7) with the range of the element; null bounds are open. */
    static Check real(@Nullable String min, @Nullable String max) {
        return value -> {
            if (!isReal(value)) {
                return Refusal.type("'" + clip(value) + "' is not a real(10,7) number.");
            }
            BigDecimal number = new BigDecimal(value);
            if (min != null && number.compareTo(new BigDecimal(min)) < 0
                    || max != null && number.compareTo(new BigDecimal(max)) > 0) {
                return Refusal.range(value + " is outside the range [" + (min == null ? "" : min) + ".."
                        + (max == null ? "" : max) + "].");
            }
            return null;
        };
    }

    /** timeinterval (second,10,2): an ISO 8601 duration P[yY][mM][dD][T[hH][mM][s[.s]S]]. */
    private static final Pattern DURATION = Pattern.compile(
            "P(?:(\\d{1,9})Y)?(?:(\\d{1,9})M)?(?:(\\d{1,9})D)?(?:T(?:(\\d{1,9})H)?(?:(\\d{1,9})M)?(?:(\\d{1,9})(?:\\.(\\d{1,9}))?S)?)?");

    static Check timeInterval() {
        return value -> parseDuration(value) >= 0 ? null
                : Refusal.type("'" + clip(value) + "' is not an ISO 8601 duration (timeinterval), e.g. PT1H5M30.5S.");
    }

    /**
     * A timeinterval in hundredths of a second (decimals beyond 1/100 s dropped), or -1 when it is not one. The book
     * leaves a year and a month without a length; they count as 365 and 30 days.
     */
    static long parseDuration(String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches() || value.equals("P") || value.endsWith("T")) {
            return -1;
        }
        long days = num(m.group(1)) * 365 + num(m.group(2)) * 30 + num(m.group(3));
        long seconds = ((days * 24 + num(m.group(4))) * 60 + num(m.group(5))) * 60 + num(m.group(6));
        long hundredths = 0;
        if (m.group(7) != null) {
            String fraction = (m.group(7) + "00").substring(0, 2);
            hundredths = Long.parseLong(fraction);
        }
        return seconds * 100 + hundredths;
    }

    private static long num(@Nullable String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    /** Hundredths of a second as a timeinterval: PT#H#M#S with at most two decimals ("PT0H0M0S" for none). */
    static String formatDuration(long hundredths) {
        long h = hundredths / 360_000;
        long m = hundredths / 6_000 % 60;
        long s = hundredths / 100 % 60;
        long c = hundredths % 100;
        String seconds = c == 0 ? Long.toString(s)
                : s + "." + (c % 10 == 0 ? Long.toString(c / 10) : String.format(java.util.Locale.ROOT, "%02d", c));
        return "PT" + h + "H" + m + "M" + seconds + "S";
    }

    /** time (second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], the year 1970 to 2038, as the book limits it. */
    private static final Pattern TIME = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2})(?::(\\d{2})(?::(\\d{2})(?:\\.\\d{1,6})?(Z|[+-]\\d{2}(?::?\\d{2})?)?)?)?)?)?)?");

    static Check time() {
        return value -> {
            Matcher m = TIME.matcher(value);
            if (!m.matches()) {
                return Refusal.type("'" + clip(value) + "' is not an ISO 8601 time (YYYY-MM-DDThh:mm:ss.s).");
            }
            int year = Integer.parseInt(m.group(1));
            boolean ok = year >= 1970 && year <= 2038
                    && between(m.group(2), 1, 12) && between(m.group(3), 1, 31) && between(m.group(4), 0, 23)
                    && between(m.group(5), 0, 59) && between(m.group(6), 0, 59) && zone(m.group(7));
            return ok ? null : Refusal.type("'" + clip(value) + "' is not an ISO 8601 time in 1970-2038.");
        };
    }

    private static boolean between(@Nullable String digits, int min, int max) {
        if (digits == null) {
            return true;
        }
        int n = Integer.parseInt(digits);
        return n >= min && n <= max;
    }

    private static boolean zone(@Nullable String zone) {
        if (zone == null || zone.equals("Z")) {
            return true;
        }
        String digits = zone.substring(1).replace(":", "");
        return between(digits.substring(0, 2), 0, 23) && (digits.length() == 2 || between(digits.substring(2), 0, 59));
    }

    /** language_type: an RFC 3066 language code (primary 2-3 letters, or i / x, subtags of 1-8), or empty. */
    private static final Pattern LANGUAGE = Pattern.compile("(?:[a-zA-Z]{2,3}|[iIxX])(?:-[a-zA-Z0-9]{1,8})*");

    static boolean isLanguage(String value) {
        return value.length() <= 250 && LANGUAGE.matcher(value).matches();
    }

    static Check language() {
        return value -> value.isEmpty() || isLanguage(value) ? null
                : Refusal.type("'" + clip(value) + "' is not a language code (RFC 3066).");
    }

    /** localized_string_type: an optional "{lang=xx}" prefix and a string of at most {@code spm} characters. */
    static Check localizedString(int spm) {
        return value -> {
            String text = value;
            if (value.startsWith("{lang=")) {
                int end = value.indexOf('}');
                if (end < 0 || !isLanguage(value.substring(6, end))) {
                    return Refusal.type("The {lang=...} delimiter of '" + clip(value) + "' is not a language code.");
                }
                text = value.substring(end + 1);
            }
            return text.length() <= spm ? null
                    : Refusal.type("The text has " + text.length() + " characters; at most " + spm + " are kept.");
        };
    }

    /**
     * long_identifier_type (SPM 4000) / short_identifier_type (SPM 250): a URI, in practice a non-empty string without
     * white space; a "urn:" one needs a namespace ("urn:NID:rest").
     */
    static boolean isIdentifier(String value, int max) {
        if (value.isEmpty() || value.length() > max || !noSpaceOrControl(value)) {
            return false;
        }
        if (value.contains("[,]") || value.contains("[.]") || value.contains("[:]")) {
            // The delimiters of response sets and ranges: an identifier holding one would be read as two.
            return false;
        }
        if (value.regionMatches(true, 0, "urn:", 0, 4)) {
            return value.matches("(?i)urn:[a-z0-9][a-z0-9-]{0,31}:\\S+");
        }
        return true;
    }

    static Check longIdentifier() {
        return value -> isIdentifier(value, 4000) ? null
                : Refusal.type("'" + clip(value) + "' is not a long_identifier_type (a URI of at most 4000 characters).");
    }

    static Check shortIdentifier() {
        return value -> isIdentifier(value, 250) ? null
                : Refusal.type("'" + clip(value) + "' is not a short_identifier_type (a URI of at most 250 characters).");
    }

    /** A BigDecimal as the data model shows it: plain, no trailing zeros. */
    static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }
}
