package se.kompetensmal.routines;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The introduction rule: a routine applies from a date. People who start (in the organisation or the role, as the routine
 * counts) on or after it are due their start plus the due days; people who started before are existing staff, left out
 * or all due on the catch-up date. Retiring a routine withdraws what is open and keeps what was done. The facts are
 * listed in each test and the expected dates derived from them.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutineRuleTest extends ServiceTest {

    private static final String INTRO = "vardskador-grunder";
    private static final String SAFETY = "sakerhetskultur-och-risker";

    long municipality;
    long unitA;
    long unitB;
    String coordinator;
    String hsa;

    @BeforeEach
    void aMunicipalityWithTwoUnits() {
        String p = "RUL" + System.nanoTime();
        municipality = tree.add(p, "Kommun R", OrgNodeKind.MUNICIPALITY, null).id();
        unitA = tree.add(p + "-A", "Boende A", OrgNodeKind.UNIT, municipality).id();
        unitB = tree.add(p + "-B", "Boende B", OrgNodeKind.UNIT, municipality).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        hsa = PersonFixture.hsaPrefix();
    }

    @Test
    void startsOnOrAfterTheDateCountFromTheStartAndExistingStaffAreLeftOutOrDueOnTheCatchUpDate() {
        // Applies from 2026-01-15, 30 days from the start in the organisation, existing staff left out.
        Routine routine = introduction(unitA, "LICENSED", 30, CountsFrom.ORG_START, "2026-01-15", null, INTRO);
        long onTheDate = person("1", unitA, "LICENSED", "2026-01-15", null);   // 2026-01-15 + 30 = 2026-02-14
        long after = person("2", unitA, "LICENSED", "2026-03-01", null);       // 2026-03-01 + 30 = 2026-03-31
        long before = person("3", unitA, "LICENSED", "2020-05-01", null);      // existing staff: nothing
        recompute();

        assertEquals(List.of(due(INTRO, "2026-02-14")), open(onTheDate));
        assertEquals(List.of(due(INTRO, "2026-03-31")), open(after));
        assertEquals(List.of(), open(before));

        // Existing staff given a catch-up date: due on it; the new starters keep their own dates.
        change(routine, "2026-01-15", "2027-03-31");
        assertEquals(List.of(due(INTRO, "2027-03-31")), open(before));
        assertEquals(List.of(due(INTRO, "2026-02-14")), open(onTheDate));
        assertEquals(List.of(due(INTRO, "2026-03-31")), open(after));

        // Left out again: the catch-up assignment is withdrawn.
        change(routine, "2026-01-15", null);
        assertEquals(List.of(), open(before));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND withdrawn_at IS NOT NULL", before));

        // Moved back to 2026-02-01: the one who started on 2026-01-15 is now existing staff, and left out.
        change(routine, "2026-02-01", null);
        assertEquals(List.of(), open(onTheDate));
        assertEquals(List.of(due(INTRO, "2026-03-31")), open(after));
    }

    @Test
    void someoneMovedToAUnitWithAnotherRoutineIsExistingStaffThereWhenTheyJoinedTheOrganisationBeforeIt() {
        // Unit A: from 2026-01-15, 30 days, existing staff left out. Unit B: from 2026-06-01, 20 days, catch-up 2026-09-30.
        introduction(unitA, "LICENSED", 30, CountsFrom.ORG_START, "2026-01-15", null, INTRO);
        introduction(unitB, "LICENSED", 20, CountsFrom.ORG_START, "2026-06-01", "2026-09-30", SAFETY);
        long david = person("1", unitA, "LICENSED", "2026-02-01", null);    // at A: 2026-02-01 + 30 = 2026-03-03
        recompute();
        assertEquals(List.of(due(INTRO, "2026-03-03")), open(david));

        // To B: his start in the organisation (2026-02-01) is before B's routine applies (2026-06-01): the catch-up date.
        people.move(david, unitB);
        recompute();

        assertEquals(List.of(due(SAFETY, "2026-09-30")), open(david));
        assertEquals(1, sql.number("""
                SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ? AND withdrawn_at IS NOT NULL""", david, INTRO));
    }

    @Test
    void aNewRoleAfterTheDateCountsFromTheRoleStart() {
        // Frontline managers: from 2026-01-15, 14 days from the start in the role, existing staff left out.
        introduction(municipality, "FRONTLINE_MANAGER", 14, CountsFrom.ROLE_START, "2026-01-15", null, SAFETY);
        long eva = person("1", unitA, "FRONTLINE_MANAGER", "2010-01-01", "2015-01-01");   // in the role since 2015: nothing
        recompute();
        assertEquals(List.of(), open(eva));

        // She takes up the role anew on 2026-08-01: 2026-08-01 + 14 = 2026-08-15, though she joined in 2010.
        people.roleStart(eva, LocalDate.parse("2026-08-01"));
        recompute();

        assertEquals(List.of(due(SAFETY, "2026-08-15")), open(eva));
    }

    @Test
    void retiringWithdrawsWhatIsOpenKeepsWhatWasDoneAndFreesThePlaceForANewRoutine() {
        Routine routine = introduction(unitA, "LICENSED", 30, CountsFrom.ORG_START, "2026-01-15", null, INTRO);
        long frida = person("1", unitA, "LICENSED", "2026-02-01", null);
        long gustav = person("2", unitA, "LICENSED", "2026-02-01", null);
        complete(frida, INTRO, "2026-02-20");
        recompute();
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND completion_id IS NOT NULL", frida));
        assertEquals(List.of(due(INTRO, "2026-03-03")), open(gustav));

        Routine retired = http.toBlocking().retrieve(HttpRequest.POST("/api/routines/" + routine.id() + "/retire", "")
                .bearerAuth(coordinator), Routine.class);
        sql.awaitRecomputations();

        assertTrue(retired.retired());
        assertEquals(routine.version() + 1, retired.version());
        assertEquals(List.of(), open(gustav));
        assertEquals(1, sql.number("""
                SELECT COUNT(*) FROM assignment WHERE person_id = ? AND completion_id IS NOT NULL AND withdrawn_at IS NULL""", frida));
        assertEquals(2, sql.number("SELECT COUNT(*) FROM routine_version WHERE routine_id = ?", routine.id()));
        assertTrue(http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + unitA + "/routines").bearerAuth(coordinator),
                String.class).equals("[]"));
        HttpClientResponseException again = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/api/routines/" + routine.id() + "/retire", "").bearerAuth(coordinator)));
        assertEquals(HttpStatus.CONFLICT, again.getStatus());

        // The place is free: a new routine for the same unit and audience can be set up.
        introduction(unitA, "LICENSED", 10, CountsFrom.ORG_START, "2026-01-15", null, INTRO);
        assertEquals(List.of(due(INTRO, "2026-02-11")), open(gustav));
    }

    @Test
    void aLeaderCannotRetireARoutine() {
        Routine routine = introduction(unitA, "LICENSED", 30, CountsFrom.ORG_START, "2026-01-15", null, INTRO);
        String leader = users.token(users.account("RUL" + System.nanoTime() + "-ledare", null, Role.LEADER, municipality));
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/api/routines/" + routine.id() + "/retire", "").bearerAuth(leader)));
        assertEquals(HttpStatus.FORBIDDEN, e.getStatus());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM routine WHERE id = ? AND retired_at IS NOT NULL", routine.id()));
    }

    @Test
    void theRoutinePagePreviewsWhatSavingThenGives() {
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        LocalDate appliesFrom = today.minusDays(100);
        LocalDate catchUp = today.minusDays(10);
        // 30 days from the start in the organisation; existing staff due on the catch-up date, ten days ago.
        person("1", unitA, "NON_LICENSED", today.minusDays(50).toString(), null); // new, due 20 days ago: overdue
        person("2", unitA, "NON_LICENSED", today.minusDays(5).toString(), null);  // new, due in 25 days
        person("3", unitA, "NON_LICENSED", "2015-04-01", null);                   // existing, due 10 days ago: overdue
        long done = person("4", unitB, "NON_LICENSED", "2018-09-01", null);       // existing, has done both modules
        complete(done, INTRO, today.minusDays(30).toString());
        complete(done, "basala-hygienrutiner", today.minusDays(30).toString());
        person("5", unitA, "LICENSED", "2015-04-01", null);                       // another audience: not counted
        // Expected: 4 people, 2 new starters and 2 existing staff; 2 overdue at once.
        String page = get("/organisationer/" + municipality + "/rutiner");
        String form = "name=Introduktion+omsorg&kind=INTRODUCTION&audience=NON_LICENSED&modules=" + INTRO
                + "&modules=basala-hygienrutiner&dueDays=30&countsFrom=ORG_START&appliesFrom=" + appliesFrom
                + "&existingStaff=CATCH_UP&catchUpDue=" + catchUp + "&documentation=EXISTS&csrfToken="
                + URLEncoder.encode(TestUsers.csrfTokenOf(page), StandardCharsets.UTF_8);

        HttpResponse<String> preview = post("/organisationer/" + municipality + "/rutiner", form + "&action=forhandsgranska");

        assertEquals(HttpStatus.OK, preview.getStatus());
        String shown = preview.body();
        assertEquals(List.of(4L, 2L, 2L, 2L), previewFigures(shown), shown);
        assertEquals(0, sql.number("SELECT COUNT(*) FROM routine WHERE org_node_id = ?", municipality), "a preview saves nothing");
        assertTrue(shown.contains("value=\"" + catchUp + "\""), "the form keeps what was typed");

        assertEquals(HttpStatus.SEE_OTHER, post("/organisationer/" + municipality + "/rutiner", form + "&action=spara").getStatus());
        sql.awaitRecomputations();

        long routine = sql.number("SELECT id FROM routine WHERE org_node_id = ?", municipality);
        long people = sql.number("SELECT COUNT(DISTINCT person_id) FROM assignment WHERE routine_id = ? AND withdrawn_at IS NULL",
                routine);
        long existing = sql.number("""
                SELECT COUNT(DISTINCT a.person_id) FROM assignment a JOIN person p ON p.id = a.person_id
                WHERE a.routine_id = ? AND a.withdrawn_at IS NULL AND p.org_start_date < ?""", routine, appliesFrom);
        long overdue = sql.number("""
                SELECT COUNT(DISTINCT person_id) FROM assignment WHERE routine_id = ? AND withdrawn_at IS NULL
                  AND completion_id IS NULL AND due_date < ?""", routine, today);
        assertEquals(List.of(4L, 4L - 2L, 2L, 2L), List.of(people, people - existing, existing, overdue));

        // The routine's page says which choice is in force, in words.
        String routinePage = get("/organisationer/" + municipality + "/rutiner/" + routine);
        assertTrue(routinePage.contains("Gäller från " + appliesFrom + ".") && routinePage.contains("Befintlig personal: klar senast "
                + catchUp + "."), routinePage);
    }

    @Test
    void theRoutinePageTurnsBadInputIntoASwedishMessageAndKeepsTheForm() {
        Routine routine = introduction(unitA, "LICENSED", 30, CountsFrom.ORG_START, "2026-01-15", null, INTRO);
        String page = get("/organisationer/" + unitA + "/rutiner/" + routine.id());
        String csrf = URLEncoder.encode(TestUsers.csrfTokenOf(page), StandardCharsets.UTF_8);

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> post(
                "/organisationer/" + unitA + "/rutiner/" + routine.id(), "name=Nytt+namn&modules=" + INTRO
                        + "&dueDays=30&countsFrom=ORG_START&appliesFrom=2026-01-15&existingStaff=CATCH_UP&catchUpDue=&documentation=EXISTS"
                        + "&csrfToken=" + csrf));

        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        String body = e.getResponse().getBody(String.class).orElseThrow();
        assertTrue(body.contains("Ange datumet då befintlig personal ska vara klar") && body.contains("value=\"Nytt namn\""), body);

        // Retiring asks for a tick first; with it, the routine is listed as retired.
        HttpClientResponseException unticked = assertThrows(HttpClientResponseException.class, () -> post(
                "/organisationer/" + unitA + "/rutiner/" + routine.id() + "/avsluta", "csrfToken=" + csrf));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, unticked.getStatus());
        assertEquals(HttpStatus.SEE_OTHER, post("/organisationer/" + unitA + "/rutiner/" + routine.id() + "/avsluta",
                "bekrafta=ja&csrfToken=" + csrf).getStatus());
        String list = get("/organisationer/" + unitA + "/rutiner");
        assertTrue(list.contains("Avslutade rutiner") && list.contains("Inga rutiner gäller här ännu."), list);
    }

    /** People, new starters, existing staff and overdue, in the order the preview states them. */
    private static List<Long> previewFigures(String page) {
        Matcher m = Pattern.compile("(?s)får <strong>(\\d+)</strong> personer uppgifter av rutinen: (\\d+) som börjat.*? och (\\d+) i "
                + "befintlig personal.*?<strong>(\\d+)</strong> av dem skulle vara försenade").matcher(page);
        assertTrue(m.find(), page);
        return List.of(Long.valueOf(m.group(1)), Long.valueOf(m.group(2)), Long.valueOf(m.group(3)), Long.valueOf(m.group(4)));
    }

    private record Due(String module, LocalDate date) {
    }

    private static Due due(String module, String date) {
        return new Due(module, LocalDate.parse(date));
    }

    /** The person's open routine assignments, not withdrawn and not completed. */
    private List<Due> open(long personId) {
        return sql.strings("""
                SELECT CONCAT(module_code, ' ', due_date) FROM assignment
                WHERE person_id = ? AND withdrawn_at IS NULL AND completion_id IS NULL ORDER BY due_date, module_code""", personId)
                .stream().map(s -> s.split(" ")).map(s -> due(s[0], s[1])).toList();
    }

    private void recompute() {
        recomputeUnder(municipality, coordinator);
    }

    private Routine introduction(long node, String audience, int days, CountsFrom countsFrom, String appliesFrom,
                                 String catchUpDue, String... modules) {
        Routine routine = http.toBlocking().retrieve(HttpRequest.POST("/api/organisations/" + node + "/routines",
                form(audience, days, countsFrom, appliesFrom, catchUpDue, modules)).bearerAuth(coordinator), Routine.class);
        recompute();
        return routine;
    }

    private void change(Routine routine, String appliesFrom, String catchUpDue) {
        http.toBlocking().exchange(HttpRequest.PUT("/api/routines/" + routine.id(), form("LICENSED", routine.dueDays(),
                routine.countsFrom(), appliesFrom, catchUpDue, INTRO)).bearerAuth(coordinator));
        recompute();
    }

    private static RoutineForm form(String audience, int days, CountsFrom countsFrom, String appliesFrom, String catchUpDue,
                                    String... modules) {
        return new RoutineForm("Introduktion " + audience, RoutineKind.INTRODUCTION, audience, List.of(modules), days, countsFrom,
                LocalDate.parse(appliesFrom), catchUpDue == null ? null : LocalDate.parse(catchUpDue), null, null, null,
                DocumentationLevel.EXISTS, null, null, null);
    }

    private void complete(long personId, String module, String on) {
        sql.update("""
                INSERT INTO completion (person_id, module_version_id, completed_on, source)
                SELECT ?, MAX(id), ?, 'INTERNAL' FROM module_version WHERE module_code = ?""", personId, on, module);
    }

    private long person(String suffix, long unit, String audiences, String orgStart, String roleStart) {
        return people.create(hsa + suffix, "Test", "Person", null, unit, LocalDate.parse(orgStart),
                LocalDate.parse(roleStart == null ? orgStart : roleStart), audiences.split("\\|"));
    }

    private String get(String uri) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", coordinator)));
    }

    private HttpResponse<String> post(String uri, String form) {
        return http.toBlocking().exchange(HttpRequest.POST(uri, form).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", coordinator)), String.class);
    }
}
