package se.kompetensmal.catalog;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.Routine;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An organisation's own module, as {@link ModuleReach} says: usable and visible in its owner's subtree (a region and its
 * unit), invisible to another organisation (a municipality) everywhere it could show, and once withdrawn given to
 * nobody new while what was done with it is kept.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModuleReachTest extends ServiceTest {

    @Inject
    ApplicationEventPublisher<ModuleWithdrawn> withdrawals;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    final LocalDate start = today.minusYears(1);

    long region;
    long ward;
    long municipality;
    long homeCare;
    String hsa;
    String prefix;

    String regionCoordinator;
    String municipalityCoordinator;
    String municipalityLearner;
    long municipalityPerson;

    @BeforeAll
    void twoOrganisations() {
        prefix = "MR" + System.nanoTime();
        hsa = PersonFixture.hsaPrefix();
        region = tree.add(prefix + "-R", "Region Räckvidd", OrgNodeKind.REGION, null).id();
        ward = tree.add(prefix + "-R-A", "Avdelning 7", OrgNodeKind.UNIT, region).id();
        municipality = tree.add(prefix + "-K", "Kommun Räckvidd", OrgNodeKind.MUNICIPALITY, null).id();
        homeCare = tree.add(prefix + "-K-H", "Hemtjänst Öst", OrgNodeKind.UNIT, municipality).id();
        regionCoordinator = users.token(users.account(prefix + "-samordnare-r", null, Role.COORDINATOR, region));
        municipalityCoordinator = users.token(users.account(prefix + "-samordnare-k", null, Role.COORDINATOR, municipality));
        municipalityPerson = people.create(hsa + "k1", "Kim", "Kommun", null, homeCare, start, start, "LICENSED");
        municipalityLearner = users.token(users.account(prefix + "-k1", municipalityPerson, null, null));
    }

    /** An own module of the region, one page and one question, as the editor would publish it (written straight here). */
    private Own ownModule(String name) {
        String code = (prefix + "-" + name).toLowerCase();
        String title = "Regionens egen rutin " + name + " " + prefix;
        sql.update("INSERT INTO catalogue_module (code, source, owner_org_id) VALUES (?, 'EDITOR', ?)", code, region);
        sql.update("""
                INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash)
                VALUES (?, 1, ?, 'Hur regionen gör.', 10, 50, ?)""", code, title, "0".repeat(64));
        long version = sql.number("SELECT id FROM module_version WHERE module_code = ?", code);
        sql.update("INSERT INTO module_version_audience (module_version_id, audience_id) SELECT ?, id FROM audience WHERE code = 'LICENSED'",
                version);
        sql.update("INSERT INTO module_page (module_version_id, position, title, body_markdown) VALUES (?, 1, 'Så gör vi', 'Text.')",
                version);
        sql.update("INSERT INTO assessment_question (module_version_id, position, question_code, text) VALUES (?, 1, 'q1', 'Rätt?')",
                version);
        long question = sql.number("SELECT id FROM assessment_question WHERE module_version_id = ?", version);
        sql.update("INSERT INTO question_option (question_id, position, text, correct, feedback) VALUES (?, 1, 'Ja', TRUE, 'Bra.'), (?, 2, 'Nej', FALSE, 'Nej.')",
                question, question);
        return new Own(code, title, version);
    }

    private record Own(String code, String title, long versionId) {
    }

    @Test
    void anotherOrganisationNeverSeesTheRegionsModuleAndCannotUseIt() {
        Own own = ownModule("hygien");
        String titleWord = URLEncoder.encode(own.title(), StandardCharsets.UTF_8);

        for (String session : List.of(municipalityCoordinator, municipalityLearner)) {
            assertFalse(page("/katalog", session).contains(own.title()), "the catalogue lists it");
            // The search field shows what was typed; the module must not be among what was found.
            assertFalse(page("/katalog?sok=" + titleWord, session).contains("/katalog/moduler/" + own.code()), "a search finds it");
            assertFalse(modules(session).contains(own.code()), "the API lists it");
            assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(
                    HttpRequest.GET("/api/modules/" + own.code()).bearerAuth(session))));
            assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(
                    HttpRequest.GET("/api/modules/" + own.code() + "/versions/1").bearerAuth(session))));
            assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(htmlGet("/katalog/moduler/" + own.code(), session))));
            assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(htmlGet("/katalog/moduler/" + own.code() + "/sida/1", session))));
        }
        assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(htmlGet("/utbildning/" + own.code(), municipalityLearner))));
        assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(htmlGet("/utbildning/" + own.code() + "/sida/1", municipalityLearner))));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM module_progress WHERE module_code = ?", own.code()), "nothing was started");

        // The municipality's coordinator is not offered it where modules are chosen.
        assertFalse(page("/organisationer/" + municipality + "/rutiner", municipalityCoordinator).contains(own.code()));
        assertFalse(page("/organisationer/" + municipality + "/tilldela", municipalityCoordinator).contains(own.code()));
        assertFalse(page("/personer/" + municipalityPerson, municipalityCoordinator).contains(own.code()));
        assertFalse(assignable(municipality, municipalityCoordinator).contains(own.code()));
        assertFalse(http.toBlocking().retrieve(HttpRequest.GET("/api/goals").bearerAuth(municipalityCoordinator)).contains(own.code()));

        // Naming it is refused, saying which code, and nothing is saved or assigned.
        HttpClientResponseException routine = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", introduction(own.code()))
                        .bearerAuth(municipalityCoordinator)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, routine.getStatus());
        assertTrue(routine.getResponse().getBody(String.class).orElseThrow()
                .contains("okänd modul " + own.code() + " (den finns inte eller kan inte användas på den här nivån)"));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM routine_module WHERE module_code = ?", own.code()));
        HttpClientResponseException manual = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/api/organisations/" + municipality + "/assignments",
                        Map.of("module", own.code(), "dueDate", today.plusDays(30).toString())).bearerAuth(municipalityCoordinator)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, manual.getStatus());
        assertTrue(manual.getResponse().getBody(String.class).orElseThrow().contains("Modulen " + own.code() + " finns inte."));
        String form = page("/organisationer/" + municipality + "/tilldela", municipalityCoordinator);
        HttpClientResponseException group = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/organisationer/" + municipality + "/tilldela", "module=" + own.code() + "&dueDate="
                                + today.plusDays(30) + "&step=spara&csrfToken=" + csrf(form))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML)
                        .cookie(Cookie.of("JWT", municipalityCoordinator)), String.class));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, group.getStatus());
        assertTrue(group.getResponse().getBody(String.class).orElseThrow().contains("Modulen " + own.code() + " finns inte."));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE module_code = ?", own.code()));

        // The region's coordinator sees it and may choose it, by title.
        assertTrue(page("/katalog", regionCoordinator).contains(own.title()));
        assertTrue(modules(regionCoordinator).contains(own.code()));
        assertTrue(page("/katalog/moduler/" + own.code(), regionCoordinator).contains(own.title()));
        assertTrue(page("/organisationer/" + region + "/rutiner", regionCoordinator)
                .contains("value=\"" + own.code() + "\""));
        assertTrue(page("/organisationer/" + ward + "/tilldela", regionCoordinator).contains(">" + own.title() + "</option>"));
        assertTrue(assignable(ward, regionCoordinator).contains(own.code()));
    }

    @Test
    void aRegionsRoutineAssignsItsPeopleAndAWithdrawalGivesNobodyNewWhileHistoryStays() {
        Own own = ownModule("larm");
        long ward = tree.add(prefix + "-R-L", "Avdelning 8", OrgNodeKind.UNIT, region).id();
        // In the region's ward: Alva starts the module, Bea has completed it, Cai is assigned and has not begun.
        long alva = people.create(hsa + "alva", "Alva", "A", null, ward, start, start, "LICENSED");
        long bea = people.create(hsa + "bea", "Bea", "B", null, ward, start, start, "LICENSED");
        long cai = people.create(hsa + "cai", "Cai", "C", null, ward, start, start, "LICENSED");
        String alvaSession = users.token(users.account(prefix + "-alva", alva, null, null));

        Routine routine = http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + ward + "/routines",
                introduction(own.code())).bearerAuth(regionCoordinator), Routine.class).body();
        recomputeUnder(region, regionCoordinator);
        assertEquals(List.of(alva + " open", bea + " open", cai + " open"), assignments(own.code(), alva, bea, cai));
        // The municipality's learner is under no routine with it; the region's may take it.
        assertTrue(page("/utbildning/" + own.code(), alvaSession).contains(own.title()));
        assertTrue(page("/utbildning/" + own.code() + "/sida/1", alvaSession).contains("Så gör vi"));
        sql.update("INSERT INTO completion (person_id, module_version_id, completed_on, score) VALUES (?, ?, ?, 100)",
                bea, own.versionId(), today.minusDays(2));
        recomputeUnder(region, regionCoordinator);
        assertEquals(List.of(alva + " open", bea + " done", cai + " open"), assignments(own.code(), alva, bea, cai));

        withdraw(own.code());

        assertEquals(List.of(alva + " open", bea + " done", cai + " withdrawn"), assignments(own.code(), alva, bea, cai),
                "the unstarted one is withdrawn; the started one may be finished, the completion stays");
        assertEquals(1, sql.number("SELECT COUNT(*) FROM completion WHERE person_id = ? AND module_version_id = ?",
                bea, own.versionId()));
        long dag = people.create(hsa + "dag", "Dag", "D", null, ward, start, start, "LICENSED");
        recomputeUnder(region, regionCoordinator);
        assertEquals(List.of(alva + " open", bea + " done", cai + " withdrawn"), assignments(own.code(), alva, bea, cai, dag),
                "a newcomer gets nothing, and the recomputation keeps the rest as it was");
        assertEquals(List.of(own.code()), sql.strings("SELECT module_code FROM routine_module WHERE routine_id = ?", routine.id()),
                "the routine keeps it in its versions");

        // The routine's page still shows it, marked, and a change to the routine may keep it.
        assertTrue(page("/organisationer/" + ward + "/rutiner/" + routine.id(), regionCoordinator)
                .contains(own.title() + " (tillbakadragen)"));
        Routine changed = http.toBlocking().exchange(HttpRequest.PUT("/api/routines/" + routine.id(),
                introduction(own.code())).bearerAuth(regionCoordinator), Routine.class).body();
        assertEquals(routine.version() + 1, changed.version());
        recomputeUnder(region, regionCoordinator);
        assertEquals(List.of(alva + " open", bea + " done", cai + " withdrawn"), assignments(own.code(), alva, bea, cai, dag));

        // No longer offered for new use, but its page says what became of it; the one who started may go on.
        assertFalse(page("/katalog", regionCoordinator).contains(own.title()));
        assertFalse(modules(regionCoordinator).contains(own.code()));
        assertFalse(assignable(region, regionCoordinator).contains(own.code()));
        assertTrue(page("/katalog/moduler/" + own.code(), regionCoordinator).contains("Tillbakadragen"));
        assertTrue(page("/utbildning/" + own.code() + "/sida/1", alvaSession).contains("Så gör vi"));
        String dagSession = users.token(users.account(prefix + "-dag", dag, null, null));
        assertEquals(HttpStatus.NOT_FOUND, status(() -> http.toBlocking().exchange(htmlGet("/utbildning/" + own.code(), dagSession))));
        HttpClientResponseException again = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/api/organisations/" + ward + "/routines", introduction(own.code()))
                        .bearerAuth(regionCoordinator)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, again.getStatus());
        assertTrue(again.getResponse().getBody(String.class).orElseThrow().contains("är tillbakadragen"));
        HttpClientResponseException manual = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.POST("/api/organisations/" + ward + "/assignments",
                        Map.of("module", own.code(), "dueDate", today.plusDays(30).toString())).bearerAuth(regionCoordinator)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, manual.getStatus());
        assertTrue(manual.getResponse().getBody(String.class).orElseThrow().contains("är tillbakadragen"));
    }

    @Test
    void nobodyOutsideTheOwnersSubtreeIsGivenItByARoutine() {
        Own own = ownModule("flytt");
        long ward = tree.add(prefix + "-R-F", "Avdelning 9", OrgNodeKind.UNIT, region).id();
        long eli = people.create(hsa + "eli", "Eli", "E", null, ward, start, start, "LICENSED");
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + ward + "/routines", introduction(own.code()))
                .bearerAuth(regionCoordinator), Routine.class);
        recomputeUnder(region, regionCoordinator);
        assertEquals(List.of(eli + " open"), assignments(own.code(), eli));

        // Eli moves to the municipality, whose routine somehow names the region's module (a routine can no longer be saved
        // so, but one may be there from before): neither gives Eli or the municipality's people anything of it.
        people.move(eli, homeCare);
        Routine theirs = http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines",
                introduction("basala-hygienrutiner")).bearerAuth(municipalityCoordinator), Routine.class).body();
        sql.update("INSERT INTO routine_module (routine_id, module_code) VALUES (?, ?)", theirs.id(), own.code());
        recomputeUnder(region, regionCoordinator);
        recomputeUnder(municipality, municipalityCoordinator);

        assertEquals(List.of(eli + " withdrawn"), assignments(own.code(), eli));
        assertEquals(List.of(), assignments(own.code(), municipalityPerson));
        assertEquals(List.of(municipalityPerson + " open"), assignments("basala-hygienrutiner", municipalityPerson));
    }

    private void withdraw(String code) {
        sql.update("UPDATE catalogue_module SET withdrawn_at = CURRENT_TIMESTAMP, withdrawn_reason = 'Ersatt' WHERE code = ?", code);
        long account = sql.number("SELECT id FROM user_account WHERE username = ?", prefix + "-samordnare-r");
        withdrawals.publishEvent(new ModuleWithdrawn(code, account));
        sql.awaitRecomputations();
    }

    /** Each person's assignments of the module: open, done or withdrawn, in person order. */
    private List<String> assignments(String code, long... persons) {
        String ids = java.util.Arrays.stream(persons).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(","));
        return sql.strings("""
                SELECT CONCAT(person_id, ' ', CASE WHEN withdrawn_at IS NOT NULL THEN 'withdrawn'
                                                   WHEN completion_id IS NOT NULL THEN 'done' ELSE 'open' END)
                FROM assignment WHERE module_code = ? AND person_id IN (%s) ORDER BY person_id, cycle""".formatted(ids), code);
    }

    private static RoutineForm introduction(String module) {
        return new RoutineForm("Introduktion med egen modul", RoutineKind.INTRODUCTION, "LICENSED", List.of(module), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null);
    }

    private List<String> modules(String session) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/modules").bearerAuth(session),
                Argument.listOf(CatalogueQueries.ModuleView.class)).stream().map(CatalogueQueries.ModuleView::code).toList();
    }

    private List<String> assignable(long node, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/assignable-modules").bearerAuth(session),
                Argument.listOf(CatalogueQueries.ModuleView.class)).stream().map(CatalogueQueries.ModuleView::code).toList();
    }

    private String page(String path, String session) {
        return http.toBlocking().retrieve(htmlGet(path, session));
    }

    private static MutableHttpRequest<?> htmlGet(String path, String session) {
        return HttpRequest.GET(path).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session));
    }

    private static HttpStatus status(Supplier<HttpResponse<?>> call) {
        try {
            return call.get().getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    private static String csrf(String page) {
        return URLEncoder.encode(TestUsers.csrfTokenOf(page), StandardCharsets.UTF_8);
    }
}
