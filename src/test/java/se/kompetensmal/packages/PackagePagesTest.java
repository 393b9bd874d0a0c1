package se.kompetensmal.packages;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.multipart.MultipartBody;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coordinator's package pages over HTTP: a package uploaded on /egna-moduler/paket/ny becomes a module with its own
 * page (package facts, items, versions), listed on /egna-moduler; its next version is uploaded on that page and must be
 * the same package; a refused upload says why in Swedish with what was typed kept; no form is taken without its CSRF
 * token; another organisation's coordinator meets the module as an unknown address; withdrawing ends the uploads.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagePagesTest extends ServiceTest {

    private String p;
    private long region;
    private String coordinator;
    private String otherCoordinator;

    @BeforeAll
    void organisations() {
        p = "PPT" + System.nanoTime();
        region = tree.add(p, "Region Sidland", OrgNodeKind.REGION, null).id();
        long other = tree.add(p + "-K", "Kommun Annanstans", OrgNodeKind.MUNICIPALITY, null).id();
        coordinator = users.token(users.account(p + "-region", null, Role.COORDINATOR, region));
        otherCoordinator = users.token(users.account(p + "-annan", null, Role.COORDINATOR, other));
    }

    private String identifier(String name) {
        return "se.example." + p.toLowerCase() + "." + name;
    }

    @Test
    void aCoordinatorUploadsAPackageSeesItsPageAndUploadsItsNextVersion() {
        String list = get("/egna-moduler", coordinator);
        assertTrue(list.contains("href=\"/egna-moduler/paket/ny\">Ladda upp SCORM-paket</a>"), list);
        String form = get("/egna-moduler/paket/ny", coordinator);
        assertTrue(form.contains("<h1>Ladda upp SCORM-paket</h1>") && form.contains("Region Sidland")
                && form.contains("value=\"LICENSED\"") && form.contains("value=\"LIC-01\"")
                && form.contains("enctype=\"multipart/form-data\""), form);

        String code = p.toLowerCase() + "-brand";
        byte[] zip = TestPackages.scorm2004(identifier("brand"), Map.of(),
                TestPackages.Sco.of("sco-1", "Larma", "larma.html"), TestPackages.Sco.of("sco-2", "Släcka", "slacka.html"));
        HttpResponse<String> uploaded = upload(form, Map.of("owner", String.valueOf(region), "title", "Brandskydd i vården",
                "code", code, "audiences", "LICENSED", "goals", "LIC-01,LIC-02", "estimatedMinutes", "20"), zip);
        assertEquals(HttpStatus.SEE_OTHER, uploaded.getStatus());
        assertEquals("/egna-moduler/paket/" + code + "?uppladdad=1", uploaded.getHeaders().get("Location"));

        String page = get("/egna-moduler/paket/" + code + "?uppladdad=1", coordinator);
        assertTrue(page.contains("<h1>Brandskydd i vården</h1>") && page.contains("Paketet är uppladdat som version 1")
                && page.contains("SCORM 2004, 4:e utgåvan") && page.contains("<dt>SCO</dt><dd>2</dd>")
                && page.contains("<dt>Filer</dt><dd>3</dd>") && page.contains(identifier("brand"))
                && page.contains("Larma <span class=\"tag\">SCO</span>") && page.contains("Släcka")
                && page.contains("<th scope=\"row\">1</th>") && page.contains("Ladda upp nästa version"), page);
        assertEquals(List.of("20|LICENSED|LIC-01", "20|LICENSED|LIC-02"), sql.strings("""
                SELECT CONCAT(v.estimated_minutes, '|', a.code, '|', g.code) FROM module_version v
                JOIN module_version_audience va ON va.module_version_id = v.id JOIN audience a ON a.id = va.audience_id
                JOIN module_version_goal vg ON vg.module_version_id = v.id JOIN competence_goal g ON g.id = vg.goal_id
                WHERE v.module_code = ? ORDER BY g.code""", code));

        String listed = get("/egna-moduler", coordinator);
        assertTrue(listed.contains("href=\"/egna-moduler/paket/" + code + "\" class=\"module-name\">Brandskydd i vården</a>")
                && listed.contains("SCORM 2004, 4:e utgåvan"), listed);

        // The next version on the module's page: the same package, newer content.
        byte[] next = TestPackages.scorm2004(identifier("brand"), Map.of("larma.html", "<p>Ny text</p>"),
                TestPackages.Sco.of("sco-1", "Larma", "larma.html"), TestPackages.Sco.of("sco-2", "Släcka", "slacka.html"));
        HttpResponse<String> second = uploadNext(code, page, next);
        assertEquals("/egna-moduler/paket/" + code + "?uppladdad=2", second.getHeaders().get("Location"));
        String after = get("/egna-moduler/paket/" + code, coordinator);
        assertTrue(after.contains("<th scope=\"row\">2</th>") && after.contains("<th scope=\"row\">1</th>")
                && after.contains("Publicerad version 2"), after);

        // Another package on this module's page is refused, with the reason, and stores nothing.
        HttpClientResponseException other = assertThrows(HttpClientResponseException.class,
                () -> uploadNext(code, after, TestPackages.scorm12(identifier("annat"), Map.of())));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, other.getStatus());
        String refusedPage = other.getResponse().getBody(String.class).orElseThrow();
        assertTrue(refusedPage.contains("role=\"alert\"") && refusedPage.contains("En ny version ska vara samma paket"),
                refusedPage);
        assertEquals(2, sql.number("SELECT COUNT(*) FROM module_version WHERE module_code = ?", code));

        // Withdrawn: no more uploads.
        HttpResponse<String> withdrawn = post("/egna-moduler/paket/" + code + "/dra-tillbaka", coordinator, after,
                "reason=" + enc("Ersatt av nationell kurs") + "&bekrafta=ja");
        assertEquals("/egna-moduler/paket/" + code + "?tillbakadragen=1", withdrawn.getHeaders().get("Location"));
        String gone = get("/egna-moduler/paket/" + code, coordinator);
        assertTrue(gone.contains("Tillbakadragen") && !gone.contains("Ladda upp nästa version"), gone);
        HttpClientResponseException late = assertThrows(HttpClientResponseException.class,
                () -> uploadNext(code, after, next));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, late.getStatus());
        assertTrue(late.getResponse().getBody(String.class).orElseThrow().contains("Modulen är tillbakadragen"));
    }

    @Test
    void aRefusedUploadSaysWhyAndKeepsWhatWasTyped() {
        String form = get("/egna-moduler/paket/ny", coordinator);
        HttpClientResponseException notZip = assertThrows(HttpClientResponseException.class, () -> upload(form,
                Map.of("owner", String.valueOf(region), "title", "Inte ett paket", "audiences", "LICENSED", "goals", "LIC-01",
                        "estimatedMinutes", "10"), "det här är ingen zip".getBytes(StandardCharsets.UTF_8)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, notZip.getStatus());
        String again = notZip.getResponse().getBody(String.class).orElseThrow();
        assertTrue(again.contains("Filen är ingen zip-fil (eller så är den skadad).") && again.contains("value=\"Inte ett paket\"")
                && again.contains("value=\"LICENSED\" checked") && again.contains("value=\"10\""), again);

        HttpClientResponseException noMinutes = assertThrows(HttpClientResponseException.class, () -> upload(form,
                Map.of("owner", String.valueOf(region), "audiences", "LICENSED", "goals", "LIC-01", "estimatedMinutes", "en kvart"),
                TestPackages.scorm12(identifier("minuter"), Map.of())));
        assertTrue(noMinutes.getResponse().getBody(String.class).orElseThrow()
                .contains("Ange en beräknad tid i hela minuter, mellan 1 och 240."));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM catalogue_module WHERE package_identifier = ?", identifier("minuter")));
    }

    @Test
    void noUploadIsTakenWithoutItsCsrfTokenAndOtherOrganisationsMeetAnUnknownAddress() {
        String form = get("/egna-moduler/paket/ny", coordinator);
        byte[] zip = TestPackages.scorm12(identifier("csrf"), Map.of());
        MultipartBody body = MultipartBody.builder().addPart("csrfToken", "fel").addPart("owner", String.valueOf(region))
                .addPart("audiences", "LICENSED").addPart("goals", "LIC-01").addPart("estimatedMinutes", "5")
                .addPart("file", "paket.zip", MediaType.APPLICATION_OCTET_STREAM_TYPE, zip).build();
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/egna-moduler/paket", body).contentType(MediaType.MULTIPART_FORM_DATA)
                        .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", coordinator)), String.class));
        assertEquals(HttpStatus.FORBIDDEN, refused.getStatus());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM catalogue_module WHERE package_identifier = ?", identifier("csrf")));

        String code = p.toLowerCase() + "-egen";
        upload(form, Map.of("owner", String.valueOf(region), "code", code, "audiences", "LICENSED", "goals", "LIC-01",
                "estimatedMinutes", "5"), zip);
        HttpClientResponseException unknown = assertThrows(HttpClientResponseException.class,
                () -> get("/egna-moduler/paket/" + code, otherCoordinator));
        assertEquals(HttpStatus.NOT_FOUND, unknown.getStatus());
        String theirs = get("/egna-moduler/paket/ny", otherCoordinator);
        MultipartBody next = MultipartBody.builder().addPart("csrfToken", TestUsers.csrfTokenOf(theirs))
                .addPart("file", "paket.zip", MediaType.APPLICATION_OCTET_STREAM_TYPE, zip).build();
        HttpClientResponseException write = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/egna-moduler/paket/" + code, next).contentType(MediaType.MULTIPART_FORM_DATA)
                        .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", otherCoordinator)), String.class));
        assertEquals(HttpStatus.NOT_FOUND, write.getStatus());
        assertFalse(get("/egna-moduler", otherCoordinator).contains(code), "not listed for another organisation");
        // The editor does not take package modules: they change by upload only.
        HttpClientResponseException editor = assertThrows(HttpClientResponseException.class,
                () -> get("/egna-moduler/" + code, coordinator));
        assertEquals(HttpStatus.NOT_FOUND, editor.getStatus());
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    /** Posts the upload form as a browser does: the fields first, then the file. */
    private HttpResponse<String> upload(String form, Map<String, String> fields, byte[] zip) {
        MultipartBody.Builder body = MultipartBody.builder().addPart("csrfToken", TestUsers.csrfTokenOf(form));
        for (String name : List.of("owner", "title", "code", "audiences", "goals", "estimatedMinutes")) {
            if (fields.containsKey(name)) {
                // Several checked boxes are several parts of the same name ("LIC-01,LIC-02" here).
                for (String value : name.equals("goals") ? fields.get(name).split(",") : new String[] {fields.get(name)}) {
                    body.addPart(name, value);
                }
            }
        }
        body.addPart("file", "paket.zip", MediaType.APPLICATION_OCTET_STREAM_TYPE, zip);
        return http.toBlocking().exchange(HttpRequest.POST("/egna-moduler/paket", body.build())
                .contentType(MediaType.MULTIPART_FORM_DATA).accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", coordinator)), String.class);
    }

    private HttpResponse<String> uploadNext(String code, String page, byte[] zip) {
        MultipartBody body = MultipartBody.builder().addPart("csrfToken", TestUsers.csrfTokenOf(page))
                .addPart("file", "paket.zip", MediaType.APPLICATION_OCTET_STREAM_TYPE, zip).build();
        return http.toBlocking().exchange(HttpRequest.POST("/egna-moduler/paket/" + code, body)
                .contentType(MediaType.MULTIPART_FORM_DATA).accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", coordinator)), String.class);
    }

    private String get(String uri, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
    }

    private HttpResponse<String> post(String uri, String session, String pageWithForm, String fields) {
        return http.toBlocking().exchange(HttpRequest.POST(uri, fields + "&csrfToken=" + enc(TestUsers.csrfTokenOf(pageWithForm)))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", session)), String.class);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
