package se.kompetensmal.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The packages the player's browser tests play, built in the test: a manifest, one HTML page per SCO and the SCOs' own
 * script (src/test/resources/se/kompetensmal/browser/sco/sco.js), which drives the SCORM API as content from authoring
 * tools does. Each SCO page shows its place ("Sida 2 av 3"), what it found saved, and buttons for the learner:
 * Nästa sida (bookmark, suspend data, commit), Klar (score and status, commit), Gå vidare / Tillbaka / a choice (a
 * navigation request and finish) and Avsluta (finish, finish again, commit after finishing).
 */
final class ScoPackages {

    private ScoPackages() {
    }

    /** One SCO of a package: its item identifier, title, pages, the score it reports and how much suspend data it keeps. */
    record Sco(String identifier, String title, int pages, String score, int suspendLength) {
    }

    /** A single-SCO SCORM 1.2 package whose item has adlcp:masteryscore. */
    static byte[] scorm12(String identifier, String title, Sco sco, int masteryScore) {
        String manifest = """
                <?xml version="1.0" encoding="UTF-8"?>
                <manifest identifier="%s" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
                          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
                  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
                  <organizations default="org">
                    <organization identifier="org">
                      <title>%s</title>
                      <item identifier="%s" identifierref="res-%s">
                        <title>%s</title>
                        <adlcp:masteryscore>%d</adlcp:masteryscore>
                      </item>
                    </organization>
                  </organizations>
                  <resources>
                    <resource identifier="res-%s" type="webcontent" adlcp:scormtype="sco" href="%s.html">
                      <file href="%s.html"/><file href="sco.js"/>
                    </resource>
                  </resources>
                </manifest>
                """.formatted(identifier, title, sco.identifier(), sco.identifier(), sco.title(), masteryScore,
                sco.identifier(), sco.identifier(), sco.identifier());
        return zip(manifest, "1.2", List.of(sco), false);
    }

    /**
     * A SCORM 2004 4th edition package with the SCOs in flow order, choice and flow allowed; with a passing score, each
     * SCO's primary objective is satisfied by measure at that scaled score.
     */
    static byte[] scorm2004(String identifier, String title, List<Sco> scos, String scaledPassingScore) {
        StringBuilder items = new StringBuilder();
        StringBuilder resources = new StringBuilder();
        for (Sco sco : scos) {
            items.append("""
                          <item identifier="%s" identifierref="res-%s">
                            <title>%s</title>
                    """.formatted(sco.identifier(), sco.identifier(), sco.title()));
            if (scaledPassingScore != null) {
                items.append("""
                                <imsss:sequencing>
                                  <imsss:objectives>
                                    <imsss:primaryObjective objectiveID="godkand-%s" satisfiedByMeasure="true">
                                      <imsss:minNormalizedMeasure>%s</imsss:minNormalizedMeasure>
                                    </imsss:primaryObjective>
                                  </imsss:objectives>
                                </imsss:sequencing>
                        """.formatted(sco.identifier(), scaledPassingScore));
            }
            items.append("      </item>\n");
            resources.append("""
                        <resource identifier="res-%s" type="webcontent" adlcp:scormType="sco" href="%s.html">
                          <file href="%s.html"/><file href="sco.js"/>
                        </resource>
                    """.formatted(sco.identifier(), sco.identifier(), sco.identifier()));
        }
        String manifest = """
                <?xml version="1.0" encoding="UTF-8"?>
                <manifest identifier="%s" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
                          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
                          xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
                  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
                  <organizations default="org">
                    <organization identifier="org">
                      <title>%s</title>
                %s
                      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
                    </organization>
                  </organizations>
                  <resources>
                %s
                  </resources>
                </manifest>
                """.formatted(identifier, title, items, resources);
        return zip(manifest, "2004", scos, scos.size() > 1);
    }

    private static byte[] zip(String manifest, String edition, List<Sco> scos, boolean navigation) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("imsmanifest.xml", manifest.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < scos.size(); i++) {
            files.put(scos.get(i).identifier() + ".html", page(edition, scos, i, navigation).getBytes(StandardCharsets.UTF_8));
        }
        files.put("sco.js", script());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A SCO's page: accessible on its own (language, title, heading, buttons with text), since axe scans the frames too. */
    private static String page(String edition, List<Sco> scos, int index, boolean navigation) {
        Sco sco = scos.get(index);
        StringBuilder buttons = new StringBuilder("""
                    <button type="button" id="nasta">Nästa sida</button>
                    <button type="button" id="klar">Klar</button>
                    <button type="button" id="avsluta">Avsluta</button>
                """);
        if (navigation) {
            if (index > 0) {
                buttons.append("    <button type=\"button\" id=\"tillbaka\">Tillbaka</button>\n");
            }
            if (index < scos.size() - 1) {
                buttons.append("    <button type=\"button\" id=\"vidare\">Gå vidare</button>\n");
            }
            for (Sco other : scos) {
                if (other != sco) {
                    buttons.append("    <button type=\"button\" id=\"val-%s\" data-target=\"%s\">Till %s</button>\n"
                            .formatted(other.identifier(), other.identifier(), other.title()));
                }
            }
        }
        return """
                <!DOCTYPE html>
                <html lang="sv" data-edition="%s" data-pages="%d" data-score="%s" data-suspend-length="%d">
                <head>
                  <meta charset="utf-8">
                  <title>%s</title>
                  <script src="sco.js"></script>
                </head>
                <body>
                <main>
                  <h1>%s</h1>
                  <p id="sida">Sida 1 av %d</p>
                  <p id="ingang"></p>
                  <p id="sparat"></p>
                  <p id="logg" role="status">Laddar</p>
                %s</main>
                </body>
                </html>
                """.formatted(edition, sco.pages(), sco.score(), sco.suspendLength(), sco.title(), sco.title(), sco.pages(),
                buttons);
    }

    private static byte[] script() {
        try (InputStream in = ScoPackages.class.getResourceAsStream("sco/sco.js")) {
            if (in == null) {
                throw new IllegalStateException("sco/sco.js is missing from the test resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
