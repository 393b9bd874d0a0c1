package se.kompetensmal.reminders;

import se.kompetensmal.TestMail;

import com.icegreen.greenmail.util.GreenMail;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reminders go through a real SMTP server (GreenMail) started in the test, on a free port of its own. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReminderMailTest extends ServiceTest {

    static final String MODULE_TITLE = "Vårdskador och patientsäkerhet – grunderna";

    final int smtpPort = TestMail.freePort();
    GreenMail smtp = TestMail.startSmtp(smtpPort);

    @Inject
    ReminderSender sender;

    final LocalDate today = LocalDate.now(SwedishTime.ZONE);
    String domain;
    long municipality;
    long ward;
    long otherWard;
    String coordinator;
    String hsa;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("javamail.enabled", "true");
        properties.put("javamail.properties.mail.smtp.host", "127.0.0.1");
        properties.put("javamail.properties.mail.smtp.port", Integer.toString(smtpPort));
        properties.put("kompetensmal.mail.from", "kompetensmal@kommun.example");
        // The test runs the sender itself.
        properties.put("kompetensmal.reminders.initial-delay", "1h");
        return properties;
    }

    @BeforeEach
    void aMunicipalityWithAnIntroductionRoutine() {
        String p = "REM" + System.nanoTime();
        domain = p.toLowerCase() + ".example";
        municipality = tree.add(p, "Kommun P", OrgNodeKind.MUNICIPALITY, null).id();
        ward = tree.add(p + "-A", "Hemtjänst Norr", OrgNodeKind.UNIT, municipality).id();
        otherWard = tree.add(p + "-B", "Hemtjänst Söder", OrgNodeKind.UNIT, municipality).id();
        coordinator = users.token(users.account(p + "-samordnare", null, Role.COORDINATOR, municipality));
        hsa = PersonFixture.hsaPrefix();
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + municipality + "/routines", new RoutineForm(
                "Introduktion hemtjänst", RoutineKind.INTRODUCTION, "NON_LICENSED", List.of("vardskador-grunder"), 30,
                CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null)).bearerAuth(coordinator));
    }

    private void recompute() {
        recomputeUnder(municipality, coordinator);
    }

    @AfterAll
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void learnersAreRemindedBeforeTheDueDateAndWhenOverdueAndTheManagerGetsAWeeklyDigestEachOnce() throws Exception {
        person("maja", ward, today.minusYears(3), "FRONTLINE_MANAGER");
        person("anna", ward, today.minusDays(40), "NON_LICENSED");
        person("bo", ward, today.minusDays(25), "NON_LICENSED");
        person("cilla", ward, today.minusDays(5), "NON_LICENSED");
        person(null, ward, today.minusDays(45), "NON_LICENSED");
        long eva = person("eva", ward, today.minusDays(40), "NON_LICENSED");
        http.toBlocking().exchange(HttpRequest.POST("/api/people/" + eva + "/exemptions", Map.of("module", "vardskador-grunder",
                "reason", "Genomförd hos tidigare arbetsgivare")).bearerAuth(coordinator));
        person("gustav", otherWard, today.minusDays(5), "NON_LICENSED");
        settings(otherWard, new ReminderSetting(true, 30, true, true, null));
        recompute();

        sender.run(today);

        assertEquals(List.of("anna", "bo", "gustav", "maja"), recipients());
        MimeMessage anna = only("anna");
        assertEquals("Försenad utbildning: " + MODULE_TITLE, anna.getSubject());
        String annaText = TestMail.text(anna);
        assertTrue(annaText.contains("Hej Anna!") && annaText.contains("senast " + today.minusDays(10))
                && annaText.contains("rutinen Introduktion hemtjänst"), annaText);
        assertEquals("Påminnelse: " + MODULE_TITLE + " ska vara genomförd senast " + today.plusDays(5), only("bo").getSubject());
        assertEquals("Påminnelse: " + MODULE_TITLE + " ska vara genomförd senast " + today.plusDays(25),
                only("gustav").getSubject(), "Söder reminds 30 days ahead; Norr's 14 days leave Cilla alone");
        MimeMessage digest = only("maja");
        assertEquals("Veckosammanställning: 2 försenade utbildningar i Hemtjänst Norr", digest.getSubject());
        String digestText = TestMail.text(digest);
        assertTrue(digestText.contains("Anna Person") && digestText.contains("Utan Epost") && !digestText.contains("Eva")
                && !digestText.contains("Bo Person"), digestText);

        sender.run(today);
        try (ApplicationContext restarted = ApplicationContext.run(new HashMap<>(getProperties()), "test")) {
            restarted.getBean(ReminderSender.class).run(today);
        }
        assertEquals(4, mine().size(), "running again, and after a restart, sends nothing twice");
    }

    @Test
    void someonePlacedInTwoUnitsIsInEachUnitsDigestAndRemindedOnce() throws Exception {
        person("maja", ward, today.minusYears(3), "FRONTLINE_MANAGER");
        long sven = person("sven", otherWard, today.minusYears(3), "FRONTLINE_MANAGER");
        long anna = person("anna", ward, today.minusDays(40), "NON_LICENSED");
        people.place(anna, otherWard, today.minusDays(40), today.minusDays(40), "NON_LICENSED");
        recompute();

        sender.run(today);

        assertEquals(List.of("anna", "maja", "sven"), recipients(), "one overdue reminder to Anna, a digest to each manager");
        assertEquals("Veckosammanställning: 1 försenade utbildningar i Hemtjänst Norr", only("maja").getSubject());
        assertEquals("Veckosammanställning: 1 försenade utbildningar i Hemtjänst Söder", only("sven").getSubject());
        assertTrue(TestMail.text(only("maja")).contains("Anna Person (" + hsa + "Anna, Hemtjänst Norr)"), TestMail.text(only("maja")));
        assertTrue(TestMail.text(only("sven")).contains("Anna Person (" + hsa + "Anna, Hemtjänst Söder)"), TestMail.text(only("sven")));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM reminder WHERE person_id = ? AND kind = 'DIGEST'", sven));
    }

    @Test
    void anOrganisationThatTurnsRemindersOffGetsNone() throws Exception {
        settings(municipality, new ReminderSetting(false, 14, true, true, null));
        person("frida", ward, today.minusDays(40), "NON_LICENSED");
        person("maja", ward, today.minusYears(3), "FRONTLINE_MANAGER");
        recompute();

        sender.run(today);

        assertEquals(List.of(), recipients());
        ReminderSetting inherited = http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/" + ward
                + "/reminder-settings").bearerAuth(coordinator), ReminderSetting.class);
        assertEquals(new ReminderSetting(false, 14, true, true, "Kommun P"), inherited);
    }

    @Test
    void aReminderPlannedWhileTheMailServerIsDownIsSentOnceWhenItIsBack() throws Exception {
        person("anna", ward, today.minusDays(40), "NON_LICENSED");
        recompute();
        smtp.stop();
        try {
            assertEquals(0, sender.run(today));
            assertEquals("PENDING", sql.strings("SELECT r.status FROM reminder r JOIN person p ON p.id = r.person_id "
                    + "WHERE p.email = ?", "anna@" + domain).get(0));
        } finally {
            smtp = TestMail.startSmtp(smtpPort);
        }

        sender.run(today);
        sender.run(today);

        assertEquals(List.of("anna"), recipients());
    }

    /**
     * What another instance sees while a round is sending: each reminder's claim is committed before its mail goes out,
     * and its SENT after it, so a second holder (another instance on another Galera node, or the one that takes over
     * from a holder killed mid-round) never mails it again. Until issue 21's second session the round ran on one
     * connection left in a transaction by the planner: nothing of it was visible until the round ended, and on the
     * Galera test the next holder mailed again what a killed holder had mailed (and two overlapping holders mailed 532
     * times for 322 reminders).
     */
    @Test
    void eachReminderIsClaimedForEveryoneToSeeBeforeItsMailGoesOut() throws Exception {
        person("anna", ward, today.minusDays(40), "NON_LICENSED");
        person("bo", ward, today.minusDays(25), "NON_LICENSED");
        person("cilla", ward, today.minusDays(45), "NON_LICENSED");
        recompute();
        Map<String, List<String>> seenAtDelivery = new java.util.concurrent.ConcurrentHashMap<>();
        // Read on a connection of its own, as another instance reads: only what is committed.
        assertEquals(3, roundSeenAtEachDelivery(() -> sender.run(today), to -> seenAtDelivery.put(to, sql.strings("""
                SELECT CONCAT(SUBSTRING_INDEX(p.email, '@', 1), ' ', r.status) FROM reminder r
                JOIN person p ON p.id = r.person_id WHERE p.email LIKE ? ORDER BY p.email""", "%@" + domain))));

        assertEquals(3, seenAtDelivery.size(), seenAtDelivery.toString());
        List<Long> sentBefore = new java.util.ArrayList<>();
        for (Map.Entry<String, List<String>> delivery : seenAtDelivery.entrySet()) {
            String name = delivery.getKey().replace("@" + domain, "");
            List<String> statuses = delivery.getValue();
            assertEquals(List.of(name + " SENDING"), statuses.stream().filter(st -> st.endsWith(" SENDING")).toList(),
                    "while " + name + "'s mail was delivered, another connection saw " + statuses);
            sentBefore.add(statuses.stream().filter(st -> st.endsWith(" SENT")).count());
        }
        assertEquals(List.of(0L, 1L, 2L), sentBefore.stream().sorted().toList(),
                "each mail delivered was already recorded SENT before the next went out: " + seenAtDelivery);
    }

    /**
     * An orderly stop (a rolling deploy) begun while a round is mailing: the mail in flight is sent and recorded SENT,
     * the round claims nothing more, and the next round (the next holder) sends the rest, each once. Before, the round
     * went on claiming until the scheduler's 5 s were up and the pool closed under it: on the Galera test a restart of
     * the reminders' holder left a reminder SENDING, never to be sent.
     */
    @Test
    void anOrderlyStopEndsTheRoundAfterTheMailInFlightAndLeavesTheRestForTheNext() throws Exception {
        person("anna", ward, today.minusDays(40), "NON_LICENSED");
        person("bo", ward, today.minusDays(25), "NON_LICENSED");
        person("cilla", ward, today.minusDays(45), "NON_LICENSED");
        recompute();
        java.util.concurrent.atomic.AtomicBoolean stopBegun = new java.util.concurrent.atomic.AtomicBoolean();
        // SIGTERM arrives while the first mail is on its way.
        int sentBeforeStopping = roundSeenAtEachDelivery(() -> sender.run(today, stopBegun::get), to -> stopBegun.set(true));

        assertEquals(1, sentBeforeStopping, "the mail in flight is finished, no other is begun");
        assertEquals(List.of("PENDING", "PENDING", "SENT"), statuses(), "nothing left SENDING by the stop");
        assertEquals(1, mine().size());

        assertEquals(2, sender.run(today), "the next holder's round sends the rest");
        assertEquals(List.of("SENT", "SENT", "SENT"), statuses());
        assertEquals(List.of("anna", "bo", "cilla"), recipients().stream().sorted().toList(), "each once");
    }

    /**
     * The connection lost while a claim's update was answered (a Galera node killed under it: "Driver has reconnect
     * connection after a communications link failure" on the Galera test, 2026-12-03). The sender reads the row again:
     * a claim committed with its token is its own and its mail goes out; one not committed, or another's, is not. Before,
     * the round stopped there and a committed claim left the reminder SENDING, never sent.
     */
    @Test
    void aClaimWhoseAnswerWasLostIsTheSendersOnlyIfItWasCommittedWithItsToken() throws Exception {
        person("anna", ward, today.minusDays(40), "NON_LICENSED");
        person("bo", ward, today.minusDays(25), "NON_LICENSED");
        recompute();
        assertEquals(0, sender.run(today, () -> true), "planned, nothing claimed");
        long anna = sql.number("SELECT r.id FROM reminder r JOIN person p ON p.id = r.person_id WHERE p.email = ?", "anna@" + domain);
        long bo = sql.number("SELECT r.id FROM reminder r JOIN person p ON p.id = r.person_id WHERE p.email = ?", "bo@" + domain);
        // Anna's claim reached the database; its answer did not. Bo's never reached it.
        sql.update("UPDATE reminder SET status = 'SENDING', claimed_at = NOW(), claim_token = ? WHERE id = ?", "claim-anna", anna);
        RuntimeException lost = new RuntimeException(new java.sql.SQLNonTransientConnectionException(
                "Driver has reconnect connection after a communications link failure", "08000"));

        assertTrue(sender.claimedDespite(lost, anna, "claim-anna"), "committed with this claim's token: this claim's mail");
        assertFalse(sender.claimedDespite(lost, anna, "claim-other"), "claimed by someone else: not this one's");
        assertFalse(sender.claimedDespite(lost, bo, "claim-bo"), "not committed: not claimed, left PENDING");
        assertFalse(sender.claimedDespite(new RuntimeException(new java.sql.SQLTransactionRollbackException("deadlock", "40001")),
                bo, "claim-bo"), "rolled back: another instance's");
        IllegalStateException other = new IllegalStateException("something else");
        assertSame(other, assertThrows(IllegalStateException.class, () -> sender.claimedDespite(other, bo, "claim-bo")));

        assertEquals(1, sender.run(today), "Bo's reminder is still there for the round");
        assertEquals(List.of("bo"), recipients());
    }

    /** Runs the round with {@code atDelivery} called with each recipient as the mail server takes their mail. */
    private int roundSeenAtEachDelivery(java.util.function.IntSupplier round, java.util.function.Consumer<String> atDelivery) {
        com.icegreen.greenmail.user.UserManager users = smtp.getUserManager();
        com.icegreen.greenmail.user.MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, to) -> {
            atDelivery.accept(to.getEmail());
            return deliver.handle(message, to);
        });
        try {
            return round.getAsInt();
        } finally {
            users.setMessageDeliveryHandler(deliver);
        }
    }

    private List<String> statuses() {
        return sql.strings("""
                SELECT r.status FROM reminder r JOIN person p ON p.id = r.person_id WHERE p.email LIKE ? ORDER BY r.status""",
                "%@" + domain);
    }

    private void settings(long node, ReminderSetting setting) {
        http.toBlocking().exchange(HttpRequest.PUT("/api/organisations/" + node + "/reminder-settings", setting)
                .bearerAuth(coordinator));
    }

    private long person(String name, long unit, LocalDate start, String audience) {
        String given = name == null ? "Utan" : Character.toUpperCase(name.charAt(0)) + name.substring(1);
        return people.create(hsa + given, given, name == null ? "Epost" : "Person", name == null ? null : name + "@" + domain,
                unit, start, start, audience);
    }

    private List<MimeMessage> mine() {
        return Arrays.stream(smtp.getReceivedMessagesForDomain(domain)).toList();
    }

    private List<String> recipients() throws MessagingException {
        List<String> names = new java.util.ArrayList<>();
        for (MimeMessage message : mine()) {
            names.add(message.getAllRecipients()[0].toString().replace("@" + domain, ""));
        }
        return names.stream().sorted().toList();
    }

    private MimeMessage only(String name) throws MessagingException {
        List<MimeMessage> found = new java.util.ArrayList<>();
        for (MimeMessage message : mine()) {
            if (message.getAllRecipients()[0].toString().equals(name + "@" + domain)) {
                found.add(message);
            }
        }
        assertEquals(1, found.size(), name);
        return found.get(0);
    }
}
