package se.kompetensmal.reporting;

import io.micronaut.serde.annotation.Serdeable;

import java.util.ArrayList;
import java.util.List;

/**
 * The trend drawn as an SVG: a column per month for the completions taken, and a line for the share with their
 * introduction done. Coordinates are worked out here so that the template only places them.
 */
@Serdeable
public record TrendChart(String introductionLine, List<Column> columns, long mostCompletions) {

    static final int WIDTH = 720;
    static final int HEIGHT = 200;

    @Serdeable
    public record Column(int x, int y, int height, String label) {
    }

    static TrendChart of(List<LeadershipReport.TrendPoint> trend) {
        long most = trend.stream().mapToLong(TrendChart::completions).max().orElse(0);
        long scale = Math.max(1, most);
        int step = WIDTH / Math.max(1, trend.size());
        List<Column> columns = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < trend.size(); i++) {
            LeadershipReport.TrendPoint point = trend.get(i);
            int height = (int) (HEIGHT * completions(point) / scale);
            columns.add(new Column(i * step + 2, HEIGHT - height, height,
                    point.monthEnd().toString().substring(0, 7) + ": " + (point.completions().withheld()
                            ? "genomföranden visas inte (" + point.completions().shown() + ")"
                            : point.completions().shown() + " genomföranden")));
            Integer percent = point.introductionDone().percent();
            if (percent != null) {
                line.append(i * step + step / 2).append(',').append(HEIGHT - HEIGHT * percent / 100).append(' ');
            }
        }
        return new TrendChart(line.toString().strip(), columns, most);
    }

    /** A month's completions, none drawn where the group's are withheld. */
    private static long completions(LeadershipReport.TrendPoint point) {
        return point.completions().withheld() ? 0 : point.completions().numerator();
    }
}
