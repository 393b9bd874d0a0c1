package se.kompetensmal.hrfiles;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.TestMail;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduled pick-up, triggered directly: a municipality names a folder on its pick-up page, and the nightly export
 * drops two files in it. The good one is imported through the municipality's column mapping; the bad one (one good row,
 * one naming a unit that does not exist) changes nothing. Both are moved aside and both are reported to the
 * municipality's coordinator by mail, through a real SMTP server (GreenMail).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HrPickupTest extends ServiceTest {

    final GreenMail smtp = startSmtp();
    final int smtpPort = smtp.getSmtp().getPort();
    final Path root = temporaryRoot();

    @Inject
    HrPickup pickup;

    String p;
    long municipality;
    String hsa;
    String folder;
    HrCalls coordinator;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("javamail.enabled", "true");
        properties.put("javamail.properties.mail.smtp.host", "127.0.0.1");
        properties.put("javamail.properties.mail.smtp.port", Integer.toString(smtpPort));
        properties.put("kompetensmal.reminders.initial-delay", "1h");
        properties.put("kompetensmal.pickup.root", root.toString());
        // The test reads the folders itself, and the files it writes are complete at once.
        properties.put("kompetensmal.pickup.initial-delay", "1h");
        properties.put("kompetensmal.pickup.interval", "1h");
        properties.put("kompetensmal.pickup.settle", "0s");
        return properties;
    }

    @BeforeEach
    void aMunicipalityWithAPickUpFolderAndAMapping() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
        p = "H" + System.nanoTime();
        municipality = tree.add(p, "Kommun Hämta", OrgNodeKind.MUNICIPALITY, null).id();
        long unit = tree.add(p + "-SB", "Särskilt boende Åsen", OrgNodeKind.UNIT, municipality).id();
        hsa = PersonFixture.hsaPrefix();
        long sara = people.create(hsa + "sara", "Sara", "Samordnare", "sara@" + p.toLowerCase() + ".example", unit,
                LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 1), "FRONTLINE_MANAGER");
        String token = users.token(users.account(p + "-sara", sara, Role.COORDINATOR, municipality));
        coordinator = new HrCalls(http.toBlocking(), token);
        http.toBlocking().exchange(HttpRequest.PUT("/api/organisations/" + municipality + "/column-mapping",
                new ColumnMapping.Change(List.of(
                        new ColumnMapping.Column("HSA-id", "hsa_id"),
                        new ColumnMapping.Column("Anställningsnr", "anstallningsnummer"),
                        new ColumnMapping.Column("Enhetskod", "enhet"),
                        new ColumnMapping.Column("Befattningskategori/Målgrupp", "malgrupper"),
                        new ColumnMapping.Column("Anställningsdatum", "startdatum_organisation")))).bearerAuth(token));
        folder = "hr/" + p.toLowerCase();
        Files.createDirectories(root.resolve(folder));
        HttpResponse<String> saved = coordinator.post("/organisationer/" + municipality + "/hamtning",
                "/organisationer/" + municipality + "/hamtning", "folder", folder, "enabled", "true");
        assertEquals(HttpStatus.SEE_OTHER, saved.getStatus());
    }

    @AfterAll
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void theGoodFileIsImportedTheBadOneChangesNothingBothAreMovedAsideAndReportedByMail() throws Exception {
        String header = "Anställningsnr;HSA-id;Förnamn;Efternamn;Enhetskod;Befattningskategori/Målgrupp;Anställningsdatum\r\n";
        Path dir = root.resolve(folder);
        Files.write(dir.resolve("1-personal.csv"), (header
                + "501;" + hsa + "1;Åke;Lönnqvist;" + p + "-SB;NON_LICENSED;2023-05-02\r\n"
                + "502;" + hsa + "2;Ylva;Äng;" + p + "-SB;LICENSED;2021-11-15\r\n").getBytes(Windows1252MappingTest.WINDOWS_1252));
        Files.write(dir.resolve("2-personal.csv"), (header
                + "503;" + hsa + "3;Örjan;Berg;" + p + "-SB;LICENSED;2022-01-10\r\n"
                + "504;" + hsa + "4;Bo;Ek;" + p + "-FINNS-INTE;LICENSED;2022-01-10\r\n").getBytes(Windows1252MappingTest.WINDOWS_1252));

        List<PickupSettings.Run> runs = pickup.runOnce().stream().filter(r -> r.orgNodeId() == municipality).toList();

        assertEquals(List.of("1-personal.csv SUCCEEDED 2", "2-personal.csv REJECTED 0"),
                runs.stream().map(r -> r.fileName() + " " + r.outcome() + " " + r.createdCount()).toList());
        assertEquals(List.of("Åke Lönnqvist", "Ylva Äng"), sql.strings(
                "SELECT CONCAT(given_name, ' ', family_name) FROM person WHERE hsa_id IN (?, ?) ORDER BY hsa_id", hsa + "1", hsa + "2"));
        assertEquals(0, sql.number("SELECT COUNT(*) FROM person WHERE hsa_id IN (?, ?)", hsa + "3", hsa + "4"),
                "nothing of the bad file is written, not even its good row");

        String today = LocalDate.now(SwedishTime.ZONE).toString().replace("-", "");
        assertEquals(List.of(), files(dir), "the folder holds only what is still to be read");
        List<String> processed = files(dir.resolve(HrPickup.PROCESSED));
        List<String> failed = files(dir.resolve(HrPickup.FAILED));
        assertTrue(processed.size() == 1 && processed.get(0).startsWith(today) && processed.get(0).endsWith("-1-personal.csv"),
                processed.toString());
        assertTrue(failed.size() == 1 && failed.get(0).startsWith(today) && failed.get(0).endsWith("-2-personal.csv"),
                failed.toString());
        assertEquals("behandlade/" + processed.get(0), runs.get(0).movedTo());
        assertEquals("fel/" + failed.get(0), runs.get(1).movedTo());

        assertTrue(smtp.waitForIncomingEmail(10_000, 2), "both files are reported");
        Map<String, String> mails = new HashMap<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            assertEquals("sara@" + p.toLowerCase() + ".example", message.getAllRecipients()[0].toString());
            mails.put(message.getSubject(), TestMail.text(message));
        }
        assertEquals(2, mails.size(), mails.toString());
        String good = mails.get("Personalfilen 1-personal.csv är importerad");
        assertTrue(good != null && good.contains("Importen är klar: 2 nya, 0 uppdaterade.")
                && good.contains("behandlade/" + processed.get(0)) && good.contains("/import/" + runs.get(0).importId()), mails.toString());
        String bad = mails.get("Personalfilen 2-personal.csv importerades inte");
        assertTrue(bad != null && bad.contains("ingenting ändrades") && bad.contains("1 fel i filen")
                && bad.contains("Rad 3, enhet: enheten '" + p + "-FINNS-INTE' finns inte i den valda organisationen")
                && bad.contains("fel/" + failed.get(0)), mails.toString());

        String page = coordinator.get("/organisationer/" + municipality + "/hamtning");
        assertTrue(page.contains(">1-personal.csv</a>") && page.contains("Importerad") && page.contains(">2-personal.csv</a>")
                && page.contains("Avvisad, inget ändrades"), page);

        assertEquals(List.of(), pickup.runOnce().stream().filter(r -> r.orgNodeId() == municipality).toList(),
                "a file is read once");
    }

    @Test
    void aFileWhoseHeadersTheMappingDoesNotCoverFailsAndIsReported() throws Exception {
        Path dir = root.resolve(folder);
        Files.writeString(dir.resolve("lista.csv"), "Namn;Avdelning\r\nÅsa Berg;Hemtjänst\r\n");

        List<PickupSettings.Run> runs = pickup.runOnce().stream().filter(r -> r.orgNodeId() == municipality).toList();

        assertEquals(1, runs.size());
        assertEquals("FAILED", runs.get(0).outcome());
        assertTrue(runs.get(0).message().contains("Fält som krävs men som ingen kolumn fyller: Förnamn, Efternamn"),
                runs.get(0).message());
        assertTrue(runs.get(0).movedTo().startsWith("fel/"), runs.get(0).movedTo());
        assertTrue(smtp.waitForIncomingEmail(10_000, 1));
        assertEquals("Personalfilen lista.csv importerades inte", smtp.getReceivedMessages()[0].getSubject());
    }

    @Test
    void aFileIsClaimedByOneReaderOnly() {
        assertTrue(pickup.claim(municipality, "samma.csv"));
        assertFalse(pickup.claim(municipality, "samma.csv"), "taken already: a second reader does not get it");
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> listed = Files.list(dir)) {
            return listed.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static Path temporaryRoot() {
        try {
            return Files.createTempDirectory("kompetensmal-hamtning");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GreenMail startSmtp() {
        GreenMail server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        server.start();
        return server;
    }
}
