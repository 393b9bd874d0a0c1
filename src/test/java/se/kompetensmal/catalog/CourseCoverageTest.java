package se.kompetensmal.catalog;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped course content as a whole: every audience has a goal catalogue of a sensible size, every goal is taught
 * and assessed by some module meant for that audience, and each module's stated length is believable.
 *
 * <p>Length rule: a learner reads about {@value #WORDS_PER_MINUTE} Swedish words a minute and spends about one minute on
 * each assessment question, so a module should take {@code words / 150 + questions} minutes, where words are the
 * whitespace-separated words of all its pages' Markdown (page titles excluded). The stated {@code estimated_minutes}
 * may differ from that expectation by at most a quarter of it ({@value #TOLERANCE} times the expected minutes).
 */
class CourseCoverageTest {

    /** Reading speed for ordinary Swedish prose; a common rule of thumb for adult readers on screen. */
    static final double WORDS_PER_MINUTE = 150.0;

    /** Estimates are rounded to whole minutes and pages differ in density, so allow a quarter either way. */
    static final double TOLERANCE = 0.25;

    private final CourseContent content = CourseContentReader.read(Path.of("courses"), CourseContentReaderTest.AUDIENCES);

    @Test
    void everyAudienceHasFiveToTenGoals() {
        List<String> wrong = new ArrayList<>();
        for (String audience : CourseContentReaderTest.AUDIENCES) {
            long goals = content.goals().stream().filter(g -> g.audiences().contains(audience)).count();
            if (goals < 5 || goals > 10) {
                wrong.add(audience + " has " + goals);
            }
        }
        assertTrue(wrong.isEmpty(), "audiences without 5 to 10 goals: " + wrong);
    }

    @Test
    void everyGoalOfEveryAudienceIsCoveredByAModuleWithAnAssessment() {
        List<String> uncovered = new ArrayList<>();
        for (CourseContent.Goal goal : content.goals()) {
            boolean covered = content.modules().stream().anyMatch(m -> m.goals().contains(goal.code())
                    && m.questions().size() >= 5
                    && m.audiences().containsAll(goal.audiences()));
            if (!covered) {
                uncovered.add(goal.code() + " " + goal.audiences());
            }
        }
        assertTrue(uncovered.isEmpty(), "goals that no module with at least 5 questions and all the goal's audiences "
                + "covers: " + uncovered);
    }

    @Test
    void atLeastTwelveModulesOfTenToTwentyMinutesTakenHere() {
        List<String> wrong = content.modules().stream()
                .filter(m -> m.external() == null)
                .filter(m -> m.estimatedMinutes() < 10 || m.estimatedMinutes() > 20)
                .map(m -> m.code() + " " + m.estimatedMinutes() + " min").toList();
        assertTrue(content.modules().size() >= 12, "only " + content.modules().size() + " modules");
        assertTrue(wrong.isEmpty(), "modules outside 10 to 20 minutes: " + wrong);
    }

    @Test
    void estimatedMinutesMatchTheLengthOfTheModule() {
        List<String> wrong = new ArrayList<>();
        for (CourseContent.Module module : content.modules().stream().filter(m -> m.external() == null).toList()) {
            long words = module.pages().stream().mapToLong(p -> words(p.markdown())).sum();
            int questions = module.questions().size();
            double expected = words / WORDS_PER_MINUTE + questions;
            if (Math.abs(module.estimatedMinutes() - expected) > TOLERANCE * expected) {
                wrong.add(String.format("%s: %d words, %d questions, expected %.1f min, stated %d min",
                        module.code(), words, questions, expected, module.estimatedMinutes()));
            }
        }
        assertTrue(wrong.isEmpty(), "modules whose estimated_minutes miss:\n  " + String.join("\n  ", wrong));
    }

    private static long words(String markdown) {
        String trimmed = markdown.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
