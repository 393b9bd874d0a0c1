package se.kompetensmal.learning;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.sql.NamedSql;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * What kind of completion it is, in words, the one home of that wording: the history, the person page, Min utbildning
 * and the certificate all say it the same way. "Lärarledd utbildning 12 januari 2027, Sal 3", "Registrerad av Eva
 * Samordnare 2 december 2026; genomförd vid …", "Från tidigare system (källa)", "genomförd externt"; nothing for one
 * taken here.
 */
public final class CompletionKinds {

    /**
     * The columns {@link #read} needs, over a completion aliased {@code c} (the table or the view counted_completion):
     * the registering account by name, the occasion by day and place.
     */
    public static final String COLUMNS = """
            c.source AS kind_source, c.done_where AS kind_done_where, c.created_at AS kind_registered_at,
            (SELECT ua.display_name FROM user_account ua WHERE ua.id = c.registered_by) AS kind_registered_by,
            (SELECT DATE(o.starts_at) FROM session_occasion o WHERE o.id = c.occasion_id) AS kind_occasion_on,
            (SELECT o.place FROM session_occasion o WHERE o.id = c.occasion_id) AS kind_occasion_place""";

    private CompletionKinds() {
    }

    /** The facts the wording is made of. */
    public record Facts(String source, @Nullable String doneWhere, @Nullable String registeredBy,
                        @Nullable LocalDate registeredOn, @Nullable LocalDate occasionOn, @Nullable String occasionPlace) {
    }

    /** The facts from a row that selected {@link #COLUMNS}; null where no completion was joined. */
    public static @Nullable Facts read(NamedSql.Row row) throws SQLException {
        String source = row.string("kind_source");
        return source == null ? null : new Facts(source, row.string("kind_done_where"), row.string("kind_registered_by"),
                row.swedishDay("kind_registered_at"), row.date("kind_occasion_on"), row.string("kind_occasion_place"));
    }

    /** The same from a plain JDBC result set. */
    public static @Nullable Facts read(java.sql.ResultSet rs) throws SQLException {
        String source = rs.getString("kind_source");
        return source == null ? null : new Facts(source, rs.getString("kind_done_where"), rs.getString("kind_registered_by"),
                se.kompetensmal.SwedishTime.day(rs.getTimestamp("kind_registered_at")), rs.getObject("kind_occasion_on", LocalDate.class),
                rs.getString("kind_occasion_place"));
    }

    /** The kind in the texts' language; null for a completion taken here (an assessment or a package), which needs no words. */
    public static @Nullable String describe(@Nullable Facts facts, Map<String, String> t) {
        if (facts == null) {
            return null;
        }
        return switch (facts.source()) {
            case "SESSION" -> t.get("kindSession") + (facts.occasionOn() == null ? "" : " " + longDate(facts.occasionOn(), t))
                    + (facts.occasionPlace() == null ? "" : ", " + facts.occasionPlace());
            case "REGISTERED" -> t.get("kindRegisteredBy") + " " + (facts.registeredBy() == null ? "–" : facts.registeredBy())
                    + (facts.registeredOn() == null ? "" : " " + longDate(facts.registeredOn(), t))
                    + (facts.doneWhere() == null ? "" : "; " + t.get("kindDoneAt") + " " + facts.doneWhere());
            case "IMPORTED" -> t.get("kindImported") + (facts.doneWhere() == null ? "" : " (" + facts.doneWhere() + ")");
            case "EXTERNAL" -> t.get("external");
            default -> null;
        };
    }

    /** "12 januari 2027", "12 January 2027": the day as people write it, in the texts' language. */
    static String longDate(LocalDate day, Map<String, String> t) {
        return day.format(DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.forLanguageTag(t.getOrDefault("locale", "sv"))));
    }
}
