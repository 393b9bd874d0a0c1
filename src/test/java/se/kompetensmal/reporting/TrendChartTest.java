package se.kompetensmal.reporting;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The trend chart's geometry without a database: its scale, its month labels and where the lines go. */
class TrendChartTest {

    @Test
    void theCountScaleRisesInFourRoundStepsToTheMostCompletions() {
        assertEquals(1, TrendChart.niceStep(0), "an empty chart still has a scale 0–4");
        assertEquals(1, TrendChart.niceStep(4));
        assertEquals(2, TrendChart.niceStep(5));
        assertEquals(10, TrendChart.niceStep(28), "0, 10, 20, 30, 40 for a month of 28");
        assertEquals(10, TrendChart.niceStep(40));
        assertEquals(20, TrendChart.niceStep(41));
        assertEquals(500, TrendChart.niceStep(1999));
    }

    @Test
    void monthsAreNamedInSwedishEveryThirdCountedBackFromTheLast() {
        List<LeadershipReport.TrendPoint> trend = new ArrayList<>();
        LocalDate month = LocalDate.of(2024, 12, 31);
        for (int i = 0; i < 24; i++) {
            month = month.plusDays(1).plusMonths(1).minusDays(1);
            trend.add(new LeadershipReport.TrendPoint(month, Share.count(i), Share.of(i, 23), i < 20 ? Share.of(23 - i, 23)
                    : new Share(null, null, null, true), false));
        }

        TrendChart chart = TrendChart.of(trend);

        assertEquals(List.of("mar 2025", "jun 2025", "sep 2025", "dec 2025", "mar 2026", "jun 2026", "sep 2026", "dec 2026"),
                chart.months().stream().map(TrendChart.MonthLabel::text).toList());
        assertEquals(List.of("0", "10", "20", "30", "40"), chart.countTicks().stream().map(TrendChart.Tick::label).toList(),
                "23 completions at most: four steps of 5 end below it");
        assertEquals(List.of("0 %", "25 %", "50 %", "75 %", "100 %"), chart.percentTicks().stream().map(TrendChart.Tick::label).toList());
        assertEquals(24, chart.introduction().size());
        assertEquals(20, chart.overdue().size(), "no point where the figure is withheld");
        assertEquals(String.valueOf((double) TrendChart.TOP), chart.overdue().get(0).y(), "23 of 23 overdue: the top of the scale");
        assertEquals("jan 2025: försenade 100 % (23 av 23)", chart.overdue().get(0).label());
    }
}
