package se.kompetensmal.people;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The person page as a coordinator uses it: what it shows of one person (names, not codes; statuses derived from the
 * facts set up here), who may open it, and its three actions: assign, exempt, and a reminder sent now through a real SMTP
 * server (GreenMail).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonPagesTest extends ServiceTest {

    static final String INTRO = "vardskador-grunder";
    static final String HYGIENE = "basala-hygienrutiner";

    final GreenMail smtp = startSmtp();
    /**
     * The port the mail server bound, chosen by the system when it started: a port merely found free beforehand (an
     * ephemeral one) was at times taken by one of the suite's own outgoing connections before the server bound it, and
     * the reminder then found nobody listening.
     */
    final int smtpPort = smtp.getSmtp().getPort();
    final LocalDate today = LocalDate.now(SwedishTime.ZONE);

    @Inject
    ModuleTitles titles;

    String p;
    String domain;
    long municipality;
    long ward;
    String coordinatorName;
    String coordinator;
    String hsa;
    /** Started 40 days ago, non-licensed: the routine (30 days from start) made her introduction due 10 days ago. */
    long anna;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("javamail.enabled", "true");
        properties.put("javamail.properties.mail.smtp.host", "127.0.0.1");
        properties.put("javamail.properties.mail.smtp.port", Integer.toString(smtpPort));
        properties.put("kompetensmal.reminders.initial-delay", "1h");
        return properties;
    }

    @BeforeEach
    void aUnitWithAnIntroductionRoutineAndAnnaBehindOnIt() {
        p = "PPG" + System.nanoTime();
        domain = p.toLowerCase() + ".example";
        municipality = tree.add(p, "Kommun P", OrgNodeKind.MUNICIPALITY, null).id();
        ward = tree.add(p + "-N", "Hemtjänst Norr", OrgNodeKind.UNIT, municipality).id();
        coordinatorName = p + "-samordnare";
        coordinator = users.token(users.account(coordinatorName, null, Role.COORDINATOR, municipality));
        hsa = PersonFixture.hsaPrefix();
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", new RoutineForm(
                "Introduktion hemtjänst", RoutineKind.INTRODUCTION, "NON_LICENSED", List.of(INTRO), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
        anna = people.create(hsa + "anna", "Anna", "Andersson", "anna@" + domain, ward, today.minusDays(40),
                today.minusDays(40), "NON_LICENSED");
        recomputeUnder(municipality, coordinator);
    }

    @AfterAll
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void showsThePersonInNamesWithStatusesHistoryAndACertificateAndIsNotCached() {
        long version = sql.number("SELECT MAX(id) FROM module_version WHERE module_code = ?", HYGIENE);
        sql.update("INSERT INTO completion (person_id, module_version_id, completed_on, score) VALUES (?, ?, ?, 90)",
                anna, version, today.minusDays(3));
        long completion = sql.number("SELECT MAX(id) FROM completion WHERE person_id = ?", anna);

        HttpResponse<String> response = page(anna, coordinator);
        String page = response.body();

        assertEquals("no-store", response.getHeaders().get(HttpHeaders.CACHE_CONTROL));
        assertTrue(page.contains("<h1>Anna Andersson</h1>") && page.contains(hsa + "anna") && page.contains("anna@" + domain)
                && page.contains("Aktiv"), page);
        assertTrue(page.contains("<a href=\"/organisationer/" + ward + "\">Hemtjänst Norr</a>"), "placement links to the unit");
        assertTrue(page.contains("Icke legitimerad vårdnära hälso- och sjukvårdspersonal") && !page.contains(">NON_LICENSED<"),
                "audience by name");
        String intro = row(page, titles.of(INTRO));
        assertTrue(intro.contains(today.minusDays(10).toString()) && intro.contains("Försenad")
                && intro.contains("Rutinen Introduktion hemtjänst"), intro);
        assertTrue(page.contains("1 försenade · 0 förfaller inom 14 dagar"), page);
        String done = row(page, titles.of(HYGIENE));
        assertTrue(done.contains(today.minusDays(3).toString()) && done.contains("90 %")
                && done.contains("/personer/" + anna + "/intyg/" + completion), done);

        HttpResponse<byte[]> pdf = http.toBlocking().exchange(HttpRequest.GET("/personer/" + anna + "/intyg/" + completion)
                .cookie(Cookie.of("JWT", coordinator)), byte[].class);
        assertEquals("application/pdf", pdf.getContentType().orElseThrow().toString());
        assertTrue(new String(pdf.body(), 0, 4, StandardCharsets.ISO_8859_1).equals("%PDF"));
        assertTrue(pdf.getHeaders().get("Content-Disposition").contains("intyg-anna-andersson-" + se.kompetensmal.web.FileNames.slug(sql.strings("SELECT title FROM module_version WHERE module_code = ? ORDER BY version DESC LIMIT 1", HYGIENE).get(0))));
    }

    @Test
    void onlyThoseWhoMaySeeNamesThereOpenThePageAndOnlyCoordinatorsAct() {
        long other = tree.add(p + "X", "Kommun X", OrgNodeKind.MUNICIPALITY, null).id();
        String stranger = users.token(users.account(p + "-annan", null, Role.COORDINATOR, other));
        assertEquals(HttpStatus.NOT_FOUND, refused(() -> page(anna, stranger)), "another organisation's person is unknown");
        assertEquals(HttpStatus.NOT_FOUND, refused(() -> page(999_999_999L, coordinator)));
        String learner = users.token(users.account(p + "-anna", anna, null, null));
        assertEquals(HttpStatus.FORBIDDEN, refused(() -> page(anna, learner)), "a learner has no person page, not even their own");
        String leader = users.token(users.account(p + "-ledare", null, Role.LEADER, municipality));
        assertEquals(HttpStatus.FORBIDDEN, refused(() -> page(anna, leader)), "leaders see no names unless allowed");

        sql.update("UPDATE org_node SET leaders_see_names = TRUE WHERE id = ?", municipality);
        String read = page(anna, leader).body();
        assertTrue(read.contains("Anna Andersson") && !read.contains("action=\"/personer/" + anna + "/tilldela\""), read);
        assertEquals(HttpStatus.FORBIDDEN, refused(() -> post("/personer/" + anna + "/tilldela", leader,
                "module=" + HYGIENE + "&dueDate=" + today.plusDays(5) + "&csrfToken=" + csrf(read))));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ?", anna, HYGIENE));
    }

    @Test
    void aPersonWhoHasLeftIsShownAsSuchWithNothingToActOn() {
        String csrf = csrf(page(anna, coordinator).body());
        sql.update("UPDATE person SET status = 'LEFT', left_on = ? WHERE id = ?", today.minusDays(2), anna);

        String page = page(anna, coordinator).body();

        assertTrue(page.contains("Har slutat " + today.minusDays(2)) && !page.contains("id=\"atgarder\""), page);
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> post("/personer/" + anna
                + "/tilldela", coordinator, "module=" + HYGIENE + "&dueDate=" + today.plusDays(5) + "&csrfToken=" + csrf));
        assertEquals(HttpStatus.CONFLICT, refused.getStatus());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ?", anna, HYGIENE));
    }

    @Test
    void assigningFromThePageCreatesTheAssignmentWithTheChosenDateAndShowsIt() {
        String form = page(anna, coordinator).body();
        assertTrue(form.contains("value=\"" + today.plusDays(30) + "\""), "suggests a due date a month ahead");

        HttpResponse<String> saved = post("/personer/" + anna + "/tilldela", coordinator,
                "module=" + HYGIENE + "&dueDate=" + today.plusDays(20) + "&csrfToken=" + csrf(form));

        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());
        assertEquals(List.of(today.plusDays(20) + " MANUAL " + coordinatorName), sql.strings(
                "SELECT CONCAT(due_date, ' ', source, ' ', assigned_by) FROM assignment WHERE person_id = ? AND module_code = ?",
                anna, HYGIENE));
        String page = http.toBlocking().retrieve(HttpRequest.GET(saved.getHeaders().get("Location"))
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", coordinator)));
        assertTrue(page.contains("Modulen " + titles.of(HYGIENE) + " är tilldelad Anna Andersson."), page);
        String row = row(page, titles.of(HYGIENE));
        assertTrue(row.contains(today.plusDays(20).toString()) && row.contains("Senare")
                && row.contains("Tilldelad av Test " + coordinatorName), row);
    }

    @Test
    void exemptingRemovesTheModuleFromWhatIsDueAndShowsTheReason() {
        String form = page(anna, coordinator).body();

        HttpResponse<String> saved = post("/personer/" + anna + "/undanta", coordinator, "module=" + INTRO
                + "&reason=" + encode("Genomförd hos tidigare arbetsgivare") + "&evidence=" + encode("Intyg dnr 2026/118")
                + "&csrfToken=" + csrf(form));

        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());
        String page = page(anna, coordinator).body();
        assertTrue(row(page, titles.of(INTRO)).contains("Undantagen"), page);
        assertTrue(page.contains("0 försenade · 0 förfaller"), page);
        assertTrue(page.contains("Genomförd hos tidigare arbetsgivare") && page.contains("Intyg dnr 2026/118")
                && page.contains(coordinatorName), page);
        String followUp = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + municipality + "/follow-up")
                .bearerAuth(coordinator));
        assertFalse(followUp.contains(hsa + "anna"), "no longer in the follow-up");
    }

    @Test
    void badInputIsRefusedInSwedishWithWhatWasTypedKept() {
        String csrf = csrf(page(anna, coordinator).body());

        String past = unprocessable("/personer/" + anna + "/tilldela", "module=" + HYGIENE + "&dueDate=" + today.minusDays(1)
                + "&csrfToken=" + csrf);
        assertTrue(past.contains("Förfallodagen " + today.minusDays(1) + " har redan passerat")
                && past.contains("value=\"" + HYGIENE + "\" selected") && past.contains("value=\"" + today.minusDays(1) + "\""), past);
        assertTrue(unprocessable("/personer/" + anna + "/tilldela", "module=" + HYGIENE + "&dueDate=31%2F12&csrfToken=" + csrf)
                .contains("Värdet för 'förfallodag' är inte ett giltigt datum (ÅÅÅÅ-MM-DD)."));
        assertTrue(unprocessable("/personer/" + anna + "/tilldela", "module=finns-inte&dueDate=" + today.plusDays(3)
                + "&csrfToken=" + csrf).contains("Modulen finns-inte finns inte."));
        assertTrue(unprocessable("/personer/" + anna + "/tilldela", "module=&dueDate=" + today.plusDays(3)
                + "&csrfToken=" + csrf).contains("Välj en modul."));

        String noReason = unprocessable("/personer/" + anna + "/undanta", "module=" + INTRO + "&reason=+&evidence="
                + encode("Intyg 7") + "&csrfToken=" + csrf);
        assertTrue(noReason.contains("Fältet 'skäl' måste fyllas i.") && noReason.contains("value=\"Intyg 7\""), noReason);
        String longReason = unprocessable("/personer/" + anna + "/undanta", "module=" + INTRO + "&reason=" + "x".repeat(501)
                + "&csrfToken=" + csrf);
        assertTrue(longReason.contains("Fältet 'skäl' får ha högst 500 tecken."), longReason);
        assertEquals(0, sql.number("SELECT COUNT(*) FROM exemption WHERE person_id = ?", anna));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code <> ?", anna, INTRO));
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        assertEquals(HttpStatus.FORBIDDEN, refused(() -> post("/personer/" + anna + "/tilldela", coordinator,
                "module=" + HYGIENE + "&dueDate=" + today.plusDays(5))));
        assertEquals(HttpStatus.FORBIDDEN, refused(() -> post("/personer/" + anna + "/undanta", coordinator,
                "module=" + INTRO + "&reason=x&csrfToken=fel")));
        assertEquals(HttpStatus.FORBIDDEN, refused(() -> post("/personer/" + anna + "/paminn", coordinator, "csrfToken=")));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM exemption WHERE person_id = ?", anna));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM assignment WHERE person_id = ? AND module_code = ?", anna, HYGIENE));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM reminder WHERE person_id = ?", anna));
    }

    @Test
    void aReminderSentNowReachesThePersonOnceAnHour() throws Exception {
        String form = page(anna, coordinator).body();
        assertTrue(form.contains("Högst en påminnelse i timmen"), form);

        HttpResponse<String> sent = post("/personer/" + anna + "/paminn", coordinator, "csrfToken=" + csrf(form));

        assertEquals(HttpStatus.SEE_OTHER, sent.getStatus());
        // Sent at once, or, when the background sender claimed the reminder that same moment, by it a moment later.
        smtp.waitForIncomingEmail(30_000, 1);
        List<MimeMessage> mails = mine();
        assertEquals(1, mails.size());
        assertEquals("anna@" + domain, mails.get(0).getAllRecipients()[0].toString());
        assertEquals("Påminnelse: 1 utbildning kvar att genomföra", mails.get(0).getSubject());
        String text = text(mails.get(0));
        assertTrue(text.contains("Hej Anna!") && text.contains(titles.of(INTRO) + ": försenad, skulle ha varit klar senast "
                + today.minusDays(10)), text);
        String page = http.toBlocking().retrieve(HttpRequest.GET(sent.getHeaders().get("Location"))
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", coordinator)));
        assertTrue(page.contains("En påminnelse har skickats till anna@" + domain + "."), page);

        HttpClientResponseException again = assertThrows(HttpClientResponseException.class,
                () -> post("/personer/" + anna + "/paminn", coordinator, "csrfToken=" + csrf(page)));
        assertEquals(HttpStatus.CONFLICT, again.getStatus());
        assertTrue(again.getResponse().getBody(String.class).orElseThrow().contains("En ny kan skickas om"));
        assertEquals(1, mine().size(), "the second press sends nothing");

        long bo = people.create(hsa + "bo", "Bo", "Utanpost", null, ward, today.minusDays(40), today.minusDays(40),
                "NON_LICENSED");
        recomputeUnder(municipality, coordinator);
        HttpClientResponseException noAddress = assertThrows(HttpClientResponseException.class,
                () -> post("/personer/" + bo + "/paminn", coordinator, "csrfToken=" + csrf(page)));
        assertTrue(noAddress.getResponse().getBody(String.class).orElseThrow()
                .contains("Bo Utanpost har ingen e-postadress i Kompetensmål"));
    }

    private HttpResponse<String> page(long person, String session) {
        return http.toBlocking().exchange(HttpRequest.GET("/personer/" + person).accept(MediaType.TEXT_HTML)
                .cookie(Cookie.of("JWT", session)), String.class);
    }

    private HttpResponse<String> post(String uri, String session, String form) {
        return http.toBlocking().exchange(HttpRequest.POST(uri, form).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)), String.class);
    }

    private String unprocessable(String uri, String form) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> post(uri, form.isEmpty() ? "" : form));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, e.getStatus());
        // The page escapes the quotes around a field's name.
        return e.getResponse().getBody(String.class).orElseThrow().replace("&#x27;", "'").replace("&#39;", "'");
    }

    private HttpResponse<String> post(String uri, String form) {
        return post(uri, coordinator, form);
    }

    private static HttpStatus refused(Runnable call) {
        return assertThrows(HttpClientResponseException.class, call::run).getStatus();
    }

    /** The table row whose heading cell starts with the text. */
    static String row(String page, String heading) {
        int at = page.indexOf("<th scope=\"row\">" + heading);
        assertTrue(at >= 0, "no row for " + heading + " in " + page);
        return page.substring(at, page.indexOf("</tr>", at));
    }

    static String csrf(String page) {
        return encode(TestUsers.csrfTokenOf(page));
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private List<MimeMessage> mine() {
        return Arrays.stream(smtp.getReceivedMessagesForDomain(domain)).toList();
    }

    /** The plain-text part, decoded, as the recipient reads it. */
    private static String text(MimeMessage message) throws MessagingException, IOException {
        Object content = message.getContent();
        if (content instanceof Multipart parts) {
            for (int i = 0; i < parts.getCount(); i++) {
                if (parts.getBodyPart(i).isMimeType("text/plain")) {
                    return (String) parts.getBodyPart(i).getContent();
                }
            }
        }
        return content.toString();
    }

    private GreenMail startSmtp() {
        GreenMail server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        server.start();
        return server;
    }

}
