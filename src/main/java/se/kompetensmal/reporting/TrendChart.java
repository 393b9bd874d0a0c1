package se.kompetensmal.reporting;

import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trend drawn as an SVG: a column per month for the completions taken (scale on the left, in numbers), a solid line
 * for the share with their introduction done and a dashed line for the share with something overdue (scale on the right,
 * in per cent), and the months named under the columns. Overdue is set apart by its colour, its dashes and its square
 * markers, so that it reads without colour too. Coordinates are worked out here so that the template only places them.
 *
 * <p>The drawing is 640 units wide and scales with the page; its text is sized in those units and made larger on phones
 * by the style sheet, so the margins leave room for the larger text.
 */
@Serdeable
public record TrendChart(int width, int height, int left, int right, int top, int bottom, List<Column> columns,
                         List<Point> introduction, String introductionLine, List<Point> overdue, String overdueLine,
                         List<Tick> countTicks, List<Tick> percentTicks, List<MonthLabel> months, long mostCompletions,
                         long countTop) {

    static final int WIDTH = 640;
    static final int HEIGHT = 300;
    static final int LEFT = 72;
    static final int RIGHT = 564;
    static final int TOP = 36;
    static final int BOTTOM = 240;
    /** A label under every third column, counted back from the current month so that it is always named. */
    public static final int LABEL_EVERY = 3;
    private static final int INTERVALS = 4;
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"};

    /** A month's column, with its hover text. */
    @Serdeable
    public record Column(String x, String y, String width, String height, String label) {
    }

    /** A marker on a line, with its hover text. */
    @Serdeable
    public record Point(String x, String y, String label) {
    }

    /** A gridline of a scale and its value as written beside the axis. */
    @Serdeable
    public record Tick(String y, String label) {
    }

    /** A month named under its column: the month's abbreviation above its year. */
    @Serdeable
    public record MonthLabel(String x, String month, String year) {
        /** As read out together: "jan 2026". */
        public String text() {
            return month + " " + year;
        }
    }

    static TrendChart of(List<LeadershipReport.TrendPoint> trend) {
        long most = trend.stream().mapToLong(TrendChart::completions).max().orElse(0);
        long step = niceStep(most);
        long top = step * INTERVALS;
        double plotHeight = BOTTOM - TOP;
        double slot = (double) (RIGHT - LEFT) / Math.max(1, trend.size());
        double barWidth = slot * 0.64;
        List<Column> columns = new ArrayList<>();
        List<Point> introduction = new ArrayList<>();
        List<Point> overdue = new ArrayList<>();
        List<MonthLabel> months = new ArrayList<>();
        for (int i = 0; i < trend.size(); i++) {
            LeadershipReport.TrendPoint point = trend.get(i);
            String month = month(point.monthEnd());
            double centre = LEFT + slot * i + slot / 2;
            double height = plotHeight * completions(point) / top;
            columns.add(new Column(n(centre - barWidth / 2), n(BOTTOM - height), n(barWidth), n(height),
                    month + ": " + (point.completions().withheld()
                            ? "genomföranden visas inte (" + point.completions().shown() + ")"
                            : point.completions().shown() + " genomföranden")));
            point(introduction, centre, point.introductionDone(), month + ": introduktion klar ");
            point(overdue, centre, point.overdue(), month + ": försenade ");
            if ((trend.size() - 1 - i) % LABEL_EVERY == 0) {
                months.add(new MonthLabel(n(centre), MONTHS[point.monthEnd().getMonthValue() - 1],
                        String.valueOf(point.monthEnd().getYear())));
            }
        }
        List<Tick> counts = new ArrayList<>();
        List<Tick> percents = new ArrayList<>();
        for (int i = 0; i <= INTERVALS; i++) {
            String y = n(BOTTOM - plotHeight * i / INTERVALS);
            counts.add(new Tick(y, String.valueOf(step * i)));
            percents.add(new Tick(y, 100 * i / INTERVALS + " %"));
        }
        return new TrendChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, columns, introduction, line(introduction), overdue,
                line(overdue), counts, percents, months, most, top);
    }

    /** "jan 2026": the month as the chart and its hover texts name it. */
    public static String month(LocalDate date) {
        return MONTHS[date.getMonthValue() - 1] + " " + date.getYear();
    }

    /** The step between gridlines: 1, 2 or 5 times a power of ten, so that four steps reach the most completions. */
    static long niceStep(long most) {
        long step = 1;
        while (true) {
            for (long factor : new long[]{1, 2, 5}) {
                if (step * factor * INTERVALS >= most) {
                    return step * factor;
                }
            }
            step *= 10;
        }
    }

    private static void point(List<Point> points, double x, Share share, String label) {
        Integer percent = share.percent();
        if (percent != null) {
            points.add(new Point(n(x), n(BOTTOM - (BOTTOM - TOP) * Math.min(100, percent) / 100.0),
                    label + share.shown() + (share.counted().isEmpty() ? "" : " (" + share.counted() + ")")));
        }
    }

    private static String line(List<Point> points) {
        return String.join(" ", points.stream().map(p -> p.x() + "," + p.y()).toList());
    }

    /** A coordinate with one decimal, written the same whatever the server's locale. */
    private static String n(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** A month's completions, none drawn where the group's are withheld. */
    private static long completions(LeadershipReport.TrendPoint point) {
        return point.completions().withheld() ? 0 : point.completions().numerator();
    }

    /** Whether any month has an overdue figure to draw. */
    public boolean hasOverdue() {
        return !overdue.isEmpty();
    }
}
