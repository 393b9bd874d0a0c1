package se.kompetensmal.routines;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutineTest extends ServiceTest {

    long municipality;
    long homeCare;
    long homeCareEast;
    long otherMunicipality;
    String coordinator;

    @BeforeEach
    void aMunicipalityWithACoordinator() {
        String p = "RUT" + System.nanoTime();
        municipality = tree.add(p, "Kommun R", OrgNodeKind.MUNICIPALITY, null).id();
        homeCare = tree.add(p + "-V", "Hemtjänsten", OrgNodeKind.OPERATION, municipality).id();
        homeCareEast = tree.add(p + "-E", "Hemtjänst Öst", OrgNodeKind.UNIT, homeCare).id();
        otherMunicipality = tree.add(p + "X", "Kommun X", OrgNodeKind.MUNICIPALITY, null).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
    }

    @Test
    void routineHoldsForTheSubtreeAndIsOverriddenFurtherDown() {
        post(municipality, introduction("Introduktion för legitimerade", 30, "vardskador-grunder"));

        RoutineView atUnit = single(inForce(homeCareEast));
        assertEquals("Introduktion för legitimerade", atUnit.routine().name());
        assertTrue(atUnit.inherited());
        assertEquals("Kommun R", atUnit.setAtName());

        post(homeCare, introduction("Hemtjänstens introduktion", 14, "vardskador-grunder", "sakerhetskultur-och-risker"));

        RoutineView overridden = single(inForce(homeCareEast));
        assertEquals("Hemtjänstens introduktion", overridden.routine().name());
        assertEquals(14, overridden.routine().dueDays());
        assertEquals(List.of("sakerhetskultur-och-risker", "vardskador-grunder"), overridden.modules());
        assertEquals("Introduktion för legitimerade", single(inForce(municipality)).routine().name(),
                "the level above keeps its own routine");
    }

    @Test
    void goalCoverageShowsWhichOfAnAudiencesGoalsTheRoutinesLeaveUncovered() {
        post(municipality, introduction("Introduktion för legitimerade", 30, "vardskador-grunder"));
        List<String> reached = sql.strings("""
                SELECT DISTINCT g.code FROM competence_goal g
                JOIN competence_goal_audience ga ON ga.goal_id = g.id JOIN audience a ON a.id = ga.audience_id AND a.code = 'LICENSED'
                JOIN module_version_goal mg ON mg.goal_id = g.id JOIN module_version m ON m.id = mg.module_version_id
                WHERE m.module_code = 'vardskador-grunder' ORDER BY g.code""");

        GoalCoverage.Audience licensed = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + homeCareEast
                        + "/goal-coverage").bearerAuth(coordinator), Argument.listOf(GoalCoverage.Audience.class)).stream()
                .filter(a -> a.code().equals("LICENSED")).findFirst().orElseThrow();

        assertTrue(!reached.isEmpty() && reached.size() < licensed.total(), reached + " of " + licensed.total());
        assertEquals(reached, licensed.goals().stream().filter(g -> !g.coveredBy().isEmpty()).map(GoalCoverage.Goal::code).toList());
        assertEquals(reached.size(), licensed.covered());
        assertTrue(licensed.goals().stream().filter(g -> !g.coveredBy().isEmpty())
                .allMatch(g -> g.coveredBy().equals(List.of("Introduktion för legitimerade"))));
    }

    @Test
    void everyChangeIsKeptAsAVersionWithWhoAndWhen() {
        Routine created = post(municipality, introduction("Introduktion", 30, "vardskador-grunder"));
        RoutineForm documented = new RoutineForm("Introduktion", RoutineKind.INTRODUCTION, "LICENSED",
                List.of("vardskador-grunder"), 21, CountsFrom.ROLE_START, null, null, null, DocumentationLevel.MANAGEMENT_SYSTEM,
                "Rutin för introduktion, dnr 2026/123", "Socialnämnden", LocalDate.parse("2026-03-01"));

        Routine changed = http.toBlocking().retrieve(HttpRequest.PUT("/api/routines/" + created.id(), documented)
                .bearerAuth(coordinator), Routine.class);

        assertEquals(2, changed.version());
        assertEquals(DocumentationLevel.MANAGEMENT_SYSTEM, changed.documentation());
        List<RoutineVersion> versions = http.toBlocking().retrieve(HttpRequest.GET("/api/routines/" + created.id() + "/versions")
                .bearerAuth(coordinator), Argument.listOf(RoutineVersion.class));
        assertEquals(List.of(1, 2), versions.stream().map(RoutineVersion::version).toList());
        assertTrue(versions.stream().allMatch(v -> v.changedBy().endsWith("-samordnare") && v.changedAt() != null));
        assertTrue(versions.get(0).snapshot().contains("\"dueDays\":30"), versions.get(0).snapshot());
        assertTrue(versions.get(1).snapshot().contains("\"dueDays\":21") && versions.get(1).snapshot().contains("dnr 2026/123"));
    }

    @Test
    void incompleteRoutineIsRefusedWithWhatIsMissing() {
        RoutineForm noDays = new RoutineForm("Introduktion", RoutineKind.INTRODUCTION, "LICENSED", List.of("finns-inte"),
                null, null, null, null, null, DocumentationLevel.MANAGEMENT_SYSTEM, null, null, null);

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> post(municipality, noDays));

        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        String problem = e.getResponse().getBody(String.class).orElseThrow();
        assertTrue(problem.contains("antal dagar (dueDays)"), problem);
        assertTrue(problem.contains("styrande dokumentet"), problem);
        assertTrue(problem.contains("vem som fastställde den"), problem);
        assertTrue(problem.contains("okänd modul"), problem);
    }

    @Test
    void secondRoutineForTheSameKindAndAudienceOnANodeIsAConflict() {
        post(municipality, introduction("Introduktion", 30, "vardskador-grunder"));

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> post(municipality, introduction("Igen", 10, "vardskador-grunder")));

        assertEquals(HttpStatus.CONFLICT, e.getStatus());
    }

    @Test
    void coordinatorCannotTouchAnotherOrganisationsRoutines() {
        Routine elsewhere = http.toBlocking().retrieve(HttpRequest.POST("/api/organisations/" + otherMunicipality + "/routines",
                introduction("Annan", 30, "vardskador-grunder")).bearerAuth(users.admin()), Routine.class);

        for (HttpRequest<?> request : List.of(
                HttpRequest.GET("/api/organisations/" + otherMunicipality + "/routines"),
                HttpRequest.POST("/api/organisations/" + otherMunicipality + "/routines", introduction("X", 1, "vardskador-grunder")),
                HttpRequest.PUT("/api/routines/" + elsewhere.id(), introduction("X", 1, "vardskador-grunder")),
                HttpRequest.GET("/api/routines/" + elsewhere.id() + "/versions"))) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(((io.micronaut.http.MutableHttpRequest<?>) request).bearerAuth(coordinator)));
            // Another organisation's node and routine are answered as unknown ones.
            assertEquals(HttpStatus.NOT_FOUND, e.getStatus(), request.getMethod() + " " + request.getPath());
        }
    }

    private static RoutineForm introduction(String name, int days, String... modules) {
        return new RoutineForm(name, RoutineKind.INTRODUCTION, "LICENSED", List.of(modules), days, CountsFrom.ORG_START,
                null, null, null, DocumentationLevel.EXISTS, null, null, null);
    }

    private Routine post(long node, RoutineForm form) {
        HttpResponse<Routine> created = http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + node + "/routines", form)
                .bearerAuth(coordinator), Routine.class);
        assertEquals(HttpStatus.CREATED, created.getStatus());
        return created.body();
    }

    private List<RoutineView> inForce(long node) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/routines").bearerAuth(coordinator),
                Argument.listOf(RoutineView.class));
    }

    private static RoutineView single(List<RoutineView> views) {
        assertEquals(1, views.size(), views.toString());
        return views.get(0);
    }
}
