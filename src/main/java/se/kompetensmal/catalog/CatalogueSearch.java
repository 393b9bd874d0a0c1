package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.security.Caller;
import se.kompetensmal.sql.NamedSql;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finding modules in the catalogue: by words in a module's title, summary, page titles or the text of the goals it covers,
 * and by audience, goal area and goal. Always the latest version of each module, in title order.
 */
@Singleton
public class CatalogueSearch {

    /** Longest search text accepted: enough for a phrase, short enough that a LIKE over the catalogue stays cheap. */
    public static final int MAX_TEXT = 100;

    private static final String LATEST = "m.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = m.module_code)";

    private final NamedSql sql;

    public CatalogueSearch(NamedSql sql) {
        this.sql = sql;
    }

    /** What to look for; every part may be absent. */
    public record Filter(@Nullable String text, @Nullable String audience, @Nullable GoalArea area, @Nullable String goal) {
        public boolean any() {
            return text != null || audience != null || area != null || goal != null;
        }
    }

    /** A module as the listing shows it; {@code launchUrl} is set for an external module, taken elsewhere. */
    public record Found(String code, String title, String summary, int minutes, List<String> audiences,
                        @Nullable String launchUrl) {
        public boolean external() {
            return launchUrl != null;
        }

        /** Where an external module is taken: the host of its launch link, as people read it. */
        public @Nullable String provider() {
            return providerOf(launchUrl);
        }
    }

    /**
     * The modules the caller may see and that are offered for new use (withdrawn ones are not), matching the filter.
     */
    public List<Found> modules(Filter filter, Authentication caller) {
        String like = filter.text() == null ? null : "%" + escapeLike(filter.text()) + "%";
        return sql.list("""
                SELECT m.module_code, m.title, m.summary, m.estimated_minutes, m.launch_url,
                       (SELECT GROUP_CONCAT(a.code ORDER BY a.sort_order SEPARATOR ',') FROM module_version_audience ma
                          JOIN audience a ON a.id = ma.audience_id WHERE ma.module_version_id = m.id) AS audiences
                FROM module_version m JOIN catalogue_module cm ON cm.code = m.module_code
                WHERE %s AND %s AND %s
                  AND (:like IS NULL OR m.title LIKE :like OR m.summary LIKE :like
                       OR EXISTS (SELECT 1 FROM module_page p WHERE p.module_version_id = m.id AND p.title LIKE :like)
                       OR EXISTS (SELECT 1 FROM module_version_goal mg JOIN competence_goal g ON g.id = mg.goal_id
                                  WHERE mg.module_version_id = m.id AND (g.code LIKE :like OR g.text_sv LIKE :like)))
                  AND (:audience IS NULL OR EXISTS (SELECT 1 FROM module_version_audience ma JOIN audience a ON a.id = ma.audience_id
                                                    WHERE ma.module_version_id = m.id AND a.code = :audience))
                  AND (:area IS NULL OR EXISTS (SELECT 1 FROM module_version_goal mg JOIN competence_goal g ON g.id = mg.goal_id
                                                WHERE mg.module_version_id = m.id AND g.area = :area))
                  AND (:goal IS NULL OR EXISTS (SELECT 1 FROM module_version_goal mg JOIN competence_goal g ON g.id = mg.goal_id
                                                WHERE mg.module_version_id = m.id AND g.code = :goal))
                ORDER BY m.title""".formatted(LATEST, ModuleReach.VISIBLE_TO, ModuleReach.OPEN),
                NamedSql.with("like", like).and("account", Caller.of(caller).accountId()).and("audience", filter.audience())
                        .and("area", filter.area() == null ? null : filter.area().name()).and("goal", filter.goal()),
                row -> new Found(row.string("module_code"), row.string("title"), row.string("summary"),
                        (int) row.number("estimated_minutes"), split(row.string("audiences")), row.string("launch_url")));
    }

    /**
     * Whether the module is meant for the person: one of their audiences is among the module's, or it is assigned to them
     * (by a routine or by hand). Such a person is offered to start it from the catalogue. By audience only where the
     * module may be used at one of the person's units and is not withdrawn.
     */
    public boolean appliesTo(long personId, String moduleCode) {
        return sql.number("""
                SELECT EXISTS (SELECT 1 FROM assignment a WHERE a.person_id = :person AND a.module_code = :code
                                  AND a.withdrawn_at IS NULL)
                    OR EXISTS (SELECT 1 FROM person_audience pa
                                 JOIN module_version_audience ma ON ma.audience_id = pa.audience_id
                                 JOIN module_version m ON m.id = ma.module_version_id
                                 JOIN catalogue_module cm ON cm.code = m.module_code
                                WHERE pa.person_id = :person AND m.module_code = :code AND %s AND %s AND %s)"""
                        .formatted(LATEST, ModuleReach.usableByPerson("pa.person_id"), ModuleReach.OPEN),
                NamedSql.with("person", personId).and("code", moduleCode)) > 0;
    }

    /** The host of a launch link without "www.", e.g. "utbildning.socialstyrelsen.se"; null without a link. */
    public static @Nullable String providerOf(@Nullable String launchUrl) {
        if (launchUrl == null) {
            return null;
        }
        try {
            String host = URI.create(launchUrl).getHost();
            return host == null ? launchUrl : host.toLowerCase(Locale.ROOT).replaceFirst("^www\\.", "");
        } catch (IllegalArgumentException e) {
            return launchUrl;
        }
    }

    /** The user's text matched literally: % and _ mean themselves, not wildcards. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static List<String> split(@Nullable String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
