package se.kompetensmal.learning;

import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learner's own history with every cycle of a recurring module, and the learner pages in English by choice. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LearningHistoryTest extends ServiceTest {

    private static final String MODULE = "basala-hygienrutiner";

    @Inject
    EmbeddedServer server;

    @Inject
    Completions completions;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    @Test
    void historyShowsEveryCompletionWithItsCycleAndValidityIncludingExpiredEarlierCycles() {
        String p = "HIS" + System.nanoTime();
        long region = tree.add(p, "Region H", OrgNodeKind.REGION, null).id();
        long ward = tree.add(p + "-A", "Avdelning H", OrgNodeKind.UNIT, region).id();
        String coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, region));
        long nurse = people.create(PersonFixture.hsaPrefix() + "1", "Hanna", "Historik", null, ward, LocalDate.parse("2020-01-01"),
                LocalDate.parse("2020-01-01"), "LICENSED");
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + region + "/routines", new RoutineForm(
                "Hygien varje år", RoutineKind.CONTINUING, "LICENSED", List.of(MODULE), null, null, 12, 30,
                LocalDate.parse("2023-01-01"), DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
        sql.awaitRecomputations();
        long version = sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", MODULE);
        completions.record(nurse, version, LocalDate.parse("2023-12-20"), 90, 900, Completions.Source.INTERNAL);
        completions.record(nurse, version, LocalDate.parse("2024-12-28"), null, null, Completions.Source.EXTERNAL);
        completions.record(nurse, version, today.minusDays(2), 100, 1260, Completions.Source.INTERNAL);
        LearnerSession session = new LearnerSession(URI.create(server.getURL().toString()),
                users.token(users.account(p + "-hanna", nurse, Role.LEARNER, ward)));

        String history = session.page("/min-utbildning/historik");

        String completionsTable = history.substring(history.indexOf("id=\"genomforanden\""), history.indexOf("id=\"provforsok\""));
        List<String> rows = List.of(completionsTable.split("<tr>")).stream().skip(2).map(LearningHistoryTest::text).toList();
        assertEquals(3, rows.size(), completionsTable);
        assertTrue(rows.get(0).startsWith("Basala hygienrutiner") && rows.get(0).contains(today.minusDays(2) + " 100 % 21 3 ")
                && !rows.get(0).contains("har gått ut"), rows.get(0));
        assertTrue(rows.get(1).contains("genomförd externt") && rows.get(1).contains("2024-12-28 2 2025-12-28 (har gått ut)"), rows.get(1));
        assertTrue(rows.get(2).contains("2023-12-20 90 % 15 1 2024-12-20 (har gått ut)"), rows.get(2));
        assertTrue(history.contains("Du har inte lämnat in något prov än."), history);
    }

    @Test
    void aLearnerWhoChoosesEnglishGetsTheLearnerPagesAndCertificateInEnglish() throws IOException {
        String p = "ENG" + System.nanoTime();
        long ward = tree.add(p, "Ward E", OrgNodeKind.UNIT, null).id();
        long nurse = people.create(PersonFixture.hsaPrefix() + "1", "Emma", "English", null, ward, today.minusYears(1),
                today.minusYears(1), "LICENSED");
        long version = sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", MODULE);
        long completion = completions.record(nurse, version, today, 95, 600, Completions.Source.INTERNAL);
        LearnerSession session = new LearnerSession(URI.create(server.getURL().toString()),
                users.token(users.account(p + "-emma", nurse, Role.LEARNER, ward)));
        assertTrue(session.page("/").contains("<html lang=\"sv\">"));

        String settings = session.page("/installningar");
        HttpResponse<String> saved = session.post("/installningar", settings, Map.of("language", List.of("en")));

        assertEquals(303, saved.statusCode(), saved.body());
        String start = session.page("/");
        assertTrue(start.contains("<html lang=\"en\">") && start.contains("My training") && start.contains("Sign out"), start);
        assertTrue(session.page("/utbildning/" + MODULE).contains("Start the module"));
        assertTrue(session.page("/min-utbildning/historik").contains("Completions"));
        try (PDDocument pdf = Loader.loadPDF(session.download("/min-utbildning/intyg/" + completion).body())) {
            String text = new PDFTextStripper().getText(pdf);
            assertTrue(text.contains("Certificate") && text.contains("Completed: " + today) && text.contains("Score: 95 %"), text);
        }

        session.post("/installningar", session.page("/installningar"), Map.of("language", List.of("sv")));
        assertTrue(session.page("/").contains("Min utbildning"));
        HttpResponse<String> unknown = session.post("/installningar", session.page("/installningar"), Map.of("language", List.of("fi")));
        assertEquals(422, unknown.statusCode());
    }

    private static String text(String html) {
        return html.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip();
    }
}
