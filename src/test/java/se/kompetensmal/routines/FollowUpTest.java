package se.kompetensmal.routines;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.learning.Completions;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.ExportedWorkbook;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FollowUpTest extends ServiceTest {

    @Inject
    Completions completions;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    long municipality;
    long unitA;
    long unitB;
    String coordinator;
    String hsa;

    @BeforeEach
    void aMunicipalityWithAnIntroductionRoutine() {
        String p = "FUP" + System.nanoTime();
        municipality = tree.add(p, "Kommun F", OrgNodeKind.MUNICIPALITY, null).id();
        unitA = tree.add(p + "-A", "Hemtjänst A", OrgNodeKind.UNIT, municipality).id();
        unitB = tree.add(p + "-B", "Hemtjänst B", OrgNodeKind.UNIT, municipality).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        hsa = PersonFixture.hsaPrefix();
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", new RoutineForm(
                "Introduktion", RoutineKind.INTRODUCTION, "NON_LICENSED", List.of("vardskador-grunder"), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
    }

    @Test
    void followUpListsTheOverdueAndTheDueSoonButNotTheDoneTheExemptedOrTheLater() {
        long overdue = person("1", unitA, today.minusDays(40));
        long dueSoon = person("2", unitB, today.minusDays(25));
        person("3", unitA, today.minusDays(5));
        long exempted = person("4", unitA, today.minusDays(40));
        long done = person("5", unitA, today.minusDays(40));
        recompute();
        completions.record(done, sql.number("SELECT MAX(id) FROM module_version WHERE module_code = 'vardskador-grunder'"),
                today.minusDays(2), 90, null, Completions.Source.INTERNAL);
        assertEquals(HttpStatus.NO_CONTENT, http.toBlocking().exchange(HttpRequest.POST("/api/people/" + exempted + "/exemptions",
                Map.of("module", "vardskador-grunder", "reason", "Genomförd hos tidigare arbetsgivare",
                        "evidence", "Intyg från Region Demoland 2025-05-02")).bearerAuth(coordinator)).getStatus());

        List<FollowUp.Row> rows = followUp("");

        assertEquals(List.of(overdue, dueSoon), rows.stream().map(FollowUp.Row::personId).toList());
        assertTrue(rows.get(0).overdue());
        assertTrue(!rows.get(1).overdue());
        assertEquals(today.minusDays(10), rows.get(0).dueDate());
        assertEquals("Introduktion", rows.get(0).routine());
        assertEquals(List.of(dueSoon), followUp("&unit=" + unitB).stream().map(FollowUp.Row::personId).toList());
        assertEquals(List.of(overdue), followUp("&withinDays=0").stream().map(FollowUp.Row::personId).toList());
        String csv = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + municipality + "/follow-up.csv")
                .bearerAuth(coordinator));
        assertTrue(csv.startsWith("\uFEFFhsa_id;namn;enhet;modul;förfallodag;försenad;rutin"), csv);
        assertTrue(csv.contains("\"" + hsa + "1\";\"Test Person1\";\"Hemtjänst A\";\"Vårdskador och patientsäkerhet – grunderna\";" + today.minusDays(10)
                + ";\"ja\""), csv);
        byte[] xlsx = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + municipality + "/follow-up.xlsx")
                .bearerAuth(coordinator), byte[].class);
        List<Row> sheet = ExportedWorkbook.rows(xlsx);
        assertEquals("Försenad", sheet.get(0).getCellText(5));
        assertEquals(List.of(hsa + "1", "Test Person1", "Hemtjänst A"), List.of(sheet.get(1).getCellText(0),
                sheet.get(1).getCellText(1), sheet.get(1).getCellText(2)));
        assertEquals(3, sheet.size(), "a header row and one row per person behind");
    }

    @Test
    void manualAssignmentReachesOneAudienceUnderANode() {
        long careWorker = person("1", unitA, today.minusYears(3));
        long nurse = person("2", unitA, today.minusYears(3));
        sql.update("UPDATE person_audience SET audience_id = (SELECT id FROM audience WHERE code = 'LICENSED') WHERE person_id = ?", nurse);
        sql.update("UPDATE placement_audience SET audience_id = (SELECT id FROM audience WHERE code = 'LICENSED') "
                + "WHERE placement_id IN (SELECT id FROM placement WHERE person_id = ?)", nurse);

        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + unitA + "/assignments",
                Map.of("module", "basala-hygienrutiner", "dueDate", today.plusDays(7).toString(), "audience", "NON_LICENSED"))
                .bearerAuth(coordinator));
        sql.awaitManualAssignments();
        sql.awaitRecomputations();

        List<FollowUp.Row> rows = followUp("&module=basala-hygienrutiner");
        assertEquals(List.of(careWorker), rows.stream().map(FollowUp.Row::personId).toList());
        assertEquals(today.plusDays(7), rows.get(0).dueDate());
    }

    @Test
    void anotherOrganisationsCoordinatorSeesNoFollowUp() {
        long other = tree.add("FUPX" + System.nanoTime(), "Kommun X", OrgNodeKind.MUNICIPALITY, null).id();
        String outsider = users.token(users.account("FUPX" + System.nanoTime(), null, Role.COORDINATOR, other));

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.GET("/api/organisations/" + municipality + "/follow-up").bearerAuth(outsider)));
        assertEquals(HttpStatus.NOT_FOUND, e.getStatus(), "another organisation's node reads as unknown");
        HttpClientResponseException assign = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/api/organisations/" + municipality + "/assignments",
                        Map.of("module", "vardskador-grunder", "dueDate", "2027-01-01")).bearerAuth(outsider)));
        assertEquals(HttpStatus.NOT_FOUND, assign.getStatus());
    }

    private List<FollowUp.Row> followUp(String query) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + municipality + "/follow-up?x=1" + query)
                .bearerAuth(coordinator), Argument.listOf(FollowUp.Row.class));
    }

    private void recompute() {
        recomputeUnder(municipality, coordinator);
    }

    private long person(String suffix, long unit, LocalDate start) {
        return people.create(hsa + suffix, "Test", "Person" + suffix, null, unit, start, start, "NON_LICENSED");
    }
}
