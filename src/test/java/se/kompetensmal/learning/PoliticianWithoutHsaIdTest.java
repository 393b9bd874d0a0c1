package se.kompetensmal.learning;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.Waiting;
import se.kompetensmal.reporting.LeadershipReport;
import se.kompetensmal.reporting.Share;
import se.kompetensmal.roster.RosterImportStatus;
import se.kompetensmal.roster.RosterImportView;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.PasswordHasher;
import se.kompetensmal.security.Role;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Elected members have no HSA-id: five politicians known by employee number or by e-mail alone are imported from the
 * municipality's file, a routine for the POLITICIAN audience assigns them the politicians' module, one of them signs in
 * with a local account, takes the module and passes, and the municipality's statistics count all five and her
 * completion.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoliticianWithoutHsaIdTest extends ServiceTest {

    private static final String MODULE = "politikerns-ansvar";
    private static final String PASSWORD = "Fullmäktige-2026-lösen";

    @Inject
    EmbeddedServer server;

    @Inject
    PasswordHasher hasher;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    @Test
    void aPoliticianWithoutHsaIdIsImportedAssignedSignsInTakesTheModuleAndCounts() {
        String admin = users.admin();
        String code = "POL" + System.nanoTime() % 1_000_000_000L;
        assertEquals(RosterImportStatus.SUCCEEDED, upload(admin, "organisations", null, "kod;namn;typ;överordnad\n"
                + code + ";Politikerstad kommun;kommun;\n"
                + "KF;Kommunfullmäktige;enhet;" + code + "\n").rosterImport().status());
        long municipality = sql.number("SELECT id FROM org_node WHERE code = ?", code);
        String started = today.minusMonths(2).toString();
        RosterImportView imported = upload(admin, "people", municipality,
                "anstallningsnummer;fornamn;efternamn;epost;enhet;malgrupper;startdatum_organisation\n"
                        + "F-101;Karin;Ordförande;karin@politikerstad.example;KF;POLITICIAN;" + started + "\n"
                        + "F-102;Leif;Vice;;KF;POLITICIAN;" + started + "\n"
                        + ";Maja;Ledamot;maja@politikerstad.example;KF;POLITICIAN;" + started + "\n"
                        + ";Nils;Ledamot;nils@politikerstad.example;KF;POLITICIAN;" + started + "\n"
                        + ";Olle;Ersättare;olle@politikerstad.example;KF;POLITICIAN;" + started + "\n");
        assertEquals(RosterImportStatus.SUCCEEDED, imported.rosterImport().status(), imported.toString());
        assertEquals(5, imported.rosterImport().createdCount());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM person WHERE huvudman_id = ? AND hsa_id IS NOT NULL", municipality));
        long maja = sql.number("SELECT id FROM person WHERE huvudman_id = ? AND email = 'maja@politikerstad.example'", municipality);

        String coordinator = users.token(users.account(code + "-samordnare", null, Role.COORDINATOR, municipality));
        sql.awaitRecomputations();
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines",
                new RoutineForm("Introduktion förtroendevalda", RoutineKind.INTRODUCTION, "POLITICIAN", List.of(MODULE), 60,
                        CountsFrom.ORG_START, RoutineForm.FROM_EVERYONES_START, null, null, null, null,
                        DocumentationLevel.DOCUMENTED, "Arbetsordning för fullmäktige", null, null)).bearerAuth(coordinator));
        sql.awaitRecomputations();
        assertEquals(5, sql.number("SELECT COUNT(*) FROM assignment a JOIN person p ON p.id = a.person_id "
                + "WHERE p.huvudman_id = ? AND a.module_code = ? AND a.source = 'ROUTINE'", municipality, MODULE),
                "the routine for politicians reaches every one of them");

        // A local account, made here as the accounts administration will: the password hashed, the person linked.
        String username = "maja.ledamot." + code.toLowerCase();
        sql.update("INSERT INTO user_account (username, display_name, password_hash, person_id) VALUES (?, ?, ?, ?)",
                username, "Maja Ledamot", hasher.hash(PASSWORD), maja);
        String jwt = users.signIn(username, PASSWORD);
        assertTrue(jwt != null, "she signs in with her local account");
        LearnerSession session = new LearnerSession(server.getURI(), jwt);
        assertTrue(session.page("/").contains("Patientsäkerhet – ansvar för politiker"), "her start page lists the module");

        String assessment = session.page("/utbildning/" + MODULE + "/prov");
        long attempt = LearnerSession.attemptOf(assessment);
        java.net.http.HttpResponse<String> sent = session.post("/utbildning/" + MODULE + "/prov/" + attempt, assessment, rightAnswers());
        assertEquals(303, sent.statusCode(), sent.body());
        assertTrue(session.page("/utbildning/" + MODULE + "/resultat/" + attempt).contains("Godkänt"));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM assignment a JOIN completion c ON c.id = a.completion_id "
                + "WHERE a.person_id = ? AND a.module_code = ?", maja, MODULE), "her completion fulfils the routine");
        assertNull(sql.strings("SELECT hsa_id FROM person WHERE id = ?", maja).get(0));

        String leader = users.token(users.account(code + "-ledare", null, Role.LEADER, municipality));
        sql.awaitRecomputations();
        LeadershipReport.Report report = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + municipality
                + "/statistics").bearerAuth(leader), LeadershipReport.Report.class);
        LeadershipReport.Figures politicians = report.audiences().stream().filter(f -> "POLITICIAN".equals(f.audience()))
                .findFirst().orElseThrow(() -> new AssertionError(report.audiences().toString()));
        assertEquals(Share.count(5), politicians.headcount(), "five politicians, none with an HSA-id");
        assertEquals(Share.of(1, 5), politicians.introduction(), "one of five has done the introduction");
        assertEquals(Share.count(5), report.total().headcount());
    }

    /** The right option(s) of every question of the module's latest version. */
    private Map<String, List<String>> rightAnswers() {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        for (String row : sql.strings("""
                SELECT CONCAT(q.id, ' ', o.id, ' ', o.correct) FROM assessment_question q JOIN question_option o ON o.question_id = q.id
                WHERE q.module_version_id = (SELECT MAX(id) FROM module_version WHERE module_code = ?)
                ORDER BY q.position, o.position""", MODULE)) {
            String[] parts = row.split(" ");
            List<String> options = answers.computeIfAbsent("q" + parts[0], key -> new ArrayList<>());
            if (parts[2].equals("1")) {
                options.add(parts[1]);
            }
        }
        return answers;
    }

    /** Posts a roster file as an integrating system would and waits until its import has ended. */
    private RosterImportView upload(String token, String kind, Long organisation, String csv) {
        HttpResponse<RosterImportView> accepted = http.toBlocking().exchange(HttpRequest.POST("/api/imports/" + kind
                        + "?fileName=" + kind + ".csv" + (organisation == null ? "" : "&organisation=" + organisation),
                csv.getBytes(StandardCharsets.UTF_8)).contentType(MediaType.of("text/csv")).bearerAuth(token), RosterImportView.class);
        assertEquals(HttpStatus.ACCEPTED, accepted.getStatus());
        String location = accepted.getHeaders().get("Location");
        return Waiting.until(() -> http.toBlocking().retrieve(HttpRequest.GET(location).bearerAuth(token), RosterImportView.class),
                view -> view.rosterImport().finished(), Duration.ofMinutes(2), "the import ending");
    }
}
