package se.kompetensmal.sessions;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session modules and occasions over the API: attendance earns exactly one completion however often and however
 * concurrently it is marked; a trainer reaches only their own occasions; a coordinator only their subtree; the month's
 * figures (fill rate, no-shows) follow from the places listed.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OccasionsTest extends ServiceTest {

    String p;
    long region;
    long unit;
    long otherOrganisation;
    String coordinator;
    String unitCoordinator;
    String otherCoordinator;
    String trainer;
    long trainerAccount;
    String secondTrainer;
    long secondTrainerAccount;
    String module;
    LocalDate today;

    @BeforeAll
    void organisations() {
        p = "OCC" + System.nanoTime();
        today = LocalDate.now(SwedishTime.ZONE);
        region = tree.add(p + "R", "Region Kursland", OrgNodeKind.REGION, null).id();
        unit = tree.add(p + "U", "Avdelning 3", OrgNodeKind.UNIT, region).id();
        otherOrganisation = tree.add(p + "K", "Annan kommun", OrgNodeKind.MUNICIPALITY, null).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
        unitCoordinator = users.token(users.account(p + "-enhet", null, Role.COORDINATOR, unit));
        otherCoordinator = users.token(users.account(p + "-annan", null, Role.COORDINATOR, otherOrganisation));
        trainer = users.token(users.account(p + "-utbildare", null, Role.TRAINER, region));
        trainerAccount = sql.number("SELECT id FROM user_account WHERE username = ?", p + "-utbildare");
        secondTrainer = users.token(users.account(p + "-utbildare2", null, Role.TRAINER, region));
        secondTrainerAccount = sql.number("SELECT id FROM user_account WHERE username = ?", p + "-utbildare2");
        String goal = sql.strings("SELECT code FROM competence_goal WHERE owner_org_id IS NULL ORDER BY code").get(0);
        Map<?, ?> created = http.toBlocking().retrieve(HttpRequest.POST("/api/session-modules", Map.of("owner", region,
                "title", "Simuleringsträning " + p, "summary", "Träning i team på simuleringscentret.",
                "estimatedMinutes", 240, "audiences", List.of("LICENSED"), "goals", List.of(goal))).bearerAuth(coordinator),
                Map.class);
        module = (String) created.get("code");
        assertEquals("simuleringstraning-" + p.toLowerCase(), module);
    }

    private long createOccasion(String token, long node, LocalDate day, int capacity, Long trainerId) {
        Map<String, Object> body = new HashMap<>(Map.of("node", node, "moduleCode", module, "day", day.toString(),
                "start", "09:00", "durationMinutes", 120, "place", "Sal 3", "capacity", capacity,
                "signupDeadline", day.toString()));
        if (trainerId != null) {
            body.put("trainerAccountId", trainerId);
        }
        Map<?, ?> created = http.toBlocking().retrieve(HttpRequest.POST("/api/occasions", body).bearerAuth(token), Map.class);
        return ((Number) created.get("id")).longValue();
    }

    private long person(String suffix, String given) {
        LocalDate started = today.minusYears(1);
        return people.create(PersonFixture.hsaPrefix() + suffix, given, "Kurs", null, unit, started, started, "LICENSED");
    }

    /** A place on the occasion, as the learner's sign-up would leave it (the sign-up itself is another part's). */
    private void place(long occasion, long person, String status) {
        sql.update("INSERT INTO session_signup (occasion_id, person_id, status, active_flag, waiting_since) VALUES (?, ?, ?, ?, ?)",
                occasion, person, status, "BOOKED".equals(status) || "WAITING".equals(status) ? 1 : null,
                "WAITING".equals(status) ? java.sql.Timestamp.from(java.time.Instant.now()) : null);
        if (!"WAITING".equals(status) && !"CANCELLED".equals(status)) {
            sql.update("UPDATE session_occasion SET booked = booked + 1 WHERE id = ?", occasion);
        }
    }

    private void hasStarted(long occasion) {
        sql.update("UPDATE session_occasion SET starts_at = ? WHERE id = ?",
                java.time.LocalDateTime.now(SwedishTime.ZONE).minusHours(1).withNano(0), occasion);
    }

    private HttpRequest<?> mark(long occasion, List<Long> present, String token) {
        return HttpRequest.POST("/api/occasions/" + occasion + "/attendance", Map.of("present", present)).bearerAuth(token);
    }

    private long completions(long person) {
        return sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ? AND source = 'SESSION'", person);
    }

    @Test
    void attendanceMarkedTwiceAndConcurrentlyRecordsOneCompletionDatedTheOccasionsDay() throws Exception {
        long occasion = createOccasion(coordinator, region, today.plusDays(3), 5, trainerAccount);
        long ward = tree.add(p + "W", "Avdelning 9", OrgNodeKind.UNIT, region).id();
        LocalDate started = today.minusYears(1);
        long anna = people.create(PersonFixture.hsaPrefix() + "A", "Anna", "Kurs", null, ward, started, started, "LICENSED");
        long bo = people.create(PersonFixture.hsaPrefix() + "B", "Bo", "Kurs", null, ward, started, started, "LICENSED");
        long cilla = people.create(PersonFixture.hsaPrefix() + "C", "Cilla", "Kurs", null, ward, started, started, "LICENSED");
        // The module assigned to all three, as a coordinator would: attending fulfils it, a no-show leaves it due.
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + ward + "/assignments",
                Map.of("module", module, "dueDate", today.plusDays(30).toString())).bearerAuth(coordinator));
        sql.awaitManualAssignments();
        place(occasion, anna, "BOOKED");
        place(occasion, bo, "BOOKED");
        place(occasion, cilla, "WAITING");

        HttpClientResponseException early = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(mark(occasion, List.of(anna), coordinator)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, early.getStatus());
        assertEquals(0, completions(anna));

        hasStarted(occasion);
        LocalDate occasionDay = LocalDate.parse(sql.strings("SELECT DATE(starts_at) FROM session_occasion WHERE id = ?",
                occasion).get(0));
        // Eight markings at once, by the coordinator and the trainer: Anna present, Bo not.
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Map>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String token = i % 2 == 0 ? coordinator : trainer;
            results.add(pool.submit(() -> {
                go.await();
                return http.toBlocking().retrieve(mark(occasion, List.of(anna), token), Map.class);
            }));
        }
        go.countDown();
        int attended = 0;
        int absent = 0;
        for (Future<Map> result : results) {
            Map<?, ?> marked = result.get();
            attended += ((Number) marked.get("attended")).intValue();
            absent += ((Number) marked.get("absent")).intValue();
        }
        pool.shutdown();
        assertEquals(1, attended, "one marking recorded Anna");
        assertEquals(1, absent, "one marking recorded Bo absent");
        assertEquals(1, completions(anna));
        assertEquals(0, completions(bo));
        assertEquals(occasionDay.toString(), sql.strings(
                "SELECT completed_on FROM completion WHERE person_id = ? AND occasion_id = ?", anna, occasion).get(0));
        assertEquals("ATTENDED", sql.strings("SELECT status FROM session_signup WHERE person_id = ?", anna).get(0));
        assertEquals(sql.strings("SELECT id FROM completion WHERE person_id = ?", anna),
                sql.strings("SELECT completion_id FROM session_signup WHERE person_id = ?", anna));
        assertEquals("ABSENT", sql.strings("SELECT status FROM session_signup WHERE person_id = ?", bo).get(0));
        assertEquals("WAITING", sql.strings("SELECT status FROM session_signup WHERE person_id = ?", cilla).get(0));
        assertEquals(sql.strings("SELECT id FROM completion WHERE person_id = ?", anna), sql.strings(
                "SELECT completion_id FROM assignment WHERE person_id = ? AND module_code = ?", anna, module), "Anna done");
        assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ? "
                + "AND completion_id IS NOT NULL", bo, module), "Bo still due");
        assertEquals(1, sql.number("SELECT COUNT(*) FROM xapi_outbox WHERE person_id = ? AND verb = 'attended'", anna));
        assertTrue(sql.strings("SELECT payload FROM xapi_outbox WHERE person_id = ? AND verb = 'attended'", anna).get(0)
                .contains("\"id\":" + occasion), "the occasion in the statement's context");

        // Bo was there after all: absent turns into attended, once; Anna stays as she was.
        Map<?, ?> again = http.toBlocking().retrieve(mark(occasion, List.of(anna, bo), coordinator), Map.class);
        assertEquals(1, ((Number) again.get("attended")).intValue());
        Map<?, ?> third = http.toBlocking().retrieve(mark(occasion, List.of(), coordinator), Map.class);
        assertEquals(0, ((Number) third.get("attended")).intValue() + ((Number) third.get("absent")).intValue(),
                "attended is final: unticking changes nothing");
        assertEquals(1, completions(anna));
        assertEquals(1, completions(bo));
        assertEquals(0, completions(cilla));
    }

    @Test
    void aTrainerReachesOnlyTheirOwnOccasionsAndCannotCreate() {
        long own = createOccasion(coordinator, region, today.plusDays(10), 10, trainerAccount);
        long others = createOccasion(coordinator, region, today.plusDays(11), 10, secondTrainerAccount);

        List<Map> mine = http.toBlocking().retrieve(HttpRequest.GET("/api/occasions").bearerAuth(trainer),
                io.micronaut.core.type.Argument.listOf(Map.class));
        List<Long> ids = mine.stream().map(o -> ((Number) ((Map<?, ?>) o).get("id")).longValue()).toList();
        assertTrue(ids.contains(own) && !ids.contains(others), ids.toString());
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET("/api/occasions/" + own).bearerAuth(trainer))
                .getStatus());
        assertStatus(HttpStatus.FORBIDDEN, HttpRequest.GET("/api/occasions/" + others).bearerAuth(trainer));
        hasStarted(others);
        assertStatus(HttpStatus.FORBIDDEN, mark(others, List.of(), trainer));
        assertStatus(HttpStatus.FORBIDDEN, HttpRequest.POST("/api/occasions/" + own + "/cancel", Map.of("reason", "Sjuk"))
                .bearerAuth(trainer));
        assertStatus(HttpStatus.FORBIDDEN, HttpRequest.POST("/api/occasions", Map.of("node", region, "moduleCode", module))
                .bearerAuth(trainer));
        assertStatus(HttpStatus.FORBIDDEN, HttpRequest.GET("/api/occasions?node=" + region).bearerAuth(trainer));

        // Coordinators: below the occasion's node 403 (same organisation), another organisation 404 as for an unknown id.
        assertStatus(HttpStatus.FORBIDDEN, HttpRequest.GET("/api/occasions/" + own).bearerAuth(unitCoordinator));
        assertStatus(HttpStatus.NOT_FOUND, HttpRequest.GET("/api/occasions/" + own).bearerAuth(otherCoordinator));
        assertStatus(HttpStatus.NOT_FOUND, HttpRequest.GET("/api/occasions/99999999").bearerAuth(otherCoordinator));
        assertStatus(HttpStatus.NOT_FOUND, HttpRequest.GET("/api/occasions?node=" + region).bearerAuth(otherCoordinator));
        assertStatus(HttpStatus.NOT_FOUND, HttpRequest.POST("/api/occasions/" + own + "/cancel", Map.of("reason", "x"))
                .bearerAuth(otherCoordinator));
        // A unit coordinator may hold occasions at the unit, with the region's module.
        assertTrue(createOccasion(unitCoordinator, unit, today.plusDays(12), 4, null) > 0);
        assertTrue(http.toBlocking().retrieve(HttpRequest.GET("/api/occasions/" + own).bearerAuth(coordinator))
                .contains("\"trainerName\":\"Test " + p + "-utbildare\""));
    }

    @Test
    void badInputIsRefusedWithASwedishProblem() {
        Map<String, Object> body = new HashMap<>(Map.of("node", region, "moduleCode", module, "day",
                today.plusDays(5).toString(), "start", "09:00", "durationMinutes", 60, "videoUrl", "http://video.example/rum",
                "capacity", 10, "signupDeadline", today.plusDays(5).toString()));
        assertProblem(body, "https");
        body.put("videoUrl", "https://video.example/rum");
        body.put("capacity", 1001);
        assertProblem(body, "1–1000");
        body.put("capacity", 10);
        body.put("signupDeadline", today.plusDays(6).toString());
        assertProblem(body, "Sista anmälningsdag");
        body.put("signupDeadline", today.plusDays(5).toString());
        body.put("trainerAccountId", sql.number("SELECT id FROM user_account WHERE username = ?", p + "-annan"));
        assertProblem(body, "utbildare");
        body.remove("trainerAccountId");
        body.put("moduleCode", "vardskador-grunder");
        assertProblem(body, "lärarledd modul");
        HttpClientResponseException month = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.GET("/api/occasions?node=" + region + "&month=2027-13").bearerAuth(coordinator), String.class));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, month.getStatus());
        assertTrue(month.getResponse().getBody(String.class).orElseThrow().contains("ÅÅÅÅ-MM"));
    }

    @Test
    void monthFiguresFollowFromThePlacesListed() {
        YearMonth month = YearMonth.from(today.plusMonths(2));
        // The facts: occasion A, 10 places: 6 booked of whom 4 attended and 2 absent, 2 more waiting.
        // Occasion B, 5 places: all 5 booked, 1 absent. Occasion C, 20 places, cancelled. D in the next month.
        long a = createOccasion(coordinator, region, month.atDay(3), 10, null);
        long b = createOccasion(coordinator, region, month.atDay(10), 5, null);
        long c = createOccasion(coordinator, region, month.atDay(12), 20, null);
        long d = createOccasion(coordinator, region, month.plusMonths(1).atDay(2), 7, null);
        for (int i = 0; i < 4; i++) {
            place(a, person("MA" + i, "Närvarande" + i), "ATTENDED");
        }
        for (int i = 0; i < 2; i++) {
            place(a, person("MX" + i, "Frånvarande" + i), "ABSENT");
            place(a, person("MW" + i, "Väntande" + i), "WAITING");
        }
        for (int i = 0; i < 4; i++) {
            place(b, person("MB" + i, "Bokad" + i), "BOOKED");
        }
        place(b, person("MBX", "Uteblev"), "ABSENT");
        place(c, person("MC", "Inställd"), "BOOKED");
        http.toBlocking().exchange(HttpRequest.POST("/api/occasions/" + c + "/cancel", Map.of("reason", "Lokalen är upptagen"))
                .bearerAuth(coordinator));

        Map<?, ?> figures = http.toBlocking().retrieve(HttpRequest.GET("/api/occasions?node=" + region + "&month=" + month)
                .bearerAuth(coordinator), Map.class);
        List<?> listed = (List<?>) figures.get("occasions");
        assertEquals(List.of(a, b, c), listed.stream().map(o -> ((Number) ((Map<?, ?>) o).get("id")).longValue()).toList());
        Map<?, ?> first = (Map<?, ?>) listed.get(0);
        assertEquals(6, ((Number) first.get("booked")).intValue());
        assertEquals(2, ((Number) first.get("waiting")).intValue());
        assertEquals(2, ((Number) first.get("absent")).intValue());
        assertEquals(60, ((Number) first.get("fillPercent")).intValue()); // 6 of 10
        assertEquals(100, ((Number) ((Map<?, ?>) listed.get(1)).get("fillPercent")).intValue()); // 5 of 5
        assertEquals(true, ((Map<?, ?>) listed.get(2)).get("cancelled"));
        // Totals over A and B only (C cancelled): 15 places, 11 taken (73 %), 2 waiting, 4 attended, 3 no-shows.
        assertEquals(15, ((Number) figures.get("capacity")).intValue());
        assertEquals(11, ((Number) figures.get("booked")).intValue());
        assertEquals(73, ((Number) figures.get("fillPercent")).intValue());
        assertEquals(2, ((Number) figures.get("waiting")).intValue());
        assertEquals(4, ((Number) figures.get("attended")).intValue());
        assertEquals(3, ((Number) figures.get("absent")).intValue());
        assertEquals("CANCELLED", sql.strings("SELECT status FROM session_signup WHERE occasion_id = ?", c).get(0));
        assertEquals(0, sql.number("SELECT booked FROM session_occasion WHERE id = ?", c));
        assertTrue(d > 0);
    }

    private void assertProblem(Map<String, Object> body, String words) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/api/occasions", body).bearerAuth(coordinator), String.class));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        String problem = e.getResponse().getBody(String.class).orElseThrow();
        assertTrue(problem.contains(words), problem);
    }

    private void assertStatus(HttpStatus status, HttpRequest<?> request) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(request, String.class));
        assertEquals(status, e.getStatus());
    }
}
