package se.kompetensmal.packages;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way an upload is refused, each with its Swedish message, and nothing stored: no module, no version, no files in
 * the store, no temporary files left. The limits are made small here (20 files, 1 MB unpacked, 512 kB upload) so that
 * the zips stay small; the unpacked size is counted while unpacking, so a zip whose headers lie about it is stopped too.
 */
@MicronautTest(transactional = false)
@Property(name = "kompetensmal.packages.max-files", value = "20")
@Property(name = "kompetensmal.packages.max-unpacked-bytes", value = "1MB")
@Property(name = "kompetensmal.packages.max-upload-bytes", value = "512KB")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageRefusalTest extends ServiceTest {

    @Inject
    ApplicationContext ctx;

    @Inject
    PackageStore store;

    private String p;
    private long unit;

    @BeforeAll
    void organisation() {
        p = "PRT" + System.nanoTime();
        long region = tree.add(p, "Region Nejland", OrgNodeKind.REGION, null).id();
        unit = tree.add(p + "-E", "Avdelning Nej", OrgNodeKind.UNIT, region).id();
    }

    private String id(String name) {
        return "se.example." + p.toLowerCase() + "." + name;
    }

    /** The refusal's message, after checking that nothing at all was stored. */
    private String refused(byte[] zip) {
        long modules = sql.number("SELECT COUNT(*) FROM catalogue_module");
        long versions = sql.number("SELECT COUNT(*) FROM package_version");
        Set<String> temporary = temporaryFiles();
        PackageRefused refusal = assertThrows(PackageRefused.class, () -> TestPackages.publish(ctx, zip, null, unit));
        assertEquals(modules, sql.number("SELECT COUNT(*) FROM catalogue_module"), "no module");
        assertEquals(versions, sql.number("SELECT COUNT(*) FROM package_version"), "no package version");
        assertFalse(store.contains(PackageIntakeTest.sha256(zip)), "no files in the store");
        assertEquals(temporary, temporaryFiles(), "no temporary files left");
        return refusal.getMessage();
    }

    private Set<String> temporaryFiles() {
        Path tmp = store.root().resolve(".tmp");
        if (!Files.isDirectory(tmp)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> withManifest(String manifest, String... namesAndContents) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("imsmanifest.xml", manifest);
        files.putAll(TestPackages.files(namesAndContents));
        return files;
    }

    @Test
    void aFileThatIsNoZip() {
        assertEquals("Filen är ingen zip-fil (eller så är den skadad). Ett SCORM-paket är en zip-fil med imsmanifest.xml "
                + "överst. Inget sparades.", refused("<html>inte en zip</html>".getBytes(StandardCharsets.UTF_8)));
        byte[] cut = TestPackages.scorm12(id("avklippt"), Map.of());
        assertTrue(refused(java.util.Arrays.copyOf(cut, cut.length / 2)).startsWith("Filen är ingen zip-fil"));
        assertEquals("Filen är tom. Välj SCORM-paketets zip-fil.", refused(new byte[0]));
    }

    @Test
    void noManifestAtTheRoot() {
        assertTrue(refused(TestPackages.zipOfText(TestPackages.files("index.html", "hej")))
                .startsWith("Zip-filen har ingen imsmanifest.xml överst, så det är inget SCORM-paket."));
        String manifest = TestPackages.manifest12(id("mapp"), "Mapp", TestPackages.Sco.of("s", "S", "index.html"));
        assertTrue(refused(TestPackages.zipOfText(TestPackages.files("kurs/imsmanifest.xml", manifest, "kurs/index.html", "x")))
                .startsWith("imsmanifest.xml ligger i mappen «kurs/», men ska ligga överst i zip-filen."));
    }

    @Test
    void aManifestThatIsNotWellFormed() {
        String broken = TestPackages.manifest12(id("trasig"), "Trasig", TestPackages.Sco.of("s", "S", "index.html"))
                .replace("</organization>", "");
        String message = refused(TestPackages.zipOfText(withManifest(broken, "index.html", "x")));
        assertTrue(message.startsWith("imsmanifest.xml är inte välformad XML (rad "), message);
        assertTrue(refused(TestPackages.zipOfText(withManifest("<html><body>ingen manifest</body></html>", "index.html", "x")))
                .startsWith("imsmanifest.xml har inte <manifest> som yttersta element"));
        // An entity that would read the server's files is never expanded.
        String external = "<?xml version=\"1.0\"?><!DOCTYPE manifest [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + TestPackages.manifest12(id("entitet"), "&x;", TestPackages.Sco.of("s", "S", "index.html"))
                .replaceFirst("<\\?xml[^>]*>", "");
        try {
            PackageIntake.Published published = TestPackages.publish(ctx, TestPackages.zipOfText(withManifest(external,
                    "index.html", "x")), null, unit);
            assertFalse(sql.strings("SELECT title FROM module_version WHERE id = ?", published.moduleVersionId()).get(0)
                    .contains("root:"), "no file of the server is read into the package");
        } catch (PackageRefused refusedToo) {
            // refusing it is as good
        }
        assertTrue(refused(TestPackages.zipOfText(withManifest(TestPackages.manifest12(id("utan-sco"), "Utan",
                TestPackages.Sco.asset("a", "A", "index.html")), "index.html", "x")))
                .startsWith("Paketet har inget SCO"));
        assertTrue(refused(TestPackages.zipOfText(withManifest(TestPackages.manifest12("", "Utan id",
                TestPackages.Sco.of("s", "S", "index.html")), "index.html", "x")))
                .startsWith("Manifestet saknar identifierare"));
        assertTrue(refused(TestPackages.zipOfText(withManifest(TestPackages.manifest12(id("version"), "V",
                        TestPackages.Sco.of("s", "S", "index.html")).replace("<schemaversion>1.2", "<schemaversion>1.1"),
                "index.html", "x"))).startsWith("Manifestets schemaversion «1.1» är ingen SCORM-version som stöds."));
        assertTrue(refused(TestPackages.zipOfText(withManifest(TestPackages.manifest12(id("mastery"), "M",
                        TestPackages.Sco.of("s", "S", "index.html").mastery("hundra")), "index.html", "x")))
                .startsWith("adlcp:masteryscore för «S» ska vara ett tal mellan 0 och 100, inte «hundra»."));
    }

    @Test
    void aLaunchFileThatIsMissing() {
        String manifest = TestPackages.manifest12(id("saknas"), "Saknas", TestPackages.Sco.of("s", "Lektion 1", "start.html"));
        assertEquals("Startfilen «start.html» för «Lektion 1» finns inte i paketet (manifestet nämner den, men zip-filen har "
                + "ingen sådan fil). Paketet laddades inte upp.",
                refused(TestPackages.zipOfText(withManifest(manifest, "index.html", "x"))));
        String outside = TestPackages.manifest12(id("extern"), "Extern", TestPackages.Sco.of("s", "Lektion 1",
                "https://example.com/kurs.html"));
        assertTrue(refused(TestPackages.zipOfText(withManifest(outside, "index.html", "x")))
                .startsWith("Startfilen för «Lektion 1» är «https://example.com/kurs.html», en adress utanför paketet."));
        String up = TestPackages.manifest12(id("upp"), "Upp", TestPackages.Sco.of("s", "Lektion 1", "../start.html"));
        assertTrue(refused(TestPackages.zipOfText(withManifest(up, "index.html", "x"))).contains("pekar ut ur paketet"));
    }

    @Test
    void entriesWithDotDotOrAbsolutePaths() {
        String manifest = TestPackages.manifest12(id("vag"), "Väg", TestPackages.Sco.of("s", "S", "index.html"));
        assertEquals("Zip-filen har en fil vars sökväg innehåller «..» («../../etc/cron.d/x»), som skulle hamna utanför "
                + "paketet. Inget sparades.", refused(TestPackages.zipOfText(withManifest(manifest, "index.html", "x",
                "../../etc/cron.d/x", "* * * * * root sh"))));
        assertTrue(refused(TestPackages.zipOfText(withManifest(manifest, "index.html", "x", "media\\..\\..\\x", "y")))
                .contains("«..»"));
        assertEquals("Zip-filen har en fil med absolut sökväg («/tmp/x»). Alla filer i ett paket ska ligga relativt "
                + "paketets rot. Inget sparades.", refused(TestPackages.zipOfText(withManifest(manifest, "index.html", "x",
                "/tmp/x", "y"))));
        assertTrue(refused(TestPackages.zipOfText(withManifest(manifest, "index.html", "x", "C:/Windows/x", "y")))
                .startsWith("Zip-filen har en fil med absolut sökväg («C:/Windows/x»)."));
    }

    @Test
    void linkEntries() throws IOException {
        String manifest = TestPackages.manifest12(id("lank"), "Länk", TestPackages.Sco.of("s", "S", "index.html"));
        byte[] zip = TestPackages.zipOfText(withManifest(manifest, "index.html", "x", "media/lank", "/etc/passwd"));
        byte[] linked = markAsUnixLink(zip, "media/lank");
        assertEquals("Zip-filen innehåller en länk («media/lank»), inte en fil. Länkar tas inte emot, eftersom de kan "
                + "peka ut ur paketet. Packa paketet med vanliga filer. Inget sparades.", refused(linked));
    }

    @Test
    void tooManyFiles() {
        Map<String, String> files = withManifest(TestPackages.manifest12(id("manga"), "Många",
                TestPackages.Sco.of("s", "S", "index.html")), "index.html", "x");
        for (int i = 0; i < 20; i++) {
            files.put("bilder/" + i + ".txt", "bild " + i);
        }
        assertEquals("Paketet har fler än 20 filer, fler än vad som tas emot. Inget sparades.",
                refused(TestPackages.zipOfText(files)));
    }

    @Test
    void anUnpackedSizeOverTheLimitCountedWhileUnpacking() throws IOException {
        String manifest = TestPackages.manifest12(id("bomb"), "Bomb", TestPackages.Sco.of("s", "S", "index.html"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("imsmanifest.xml", manifest.getBytes(StandardCharsets.UTF_8));
        entries.put("index.html", "x".getBytes(StandardCharsets.UTF_8));
        entries.put("noll.bin", new byte[3 * 1024 * 1024]);
        byte[] bomb = TestPackages.zip(entries);
        assertTrue(bomb.length < 64 * 1024, "three megabytes of zeros pack small: " + bomb.length);
        assertEquals("Paketet blir större än 1 MB uppackat, mer än vad som tas emot. Inget sparades.", refused(bomb));
        // The same with headers that say the file is ten bytes: the bytes written are what count.
        assertEquals("Paketet blir större än 1 MB uppackat, mer än vad som tas emot. Inget sparades.",
                refused(withDeclaredSize(bomb, "noll.bin", 10)));
    }

    @Test
    void anUploadOverTheUploadLimit() {
        String manifest = TestPackages.manifest12(id("stor"), "Stor", TestPackages.Sco.of("s", "S", "index.html"));
        byte[] random = new byte[600 * 1024];
        new java.util.Random(18).nextBytes(random);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("imsmanifest.xml", manifest.getBytes(StandardCharsets.UTF_8));
        entries.put("index.html", random);
        assertEquals("Filen är större än 512 kB, den största zip-fil som tas emot. Inget sparades.",
                refused(TestPackages.zip(entries)));
    }

    @Test
    void anAiccOnlyPackage() {
        byte[] aicc = TestPackages.zipOfText(TestPackages.files("kurs.crs", "[Course]\nCourse_ID=K1", "kurs.au",
                "\"System_ID\",\"File_Name\"", "kurs.des", "x", "kurs.cst", "x", "index.html", "x"));
        assertEquals("Det här är ett AICC-paket (kursfiler som .crs och .au) utan imsmanifest.xml. Kompetensmål spelar "
                + "SCORM 1.2 och SCORM 2004; exportera kursen som SCORM från verktyget som gjorde den. Inget sparades.",
                refused(aicc));
    }

    @Test
    void particularsThatCannotBeUsed() {
        byte[] zip = TestPackages.scorm12(id("uppgifter"), Map.of());
        PackageRefused audience = assertThrows(PackageRefused.class, () -> TestPackages.publish(ctx, zip, unit,
                new PackageMetadata(null, null, List.of("FINNS-INTE"), List.of(TestPackages.GOAL), 10, null)));
        assertEquals("Målgruppen «FINNS-INTE» kan inte väljas för en modul som ägs här.", audience.getMessage());
        PackageRefused minutes = assertThrows(PackageRefused.class, () -> TestPackages.publish(ctx, zip, unit,
                new PackageMetadata(null, null, List.of(TestPackages.AUDIENCE), List.of(TestPackages.GOAL), 0, null)));
        assertEquals("Ange en beräknad tid i hela minuter, mellan 1 och 240.", minutes.getMessage());
        PackageRefused goals = assertThrows(PackageRefused.class, () -> TestPackages.publish(ctx, zip, unit,
                new PackageMetadata(null, null, List.of(TestPackages.AUDIENCE), List.of(), 10, null)));
        assertEquals("Välj minst ett kompetensmål som modulen täcker.", goals.getMessage());
        assertFalse(store.contains(PackageIntakeTest.sha256(zip)));
        PackageRefused code = assertThrows(PackageRefused.class, () -> TestPackages.publish(ctx, zip, "Stora Bokstäver", unit));
        assertTrue(code.getMessage().startsWith("Koden får bara innehålla små bokstäver"));
    }

    // ------------------------------------------------------------------------------------------------ zip surgery

    /** The zip with the entry marked, in its central directory, as a Unix symbolic link (as `zip -y` writes one). */
    static byte[] markAsUnixLink(byte[] zip, String name) {
        byte[] copy = zip.clone();
        int at = centralEntry(copy, name);
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + 4, (short) ((3 << 8) | 20));
        b.putInt(at + 38, 0120777 << 16);
        return copy;
    }

    /** The zip with the entry's uncompressed size in both headers set to a lie. */
    static byte[] withDeclaredSize(byte[] zip, String name, int size) {
        byte[] copy = zip.clone();
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        int central = centralEntry(copy, name);
        b.putInt(central + 24, size);
        int local = b.getInt(central + 42);
        b.putInt(local + 22, size);
        return copy;
    }

    private static int centralEntry(byte[] zip, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 46 < zip.length; i++) {
            if (b.getInt(i) == 0x02014b50 && b.getShort(i + 28) == wanted.length
                    && java.util.Arrays.equals(zip, i + 46, i + 46 + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    static byte[] stored(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                entry.setSize(e.getValue().length);
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
