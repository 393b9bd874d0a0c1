package se.kompetensmal.standing;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestDatabase;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.reporting.Statistics;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;
import se.kompetensmal.sql.NamedSql;
import se.kompetensmal.sql.Retried;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summaries equal the live count, always: a thousand seeded random changes of every kind the figures depend on,
 * over a region of four levels, and after every 25 changes and every step of the date, every figure of every node in
 * every audience is compared with the live computation (the oracle, {@link Statistics#liveCounts}), and what the
 * statistics read ({@link Statistics#counts}) with both.
 *
 * <p>The kinds of change: a completion (learning in the service, registered by a coordinator, voided), an exemption
 * given and taken back, a hand assignment, a new person, a move, a second placement and its end, an audience added to
 * and taken from a placement, a leaver and a returner, a recomputation, a new or retired routine, a node moved to
 * another parent, a roster import, and the date moving on (open duties falling overdue, held cycles expiring). Rounds of
 * 40 changes and recomputation slices of 7 people, so that every change crosses rounds and slices.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.summaries.enabled", value = "true")
@Property(name = "kompetensmal.summaries.round", value = "40")
@Property(name = "kompetensmal.recompute-slice", value = "7")
// The test drives the sums itself, between its steps: the worker's own runs would estimate the trend's earlier months
// (until the first month closes, after every recomputation) at a moment between two steps that the test cannot know.
@Property(name = "kompetensmal.summaries.interval", value = "1h")
@Property(name = "kompetensmal.summaries.linger", value = "0s")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SummariesTest extends ServiceTest {

    private static final int STEPS = 1000;
    private static final List<String> MODULES = List.of("vardskador-grunder", "leda-och-styra-for-saker-vard", "basala-hygienrutiner");
    private static final List<String> AUDIENCES = List.of("LICENSED", "NON_LICENSED", "FRONTLINE_MANAGER");

    /** A database of its own: the first build and every comparison are over this test's people only. */
    @Override
    public Map<String, String> getProperties() {
        return TestDatabase.Server.freshDatabase("km_summaries");
    }

    @Inject
    Summaries summaries;
    @Inject
    Statistics statistics;
    @Inject
    Completions completions;
    @Inject
    OrgNodeRepository nodeRepository;
    @Inject
    NamedSql named;

    private final Random random = new Random(22);
    private final LocalDate realToday = LocalDate.now(SwedishTime.ZONE);
    private LocalDate day = realToday;
    private final List<Long> nodes = new ArrayList<>();
    private final List<Long> administrations = new ArrayList<>();
    private final List<Long> operations = new ArrayList<>();
    private final List<Long> units = new ArrayList<>();
    private final List<String> unitCodes = new ArrayList<>();
    private final List<Long> routines = new ArrayList<>();
    private long region;
    private String prefix;
    private String ownGoal;
    private String coordinator;
    private String hsa;
    private int made;
    private final Map<String, Integer> done = new TreeMap<>();
    private final Map<String, Long> time = new TreeMap<>();
    private String last = "";
    /** When the summaries last estimated the trend's earlier months, as seen by the test. */
    private java.time.Instant estimatedAt;
    /** The month ends the date has passed, closed by the summaries. */
    private final java.util.Set<LocalDate> closedMonths = new java.util.HashSet<>();
    /** Whether a month closed since the last comparison. */
    private boolean monthClosed;
    /** Per node and month end ("node month"), how it stood then, as counted live at the time. */
    private final Map<String, Stood> expectedMonths = new TreeMap<>();

    @BeforeAll
    void aRegionOfFourLevels() {
        prefix = "SUM" + System.nanoTime();
        hsa = PersonFixture.hsaPrefix();
        region = node(prefix, "Region Summa", OrgNodeKind.REGION, null);
        for (int a = 1; a <= 3; a++) {
            long administration = node(prefix + "-F" + a, "Förvaltning " + a, OrgNodeKind.ADMINISTRATION, region);
            administrations.add(administration);
            for (int o = 1; o <= 2; o++) {
                long operation = node(prefix + "-F" + a + "V" + o, "Verksamhet " + a + "." + o, OrgNodeKind.OPERATION, administration);
                operations.add(operation);
                for (int u = 1; u <= 2; u++) {
                    String code = prefix + "-F" + a + "V" + o + "E" + u;
                    units.add(node(code, "Enhet " + a + "." + o + "." + u, OrgNodeKind.UNIT, operation));
                    unitCodes.add(code);
                }
            }
        }
        coordinator = users.token(users.account(prefix + "-samordnare", null, Role.COORDINATOR, region));
        routine(region, new RoutineForm("Introduktion legitimerade", RoutineKind.INTRODUCTION, "LICENSED", List.of(MODULES.get(0)), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null));
        routine(region, new RoutineForm("Introduktion chefer", RoutineKind.INTRODUCTION, "FRONTLINE_MANAGER", List.of(MODULES.get(1)),
                45, CountsFrom.ROLE_START, null, null, null, DocumentationLevel.EXISTS, null, null, null));
        routine(region, new RoutineForm("Hygien varje år", RoutineKind.CONTINUING, "LICENSED", List.of(MODULES.get(2)), null, null,
                12, 60, realToday.minusYears(2), DocumentationLevel.EXISTS, null, null, null));
        routine(administrations.get(0), new RoutineForm("Hygien vartannat år", RoutineKind.CONTINUING, "NON_LICENSED",
                List.of(MODULES.get(2)), null, null, 24, 60, realToday.minusYears(3), DocumentationLevel.EXISTS, null, null, null));
        // An own goal of the first administration (counted only for those placed under it), given by the hygiene module.
        // Written here, not through the goal pages, which give own goals to a huvudman only (the region); an owner below
        // the node read is what is tested.
        ownGoal = "F1-" + prefix.substring(3);
        sql.update("""
                INSERT INTO competence_goal (code, catalogue_version, area, kind, text_sv, owner_org_id)
                VALUES (?, 'egen', 'SAFE_CARE_NOW', 'SKILL', 'Följer förvaltningens hygienrutin', ?)""", ownGoal, administrations.get(0));
        sql.update("""
                INSERT INTO competence_goal_audience (goal_id, audience_id)
                SELECT g.id, a.id FROM competence_goal g, audience a WHERE g.code = ? AND a.code IN ('LICENSED', 'NON_LICENSED')""",
                ownGoal);
        sql.update("INSERT INTO module_version_goal (module_version_id, goal_id) SELECT ?, id FROM competence_goal WHERE code = ?",
                version(MODULES.get(2)), ownGoal);
        // The sums built while nobody is here, as on a new installation before its first roster import: no month kept.
        summaries.catchUp(day);
        assertEquals(0, sql.number("SELECT COUNT(*) FROM standing_month"), "nothing to estimate before anyone is here");
        for (int i = 0; i < 40; i++) {
            newPerson();
        }
        recomputeUnder(region, coordinator);
        sql.awaitRecomputations();
        // Once the recomputation has placed people and their duties, the earlier months are estimated: as counted live.
        summaries.catchUp(day);
        List<Statistics.Month> firstLive = statistics.liveTrend(region, day);
        List<Statistics.Month> firstKept = statistics.trend(region, day);
        for (int i = 0; i < 23; i++) {
            assertTrue(firstKept.get(i).estimated(), "estimated once people are here: " + firstKept.get(i));
            assertEquals(stood(firstLive.get(i)), stood(firstKept.get(i)), "the month ending " + firstKept.get(i).monthEnd());
        }
        assertTrue(firstKept.stream().anyMatch(month -> month.people() > 0), "people in the earlier months: " + firstKept);
        // Built anew over these people, as on the first start after an upgrade: the trend's earlier months are counted
        // then, with these people, and must say what the live count says now.
        sql.update("UPDATE standing_state SET ready = FALSE, built_at = NULL WHERE id = 1");
        assertTrue(sql.number("SELECT COUNT(*) FROM assignment a JOIN routine r ON r.id = a.routine_id AND r.kind = 'INTRODUCTION'")
                > 0, "the people have introductions when the sums are built");
        summaries.catchUp(day);
        assertTrue(summaries.keptFor(day), "the summaries are kept after the build");
        estimatedAt = summaries.state().monthsEstimatedAt();
        expectMonths(day, month -> month.isBefore(day.withDayOfMonth(1)));
        assertEquals(23 * nodes.size(), expectedMonths.size());
    }

    /**
     * How the nodes stood at the month ends chosen, counted live on {@code at}: what the summaries must keep for those
     * months from then on, whatever happens later.
     */
    private void expectMonths(LocalDate at, java.util.function.Predicate<LocalDate> chosen) {
        for (long node : nodes) {
            for (Statistics.Month month : statistics.liveTrend(node, at)) {
                if (chosen.test(month.monthEnd())) {
                    expectedMonths.put(node + " " + month.monthEnd(), stood(month));
                }
            }
        }
    }

    /**
     * Until the first month closes, the trend's earlier months are estimated again after each finished recomputation
     * (with the people and duties as they are then): where the summaries did so since the last look, those months are
     * expected as counted live now. The months closed are never looked at again.
     */
    private void expectEstimatedMonths() {
        java.time.Instant now = summaries.state().monthsEstimatedAt();
        if (java.util.Objects.equals(now, estimatedAt)) {
            return;
        }
        assertTrue(closedMonths.isEmpty(), "estimated again after the month ending " + closedMonths + " closed");
        estimatedAt = now;
        count("months estimated again");
        expectMonths(day, month -> month.isBefore(day.withDayOfMonth(1)));
    }

    /**
     * Waits for the import at the location to end, and for its job's run to end: a people import asks for its
     * recomputation after it has committed, so a test that went on at once could count the nodes before that was asked
     * for and compare them after it was done (a month end recorded that way differed in CI).
     */
    private String imported(String location) {
        String outcome = sql.awaitImport(Long.parseLong(location.substring(location.lastIndexOf('/') + 1)));
        se.kompetensmal.Waiting.until(() -> sql.number("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'roster-import' AND picked"),
                n -> n == 0, java.time.Duration.ofMinutes(1), "the roster import job's run to end");
        return outcome;
    }

    /** How a node stood at a month end (the completions of a month are compared with the live count always). */
    private record Stood(long people, long withIntroduction, long introductionDone, long overdue) {
    }

    private static Stood stood(Statistics.Month month) {
        return new Stood(month.people(), month.withIntroduction(), month.introductionDone(), month.overdue());
    }

    @Test
    void everyFigureAtEveryNodeEqualsTheLiveCountThroughAThousandRandomChanges() {
        int compared = 0;
        for (int step = 1; step <= STEPS; step++) {
            long started = System.nanoTime();
            boolean dayMoved = Retried.whenRolledBack(4, this::randomStep);
            time.merge(last, (System.nanoTime() - started) / 1_000_000, Long::sum);
            if (dayMoved || step % 25 == 0) {
                long comparing = System.nanoTime();
                // Every node's trend after a month closed; else the region's and the administrations' (a date step within
                // a month changes no closed month, and the month not yet over is each node's overview row, compared always).
                compare("after step " + step, dayMoved && monthClosed);
                monthClosed = false;
                time.merge("(comparing)", (System.nanoTime() - comparing) / 1_000_000, Long::sum);
                compared++;
            }
        }
        System.out.println("SummariesTest: milliseconds per kind " + time + ", times " + done);
        assertTrue(compared >= STEPS / 25, "compared " + compared + " times");
        // Every kind of change happened, more than once: a test that never moved a node or imported would prove little.
        assertEquals(23, done.size(), done.toString());
        done.forEach((kind, times) -> assertTrue(times >= 2, kind + " " + times + " times"));
        assertTrue(summaries.state().ready(), "the summaries were built");
        assertTrue(sql.number("""
                SELECT COUNT(*) FROM goal_summary gs JOIN competence_goal g ON g.id = gs.goal_id
                WHERE g.code = ? AND gs.holders > 0 AND gs.node_id = ?""", ownGoal, administrations.get(0)) > 0,
                "the own goal was held by someone under its owner, so its figures were compared with something to count");
    }

    /** One change, drawn by weight; true when it moved the date. */
    private boolean randomStep() {
        int draw = random.nextInt(100);
        if (draw < 18) {
            count("completion");
            completions.record(someone(), version(module()), past(), 90, null, Completions.Source.INTERNAL);
        } else if (draw < 24) {
            count("registered");
            http.toBlocking().exchange(HttpRequest.POST("/api/people/" + someoneActive() + "/completions", Map.of("module", module(),
                    "completedOn", past().toString(), "doneWhere", "Annan vårdgivare")).bearerAuth(coordinator));
        } else if (draw < 28) {
            List<Long> registered = sql.numbers("SELECT id FROM completion WHERE source = 'REGISTERED' AND voided_at IS NULL");
            if (!registered.isEmpty()) {
                count("voided");
                long completion = pick(registered);
                long person = sql.number("SELECT person_id FROM completion WHERE id = ?", completion);
                try {
                    http.toBlocking().exchange(HttpRequest.POST("/api/people/" + person + "/completions/" + completion + "/void",
                            Map.of("reason", "Registrerad på fel person")).bearerAuth(coordinator));
                } catch (HttpClientResponseException leftMeanwhile) {
                    // Someone whose every placement an import ended counts as having left: nothing is voided for them.
                    assertEquals(409, leftMeanwhile.getStatus().getCode(), leftMeanwhile.getMessage());
                }
            }
        } else if (draw < 34) {
            count("exemption");
            try {
                http.toBlocking().exchange(HttpRequest.POST("/api/people/" + someoneActive() + "/exemptions",
                        Map.of("module", module(), "reason", "Motsvarande utbildning hos annan vårdgivare")).bearerAuth(coordinator));
            } catch (HttpClientResponseException alreadyExempted) {
                assertTrue(alreadyExempted.getStatus().getCode() < 500, alreadyExempted.getMessage());
            }
        } else if (draw < 37) {
            count("exemption taken back");
            sql.update("DELETE FROM exemption ORDER BY RAND(?) LIMIT 1", random.nextInt());
        } else if (draw < 41) {
            count("hand assignment");
            http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + pick(units) + "/assignments",
                    Map.of("module", module(), "dueDate", day.plusDays(random.nextInt(60)).toString())).bearerAuth(coordinator));
            sql.awaitManualAssignments();
        } else if (draw < 46) {
            count("new person");
            newPerson();
        } else if (draw < 51) {
            List<Long> single = sql.numbers("""
                    SELECT person_id FROM placement WHERE ended_on IS NULL GROUP BY person_id HAVING COUNT(*) = 1""");
            count("move");
            people.move(pick(single), pick(units));
        } else if (draw < 54) {
            count("second placement");
            long person = someone();
            long unit = pick(units);
            if (sql.number("SELECT COUNT(*) FROM placement WHERE person_id = ? AND org_node_id = ? AND ended_on IS NULL", person, unit) == 0) {
                people.place(person, unit, past(), past(), audience());
            }
        } else if (draw < 57) {
            List<Long> ofSeveral = sql.numbers("""
                    SELECT pl.id FROM placement pl WHERE pl.ended_on IS NULL
                      AND (SELECT COUNT(*) FROM placement o WHERE o.person_id = pl.person_id AND o.ended_on IS NULL) > 1""");
            if (!ofSeveral.isEmpty()) {
                count("placement ended");
                sql.update("UPDATE placement SET ended_on = ?, ended_by = 'test' WHERE id = ?", realToday, pick(ofSeveral));
            }
        } else if (draw < 60) {
            count("audience added");
            sql.update("""
                    INSERT IGNORE INTO placement_audience (placement_id, audience_id)
                    SELECT (SELECT id FROM placement WHERE ended_on IS NULL ORDER BY RAND(?) LIMIT 1), id FROM audience WHERE code = ?""",
                    random.nextInt(), audience());
        } else if (draw < 63) {
            count("audience taken");
            sql.update("DELETE FROM placement_audience ORDER BY RAND(?) LIMIT 1", random.nextInt());
        } else if (draw < 66) {
            count("leaver");
            sql.update("UPDATE person SET status = 'LEFT', left_on = ? WHERE id = ?", realToday, someone());
        } else if (draw < 68) {
            List<Long> left = sql.numbers("SELECT id FROM person WHERE status = 'LEFT'");
            if (!left.isEmpty()) {
                count("returner");
                sql.update("UPDATE person SET status = 'ACTIVE', left_on = NULL WHERE id = ?", pick(left));
            }
        } else if (draw < 73) {
            count("recomputation");
            recomputeUnder(pick(nodes), coordinator);
        } else if (draw < 76) {
            count("routine change");
            if (random.nextBoolean() && !routines.isEmpty()) {
                long retired = routines.remove(random.nextInt(routines.size()));
                http.toBlocking().exchange(HttpRequest.POST("/api/routines/" + retired + "/retire", Map.of()).bearerAuth(coordinator));
            } else {
                boolean introduction = random.nextBoolean();
                tryRoutine(pick(administrations), introduction
                        ? new RoutineForm("Rutin " + (++made), RoutineKind.INTRODUCTION, audience(), List.of(module()),
                                30 + random.nextInt(60), CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null)
                        : new RoutineForm("Rutin " + (++made), RoutineKind.CONTINUING, audience(), List.of(module()), null, null,
                                12 * (1 + random.nextInt(2)), 60, realToday.minusMonths(random.nextInt(30)), DocumentationLevel.EXISTS,
                                null, null, null));
            }
            sql.awaitRecomputations();
        } else if (draw < 79) {
            count("node moved");
            sql.awaitRecomputations();
            OrgNode operation = nodeRepository.findById(pick(operations)).orElseThrow();
            long to = pick(administrations.stream().filter(a -> !a.equals(operation.parentId())).toList());
            tree.change(operation, operation.name(), operation.kind(), to);
        } else if (draw < 81) {
            count("history import");
            StringBuilder csv = new StringBuilder("hsa_id;modulkod;genomförd;resultat;källa;externt_id\n");
            for (int i = random.nextInt(3); i >= 0; i--) {
                String id = sql.strings("""
                        SELECT hsa_id FROM person p WHERE hsa_id LIKE ? AND status = 'ACTIVE'
                          AND EXISTS (SELECT 1 FROM placement pl WHERE pl.person_id = p.id AND pl.ended_on IS NULL)
                        ORDER BY RAND(?) LIMIT 1""", hsa + "%", random.nextInt()).get(0);
                csv.append(id).append(';').append(module()).append(';').append(past()).append(";;Gamla LMS;H")
                        .append(++made).append('\n');
            }
            String location = http.toBlocking().exchange(HttpRequest.POST("/api/imports/history?fileName=historik.csv&organisation="
                    + region, csv.toString()).contentType("text/csv").bearerAuth(users.admin())).getHeaders().get("Location");
            assertEquals("SUCCEEDED", imported(location), csv.toString());
        } else if (draw < 84) {
            count("roster import");
            StringBuilder csv = new StringBuilder("hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation;startdatum_roll\n");
            for (int i = random.nextInt(3); i >= 0; i--) {
                String id = random.nextBoolean() ? hsa + "I" + (++made) : sql.strings("SELECT hsa_id FROM person ORDER BY RAND(?) LIMIT 1",
                        random.nextInt()).get(0);
                csv.append(id).append(";Ny;Importerad;;").append(pick(unitCodes)).append(';').append(audience()).append(';')
                        .append(past()).append(';').append(past()).append('\n');
            }
            String location = http.toBlocking().exchange(HttpRequest.POST("/api/imports/people?organisation=" + region, csv.toString())
                    .contentType("text/csv").bearerAuth(users.admin())).getHeaders().get("Location");
            imported(location);
        } else if (draw < 95) {
            count("hand assignment due");
            // A duty due soon, so that moving the date makes it overdue.
            http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + pick(units) + "/assignments",
                    Map.of("module", module(), "dueDate", day.plusDays(random.nextInt(10)).toString(),
                            "audience", audience())).bearerAuth(coordinator));
            sql.awaitManualAssignments();
        } else {
            count("date moved");
            // Mostly a day or a few, so that a duty falling due on exactly the new day is common; now and then a month.
            LocalDate next = day.plusDays(random.nextInt(4) == 0 ? 1 + random.nextInt(30) : 1 + random.nextInt(3));
            // Each month ending on the way is closed with how the nodes stand on its last day: counted live on that day,
            // once the work earlier steps started is done (the summaries hold it when they close the month).
            // Settled first as a comparison settles (work that earlier steps queued late, such as an import's
            // recomputation, is done and in the sums): a month end recorded before that differed in CI.
            if (next.isAfter(day.withDayOfMonth(day.lengthOfMonth()))) {
                compare("before the date moved from " + day, false);
            }
            for (LocalDate end = day.withDayOfMonth(day.lengthOfMonth()); end.isBefore(next);
                 end = end.plusDays(1).withDayOfMonth(end.plusDays(1).lengthOfMonth())) {
                LocalDate closed = end;
                closedMonths.add(closed);
                expectMonths(end, closed::equals);
                count("month closed");
                monthClosed = true;
            }
            day = next;
            return true;
        }
        return false;
    }

    /**
     * Brings the summaries up to date and compares every node. The background work the steps started (recomputations)
     * is awaited first; a difference found while the log still holds changes is looked at again, one found with an empty
     * log fails at once.
     */
    private void compare(String when, boolean everyTrend) {
        for (int attempt = 1; ; attempt++) {
            sql.awaitRecomputations();
            sql.awaitManualAssignments();
            summaries.catchUp(day);
            assertTrue(summaries.keptFor(day), "the summaries are kept for " + day);
            expectEstimatedMonths();
            String difference = difference(everyTrend);
            if (difference == null) {
                return;
            }
            boolean settled = sql.number("SELECT COUNT(*) FROM standing_change") == 0
                    && sql.number("SELECT COUNT(*) FROM recompute_job WHERE status IN ('QUEUED', 'RUNNING')") == 0;
            if (settled || attempt == 5) {
                throw new AssertionError(when + " (" + day + "): " + difference);
            }
        }
    }

    /**
     * The first difference found, or null. The trend is compared at every node when a month closed and at the region and
     * its administrations otherwise: counted live for every node at every comparison, it was a fifth of the test's time
     * in CI, and the whole CI run was at its 20-minute limit.
     */
    private String difference(boolean everyTrend) {
        for (long node : nodes) {
            List<Statistics.Counts> live = own(statistics.liveCounts(node, day), node);
            List<Statistics.Counts> kept = named.list("""
                    SELECT node_id AS group_id, audience_id, headcount, with_introduction, introduction_done, introduction_on_time,
                           with_continuing, continuing_current, overdue
                    FROM standing_summary WHERE node_id = :node AND headcount > 0 ORDER BY audience_id""",
                    NamedSql.with("node", node), Statistics::counts);
            if (!live.equals(kept)) {
                return "node " + node + ": live " + live + ", summary " + kept;
            }
            List<Statistics.Counts> read = own(statistics.counts(node, day), node);
            if (!live.equals(read)) {
                return "node " + node + ": live " + live + ", read by the statistics " + read;
            }
            String trend = everyTrend || node == region || administrations.contains(node) ? trendDifference(node) : null;
            if (trend != null) {
                return "node " + node + ": " + trend;
            }
            Map<Long, Map<String, Long>> liveGoals = statistics.liveGoalHolders(node, day);
            Map<Long, Map<String, Long>> keptGoals = statistics.goalHolders(node, day);
            if (!liveGoals.equals(keptGoals)) {
                return "node " + node + ": goal holders live " + liveGoals + ", from the summaries " + keptGoals;
            }
        }
        return null;
    }

    /**
     * The trend: the completions of every month and the month not yet over as counted live; every earlier month as the
     * node stood at its end (counted live then).
     */
    private String trendDifference(long node) {
        List<Statistics.Month> live = statistics.liveTrend(node, day);
        List<Statistics.Month> kept = statistics.trend(node, day);
        assertEquals(24, kept.size());
        for (int i = 0; i < 24; i++) {
            Statistics.Month l = live.get(i);
            Statistics.Month k = kept.get(i);
            if (!l.monthEnd().equals(k.monthEnd()) || l.completions() != k.completions()) {
                return "completions live " + l + ", kept " + k;
            }
            Stood expected = i == 23 ? stood(l) : expectedMonths.get(node + " " + k.monthEnd());
            if (expected == null) {
                return "no month end was recorded for " + k.monthEnd();
            }
            if (!expected.equals(stood(k))) {
                return "month ending " + k.monthEnd() + (i == 23 ? " (today)" : "") + ": expected " + expected + ", kept " + k;
            }
        }
        return null;
    }

    private static List<Statistics.Counts> own(List<Statistics.Counts> counts, long node) {
        return counts.stream().filter(c -> c.groupId() == node).sorted(Comparator.comparingLong(Statistics.Counts::audienceId)).toList();
    }

    private void newPerson() {
        long unit = pick(units);
        LocalDate started = past();
        String[] audiences = random.nextInt(4) == 0 ? new String[] {audience(), audience()} : new String[] {audience()};
        people.create(hsa + "P" + (++made), "Person", "Summa" + made, null, unit, started, started,
                java.util.Arrays.stream(audiences).distinct().toArray(String[]::new));
    }

    private long node(String code, String name, OrgNodeKind kind, Long parent) {
        long id = tree.add(code, name, kind, parent).id();
        nodes.add(id);
        return id;
    }

    /** A routine where the node may already have one of the kind for the audience (409, one per place): then none. */
    private void tryRoutine(long node, RoutineForm form) {
        try {
            routine(node, form);
        } catch (HttpClientResponseException e) {
            assertEquals(409, e.getStatus().getCode(), e.getMessage());
        }
    }

    private void routine(long node, RoutineForm form) {
        String location = http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + node + "/routines", form)
                .bearerAuth(coordinator)).getHeaders().get("Location");
        if (location != null) {
            routines.add(Long.parseLong(location.substring(location.lastIndexOf('/') + 1)));
        }
    }

    private long someone() {
        return pick(sql.numbers("SELECT id FROM person WHERE hsa_id LIKE ?", hsa + "%"));
    }

    /** Someone still working: a coordinator registers nothing for a leaver (409). */
    private long someoneActive() {
        return pick(sql.numbers("SELECT id FROM person WHERE hsa_id LIKE ? AND status = 'ACTIVE'", hsa + "%"));
    }

    private long version(String module) {
        return sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", module);
    }

    private String module() {
        return pick(MODULES);
    }

    private String audience() {
        return pick(AUDIENCES);
    }

    /** A day within the last three years, never after today (the service refuses completions in the future). */
    private LocalDate past() {
        return realToday.minusDays(random.nextInt(3 * 365));
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private void count(String kind) {
        last = kind;
        done.merge(kind, 1, Integer::sum);
    }
}
