package se.kompetensmal.packages;

import org.junit.jupiter.api.Test;
import se.kompetensmal.scorm.ScormVersion;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifest rules that real packages lean on, without a database: how the edition is recognised, which organisation is
 * played, sequencing given by reference, the CAM's rule for parameters, and launch files named with URL escapes.
 */
class ManifestReaderTest {

    private static PackageManifest read(String manifest, String... files) {
        return ManifestReader.read(manifest.getBytes(StandardCharsets.UTF_8), Set.of(files));
    }

    @Test
    void theEditionComesFromSchemaversionOrElseTheAdlNamespace() {
        String twoThousandFour = TestPackages.manifest2004(ScormVersion.SCORM_2004_2, "m", "M", true, true,
                TestPackages.Sco.of("s", "S", "a.html"));
        assertEquals(ScormVersion.SCORM_2004_2, read(twoThousandFour, "a.html").version(), "CAM 1.3 is the 2nd edition");
        assertEquals(ScormVersion.SCORM_2004_3, read(twoThousandFour.replace("<schemaversion>CAM 1.3</schemaversion>", ""),
                "a.html").version(), "the 2004 namespace without schemaversion");
        String twelve = TestPackages.manifest12("m", "M", TestPackages.Sco.of("s", "S", "a.html"));
        assertEquals(ScormVersion.SCORM_12, read(twelve.replace("<schemaversion>1.2</schemaversion>", ""), "a.html").version());
        PackageRefused none = assertThrows(PackageRefused.class, () -> read(twelve
                .replace("<schemaversion>1.2</schemaversion>", "").replace("adlcp_rootv1p2", "x"), "a.html"));
        assertTrue(none.getMessage().startsWith("Manifestet säger inte vilken SCORM-version"), none.getMessage());
    }

    @Test
    void theDefaultOrganisationIsPlayedAndSequencingMayBeGivenByReference() {
        String manifest = """
                <manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
                          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
                  <metadata><schemaversion>2004 4th Edition</schemaversion></metadata>
                  <organizations default="andra">
                    <organization identifier="forsta"><title>Första</title>
                      <item identifier="x" identifierref="r1"><title>X</title></item></organization>
                    <organization identifier="andra"><title>Andra</title>
                      <item identifier="kapitel"><title>Kapitel</title>
                        <item identifier="y" identifierref="r1" parameters="#sida2"><title>Y</title>
                          <imsss:sequencing IDRef="delad"/></item>
                      </item></organization>
                  </organizations>
                  <resources><resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="kap%201/start.html?lang=sv"/></resources>
                  <imsss:sequencingCollection>
                    <imsss:sequencing ID="delad">
                      <imsss:limitConditions attemptAbsoluteDurationLimit="PT30M"/>
                      <imsss:objectives><imsss:primaryObjective objectiveID="huvud" satisfiedByMeasure="true"/></imsss:objectives>
                    </imsss:sequencing>
                  </imsss:sequencingCollection>
                </manifest>""";
        PackageManifest read = read(manifest, "kap 1/start.html");
        assertEquals("Andra", read.title());
        assertEquals(List.of("kapitel", "y"), read.items().stream().map(PackageManifest.Item::identifier).toList());
        PackageManifest.Item y = read.items().get(1);
        assertEquals(0, y.parent());
        assertEquals(1, y.depth());
        assertEquals("kap%201/start.html?lang=sv#sida2", y.launchHref());
        assertEquals("kap 1/start.html", y.launchFile());
        assertEquals("PT30M", y.maxTimeAllowed());
        assertEquals(0, BigDecimal.ONE.compareTo(y.scaledPassingScore()), "minNormalizedMeasure defaults to 1.0");
        assertEquals(List.of("huvud"), y.objectiveIds());
        assertNull(y.completionThreshold());
    }

    @Test
    void parametersAreAppendedByTheCamRule() {
        assertEquals("a.html?x=1", ManifestReader.withParameters("a.html", "?x=1"));
        assertEquals("a.html?q=2&x=1", ManifestReader.withParameters("a.html?q=2", "&x=1"));
        assertEquals("a.html?x=1#top", ManifestReader.withParameters("a.html#top", "x=1"));
        assertEquals("a.html#b", ManifestReader.withParameters("a.html", "#b"));
        assertEquals("a.html#a", ManifestReader.withParameters("a.html#a", "#b"), "a location with a fragment keeps it");
        assertEquals("a.html", ManifestReader.withParameters("a.html", "  "));
    }

    @Test
    void anItemWithoutResourceOrLaunchIsRefused() {
        String manifest = TestPackages.manifest12("m", "M", TestPackages.Sco.of("s", "Lektion", "a.html"))
                .replace("identifierref=\"res-s\"", "identifierref=\"finns-inte\"");
        assertEquals("Punkten «Lektion» hänvisar till resursen «finns-inte», som inte finns i manifestets <resources>. "
                + "Paketet laddades inte upp.", assertThrows(PackageRefused.class, () -> read(manifest, "a.html")).getMessage());
        String duplicate = TestPackages.manifest12("m", "M", TestPackages.Sco.of("s", "A", "a.html"),
                TestPackages.Sco.of("s", "B", "a.html"));
        assertTrue(assertThrows(PackageRefused.class, () -> read(duplicate, "a.html")).getMessage()
                .startsWith("Identifieraren «s» används av flera punkter"));
    }
}
