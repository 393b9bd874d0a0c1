package se.kompetensmal.hrfiles;

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
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.roster.RosterImportStatus;
import se.kompetensmal.roster.RosterImportView;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.Problem;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages of HR files as coordinators use them: the column mapping (inherited from the nearest organisation above,
 * saved, refused with every row at fault, and over the API), the preview of an upload (what is missing, whose it is,
 * dropping it) and the pick-up settings (folders outside the root refused).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HrFilePagesTest extends ServiceTest {

    String p;
    long municipality;
    long unit;
    String token;
    HrCalls coordinator;

    @BeforeEach
    void aMunicipalityWithAMappingAndAUnitUnderIt() {
        p = "P" + System.nanoTime();
        municipality = tree.add(p, "Kommun Mapp", OrgNodeKind.MUNICIPALITY, null).id();
        unit = tree.add(p + "-U", "Enhet Ödet", OrgNodeKind.UNIT, municipality).id();
        token = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        coordinator = new HrCalls(http.toBlocking(), token);
        http.toBlocking().exchange(HttpRequest.PUT("/api/organisations/" + municipality + "/column-mapping",
                new ColumnMapping.Change(List.of(new ColumnMapping.Column("Enhetskod", "enhet"),
                        new ColumnMapping.Column("Tilltalsnamn", "fornamn")))).bearerAuth(token));
    }

    @Test
    void aUnitWithoutAMappingOfItsOwnFollowsTheOneAboveUntilItSavesItsOwn() {
        String page = coordinator.get("/organisationer/" + unit + "/kolumner");
        assertTrue(page.contains("Enhet Ödet har ingen egen kolumnmappning. Här gäller kolumnmappningen för Kommun Mapp:"), page);
        assertTrue(page.contains("<th scope=\"row\">Tilltalsnamn</th><td>Förnamn</td>"), page);
        assertEquals(municipality, api(unit).setAtId());

        HttpResponse<String> saved = coordinator.post("/organisationer/" + unit + "/kolumner", "/organisationer/" + unit + "/kolumner",
                "header", "Enhet nr", "field", "enhet", "header", "", "field", "", "header", "Namn", "field", "fornamn");

        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());
        ColumnMapping own = api(unit);
        assertTrue(own.own());
        assertEquals(List.of("Enhet nr enhet", "Namn fornamn"), own.columns().stream().map(c -> c.header() + " " + c.field()).toList());
        assertEquals(2, api(municipality).columns().size(), "the municipality keeps its own");
        String after = coordinator.get(saved.getHeaders().get("Location"));
        assertTrue(after.contains("Kolumnmappningen är sparad.") && after.contains("value=\"Enhet nr\""), after);
        assertTrue(sql.number("SELECT COUNT(*) FROM audit_event WHERE action = 'SETTING_CHANGED' AND target LIKE ?",
                "kolumnmappning för " + p + "-U%") == 1);

        // Emptied, the unit follows the municipality again.
        http.toBlocking().exchange(HttpRequest.DELETE("/api/organisations/" + unit + "/column-mapping").bearerAuth(token));
        assertEquals(municipality, api(unit).setAtId());
    }

    @Test
    void aMappingWithTheSameHeaderTwiceOrAHeaderWithoutAFieldIsRefusedWhole() {
        String uri = "/organisationer/" + municipality + "/kolumner";
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> coordinator.post(uri, uri,
                "header", "Personnr", "field", "hsa_id", "header", "  PERSONNR ", "field", "epost", "header", "Yrke", "field", ""));

        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, refused.getStatus());
        String page = refused.getResponse().getBody(String.class).orElseThrow();
        assertTrue(page.contains("Rad 2: rubriken «PERSONNR» finns redan på rad 1.") && page.contains("Rad 3: välj vilket fält rubriken blir."),
                page);
        assertTrue(page.contains("value=\"Yrke\""), "what was typed is kept");
        assertEquals(List.of("Enhetskod", "Tilltalsnamn"), api(municipality).columns().stream().map(ColumnMapping.Column::header).toList());

        HttpClientResponseException problem = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.PUT("/api/organisations/" + municipality + "/column-mapping",
                        new ColumnMapping.Change(List.of(new ColumnMapping.Column("Lön", "manadslon")))).bearerAuth(token)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, problem.getStatus());
        assertEquals("application/problem+json", problem.getResponse().getContentType().orElseThrow().toString());
        Problem body = problem.getResponse().getBody(Problem.class).orElseThrow();
        assertTrue(body.detail().contains("Rad 1: okänt fält «manadslon»."), body.toString());
    }

    @Test
    void onlyCoordinatorsAndAdministratorsOfTheOrganisationReachTheMapping() {
        long other = tree.add(p + "X", "Kommun Annan", OrgNodeKind.MUNICIPALITY, null).id();
        HrCalls stranger = new HrCalls(http.toBlocking(), users.token(users.account(p + "-annan", null, Role.COORDINATOR, other)));
        HrCalls leader = new HrCalls(http.toBlocking(), users.token(users.account(p + "-ledare", null, Role.LEADER, municipality)));

        assertEquals(HttpStatus.NOT_FOUND, stranger.status(() -> stranger.get("/organisationer/" + municipality + "/kolumner")));
        assertEquals(HttpStatus.FORBIDDEN, leader.status(() -> leader.get("/organisationer/" + municipality + "/kolumner")));
        assertEquals(HttpStatus.FORBIDDEN, leader.status(() -> leader.get("/organisationer/" + municipality + "/hamtning")));
        assertEquals(HttpStatus.FORBIDDEN, coordinator.status(() -> http.toBlocking().exchange(
                HttpRequest.POST("/organisationer/" + municipality + "/kolumner", "header=A&field=enhet")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).cookie(Cookie.of("JWT", token)), String.class)),
                "without the CSRF token");
    }

    @Test
    void thePreviewSaysWhichRequiredFieldsAreMissingAndOffersNoImport() {
        String preview = coordinator.upload(municipality, false, "lista.csv",
                "Tilltalsnamn;Enhetskod;Telefon\nÅsa;1001;070-1\n".getBytes(StandardCharsets.UTF_8));

        String page = coordinator.get(preview);

        assertTrue(page.contains("UTF-8 (identifierad i filen)"), page);
        assertTrue(page.contains("<th scope=\"row\">Tilltalsnamn</th><td>Förnamn</td>")
                && page.contains("<th scope=\"row\">Telefon</th><td>används inte</td>"), page);
        for (String missing : List.of("<li>Efternamn</li>", "<li>Målgrupper</li>", "<li>Startdatum i organisationen</li>",
                "<li>minst ett av HSA-id, Anställningsnummer och E-post")) {
            assertTrue(page.contains(missing), missing + " in " + page);
        }
        assertFalse(page.contains("/importera\""), "no import of a file that cannot be imported");
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, coordinator.status(() -> coordinator.post(preview + "/importera", preview,
                "kodning", "UTF8")));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM roster_import WHERE scope_org_id = ?", municipality));
    }

    @Test
    void anUploadIsItsUploadersAndIsRemovedWhenDropped() {
        String preview = coordinator.upload(municipality, false, "lista.csv", "a;b\n1;2\n".getBytes(StandardCharsets.UTF_8));
        long id = Long.parseLong(preview.substring(preview.lastIndexOf('/') + 1));
        HrCalls colleague = new HrCalls(http.toBlocking(), users.token(users.account(p + "-kollega", null, Role.COORDINATOR, municipality)));

        assertEquals(HttpStatus.NOT_FOUND, colleague.status(() -> colleague.get(preview)));

        long file = sql.number("SELECT file_id FROM hr_upload WHERE id = ?", id);
        HttpResponse<String> dropped = coordinator.post(preview + "/avbryt", preview);
        assertEquals(HttpStatus.SEE_OTHER, dropped.getStatus());
        assertEquals("/import", dropped.getHeaders().get("Location"));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM hr_upload WHERE id = ?", id));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM stored_file_chunk WHERE file_id = ?", file), "and its stored bytes");
        assertEquals(HttpStatus.NOT_FOUND, coordinator.status(() -> coordinator.get(preview)));
    }

    @Test
    void aTabSeparatedUtf8FileWithAByteOrderMarkAndOurHeadersImportsWithoutAMapping() {
        String hsa = PersonFixture.hsaPrefix();
        byte[] text = ("hsa_id\tförnamn\tefternamn\tenhet\tmålgrupper\tstartdatum_organisation\n"
                + hsa + "1\tÖrjan\tÅberg\t" + p + "-U\tLICENSED\t2020-02-03\n").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        String preview = coordinator.upload(unit, false, "personal.txt", withBom);

        String page = coordinator.get(preview);
        assertTrue(page.contains("UTF-8 (identifierad i filen)") && page.contains("<dd>tabb</dd>"), page);
        assertTrue(page.contains("<td>Örjan</td><td>Åberg</td>"), page);

        RosterImportView done = coordinator.confirm(preview, "UTF8");
        assertEquals(RosterImportStatus.SUCCEEDED, done.rosterImport().status(), done.toString());
        assertEquals(List.of("Örjan Åberg"), sql.strings("SELECT CONCAT(given_name, ' ', family_name) FROM person WHERE hsa_id = ?", hsa + "1"));
    }

    @Test
    void aPickUpFolderOutsideTheRootIsRefused() {
        String uri = "/organisationer/" + municipality + "/hamtning";
        for (String[] attempt : List.of(new String[] {"../andra", "får inte innehålla"}, new String[] {"/etc/hr", "absolut sökväg"},
                new String[] {"hr/../../x", "får inte innehålla"}, new String[] {"C:\\hr", "absolut sökväg"})) {
            HttpClientResponseException refused = assertThrows(HttpClientResponseException.class,
                    () -> coordinator.post(uri, uri, "folder", attempt[0], "enabled", "true"));
            assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, refused.getStatus());
            String page = refused.getResponse().getBody(String.class).orElseThrow();
            assertTrue(page.contains(attempt[1]), attempt[0] + ": " + page);
        }
        assertEquals(0, sql.number("SELECT COUNT(*) FROM hr_pickup WHERE org_node_id = ?", municipality));

        assertEquals(HttpStatus.SEE_OTHER, coordinator.post(uri, uri, "folder", "hr/" + p + "/", "enabled", "true", "full", "true").getStatus());
        String page = coordinator.get(uri);
        assertTrue(page.contains("value=\"hr/" + p + "\"") && page.contains("Mappen finns inte på servern ännu"), page);
        assertTrue(page.contains("id=\"full\" name=\"full\" value=\"true\" checked"), page);

        long other = tree.add(p + "Y", "Kommun Grann", OrgNodeKind.MUNICIPALITY, null).id();
        HrCalls neighbour = new HrCalls(http.toBlocking(), users.token(users.account(p + "-grann", null, Role.COORDINATOR, other)));
        String theirs = "/organisationer/" + other + "/hamtning";
        HttpClientResponseException taken = assertThrows(HttpClientResponseException.class,
                () -> neighbour.post(theirs, theirs, "folder", "hr/" + p, "enabled", "true"));
        String answer = taken.getResponse().getBody(String.class).orElseThrow();
        assertTrue(answer.contains("hämtas redan för en annan organisation"), answer);
    }

    private ColumnMapping api(long node) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + node + "/column-mapping").bearerAuth(token),
                ColumnMapping.class);
    }
}
