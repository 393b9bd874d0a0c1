package se.kompetensmal.reporting;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fewer-than-5 rule against subtraction: a region of three units of 7, 6 and 3 people, and three audiences of 9, 5
 * and 2 (each person in one, so that the audiences add up to the total like the units do). The small unit and the small
 * audience show only "färre än 5"; no figure read off the JSON, the CSV or the page, nor the total minus any of the
 * siblings shown, may give back their figures as counted from the list of people below. The small unit's own trend
 * shows no month's completions, on the page, in the JSON, the CSV or the PDF.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmallGroupsTest extends ServiceTest {

    private static final String INTRO = "vardskador-grunder";
    private static final String MANAGER_INTRO = "leda-och-styra-for-saker-vard";

    @Inject
    Completions completions;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    final LocalDate start = today.minusYears(4);
    /** The month the small unit's two completions fall in, inside the trend's 24 months. */
    final LocalDate recently = today.minusMonths(3);

    /** One person: where, in which audience, and what they did with their introduction (null: not done). */
    record Person(String key, String unit, String audience, Done done) {
    }

    enum Done { ON_TIME, LATE, RECENTLY }

    private final List<Person> region = new ArrayList<>();
    private final Map<String, Long> units = new LinkedHashMap<>();
    private long regionId;
    private String leader;

    @BeforeAll
    void aRegionWithOneSmallUnitAndOneSmallAudience() {
        String p = "SMAL" + System.nanoTime();
        regionId = tree.add(p, "Region Små grupper", OrgNodeKind.REGION, null).id();
        for (String unit : List.of("U7", "U6", "U3")) {
            units.put(unit, tree.add(p + "-" + unit, "Enhet " + unit, OrgNodeKind.UNIT, regionId).id());
        }
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, regionId));
        leader = users.token(users.account(p + "-ledare", null, Role.LEADER, regionId));
        routine(coordinator, "Introduktion legitimerade", "LICENSED", INTRO);
        routine(coordinator, "Introduktion övriga", "NON_LICENSED", INTRO);
        routine(coordinator, "Introduktion chefer", "FRONTLINE_MANAGER", MANAGER_INTRO);

        person(p, "l1", "U7", "LICENSED", Done.ON_TIME);
        person(p, "l2", "U7", "LICENSED", Done.ON_TIME);
        person(p, "l3", "U7", "LICENSED", Done.LATE);
        person(p, "l4", "U7", "LICENSED", null);
        person(p, "l5", "U7", "LICENSED", Done.ON_TIME);
        person(p, "l6", "U7", "LICENSED", null);
        person(p, "l7", "U7", "LICENSED", Done.LATE);
        person(p, "l8", "U6", "LICENSED", Done.ON_TIME);
        person(p, "l9", "U6", "LICENSED", null);
        person(p, "n1", "U6", "NON_LICENSED", Done.ON_TIME);
        person(p, "n2", "U6", "NON_LICENSED", null);
        person(p, "n3", "U6", "NON_LICENSED", Done.LATE);
        person(p, "n4", "U6", "NON_LICENSED", Done.ON_TIME);
        person(p, "n5", "U3", "NON_LICENSED", Done.RECENTLY);
        person(p, "f1", "U3", "FRONTLINE_MANAGER", Done.RECENTLY);
        person(p, "f2", "U3", "FRONTLINE_MANAGER", null);
        recomputeUnder(regionId, coordinator);
    }

    @Test
    void noSubtractionOfShownSubUnitsFromTheTotalGivesTheSmallUnitsFigures() {
        Map<String, Object> json = json(regionId);
        Map<String, Long> small = figures(p -> p.unit().equals("U3"));
        assertEquals(3L, small.get("personer"), "the small unit, counted from the list");
        assertWithheld(figuresOf(rowOf(list(json, "subUnits"), "label", "Enhet U3")), "the small unit itself");

        assertNothingRevealed("JSON", figuresOf(map(json, "total")),
                list(json, "subUnits").stream().map(SmallGroupsTest::figuresOf).toList(), small);
        List<String[]> csv = csv(regionId);
        assertNothingRevealed("CSV", csvFigures(csv, "översikt", "alla målgrupper"),
                units.keySet().stream().map(u -> csvFigures(csv, "underliggande enhet", "Enhet " + u)).toList(), small);
        String page = page(regionId);
        assertNothingRevealed("page", pageFigures(page, "tabell-totalt").get(0), pageFigures(page, "tabell-enheter"), small);
    }

    @Test
    void noSubtractionOfShownAudiencesFromTheTotalGivesTheSmallAudiencesFigures() {
        Map<String, Object> json = json(regionId);
        Map<String, Long> small = figures(p -> p.audience().equals("FRONTLINE_MANAGER"));
        assertEquals(2L, small.get("personer"), "the small audience, counted from the list");

        assertNothingRevealed("JSON", figuresOf(map(json, "total")),
                list(json, "audiences").stream().map(SmallGroupsTest::figuresOf).toList(), small);
        List<String[]> csv = csv(regionId);
        List<Map<String, Long>> audiences = csv.stream().filter(r -> r[0].equals("översikt") && !r[2].equals("alla målgrupper"))
                .map(r -> r[2]).distinct().map(a -> csvFigures(csv, "översikt", a)).toList();
        assertEquals(3, audiences.size());
        assertNothingRevealed("CSV", csvFigures(csv, "översikt", "alla målgrupper"), audiences, small);
        String page = page(regionId);
        assertNothingRevealed("page", pageFigures(page, "tabell-totalt").get(0), pageFigures(page, "tabell-malgrupper"), small);
    }

    @Test
    void goalHoldersOfAnAudienceWithheldInTheOverviewAreWithheldToo() {
        Map<String, Object> json = json(regionId);
        int withheld = 0;
        for (Map<String, Object> audience : list(json, "goals")) {
            Map<String, Object> overview = rowOf(list(json, "audiences"), "audience", audience.get("audience"));
            if (overview != null && map(overview, "headcount").get("numerator") == null) {
                assertNull(map(audience, "headcount").get("numerator"), audience.toString());
                list(audience, "goals").forEach(goal -> assertNull(map(goal, "holders").get("numerator"), goal.toString()));
                withheld++;
            }
        }
        assertTrue(withheld > 0, "the small audience at least: " + list(json, "goals"));
    }

    @Test
    void theSmallUnitsTrendShowsNoMonthsCompletions() {
        long small = units.get("U3");
        List<Map<String, Object>> trend = list(json(small), "trend");
        assertEquals(24, trend.size());
        LocalDate month = recently.withDayOfMonth(recently.lengthOfMonth());
        Map<String, Object> point = rowOf(trend, "monthEnd", month.toString());
        assertEquals(2, region.stream().filter(p -> p.unit().equals("U3") && p.done() == Done.RECENTLY).count(),
                "n5 and f1 completed that month");
        for (Map<String, Object> each : trend) {
            Object completions = each.get("completions");
            assertFalse(completions instanceof Number, "a month's completions of a unit of three: " + point);
            assertNull(((Map<?, ?>) completions).get("numerator"), each.toString());
        }
        List<String[]> csv = csv(small);
        List<String[]> months = csv.stream().filter(r -> r[3].equals("genomföranden under månaden")).toList();
        assertEquals(24, months.size());
        months.forEach(r -> assertEquals("", r[4], String.join(";", r)));
        String page = page(small);
        assertFalse(Pattern.compile("<th scope=\"row\">" + month + "</th><td class=\"num\">2</td>").matcher(page).find(), page);
        assertFalse(page.contains(TrendChart.month(month) + ": 2 genomföranden"), "the chart's column title");
        assertTrue(page.contains(TrendChart.month(month) + ": genomföranden visas inte"), "the chart's column title");
        String pdf = pdfText(small);
        assertFalse(pdf.contains(month.toString().substring(0, 7) + " (2 genomföranden)"), pdf);
        assertTrue(pdf.contains(month.toString().substring(0, 7) + " (genomföranden visas inte)"), pdf);
        // The region of sixteen shows its months: that month has the small unit's two completions and none else.
        assertEquals(2L, ((Number) ((Map<?, ?>) rowOf(list(json(regionId), "trend"), "monthEnd", month.toString())
                .get("completions")).get("numerator")).longValue());
    }

    /**
     * The total minus any selection of the siblings whose figure is shown (every selection, for each figure) must not give
     * the small group's figure; nor may the people so worked out be one to four.
     */
    private static void assertNothingRevealed(String where, Map<String, Long> total, List<Map<String, Long>> siblings,
                                              Map<String, Long> small) {
        for (String figure : small.keySet()) {
            Long whole = total.get(figure);
            assertTrue(whole != null, where + ": the total's " + figure + " is shown: " + total);
            List<Long> shown = siblings.stream().map(s -> s.get(figure)).filter(v -> v != null).toList();
            for (int selection = 0; selection < 1 << shown.size(); selection++) {
                long rest = whole;
                for (int i = 0; i < shown.size(); i++) {
                    if ((selection & 1 << i) != 0) {
                        rest -= shown.get(i);
                    }
                }
                assertNotEquals(small.get(figure).longValue(), rest, where + ": total " + whole + " minus shown " + shown
                        + " gives the small group's " + figure + "; siblings " + siblings);
            }
            if (figure.equals("personer")) {
                long hidden = whole - shown.stream().mapToLong(Long::longValue).sum();
                assertFalse(hidden > 0 && hidden < 5, where + ": the groups not shown hold " + hidden + " people");
            }
        }
    }

    private static void assertWithheld(Map<String, Long> figures, String what) {
        figures.forEach((figure, value) -> assertNull(value, what + ": " + figure));
    }

    /** The figures the test checks, counted from the list of people. */
    private Map<String, Long> figures(Predicate<Person> who) {
        List<Person> group = region.stream().filter(who).toList();
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("personer", (long) group.size());
        figures.put("med introduktion", (long) group.size());
        figures.put("introduktion klar", group.stream().filter(p -> p.done() != null).count());
        figures.put("introduktion klar i tid", group.stream().filter(p -> p.done() == Done.ON_TIME).count());
        figures.put("försenade", group.stream().filter(p -> p.done() == null).count());
        return figures;
    }

    private static Map<String, Long> figuresOf(Map<String, Object> row) {
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("personer", number(map(row, "headcount").get("numerator")));
        figures.put("med introduktion", number(map(row, "introduction").get("denominator")));
        figures.put("introduktion klar", number(map(row, "introduction").get("numerator")));
        figures.put("introduktion klar i tid", number(map(row, "introductionOnTime").get("numerator")));
        figures.put("försenade", number(map(row, "overdue").get("numerator")));
        return figures;
    }

    /** A group's figures as the CSV rows give them: counted (täljare), and the introduction's nämnare. */
    private static Map<String, Long> csvFigures(List<String[]> csv, String section, String group) {
        Map<String, String[]> byMeasure = new LinkedHashMap<>();
        csv.stream().filter(r -> r[0].equals(section) && (r[1].equals(group) || r[2].equals(group)) && !(section.equals("översikt")
                && !group.equals("alla målgrupper") && r[2].equals("alla målgrupper"))).forEach(r -> byMeasure.put(r[3], r));
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("personer", cell(byMeasure.get("personer")[4]));
        figures.put("med introduktion", cell(byMeasure.get("introduktion klar")[5]));
        figures.put("introduktion klar", cell(byMeasure.get("introduktion klar")[4]));
        figures.put("introduktion klar i tid", cell(byMeasure.get("introduktion klar i tid")[4]));
        figures.put("försenade", cell(byMeasure.get("försenade")[4]));
        return figures;
    }

    private static final Pattern ROW = Pattern.compile("<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td class=\"num[^\"]*\"[^>]*>(.*?)</td>", Pattern.DOTALL);
    private static final Pattern COUNTED = Pattern.compile("<span class=\"counted\">(\\d+) av (\\d+)</span>");

    /** A figures table of the page, a row per group: the headcount as shown and each share's "x av y". */
    private static List<Map<String, Long>> pageFigures(String page, String table) {
        int at = page.indexOf("id=\"" + table + "\"");
        assertTrue(at > 0, table);
        String body = page.substring(at, page.indexOf("</table>", at));
        List<Map<String, Long>> rows = new ArrayList<>();
        Matcher row = ROW.matcher(body);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(2));
            while (cell.find()) {
                cells.add(cell.group(1));
            }
            assertEquals(5, cells.size(), row.group());
            Map<String, Long> figures = new LinkedHashMap<>();
            figures.put("personer", cells.get(0).strip().matches("\\d+") ? Long.valueOf(cells.get(0).strip()) : null);
            Matcher introduction = COUNTED.matcher(cells.get(1));
            boolean shown = introduction.find();
            figures.put("med introduktion", shown ? Long.valueOf(introduction.group(2)) : null);
            figures.put("introduktion klar", shown ? Long.valueOf(introduction.group(1)) : null);
            Matcher onTime = COUNTED.matcher(cells.get(2));
            figures.put("introduktion klar i tid", onTime.find() ? Long.valueOf(onTime.group(1)) : null);
            Matcher overdue = COUNTED.matcher(cells.get(4));
            figures.put("försenade", overdue.find() ? Long.valueOf(overdue.group(1)) : null);
            rows.add(figures);
        }
        return rows;
    }

    private Map<String, Object> json(long node) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/statistics")
                .bearerAuth(leader), Map.class);
        return json;
    }

    private List<String[]> csv(long node) {
        String csv = http.toBlocking().retrieve(HttpRequest.GET("/organisationer/" + node + "/statistik.csv")
                .cookie(Cookie.of("JWT", leader)));
        return csv.replaceFirst("^\uFEFF", "").lines().skip(1)
                .map(line -> java.util.Arrays.stream(line.split(";", -1)).map(c -> c.replaceAll("^\"|\"$", "")).toArray(String[]::new))
                .toList();
    }

    private String pdfText(long node) {
        byte[] pdf = http.toBlocking().retrieve(HttpRequest.GET("/organisationer/" + node + "/statistik.pdf")
                .cookie(Cookie.of("JWT", leader)), byte[].class);
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String page(long node) {
        return http.toBlocking().retrieve(HttpRequest.GET("/organisationer/" + node + "/statistik").cookie(Cookie.of("JWT", leader)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }

    private static Map<String, Object> rowOf(List<Map<String, Object>> rows, String key, Object value) {
        return rows.stream().filter(r -> value.equals(r.get(key))).findFirst().orElse(null);
    }

    private static Long number(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static Long cell(String value) {
        return value.isEmpty() ? null : Long.valueOf(value);
    }

    private void routine(String coordinator, String name, String audience, String module) {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + regionId + "/routines", new RoutineForm(name,
                RoutineKind.INTRODUCTION, audience, List.of(module), 30, CountsFrom.ORG_START, null, null, null,
                DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
    }

    private void person(String prefix, String key, String unit, String audience, Done done) {
        long id = people.create(prefix.substring(4) + "-" + key, key.toUpperCase(), "Smågruppsperson", null, units.get(unit), start,
                start, audience);
        if (done != null) {
            LocalDate on = switch (done) {
                case ON_TIME -> start.plusDays(10);
                case LATE -> start.plusDays(100);
                case RECENTLY -> recently;
            };
            String module = audience.equals("FRONTLINE_MANAGER") ? MANAGER_INTRO : INTRO;
            completions.record(id, sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", module), on, 90, null,
                    Completions.Source.INTERNAL);
        }
        region.add(new Person(key, unit, audience, done));
    }
}
