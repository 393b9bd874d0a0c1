package se.kompetensmal.routines;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who is behind: open assignments under a node that are overdue or due within a number of days, leaving out the exempted
 * and the cycles already completed. Set-based, whatever the size of the subtree: the list of people, its page, the number
 * of people in it and the counts at its top are all read through one filtered definition ({@link #FILTERED}).
 *
 * <p>A person is listed under each unit they are placed in (a row per person and current placement under the node), so
 * that each unit's managers find them in their own list; the unit and audience filters apply to the placement. What a
 * person still has to do is theirs whichever unit asked for it, so each of their rows shows all of it. The counts count
 * people and assignments once, however many of their units lie under the node.
 */
@Singleton
public class FollowUp {

    /**
     * The one home of the follow-up's filter: the open assignments (alias {@code a}) of the active people ({@code p}) with
     * a current placement ({@code pl}) under {@code :node}, with its unit ({@code n}), narrowed by each filter that is
     * given; a person placed in two units there comes twice, once with each. {@code :until} is the last due date
     * looked at (null: every open assignment). Search is a LIKE pattern with {@code !} as its escape character.
     */
    private static final String FILTERED = """
            FROM assignment a
            JOIN person p ON p.id = a.person_id AND p.status = 'ACTIVE'
            JOIN current_placement pl ON pl.person_id = p.id
            JOIN org_closure c ON c.descendant_id = pl.org_node_id AND c.ancestor_id = :node
            JOIN org_node n ON n.id = pl.org_node_id
            WHERE %s
              AND (:until IS NULL OR a.due_date <= :until)
              AND (:unit IS NULL OR EXISTS (SELECT 1 FROM org_closure u WHERE u.ancestor_id = :unit AND u.descendant_id = pl.org_node_id))
              AND (:audience IS NULL OR EXISTS (SELECT 1 FROM placement_audience pa JOIN audience au ON au.id = pa.audience_id
                                                WHERE pa.placement_id = pl.id AND au.code = :audience))
              AND (:module IS NULL OR a.module_code = :module)
              AND (:routine IS NULL OR a.routine_id = :routine)
              AND (:search IS NULL OR p.hsa_id LIKE :search ESCAPE '!'
                   OR CONCAT(p.given_name, ' ', p.family_name) LIKE :search ESCAPE '!'
                   OR CONCAT(p.family_name, ' ', p.given_name) LIKE :search ESCAPE '!')""".formatted(se.kompetensmal.standing.Standing.STILL_TO_DO);

    /** One row per person and placement: their open assignments in view, grouped. */
    private static final String PER_PERSON = """
            SELECT p.id AS person_id, pl.id AS placement_id, p.hsa_id, CONCAT(p.given_name, ' ', p.family_name) AS name,
                   n.name AS unit, pl.org_node_id, MIN(a.due_date) AS earliest, COUNT(*) AS modules, SUM(a.due_date < :today) AS overdue_modules,
                   GROUP_CONCAT(a.module_code ORDER BY a.due_date, a.module_code SEPARATOR ',') AS codes,
                   GROUP_CONCAT(CASE WHEN a.due_date < :today THEN a.module_code END ORDER BY a.due_date, a.module_code SEPARATOR ',') AS overdue_codes
            """ + FILTERED + """

            GROUP BY p.id, pl.id, p.hsa_id, p.given_name, p.family_name, n.name, pl.org_node_id
            HAVING %s""";

    /** Longest search text: a name or an HSA-id is far shorter. */
    public static final int SEARCH_MAX = 100;

    /** How far ahead a list looks by default. */
    public static final int DEFAULT_WITHIN_DAYS = 14;

    /** People a page. */
    public static final int PAGE_SIZE = 50;

    private final NamedSql sql;
    private final ModuleTitles titles;

    public FollowUp(NamedSql sql, ModuleTitles titles) {
        this.sql = sql;
        this.titles = titles;
    }

    /** Which people a list holds, by their open assignments in view; the text after HAVING is fixed here, never typed. */
    public enum Status {
        /** At least one assignment past its due date. */
        OVERDUE("forsenad", "Försenade", "MIN(a.due_date) < :today", "x.earliest < :today", true),
        /** Nothing overdue, but something due within the days looked ahead. */
        DUE_SOON("snart", "Förfaller snart", "MIN(a.due_date) >= :today", "x.earliest >= :today AND x.earliest <= :horizon", true),
        /** Overdue or due soon: the list as it always was. */
        BEHIND("", "Försenade eller förfaller snart", "1 = 1", "x.earliest <= :horizon", true),
        /** Every open assignment, whenever it is due. */
        OPEN("alla", "Alla öppna", "1 = 1", "TRUE", false);

        private final String param;
        private final String labelSv;
        private final String having;
        /** The same choice made of a person by the earliest due date of all their open assignments in view ({@code x.earliest}). */
        private final String byEarliest;
        private final boolean windowed;

        Status(String param, String labelSv, String having, String byEarliest, boolean windowed) {
            this.param = param;
            this.labelSv = labelSv;
            this.having = having;
            this.byEarliest = byEarliest;
            this.windowed = windowed;
        }

        public String param() {
            return param;
        }

        public String labelSv() {
            return labelSv;
        }

        /** The status a query parameter names; blank is the default (overdue or due soon). */
        public static Optional<Status> ofParam(String value) {
            String wanted = value == null ? "" : value.strip();
            return Arrays.stream(values()).filter(s -> s.param.equals(wanted)).findFirst();
        }
    }

    /** The columns one may sort by, each with its fixed ORDER BY text (%s is the direction); ties go by name, then id. */
    public enum Sort {
        NAME("namn", "p.family_name %1$s, p.given_name %1$s, p.id, n.name, pl.id"),
        HSA_ID("hsaid", "p.hsa_id %1$s, p.id, n.name, pl.id"),
        UNIT("enhet", "n.name %1$s, p.family_name, p.given_name, p.id, pl.id"),
        DUE("forfallodag", "MIN(a.due_date) %1$s, p.family_name, p.given_name, p.id, n.name, pl.id"),
        COUNT("antal", "COUNT(*) %1$s, MIN(a.due_date), p.family_name, p.given_name, p.id, n.name, pl.id");

        private final String param;
        private final String orderBy;

        Sort(String param, String orderBy) {
            this.param = param;
            this.orderBy = orderBy;
        }

        public String param() {
            return param;
        }

        public static Optional<Sort> ofParam(String value) {
            return Arrays.stream(values()).filter(s -> s.param.equals(value)).findFirst();
        }

        String orderBy(boolean descending) {
            return orderBy.formatted(descending ? "DESC" : "ASC");
        }
    }

    /** Where one person stands. */
    public enum Standing {
        OVERDUE("Försenad"), DUE_SOON("Förfaller snart"), LATER("Öppen");

        private final String labelSv;

        Standing(String labelSv) {
            this.labelSv = labelSv;
        }

        public String labelSv() {
            return labelSv;
        }
    }

    /** One open assignment, for the API's list (one row per person and module). */
    @Serdeable
    public record Row(long personId, String hsaId, String name, String unit, String moduleCode, String moduleTitle,
                      LocalDate dueDate, boolean overdue, @Nullable String routine) {
    }

    /**
     * One person in the list: the modules in view by title, earliest due first, the overdue ones apart from the others
     * (those due soon, or later when every open one is asked for).
     */
    public record PersonRow(long personId, String hsaId, String name, String unit, List<String> overdueModules,
                            List<String> otherModules, LocalDate earliestDue, int moduleCount, Standing standing,
                            boolean overdue) {
    }

    /**
     * One page of rows, and where it lies among all pages; {@code people} counts each person once, however many rows
     * (units) they have in the list.
     */
    public record PersonPage(List<PersonRow> rows, long people, int page, int pages, Counts counts) {
    }

    /** The figures at the top of the list: people overdue, people due soon (none overdue), open assignments. */
    public record Counts(long overduePeople, long dueSoonPeople, long openAssignments) {
    }

    /**
     * Filters; null means any. How far ahead to look is bounded to ten years: beyond that no date is meant, and far
     * beyond it the date overflowed and the list came back silently empty.
     */
    @Introspected
    public record Filter(@Nullable Long unitId, @Nullable @Size(max = 40) String audience, @Nullable @Size(max = 80) String module,
                         @Nullable Long routineId, @Min(0) @Max(3650) int withinDays, @Nullable Status status,
                         @Nullable @Size(max = SEARCH_MAX) String search) {

        /** Overdue or due within the days given, with no search. */
        public Filter(@Nullable Long unitId, @Nullable String audience, @Nullable String module, @Nullable Long routineId,
                      int withinDays) {
            this(unitId, audience, module, routineId, withinDays, Status.BEHIND, null);
        }

        /** Everyone under the node who is overdue or due within the default fortnight. */
        public static Filter everyone() {
            return new Filter(null, null, null, null, DEFAULT_WITHIN_DAYS);
        }

        public Status statusOrDefault() {
            return status == null ? Status.BEHIND : status;
        }
    }

    /** The counts at the top of the list, for the filter except its status (the counts show each status). */
    public Counts counts(long nodeId, @Valid Filter filter, LocalDate today) {
        return tally(nodeId, filter, today).counts();
    }

    /** The counts at the top of the list, and how many rows and people the filter's status holds. */
    private record Tally(Counts counts, long rows, long people) {
    }

    /**
     * The counts and the size of the list in one pass over every open assignment in view, grouped by person: the status
     * asked for is a condition on a person's earliest due date, the same in each of their rows (each row holds all their
     * assignments), and a person's rows are their placements in view. Counted apart, the two were two of the follow-up
     * page's three passes over a region's assignments.
     */
    private Tally tally(long nodeId, Filter filter, LocalDate today) {
        return sql.one("""
                SELECT COALESCE(SUM(x.earliest < :today), 0) AS overdue_people,
                       COALESCE(SUM(x.earliest >= :today AND x.earliest <= :horizon), 0) AS due_soon_people,
                       COALESCE(SUM(x.modules), 0) AS open_assignments,
                       COALESCE(SUM(CASE WHEN %1$s THEN x.placements END), 0) AS row_count,
                       COALESCE(SUM(CASE WHEN %1$s THEN 1 END), 0) AS people
                FROM (SELECT rows_.person_id, MIN(rows_.earliest) AS earliest, MAX(rows_.modules) AS modules,
                             COUNT(*) AS placements
                      FROM (%2$s) rows_ GROUP BY rows_.person_id) x""".formatted(filter.statusOrDefault().byEarliest,
                        PER_PERSON.formatted("1 = 1")),
                params(nodeId, filter, today).and("until", null),
                row -> new Tally(new Counts(row.number("overdue_people"), row.number("due_soon_people"),
                        row.number("open_assignments")), row.number("row_count"), row.number("people")))
                .orElse(new Tally(new Counts(0, 0, 0), 0, 0));
    }

    /** The counts of one unit directly under the node (its own units included). */
    public record UnitCounts(long unitId, String unitName, Counts counts) {
    }

    /**
     * The counts for each unit directly under the node, each with the units under it, in one query (for a start page's
     * "where are people behind"); units with nobody open are left out. A person counts in each of those units they are
     * placed in, once in each.
     */
    public List<UnitCounts> countsByUnitUnder(long nodeId, @Valid Filter filter, LocalDate today) {
        return sql.list("""
                SELECT u.id AS unit_id, u.name AS unit_name,
                       SUM(y.earliest < :today) AS overdue_people,
                       SUM(y.earliest >= :today AND y.earliest <= :horizon) AS due_soon_people,
                       SUM(y.modules) AS open_assignments
                FROM (SELECT below.ancestor_id AS unit_id, x.person_id, MIN(x.earliest) AS earliest, MAX(x.modules) AS modules
                      FROM (""" + PER_PERSON.formatted("1 = 1") + """
                      ) x
                      JOIN org_closure below ON below.descendant_id = x.org_node_id
                      JOIN org_node child ON child.id = below.ancestor_id AND child.parent_id = :node
                      GROUP BY below.ancestor_id, x.person_id) y
                JOIN org_node u ON u.id = y.unit_id
                GROUP BY u.id, u.name
                ORDER BY u.name, u.id""", params(nodeId, filter, today).and("until", null),
                row -> new UnitCounts(row.number("unit_id"), row.string("unit_name"), new Counts(row.number("overdue_people"),
                        row.number("due_soon_people"), row.number("open_assignments"))));
    }

    /** One page of rows (pages of {@link #PAGE_SIZE}; a page past the last is the last), with the counts at its top. */
    public PersonPage page(long nodeId, @Valid Filter filter, Sort sort, boolean descending, int page, LocalDate today) {
        Tally tally = tally(nodeId, filter, today);
        int pages = (int) Math.max(1, (tally.rows() + PAGE_SIZE - 1) / PAGE_SIZE);
        int shown = Math.min(Math.max(1, page), pages);
        List<PersonRow> rows = people(filter, sort, descending, today,
                params(nodeId, filter, today).and("limit", PAGE_SIZE).and("offset", (shown - 1) * PAGE_SIZE), true);
        return new PersonPage(rows, tally.people(), shown, pages, tally.counts());
    }

    /**
     * Every person the filter holds, in the order asked, one by one as the database sends them: for the exports, which
     * write each row on (a region's whole list is never held). Answers how many.
     */
    public long eachPerson(long nodeId, @Valid Filter filter, Sort sort, boolean descending, LocalDate today,
                           NamedSql.Each<PersonRow> each) throws IOException {
        return sql.forEach(personQuery(filter, sort, descending, false), params(nodeId, filter, today), personRow(filter, today),
                each);
    }

    private List<PersonRow> people(Filter filter, Sort sort, boolean descending, LocalDate today, NamedSql.Params params,
                                   boolean paged) {
        return sql.list(personQuery(filter, sort, descending, paged), params, personRow(filter, today));
    }

    private static String personQuery(Filter filter, Sort sort, boolean descending, boolean paged) {
        return PER_PERSON.formatted(filter.statusOrDefault().having) + "\nORDER BY " + sort.orderBy(descending)
                + (paged ? "\nLIMIT :limit OFFSET :offset" : "");
    }

    /** A person's row, modules by title, standing as of today. */
    private NamedSql.RowMapper<PersonRow> personRow(Filter filter, LocalDate today) {
        Map<String, String> title = titles.all();
        LocalDate horizon = today.plusDays(filter.withinDays());
        return row -> {
            LocalDate earliest = row.date("earliest");
            Standing standing = earliest.isBefore(today) ? Standing.OVERDUE
                    : earliest.isAfter(horizon) ? Standing.LATER : Standing.DUE_SOON;
            List<String> all = titled(row.string("codes"), title);
            List<String> overdue = titled(row.string("overdue_codes"), title);
            // Both lists are in due-date order, so the overdue modules are the first of all.
            return new PersonRow(row.number("person_id"), row.string("hsa_id"), row.string("name"), row.string("unit"),
                    overdue, all.subList(overdue.size(), all.size()), earliest, (int) row.number("modules"), standing,
                    standing == Standing.OVERDUE);
        };
    }

    private static List<String> titled(String codes, Map<String, String> title) {
        return codes == null || codes.isEmpty() ? List.of()
                : Arrays.stream(codes.split(",")).map(code -> title.getOrDefault(code, code)).toList();
    }

    /** The filter, once its bounds are checked (a violation is the caller's 400): for work that reads it later. */
    public Filter checked(@Valid Filter filter) {
        return filter;
    }

    /** The open assignments one by one (for the API), filtered as the list of people is. */
    public List<Row> openUnder(long nodeId, @Valid Filter filter, LocalDate today) {
        return sql.list(OPEN, openParams(nodeId, filter, today), openRow(today));
    }

    /** The same assignments streamed, one by one as the database sends them, for the API's exports; answers how many. */
    public long eachOpen(long nodeId, @Valid Filter filter, LocalDate today, NamedSql.Each<Row> each) throws IOException {
        return sql.forEach(OPEN, openParams(nodeId, filter, today), openRow(today), each);
    }

    private static final String OPEN = """
            SELECT p.id AS person_id, p.hsa_id, CONCAT(p.given_name, ' ', p.family_name) AS name, n.name AS unit,
                   a.module_code, a.due_date, (SELECT r.name FROM routine r WHERE r.id = a.routine_id) AS routine
            """ + FILTERED + """

              AND (:overdueOnly = FALSE OR a.due_date < :today)
            ORDER BY a.due_date, p.family_name, p.given_name, a.module_code""";

    private static NamedSql.Params openParams(long nodeId, Filter filter, LocalDate today) {
        return params(nodeId, filter, today).and("overdueOnly", filter.statusOrDefault() == Status.OVERDUE);
    }

    private NamedSql.RowMapper<Row> openRow(LocalDate today) {
        Map<String, String> title = titles.all();
        return row -> {
            LocalDate due = row.date("due_date");
            String code = row.string("module_code");
            return new Row(row.number("person_id"), row.string("hsa_id"), row.string("name"), row.string("unit"),
                    code, title.getOrDefault(code, code), due, due.isBefore(today), row.string("routine"));
        };
    }

    /** A value to filter by and the name people know it by. */
    public record Choice(String value, String label) {
    }

    /** The units under a node (not the node itself), by name; a unit deeper down is told apart by its parent's name. */
    public List<Choice> unitsUnder(long nodeId) {
        return sql.list("""
                SELECT n.id, n.name, c.depth, parent.name AS parent_name
                FROM org_closure c
                JOIN org_node n ON n.id = c.descendant_id
                LEFT JOIN org_node parent ON parent.id = n.parent_id
                WHERE c.ancestor_id = :node AND c.depth > 0
                ORDER BY n.name, parent.name, n.id""", NamedSql.with("node", nodeId),
                row -> new Choice(String.valueOf(row.number("id")), row.number("depth") > 1
                        ? row.string("name") + " (" + row.string("parent_name") + ")" : row.string("name")));
    }

    /** The routines that reach people under a node: set at the node, above it or below it; each with where it is set. */
    public List<Choice> routinesFor(long nodeId) {
        return sql.list("""
                SELECT r.id, r.name, o.name AS place
                FROM routine r
                JOIN org_node o ON o.id = r.org_node_id
                WHERE r.org_node_id IN (SELECT up.ancestor_id FROM org_closure up WHERE up.descendant_id = :node)
                   OR r.org_node_id IN (SELECT down.descendant_id FROM org_closure down WHERE down.ancestor_id = :node)
                ORDER BY r.name, o.name, r.id""", NamedSql.with("node", nodeId),
                row -> new Choice(String.valueOf(row.number("id")), row.string("name") + " (" + row.string("place") + ")"));
    }

    /** The filter's values by name; {@code :until} is the horizon for windowed statuses. */
    private static NamedSql.Params params(long nodeId, Filter filter, LocalDate today) {
        LocalDate horizon = today.plusDays(filter.withinDays());
        return NamedSql.with("node", nodeId)
                .and("today", today)
                .and("horizon", horizon)
                .and("until", filter.statusOrDefault().windowed ? horizon : null)
                .and("unit", filter.unitId())
                .and("audience", blankToNull(filter.audience()))
                .and("module", blankToNull(filter.module()))
                .and("routine", filter.routineId())
                .and("search", likePattern(filter.search()));
    }

    /** "%text%" with the LIKE wildcards and the escape character itself taken literally. */
    static String likePattern(String search) {
        String text = blankToNull(search);
        if (text == null) {
            return null;
        }
        return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
