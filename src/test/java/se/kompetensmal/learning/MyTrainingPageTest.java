package se.kompetensmal.learning;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Min utbildning" on the start page: what a learner must do, grouped by urgency, and what is done. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MyTrainingPageTest extends ServiceTest {

    @Inject
    Completions completions;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    @Test
    void learnerSeesOverdueDueSoonToDoAndDoneWithDatesMinutesAndWhy() {
        String p = "MIN" + System.nanoTime();
        long municipality = tree.add(p, "Kommun M", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add(p + "-E", "Solgården", OrgNodeKind.UNIT, municipality).id();
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        long learner = people.create(PersonFixture.hsaPrefix() + "1", "Lisa", "Lärande", null, unit, today.minusDays(40),
                today.minusDays(40), "NON_LICENSED");
        String session = users.token(users.account(p + "-lisa", learner, Role.LEARNER, unit));
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", new RoutineForm(
                "Introduktion omsorg", RoutineKind.INTRODUCTION, "NON_LICENSED", List.of("vardskador-grunder",
                "basala-hygienrutiner"), 30, CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null))
                .bearerAuth(coordinator));
        sql.awaitRecomputations();
        assign(coordinator, municipality, "se-och-saga-till", today.plusDays(5));
        assign(coordinator, municipality, "saker-lakemedelshantering", today.plusDays(60));
        completions.record(learner, sql.number("SELECT MAX(id) FROM module_version WHERE module_code = 'basala-hygienrutiner'"),
                today.minusDays(3), 85, 1200, Completions.Source.INTERNAL);

        String page = http.toBlocking().retrieve(HttpRequest.GET("/").accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));

        assertTrue(page.contains("<title>Min utbildning"), page);
        String overdue = section(page, "forsenade");
        assertTrue(overdue.contains(title("vardskador-grunder")) && overdue.contains(today.minusDays(10).toString())
                && overdue.contains("Rutin: Introduktion omsorg (målgrupp: " + sql.strings(
                        "SELECT name_sv FROM audience WHERE code = 'NON_LICENSED'").get(0) + ")"), overdue);
        String soon = section(page, "snart");
        assertTrue(soon.contains(title("se-och-saga-till")) && soon.contains("Tilldelad av Test " + p + "-samordnare"), soon);
        assertTrue(section(page, "att-gora").contains(title("saker-lakemedelshantering")), page);
        String done = section(page, "klara");
        assertTrue(done.contains(title("basala-hygienrutiner")) && done.contains(today.minusDays(3).toString())
                && done.contains("85 %") && done.contains("Tills vidare"), done);
        assertTrue(!overdue.contains(title("basala-hygienrutiner")), "a completed module is not overdue");
    }

    @Test
    void someoneWithNothingAssignedIsToldWhatHappensNext() {
        String p = "MIO" + System.nanoTime();
        long unit = tree.add(p, "Kommun O", OrgNodeKind.MUNICIPALITY, null).id();
        long person = people.create(PersonFixture.hsaPrefix() + "1", "Nils", "Ny", null, unit, today, today, "POLITICIAN");
        String session = users.token(users.account(p + "-nils", person, Role.LEARNER, unit));

        String page = http.toBlocking().retrieve(HttpRequest.GET("/").accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));

        assertTrue(page.contains("Du har ingen utbildning tilldelad just nu."), page);
    }

    private void assign(String coordinator, long node, String module, LocalDate due) {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + node + "/assignments",
                Map.of("module", module, "dueDate", due.toString())).bearerAuth(coordinator));
        sql.awaitManualAssignments();
    }

    private String title(String module) {
        return sql.strings("SELECT title FROM module_version WHERE module_code = ? ORDER BY version DESC", module).get(0);
    }

    /** The HTML of one section of the page, from its heading to the end of the section. */
    private static String section(String page, String id) {
        int start = page.indexOf("id=\"" + id + "\"");
        assertTrue(start >= 0, id + " missing: " + page);
        return page.substring(start, page.indexOf("</section>", start));
    }
}
