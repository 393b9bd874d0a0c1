package se.kompetensmal.sessions;

import se.kompetensmal.TestMail;

import com.icegreen.greenmail.util.GreenMail;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;

import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learner's side of occasions against the real database and a real SMTP server (GreenMail): sign-up, the waiting
 * list under concurrent sign-ups and cancellations, the deadline, the mails and the calendar file.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignupTest extends ServiceTest {

    static final String TITLE = "Introduktionsdag, patientsäkerhet; del 1";

    final int smtpPort = TestMail.freePort();
    GreenMail smtp = TestMail.startSmtp(smtpPort);

    @Inject
    Signups signups;

    @Inject
    OccasionReminders reminders;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    String p;
    String domain;
    String module;
    long municipality;
    long ward;
    long coordinatorAccount;
    String coordinator;
    String hsa;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("javamail.enabled", "true");
        properties.put("javamail.properties.mail.smtp.host", "127.0.0.1");
        properties.put("javamail.properties.mail.smtp.port", Integer.toString(smtpPort));
        properties.put("kompetensmal.mail.from", "kompetensmal@kommun.example");
        properties.put("kompetensmal.public-url", "https://kompetens.kommun.example");
        // The test runs the reminders itself.
        properties.put("kompetensmal.reminders.initial-delay", "1h");
        return properties;
    }

    @BeforeEach
    void aMunicipalityWithASessionModule() {
        p = "SIG" + System.nanoTime();
        domain = p.toLowerCase() + ".example";
        municipality = tree.add(p, "Kommun S", OrgNodeKind.MUNICIPALITY, null).id();
        ward = tree.add(p + "-A", "Hemtjänst Norr", OrgNodeKind.UNIT, municipality).id();
        String name = users.account(p + "-samordnare", null, se.kompetensmal.security.Role.COORDINATOR, municipality);
        coordinator = users.token(name);
        coordinatorAccount = sql.number("SELECT id FROM user_account WHERE username = ?", name);
        module = p.toLowerCase() + "-intro";
        sql.update("INSERT INTO catalogue_module (code, source, owner_org_id) VALUES (?, 'SESSION', ?)", module, municipality);
        sql.update("""
                INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash)
                VALUES (?, 1, ?, 'En dag med övningar.', 360, 0, REPEAT('0', 64))""", module, TITLE);
        hsa = PersonFixture.hsaPrefix();
    }

    @AfterAll
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void concurrentSignUpsNeverOverfillTheOccasionAndTheWaitingListMovesUpInItsOrder() throws Exception {
        long occasion = occasion(today.plusDays(10).atTime(9, 0), 3, today.plusDays(8), "Sal 3");
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            first.add(person("tio" + i));
        }
        assign();

        List<Signups.Status> statuses = all(first,
                person -> signups.signUp(person, module, occasion, LocalDateTime.now(SwedishTime.ZONE)));

        assertEquals(3, statuses.stream().filter(s -> s == Signups.Status.BOOKED).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == Signups.Status.WAITING).count(), statuses.toString());
        assertPlacesConsistent(occasion, 3);
        List<Long> queue = waitingInOrder(occasion);
        for (int i = 0; i < queue.size(); i++) {
            assertEquals(i + 1, signups.mine(queue.get(i), module).orElseThrow().waitingPosition(), "position of " + i);
        }

        // Two of the booked cancel while three newcomers sign up, all at once: the places given back go to the first two
        // in the queue, never to a newcomer, and the occasion is never over capacity.
        List<Long> booked = sql.strings("SELECT person_id FROM session_signup WHERE occasion_id = ? AND status = 'BOOKED' "
                + "ORDER BY id", occasion).stream().map(Long::parseLong).toList();
        List<Long> newcomers = List.of(person("ny1"), person("ny2"), person("ny3"));
        assign();
        List<Long> everyone = new ArrayList<>(booked.subList(0, 2));
        everyone.addAll(newcomers);
        List<Object> results = all(everyone, person -> {
            if (booked.contains(person)) {
                signups.cancel(person, module, occasion, today);
                return "cancelled";
            }
            return signups.signUp(person, module, occasion, LocalDateTime.now(SwedishTime.ZONE));
        });

        assertEquals(List.of("cancelled", "cancelled", Signups.Status.WAITING, Signups.Status.WAITING, Signups.Status.WAITING),
                results);
        assertPlacesConsistent(occasion, 3);
        List<Long> nowBooked = sql.strings("SELECT person_id FROM session_signup WHERE occasion_id = ? AND status = 'BOOKED'",
                occasion).stream().map(Long::parseLong).sorted().toList();
        List<Long> expected = new ArrayList<>(List.of(booked.get(2), queue.get(0), queue.get(1)));
        Collections.sort(expected);
        assertEquals(expected, nowBooked, "the one still booked and the first two of the queue");
        List<Long> queueAfter = waitingInOrder(occasion);
        assertEquals(queue.subList(2, 7), queueAfter.subList(0, 5), "the rest of the queue keeps its order, ahead of newcomers");
        assertEquals(newcomers.stream().sorted().toList(), queueAfter.subList(5, 8).stream().sorted().toList());
    }

    @Test
    void cancellingGivesThePlaceToTheFirstWaitingWhoGetsAMailAndSeesTheBookingInMinUtbildning() throws Exception {
        LocalDateTime starts = today.plusDays(20).atTime(13, 0);
        long occasion = occasion(starts, 1, today.plusDays(15), "Sal 3, Storgatan 1");
        long anna = person("anna");
        long bo = person("bo");
        assign();
        String annaSession = learner("anna", anna);
        String boSession = learner("bo", bo);

        String annaPage = page("/utbildning/" + module + "/tillfallen", annaSession);
        assertTrue(annaPage.contains("Anmäl dig"), annaPage);
        assertTrue(post("/utbildning/" + module + "/tillfallen/" + occasion + "/anmal", annaSession).body()
                .contains("Du är anmäld."));
        assertTrue(page("/utbildning/" + module + "/tillfallen", boSession).contains("Ställ dig i kö"),
                "a full occasion offers the waiting list");
        String boPage = post("/utbildning/" + module + "/tillfallen/" + occasion + "/anmal", boSession).body();
        assertTrue(boPage.contains("Tillfället är fullt, så du står i kö.") && boPage.contains("Din plats i kön: 1."), boPage);
        String boHome = page("/", boSession);
        assertTrue(boHome.contains("I kö, plats 1") && boHome.contains("href=\"/utbildning/" + module + "/tillfallen\""), boHome);
        assertEquals(List.of(), mails(), "no mail for signing up");

        assertTrue(post("/utbildning/" + module + "/tillfallen/" + occasion + "/avboka", annaSession).body()
                .contains("Din anmälan är avbokad."));

        assertEquals(List.of("CANCELLED"), sql.strings("SELECT status FROM session_signup WHERE person_id = ?", anna));
        assertEquals(List.of("BOOKED"), sql.strings("SELECT status FROM session_signup WHERE person_id = ?", bo));
        assertPlacesConsistent(occasion, 1);
        MimeMessage mail = only("bo");
        assertTrue(mail.getSubject().startsWith("Du har fått en plats: " + TITLE), mail.getSubject());
        String text = TestMail.text(mail);
        assertTrue(text.contains("Hej Bo!") && text.contains("Tid: 13:00–14:30") && text.contains("Plats: Sal 3, Storgatan 1")
                && text.contains("https://kompetens.kommun.example/utbildning/" + module + "/tillfallen"), text);
        assertEquals(1, mails().size(), "Anna, who cancelled, gets no mail");
        boHome = page("/", boSession);
        assertTrue(boHome.contains("Anmäld: " + starts.toLocalDate() + " 13:00–14:30, Sal 3, Storgatan 1"), boHome);
        assertEquals(List.of("SESSION_SIGNED_UP tillfälle " + occasion + " BOOKED",
                        "SESSION_SIGNUP_CANCELLED tillfälle " + occasion),
                sql.strings("SELECT CONCAT(action, ' ', target) FROM audit_event WHERE actor = ? AND action LIKE 'SESSION%' ORDER BY id", p + "-anna"),
                "Anna's sign-up and cancellation are in the audit log");
    }

    @Test
    void theLastDayToSignUpAndCancelIsKeptAndOnlySomeoneWithTheModuleDueSignsUpOncePerModule() throws Exception {
        long closed = occasion(today.plusDays(5).atTime(9, 0), 10, today.minusDays(1), "Sal 1");
        long lastDay = occasion(today.plusDays(6).atTime(9, 0), 10, today, "Sal 2");
        long other = occasion(today.plusDays(7).atTime(9, 0), 10, today.plusDays(1), "Sal 4");
        long anna = person("anna");
        assign();
        long notDue = person("cilla");
        String annaSession = learner("anna", anna);

        HttpResponse<String> refused = post("/utbildning/" + module + "/tillfallen/" + closed + "/anmal", annaSession);
        assertEquals(422, refused.code());
        assertTrue(refused.body().contains("Sista dag att anmäla sig till tillfället var " + today.minusDays(1)), refused.body());
        assertTrue(page("/utbildning/" + module + "/tillfallen", annaSession).contains("Anmälan stängd"));

        assertEquals(303, post("/utbildning/" + module + "/tillfallen/" + lastDay + "/anmal", annaSession).code(),
                "the last day itself is open");
        assertEquals(List.of("BOOKED"), sql.strings("SELECT status FROM session_signup WHERE person_id = ?", anna));
        Signups.Refused twice = assertThrows(Signups.Refused.class,
                () -> signups.signUp(anna, module, other, LocalDateTime.now(SwedishTime.ZONE)));
        assertTrue(twice.getMessage().contains("redan anmäld"), twice.getMessage());
        Signups.Refused notAssigned = assertThrows(Signups.Refused.class,
                () -> signups.signUp(notDue, module, other, LocalDateTime.now(SwedishTime.ZONE)));
        assertTrue(notAssigned.getMessage().contains("kvar att genomföra"), notAssigned.getMessage());

        // The next day the deadline has passed: the booking stays.
        assertThrows(Signups.Refused.class, () -> signups.cancel(anna, module, lastDay, today.plusDays(1)));
        assertEquals(List.of("BOOKED"), sql.strings("SELECT status FROM session_signup WHERE person_id = ?", anna));
        assertPlacesConsistent(lastDay, 10);
        assertEquals(0, signups.upcoming(anna, module, LocalDateTime.now(SwedishTime.ZONE)).stream()
                .filter(o -> o.id() == closed && o.openOn(today)).count());
    }

    @Test
    void someoneInAnotherOrganisationIsAnsweredAsForAnUnknownModule() {
        long elsewhere = tree.add(p + "-X", "Annan kommun", OrgNodeKind.MUNICIPALITY, null).id();
        long outsider = people.create(hsa + "Olle", "Olle", "Person", "olle@" + domain, elsewhere, today.minusYears(1),
                today.minusYears(1), "NON_LICENSED");
        long occasion = occasion(today.plusDays(10).atTime(9, 0), 5, today.plusDays(8), "Sal 3");
        String session = learner("olle", outsider);

        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> page("/utbildning/" + module + "/tillfallen", session));
        assertEquals(404, e.getStatus().getCode());
        assertEquals(404, assertThrows(HttpClientResponseException.class,
                () -> page("/utbildning/" + module + "/tillfallen/" + occasion + "/kalender.ics", session)).getStatus().getCode());
        assertThrows(Signups.Refused.class, () -> signups.signUp(outsider, module, occasion, LocalDateTime.now(SwedishTime.ZONE)));
    }

    @Test
    void theCalendarFileIsReadByAStandardParser() throws Exception {
        LocalDateTime starts = LocalDateTime.of(today.plusYears(1).getYear(), 1, 12, 9, 0);
        long occasion = occasion(starts, 12, starts.toLocalDate().minusDays(3),
                "Sal 3, Storgatan 1; ingång B \\ plan 2 – en lång platsbeskrivning som inte ryms på en enda rad i filen");
        long anna = person("anna");
        assign();
        String session = learner("anna", anna);

        HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.GET("/utbildning/" + module + "/tillfallen/"
                + occasion + "/kalender.ics").cookie(Cookie.of("JWT", session)), String.class);

        assertTrue(response.getContentType().orElseThrow().toString().startsWith("text/calendar"));
        assertTrue(response.header("Content-Disposition").contains(".ics"), response.header("Content-Disposition"));
        String ics = response.body();
        assertTrue(ics.endsWith("\r\n") && !ics.replace("\r\n", "").contains("\n"), "CRLF line ends only");
        for (String line : ics.split("\r\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 75, "folded at 75 octets: " + line);
        }
        Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
        calendar.validate();
        VEvent event = (VEvent) calendar.getComponent(Component.VEVENT);
        assertEquals(TITLE, event.getSummary().getValue());
        assertEquals("Sal 3, Storgatan 1; ingång B \\ plan 2 – en lång platsbeskrivning som inte ryms på en enda rad i filen",
                event.getLocation().getValue());
        assertEquals(starts.atZone(SwedishTime.ZONE).toInstant(), event.getStartDate().getDate().toInstant());
        assertEquals(starts.plusMinutes(90).atZone(SwedishTime.ZONE).toInstant(), event.getEndDate().getDate().toInstant());
        assertEquals("https://kompetens.kommun.example/utbildning/" + module + "/tillfallen",
                event.getProperty(Property.URL).getValue());
        assertTrue(event.getDescription().getValue().contains("\nUtbildare: Test " + p + "-samordnare"),
                event.getDescription().getValue());
        String again = http.toBlocking().retrieve(HttpRequest.GET("/utbildning/" + module + "/tillfallen/" + occasion
                + "/kalender.ics").cookie(Cookie.of("JWT", session)));
        VEvent second = (VEvent) new CalendarBuilder().build(new StringReader(again)).getComponent(Component.VEVENT);
        assertEquals(event.getUid().getValue(), second.getUid().getValue(), "the same UID every time");
        assertEquals("tillfalle-" + occasion + "@kompetens.kommun.example", event.getUid().getValue());
    }

    @Test
    void theReminderBeforeTheOccasionGoesOnceToThoseWithAPlace() throws Exception {
        LocalDateTime now = LocalDateTime.now(SwedishTime.ZONE);
        long soon = occasion(today.plusDays(2).atTime(10, 0), 1, today.plusDays(1), "Sal 1");
        long later = occasion(today.plusDays(3).atTime(10, 0), 5, today.plusDays(1), "Sal 2");
        long anna = person("anna");
        long bo = person("bo");
        long cilla = person("cilla");
        assign();
        signups.signUp(anna, module, soon, now);
        signups.signUp(bo, module, soon, now);
        signups.signUp(cilla, module, later, now);

        reminders.run(now);
        reminders.run(now);

        assertEquals(List.of("anna"), recipients(), "Bo waits and Cilla's occasion is three days away (two days before)");
        assertTrue(only("anna").getSubject().startsWith("Påminnelse: " + TITLE));
        reminders.run(now.plusDays(1));
        assertEquals(List.of("anna", "cilla"), recipients(), "a day later Cilla's is two days away");
    }

    @Test
    void aReminderRefusedByTheMailServerGivesThePlaceBackAndGoesOnceWhenItIsBack() throws Exception {
        LocalDateTime now = LocalDateTime.now(SwedishTime.ZONE);
        long soon = occasion(today.plusDays(1).atTime(10, 0), 5, today, "Sal 1");
        long anna = person("anna");
        assign();
        signups.signUp(anna, module, soon, now);
        smtp.stop();
        try {
            assertEquals(0, reminders.run(now));
            assertEquals(0, sql.number("SELECT COUNT(*) FROM session_signup WHERE occasion_id = ? AND reminded_at IS NOT NULL",
                    soon), "the place is not marked reminded, so a later round tries again");
        } finally {
            smtp = TestMail.startSmtp(smtpPort);
        }

        assertEquals(1, reminders.run(now));
        assertEquals(0, reminders.run(now));

        assertEquals(List.of("anna"), recipients());
    }

    /**
     * A claim whose answer was lost with the connection (a Galera node killed while the claim was committed): the place
     * was marked reminded and its mail never sent (the Galera test: "7 mails for 8 places reminded"). Now the sender
     * reads the claim's token back and sends the mail only if the claim was its own.
     */
    @Test
    void aReminderClaimWhoseAnswerWasLostIsTheSendersOnlyIfItWasCommittedWithItsToken() throws Exception {
        LocalDateTime now = LocalDateTime.now(SwedishTime.ZONE);
        long soon = occasion(today.plusDays(1).atTime(10, 0), 5, today, "Sal 1");
        long anna = person("anna");
        long bo = person("bo");
        assign();
        signups.signUp(anna, module, soon, now);
        signups.signUp(bo, module, soon, now);
        long annasPlace = sql.number("SELECT id FROM session_signup WHERE occasion_id = ? AND person_id = ?", soon, anna);
        long bosPlace = sql.number("SELECT id FROM session_signup WHERE occasion_id = ? AND person_id = ?", soon, bo);
        // Anna's claim reached the database; its answer did not. Bo's never reached it.
        sql.update("UPDATE session_signup SET reminded_at = CURRENT_TIMESTAMP, reminder_claim_token = ? WHERE id = ?",
                "claim-anna", annasPlace);
        RuntimeException lost = new RuntimeException(new java.sql.SQLNonTransientConnectionException(
                "Driver has reconnect connection after a communications link failure", "08000"));

        assertTrue(reminders.claimedDespite(lost, annasPlace, "claim-anna"), "committed with this claim's token: this claim's mail");
        assertFalse(reminders.claimedDespite(lost, annasPlace, "claim-other"), "claimed by someone else: not this one's");
        assertFalse(reminders.claimedDespite(lost, bosPlace, "claim-bo"), "not committed: left for the round");
        assertFalse(reminders.claimedDespite(new RuntimeException(new java.sql.SQLTransactionRollbackException("deadlock", "40001")),
                bosPlace, "claim-bo"), "rolled back: another instance's");
        IllegalStateException other = new IllegalStateException("something else");
        assertSame(other, assertThrows(IllegalStateException.class, () -> reminders.claimedDespite(other, bosPlace, "claim-bo")));

        assertEquals(1, reminders.run(now), "Bo's place is still there for the round; Anna's is claimed");
        assertEquals(List.of("bo"), recipients());
    }

    @Test
    void everyoneSignedUpIsToldWhenTheOccasionIsCancelled() throws Exception {
        long occasion = occasion(today.plusDays(9).atTime(10, 0), 1, today.plusDays(5), "Sal 1");
        long anna = person("anna");
        long bo = person("bo");
        assign();
        signups.signUp(anna, module, occasion, LocalDateTime.now(SwedishTime.ZONE));
        signups.signUp(bo, module, occasion, LocalDateTime.now(SwedishTime.ZONE));

        http.toBlocking().exchange(HttpRequest.POST("/api/occasions/" + occasion + "/cancel",
                Map.of("reason", "Utbildaren är sjuk.")).bearerAuth(coordinator));

        assertEquals(List.of("anna", "bo"), recipients());
        String text = TestMail.text(only("bo"));
        assertTrue(only("bo").getSubject().startsWith("Inställt: " + TITLE) && text.contains("Skäl: Utbildaren är sjuk."), text);
        Signups.Refused refused = assertThrows(Signups.Refused.class,
                () -> signups.signUp(anna, module, occasion, LocalDateTime.now(SwedishTime.ZONE)));
        assertEquals("Tillfället är inställt.", refused.getMessage());
        assertTrue(signups.upcoming(anna, module, LocalDateTime.now(SwedishTime.ZONE)).isEmpty(), "a cancelled one is not offered");
    }

    @Test
    void aSessionModulesOwnPageIsItsListOfOccasions() {
        long anna = person("anna");
        assign();
        HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.GET("/utbildning/" + module)
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", learner("anna", anna))), String.class);
        assertEquals(303, response.code());
        assertEquals("/utbildning/" + module + "/tillfallen", response.header("Location"));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * An occasion written straight to the table: the tests need some the coordinator's form rightly refuses (a last day
     * to sign up already passed).
     */
    private long occasion(LocalDateTime starts, int capacity, LocalDate deadline, String place) {
        sql.update("""
                INSERT INTO session_occasion (module_code, org_node_id, starts_at, duration_minutes, place, trainer_account_id,
                                              capacity, signup_deadline, created_by)
                VALUES (?, ?, ?, 90, ?, ?, ?, ?, ?)""", module, municipality, starts, place, coordinatorAccount, capacity,
                deadline, coordinatorAccount);
        return sql.number("SELECT MAX(id) FROM session_occasion WHERE module_code = ?", module);
    }

    private long person(String name) {
        String given = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        return people.create(hsa + given, given, "Person", name + "@" + domain, ward, today.minusYears(1), today.minusYears(1),
                "NON_LICENSED");
    }

    /** The module assigned by hand to everyone in the ward, due in 60 days. */
    private void assign() {
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + ward + "/assignments",
                Map.of("module", module, "dueDate", today.plusDays(60).toString())).bearerAuth(coordinator));
        sql.awaitManualAssignments();
    }

    private String learner(String name, long person) {
        return users.token(users.account(p + "-" + name, person, null, null));
    }

    private String page(String uri, String session) {
        return http.toBlocking().retrieve(HttpRequest.GET(uri).accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", session)));
    }

    /**
     * Posts a form of the learner's occasions page (with its CSRF token): answers See Other with the page it leads to,
     * or the refusal with its page.
     */
    private HttpResponse<String> post(String uri, String session) {
        String token = TestUsers.csrfTokenOf(page("/utbildning/" + module + "/tillfallen", session));
        try {
            HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.POST(uri, "csrfToken="
                            + URLEncoder.encode(token, StandardCharsets.UTF_8))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML)
                    .cookie(Cookie.of("JWT", session)), String.class);
            assertEquals(303, response.code(), "a change answers See Other");
            // The page it leads to, as the browser shows it after the change.
            return HttpResponse.status(response.status()).body(page(response.header("Location"), session));
        } catch (HttpClientResponseException e) {
            return HttpResponse.status(e.getStatus()).body(e.getResponse().getBody(String.class).orElse(""));
        }
    }

    private void assertPlacesConsistent(long occasion, int capacity) {
        long booked = sql.number("SELECT booked FROM session_occasion WHERE id = ?", occasion);
        assertEquals(sql.number("SELECT COUNT(*) FROM session_signup WHERE occasion_id = ? AND status = 'BOOKED'", occasion),
                booked, "the counter is the number of booked places");
        assertTrue(booked <= capacity, "never over capacity: " + booked);
    }

    private List<Long> waitingInOrder(long occasion) {
        return sql.strings("SELECT person_id FROM session_signup WHERE occasion_id = ? AND status = 'WAITING' "
                + "ORDER BY waiting_since, id", occasion).stream().map(Long::parseLong).toList();
    }

    /** Runs the action for every person at the same moment, one thread each; answers the results in the people's order. */
    private static <T> List<T> all(List<Long> persons, java.util.function.Function<Long, T> action) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(persons.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (long person : persons) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return action.apply(person);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private List<MimeMessage> mails() {
        return Arrays.stream(smtp.getReceivedMessagesForDomain(domain)).toList();
    }

    private List<String> recipients() throws MessagingException {
        List<String> names = new ArrayList<>();
        for (MimeMessage message : mails()) {
            names.add(message.getAllRecipients()[0].toString().replace("@" + domain, ""));
        }
        return names.stream().sorted().toList();
    }

    private MimeMessage only(String name) throws MessagingException {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : mails()) {
            if (message.getAllRecipients()[0].toString().equals(name + "@" + domain)) {
                found.add(message);
            }
        }
        assertEquals(1, found.size(), name);
        assertNotNull(found.get(0));
        return found.get(0);
    }
}
