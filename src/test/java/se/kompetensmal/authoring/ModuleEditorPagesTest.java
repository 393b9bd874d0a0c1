package se.kompetensmal.authoring;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.multipart.MultipartBody;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The editor's pages over HTTP: the owner's coordinator writes a module on them in Swedish; the region's coordinator
 * reads a unit's module without any way to change it; another organisation's coordinator meets every editor route, read
 * or write, exactly as an unknown address (404); no form is taken without its CSRF token; and the import page takes a
 * good zip as a draft and refuses a zip with an error, or a file that is no zip, writing nothing.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModuleEditorPagesTest extends ServiceTest {

    @Inject
    EmbeddedServer server;

    @Inject
    ObjectMapper json;

    private String p;
    private long region;
    private long unit;
    private String regionCoordinator;
    private String unitCoordinator;
    private String otherCoordinator;

    @BeforeAll
    void organisations() {
        p = "MEP" + System.nanoTime();
        region = tree.add(p, "Region Editorland", OrgNodeKind.REGION, null).id();
        unit = tree.add(p + "-E", "Avdelning Sjögräs", OrgNodeKind.UNIT, region).id();
        long other = tree.add(p + "-K", "Kommun Annanstans", OrgNodeKind.MUNICIPALITY, null).id();
        regionCoordinator = users.token(users.account(p + "-region", null, Role.COORDINATOR, region));
        unitCoordinator = users.token(users.account(p + "-enhet", null, Role.COORDINATOR, unit));
        otherCoordinator = users.token(users.account(p + "-annan", null, Role.COORDINATOR, other));
    }

    @Test
    void theOwnersCoordinatorWritesAModuleOnThePagesInSwedish() {
        String code = p.toLowerCase() + "-hygien";
        String list = get("/egna-moduler", regionCoordinator);
        assertTrue(list.contains("<h1>Egna moduler</h1>") && list.contains("href=\"/egna-moduler/ny\"")
                && list.contains("Importera"), list);
        assertTrue(list.contains("aria-current=\"page\">Egna moduler</a>"), "the menu entry is marked current: " + list);

        String form = get("/egna-moduler/ny", regionCoordinator);
        assertTrue(form.contains("Region Editorland") && form.contains("gemena bokstäver a–z"), form);
        assertFalse(form.contains("Alla organisationer"), "only system administrators write modules for everyone");
        HttpResponse<String> created = post("/egna-moduler/ny", regionCoordinator, form,
                "owner=" + region + "&code=" + code + "&title=" + enc("Handhygien i Editorland"));
        assertEquals(HttpStatus.SEE_OTHER, created.getStatus());
        assertEquals("/egna-moduler/" + code + "?skapad=1", created.getHeaders().get("Location"));

        String overview = get("/egna-moduler/" + code, regionCoordinator);
        assertTrue(overview.contains("<h1>Handhygien i Editorland</h1>") && overview.contains("Utkast")
                && overview.contains("Modulen är inte publicerad ännu.") && overview.contains(">Publicera</button>"), overview);

        // A page: added from the overview, written in its editor, previewed as the learner will see it.
        HttpResponse<String> added = post("/egna-moduler/" + code + "/sidor", regionCoordinator, overview, "revision=" + revision(overview));
        assertEquals("/egna-moduler/" + code + "/sidor/1", added.getHeaders().get("Location"));
        String page = get("/egna-moduler/" + code + "/sidor/1", regionCoordinator);
        assertTrue(page.contains("Sidans text (Markdown)") && page.contains("Så skriver du i Markdown"), page);
        HttpResponse<String> previewed = post("/egna-moduler/" + code + "/sidor/1", regionCoordinator, page,
                "revision=" + revision(page) + "&title=" + enc("Varför handsprit") + "&markdown="
                        + enc("Handsprit **dödar** bakterier.\n\n<script>alert(1)</script>") + "&action=forhandsgranska");
        String preview = previewed.body();
        assertTrue(preview.contains("Förhandsgranskning: så ser deltagaren sidan") && preview.contains("<strong>dödar</strong>")
                && preview.contains("class=\"course-page\""), preview);
        assertFalse(preview.contains("<script>alert(1)</script>"), "raw HTML is shown as text");

        // Bad input: the message at the field, what was typed kept.
        HttpClientResponseException bad = assertThrows(HttpClientResponseException.class, () -> post(
                "/egna-moduler/" + code + "/uppgifter", regionCoordinator, get("/egna-moduler/" + code + "/uppgifter", regionCoordinator),
                "revision=" + revision(preview) + "&title=" + enc("Handhygien i Editorland") + "&summary=" + enc("Om sprit")
                        + "&estimatedMinutes=" + enc("en kvart") + "&passMark=80"));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, bad.getStatus());
        String again = bad.getResponse().getBody(String.class).orElseThrow();
        assertTrue(again.contains("aria-describedby=\"estimatedMinutes-error\"") && again.contains("Ange en beräknad tid i hela minuter")
                && again.contains("value=\"en kvart\"") && again.contains(">Om sprit</textarea>"), again);

        String particulars = get("/egna-moduler/" + code + "/uppgifter", regionCoordinator);
        assertTrue(particulars.contains("<legend>Målgrupper</legend>") && particulars.contains("<legend>Kompetensmål som modulen täcker</legend>"),
                particulars);
        HttpResponse<String> saved = post("/egna-moduler/" + code + "/uppgifter", regionCoordinator, particulars,
                "revision=" + revision(particulars) + "&title=" + enc("Handhygien i Editorland") + "&summary=" + enc("Om sprit")
                        + "&estimatedMinutes=10&passMark=80");
        assertEquals("/egna-moduler/" + code + "/uppgifter?sparad=1", saved.getHeaders().get("Location"));

        // The background save: the same handler answers JSON with the new revision; an old revision is a conflict.
        String savedPage = get("/egna-moduler/" + code + "/uppgifter", regionCoordinator);
        int before = revision(savedPage);
        HttpResponse<String> autosaved = post("/egna-moduler/" + code + "/uppgifter", regionCoordinator, savedPage,
                "revision=" + before + "&title=" + enc("Handhygien i Editorland") + "&summary=" + enc("Om sprit och tvål")
                        + "&estimatedMinutes=10&passMark=80&autosave=1");
        assertEquals(HttpStatus.OK, autosaved.getStatus());
        assertTrue(autosaved.body().contains("\"revision\":" + (before + 1)) && autosaved.body().contains("savedAt"), autosaved.body());
        HttpClientResponseException conflict = assertThrows(HttpClientResponseException.class, () -> post(
                "/egna-moduler/" + code + "/uppgifter", regionCoordinator, savedPage, "revision=" + before
                        + "&title=" + enc("Gammal titel") + "&autosave=1"));
        assertEquals(HttpStatus.CONFLICT, conflict.getStatus());

        // A question with two options, one right.
        String current = get("/egna-moduler/" + code, regionCoordinator);
        HttpResponse<String> question = post("/egna-moduler/" + code + "/fragor", regionCoordinator, current, "revision=" + revision(current));
        assertEquals("/egna-moduler/" + code + "/fragor/1", question.getHeaders().get("Location"));
        String questionPage = get("/egna-moduler/" + code + "/fragor/1", regionCoordinator);
        assertTrue(questionPage.contains("<legend>Svar 1</legend>") && questionPage.contains("Rätt svar"), questionPage);
        post("/egna-moduler/" + code + "/fragor/1", regionCoordinator, questionPage, "revision=" + revision(questionPage)
                + "&text=" + enc("Hur länge gnids spriten in?") + "&optionText=" + enc("Tills händerna är torra")
                + "&optionFeedback=" + enc("Rätt: tills den har torkat.") + "&correct=0&optionText=" + enc("Fem sekunder")
                + "&optionFeedback=" + enc("För kort.") + "&action=spara");
        String overviewNow = get("/egna-moduler/" + code, regionCoordinator);
        assertTrue(overviewNow.contains("Fråga 1: Hur länge gnids spriten in?") && overviewNow.contains("2 svarsalternativ, 1 rätt")
                && overviewNow.contains("Sida 1: Varför handsprit"), overviewNow);

        // Reordering: a second page moved up comes first; moving the first page further up moves nothing.
        HttpResponse<String> second = post("/egna-moduler/" + code + "/sidor", regionCoordinator, overviewNow,
                "revision=" + revision(overviewNow));
        String secondPage = get(second.getHeaders().get("Location"), regionCoordinator);
        post("/egna-moduler/" + code + "/sidor/2", regionCoordinator, secondPage, "revision=" + revision(secondPage)
                + "&title=" + enc("Så gör du") + "&markdown=" + enc("Gnid tills händerna är torra."));
        String withTwo = get("/egna-moduler/" + code, regionCoordinator);
        HttpResponse<String> moved = post("/egna-moduler/" + code + "/sidor/2/flytta", regionCoordinator, withTwo,
                "revision=" + revision(withTwo) + "&riktning=upp");
        assertEquals("/egna-moduler/" + code + "#sida-1", moved.getHeaders().get("Location"));
        String reordered = get("/egna-moduler/" + code, regionCoordinator);
        assertTrue(reordered.indexOf("Sida 1: Så gör du") >= 0 && reordered.contains("Sida 2: Varför handsprit"), reordered);
        HttpResponse<String> pastTheTop = post("/egna-moduler/" + code + "/sidor/1/flytta", regionCoordinator, reordered,
                "revision=" + revision(reordered) + "&riktning=upp");
        assertEquals("/egna-moduler/" + code + "#sidor", pastTheTop.getHeaders().get("Location"));
        overviewNow = get("/egna-moduler/" + code, regionCoordinator);

        for (String path : List.of("/bilder", "/prova", "/forhandsvisning/1", "/prova?sida=fragor")) {
            String shown = get("/egna-moduler/" + code + path, regionCoordinator);
            assertTrue(shown.contains("lang=\"sv\"") && shown.contains("Handhygien i Editorland"), path + ": " + shown);
        }
        assertTrue(get("/egna-moduler/" + code + "/prova", regionCoordinator).contains("Provläge – inget sparas"));
        String tried = post("/egna-moduler/" + code + "/prova", regionCoordinator, overviewNow, "q0=0").body();
        assertTrue(tried.contains("Godkänd") && tried.contains("1 av 1 rätt (100 %)") && tried.contains("Rätt: tills den har torkat."), tried);
    }

    @Test
    void theRegionsCoordinatorReadsAUnitsModuleWithoutAnyWayToChangeIt() {
        String code = p.toLowerCase() + "-enhet";
        String form = get("/egna-moduler/ny", unitCoordinator);
        post("/egna-moduler/ny", unitCoordinator, form, "owner=" + unit + "&code=" + code + "&title=" + enc("Läkemedel på Sjögräs"));
        String overview = get("/egna-moduler/" + code, unitCoordinator);
        post("/egna-moduler/" + code + "/sidor", unitCoordinator, overview, "revision=" + revision(overview));
        overview = get("/egna-moduler/" + code, unitCoordinator);
        post("/egna-moduler/" + code + "/fragor", unitCoordinator, overview, "revision=" + revision(overview));

        String list = get("/egna-moduler", regionCoordinator);
        assertTrue(list.contains("Avdelning Sjögräs") && list.contains("Läkemedel på Sjögräs") && list.contains("Endast läsa"), list);
        String read = get("/egna-moduler/" + code, regionCoordinator);
        assertTrue(read.contains("Endast läsa"), read);
        for (String path : List.of("", "/uppgifter", "/sidor/1", "/fragor/1", "/bilder")) {
            String page = get("/egna-moduler/" + code + path, regionCoordinator);
            assertFalse(page.contains(">Publicera</button>") || page.contains(">Spara</button>") || page.contains("Flytta upp")
                    || page.contains("Lägg till") || page.contains("Ladda upp") || page.contains("Ta bort"), path + ": " + page);
        }
        for (String path : List.of("/uppgifter", "/sidor/1", "/fragor/1", "/sidor", "/fragor", "/publicera", "/dra-tillbaka",
                "/sidor/1/flytta", "/sidor/1/ta-bort", "/fragor/1/ta-bort", "/bilder/infoga")) {
            HttpClientResponseException refused = assertThrows(HttpClientResponseException.class,
                    () -> post("/egna-moduler/" + code + path, regionCoordinator, read, "revision=1&title=x&bekrafta=ja&reason=x"));
            assertEquals(HttpStatus.FORBIDDEN, refused.getStatus(), path);
        }
    }

    @Test
    void anotherOrganisationsCoordinatorFindsNothingOnAnyEditorRoute() {
        String code = p.toLowerCase() + "-dold";
        String form = get("/egna-moduler/ny", regionCoordinator);
        post("/egna-moduler/ny", regionCoordinator, form, "owner=" + region + "&code=" + code + "&title=" + enc("Hemlig modul"));
        String overview = get("/egna-moduler/" + code, regionCoordinator);
        post("/egna-moduler/" + code + "/sidor", regionCoordinator, overview, "revision=" + revision(overview));
        overview = get("/egna-moduler/" + code, regionCoordinator);
        post("/egna-moduler/" + code + "/fragor", regionCoordinator, overview, "revision=" + revision(overview));

        String theirs = get("/egna-moduler", otherCoordinator);
        assertFalse(theirs.contains("Hemlig modul"), theirs);
        for (String path : List.of("", "/uppgifter", "/sidor/1", "/fragor/1", "/bilder", "/prova", "/prova?sida=fragor",
                "/forhandsvisning/1", "/export.zip", "/utkast/bilder/bild.png")) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                    () -> get("/egna-moduler/" + code + path, otherCoordinator), path);
            assertEquals(HttpStatus.NOT_FOUND, e.getStatus(), "GET " + path);
        }
        for (String path : List.of("/uppgifter", "/sidor", "/sidor/1", "/sidor/1/flytta", "/sidor/1/ta-bort", "/fragor",
                "/fragor/1", "/fragor/1/flytta", "/fragor/1/ta-bort", "/bilder/infoga", "/publicera", "/dra-tillbaka", "/prova")) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                    () -> post("/egna-moduler/" + code + path, otherCoordinator, theirs, "revision=1&title=x&bekrafta=ja&reason=x"));
            assertEquals(HttpStatus.NOT_FOUND, e.getStatus(), "POST " + path);
        }
        MultipartBody upload = MultipartBody.builder().addPart("csrfToken", TestUsers.csrfTokenOf(theirs)).addPart("alt", "En bild")
                .addPart("file", "bild.png", MediaType.IMAGE_PNG_TYPE, new byte[] {(byte) 0x89, 'P', 'N', 'G'}).build();
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/egna-moduler/" + code + "/bilder", upload).contentType(MediaType.MULTIPART_FORM_DATA)
                        .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", otherCoordinator)), String.class));
        assertEquals(HttpStatus.NOT_FOUND, e.getStatus(), "POST /bilder");
    }

    @Test
    void noFormIsTakenWithoutItsCsrfToken() {
        String code = p.toLowerCase() + "-csrf";
        String form = get("/egna-moduler/ny", regionCoordinator);
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                HttpRequest.POST("/egna-moduler/ny", "owner=" + region + "&code=" + code + "&title=Utan")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML)
                        .cookie(Cookie.of("JWT", regionCoordinator)), String.class));
        assertEquals(HttpStatus.FORBIDDEN, refused.getStatus());
        post("/egna-moduler/ny", regionCoordinator, form, "owner=" + region + "&code=" + code + "&title=" + enc("Med token"));
        String overview = get("/egna-moduler/" + code, regionCoordinator);
        for (String path : List.of("/uppgifter", "/sidor", "/fragor", "/publicera")) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(
                    HttpRequest.POST("/egna-moduler/" + code + path, "revision=" + revision(overview) + "&title=x&csrfToken=fel")
                            .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML)
                            .cookie(Cookie.of("JWT", regionCoordinator)), String.class));
            assertEquals(HttpStatus.FORBIDDEN, e.getStatus(), path);
        }
        assertTrue(get("/egna-moduler/" + code, regionCoordinator).contains("Modulen har inga sidor ännu."), "nothing was changed");
    }

    @Test
    void theImportPageTakesAGoodZipAsADraftAndAZipWithAnErrorWritesNothing() {
        // A published module of the region, exported on the editor's own route as its owner.
        OwnModuleApi api = new OwnModuleApi(URI.create(server.getURL().toString()), json);
        String code = p.toLowerCase() + "-export";
        api.create(regionCoordinator, region, code, "Handhygien för export");
        api.saveCurrent(regionCoordinator, code, OwnModuleApi.validModule(code, "Handhygien för export", "Sprit i händerna.", List.of()));
        assertEquals(1, api.published(regionCoordinator, code));
        HttpResponse<byte[]> export = http.toBlocking().exchange(HttpRequest.GET("/egna-moduler/" + code + "/export.zip")
                .accept(MediaType.ALL_TYPE).cookie(Cookie.of("JWT", regionCoordinator)), byte[].class);
        assertEquals(HttpStatus.OK, export.getStatus());
        byte[] zip = export.body();

        String form = get("/egna-moduler/importera", regionCoordinator);
        assertTrue(form.contains("<h1>Importera modul</h1>") && form.contains("enctype=\"multipart/form-data\"")
                && form.contains("Region Editorland"), form);

        // The same module under another code and title: a draft of a new module, listed, nothing published.
        String copy = code + "-kopia";
        byte[] renamed = ModuleExportImportTest.rezip(zip, name -> name.replace("modules/" + code + "/", "modules/" + copy + "/"),
                (name, text) -> name.endsWith("module.yml")
                        ? text.replace("id: " + code, "id: " + copy).replace("Handhygien för export", "Handhygien importerad") : text);
        HttpResponse<String> imported = importZip(form, "modul.zip", renamed);
        assertEquals(HttpStatus.SEE_OTHER, imported.getStatus());
        assertEquals("/egna-moduler/" + copy + "?importerad=1", imported.getHeaders().get("Location"));
        String overview = get("/egna-moduler/" + copy + "?importerad=1", regionCoordinator);
        assertTrue(overview.contains("<h1>Handhygien importerad</h1>") && overview.contains("Modulen är importerad som utkast.")
                && overview.contains("Modulen är inte publicerad ännu."), overview);
        String list = get("/egna-moduler", regionCoordinator);
        assertTrue(list.contains("Handhygien importerad"), list);
        assertEquals(0, sql.number("SELECT COUNT(*) FROM module_version WHERE module_code = ?", copy), "a draft only");

        // A question left without a right answer: the problem named by file and line, and nothing written.
        String broken = code + "-trasig";
        byte[] wrong = ModuleExportImportTest.rezip(zip, name -> name.replace("modules/" + code + "/", "modules/" + broken + "/"),
                (name, text) -> name.endsWith("module.yml") ? text.replace("id: " + code, "id: " + broken)
                        : name.endsWith("assessment.yml") ? text.replaceFirst("correct: true", "correct: false") : text);
        long modules = sql.number("SELECT COUNT(*) FROM catalogue_module");
        long drafts = sql.number("SELECT COUNT(*) FROM module_draft");
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> importZip(form, "trasig.zip", wrong));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, refused.getStatus());
        String again = refused.getResponse().getBody(String.class).orElseThrow();
        assertTrue(again.contains("Modulen importerades inte: filen har fel. Inget har sparats.")
                && again.matches("(?s).*<li>modules/" + broken + "/assessment\\.yml, rad \\d+: [^<]+</li>.*"), again);
        assertTrue(again.contains("<h1>Importera modul</h1>") && again.contains("role=\"alert\""), "the form again, with the problems");
        assertEquals(modules, sql.number("SELECT COUNT(*) FROM catalogue_module"), "no module written");
        assertEquals(drafts, sql.number("SELECT COUNT(*) FROM module_draft"), "no draft written");
        assertThrows(HttpClientResponseException.class, () -> get("/egna-moduler/" + broken, regionCoordinator));

        // Not a zip at all: an SVG picture.
        HttpClientResponseException svg = assertThrows(HttpClientResponseException.class, () -> importZip(form, "bild.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, svg.getStatus());
        String svgPage = svg.getResponse().getBody(String.class).orElseThrow();
        assertTrue(svgPage.contains("Modulen importerades inte") && svgPage.contains("inte en zip-fil"), svgPage);
        assertEquals(modules, sql.number("SELECT COUNT(*) FROM catalogue_module"), "no module written");
    }

    private static int revision(String page) {
        Matcher m = Pattern.compile("name=\"revision\" value=\"(-?\\d+)\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no revision on the page: " + page);
        }
        return Integer.parseInt(m.group(1));
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Posts the import form as a browser does: multipart, with the page's CSRF token, owned by the region. */
    private HttpResponse<String> importZip(String form, String fileName, byte[] bytes) {
        MultipartBody body = MultipartBody.builder().addPart("csrfToken", TestUsers.csrfTokenOf(form))
                .addPart("owner", String.valueOf(region))
                .addPart("file", fileName, MediaType.APPLICATION_OCTET_STREAM_TYPE, bytes).build();
        return http.toBlocking().exchange(HttpRequest.POST("/egna-moduler/importera", body).contentType(MediaType.MULTIPART_FORM_DATA)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", regionCoordinator)), String.class);
    }

    private String get(String uri, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
    }

    /** Posts the form fields with the CSRF token of the page the form is on. */
    private HttpResponse<String> post(String uri, String session, String pageWithForm, String fields) {
        return http.toBlocking().exchange(HttpRequest.POST(uri, fields + "&csrfToken=" + enc(TestUsers.csrfTokenOf(pageWithForm)))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class);
    }
}
