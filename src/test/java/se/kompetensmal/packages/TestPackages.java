package se.kompetensmal.packages;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.scorm.ScormVersion;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * SCORM packages built in the test: a manifest written from a few items, the package's files (its own HTML and
 * JavaScript), zipped; and published as a module the way an upload is. For example:
 * <pre>
 * byte[] zip = TestPackages.scorm12("com.example.hygien", Map.of("index.html", "&lt;script&gt;...&lt;/script&gt;"),
 *         TestPackages.Sco.of("sco-1", "Handhygien", "index.html").mastery("80"));
 * PackageIntake.Published published = TestPackages.publish(ctx, zip, "hygien-paket", unitId);
 * </pre>
 * A launch file that {@code files} does not have gets a small HTML page, so only the files a test cares about need
 * writing.
 */
public final class TestPackages {

    /** National audience and goal every owner may name (from courses/catalogue.yml). */
    public static final String AUDIENCE = "LICENSED";
    public static final String GOAL = "LIC-01";

    private TestPackages() {
    }

    /**
     * An item of the package's organisation: a SCO or an asset with its launch file, or a cluster of items. The
     * optional fields are the manifest's launch and sequencing data for it.
     */
    public record Sco(String identifier, String title, @Nullable String href, boolean sco, List<Sco> children,
                      @Nullable String mastery, @Nullable String passing, @Nullable String threshold,
                      @Nullable String dataFromLms, @Nullable String parameters, @Nullable String maxTime,
                      @Nullable String timeLimitAction, List<String> objectives) {

        /** A SCO launched by {@code href} (a path in the package, with ?query if wanted). */
        public static Sco of(String identifier, String title, String href) {
            return new Sco(identifier, title, href, true, List.of(), null, null, null, null, null, null, null, List.of());
        }

        /** An asset (a launchable file that does not talk to the runtime). */
        public static Sco asset(String identifier, String title, String href) {
            return new Sco(identifier, title, href, false, List.of(), null, null, null, null, null, null, null, List.of());
        }

        /** A cluster: an item with items inside and no launch of its own. */
        public static Sco cluster(String identifier, String title, Sco... children) {
            return new Sco(identifier, title, null, false, List.of(children), null, null, null, null, null, null, null, List.of());
        }

        /** SCORM 1.2 adlcp:masteryscore (0-100). */
        public Sco mastery(String score) {
            return new Sco(identifier, title, href, sco, children, score, passing, threshold, dataFromLms, parameters,
                    maxTime, timeLimitAction, objectives);
        }

        /** SCORM 2004: the primary objective satisfied by measure with this minNormalizedMeasure (-1..1). */
        public Sco passing(String minNormalizedMeasure) {
            return new Sco(identifier, title, href, sco, children, mastery, minNormalizedMeasure, threshold, dataFromLms,
                    parameters, maxTime, timeLimitAction, objectives);
        }

        /** SCORM 2004 adlcp:completionThreshold (0..1). */
        public Sco threshold(String value) {
            return new Sco(identifier, title, href, sco, children, mastery, passing, value, dataFromLms, parameters,
                    maxTime, timeLimitAction, objectives);
        }

        /** adlcp:datafromlms / adlcp:dataFromLMS: the SCO's launch data. */
        public Sco data(String value) {
            return new Sco(identifier, title, href, sco, children, mastery, passing, threshold, value, parameters,
                    maxTime, timeLimitAction, objectives);
        }

        /** The item's parameters attribute (appended to the launch location). */
        public Sco parameters(String value) {
            return new Sco(identifier, title, href, sco, children, mastery, passing, threshold, dataFromLms, value,
                    maxTime, timeLimitAction, objectives);
        }

        /** maxtimeallowed (1.2, HH:MM:SS) / attemptAbsoluteDurationLimit (2004, PT..) and the time limit action. */
        public Sco timeLimit(String max, String action) {
            return new Sco(identifier, title, href, sco, children, mastery, passing, threshold, dataFromLms, parameters,
                    max, action, objectives);
        }

        /** SCORM 2004 objective ids besides the primary objective (which is "PRIMARY-{identifier}" when passing is set). */
        public Sco objectives(String... ids) {
            return new Sco(identifier, title, href, sco, children, mastery, passing, threshold, dataFromLms, parameters,
                    maxTime, timeLimitAction, List.of(ids));
        }
    }

    // ---------------------------------------------------------------------------------------------------- packages

    /** A SCORM 1.2 package with one SCO launched by index.html. */
    public static byte[] scorm12(String identifier, Map<String, String> files) {
        return scorm12(identifier, files, Sco.of("sco-1", "Lektion", "index.html"));
    }

    /** A SCORM 1.2 package whose organisation (titled after the identifier) holds these items. */
    public static byte[] scorm12(String identifier, Map<String, String> files, Sco... items) {
        return packageOf(manifest12(identifier, "Paket " + identifier, items), files, items);
    }

    /** A SCORM 2004 4th edition package with one SCO launched by index.html. */
    public static byte[] scorm2004(String identifier, Map<String, String> files) {
        return scorm2004(identifier, files, Sco.of("sco-1", "Lektion", "index.html"));
    }

    /** A SCORM 2004 4th edition package; the organisation allows choice and flow navigation. */
    public static byte[] scorm2004(String identifier, Map<String, String> files, Sco... items) {
        return scorm2004(ScormVersion.SCORM_2004_4, identifier, files, true, true, items);
    }

    /** A SCORM 2004 package of the given edition, with the organisation's control mode choice/flow as given. */
    public static byte[] scorm2004(ScormVersion edition, String identifier, Map<String, String> files, boolean choice,
                                   boolean flow, Sco... items) {
        return packageOf(manifest2004(edition, identifier, "Paket " + identifier, choice, flow, items), files, items);
    }

    private static byte[] packageOf(String manifest, Map<String, String> files, Sco... items) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("imsmanifest.xml", manifest.getBytes(StandardCharsets.UTF_8));
        files.forEach((name, text) -> entries.put(name, text.getBytes(StandardCharsets.UTF_8)));
        for (Sco item : flatten(items)) {
            if (item.href() != null) {
                String file = item.href().replaceAll("[?#].*$", "");
                entries.putIfAbsent(file, page(item.title()).getBytes(StandardCharsets.UTF_8));
            }
        }
        return zip(entries);
    }

    /** A small HTML page titled as given. */
    public static String page(String title) {
        return "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head><body><h1>" + escape(title) + "</h1></body></html>\n";
    }

    // --------------------------------------------------------------------------------------------------- manifests

    /** A SCORM 1.2 manifest (schemaversion 1.2) with the items and one resource per launchable item. */
    public static String manifest12(String identifier, String title, Sco... items) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <manifest identifier="%s" version="1.0"
                          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
                          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
                  <organizations default="org-1">
                    <organization identifier="org-1">
                      <title>%s</title>
                """.formatted(escape(identifier), escape(title)));
        for (Sco item : items) {
            item12(xml, item, "      ");
        }
        xml.append("    </organization>\n  </organizations>\n  <resources>\n");
        for (Sco item : flatten(items)) {
            if (item.href() != null) {
                String file = item.href().replaceAll("[?#].*$", "");
                xml.append("    <resource identifier=\"res-").append(escape(item.identifier()))
                        .append("\" type=\"webcontent\" adlcp:scormtype=\"").append(item.sco() ? "sco" : "asset")
                        .append("\" href=\"").append(escape(item.href())).append("\">\n      <file href=\"")
                        .append(escape(file)).append("\"/>\n    </resource>\n");
            }
        }
        return xml.append("  </resources>\n</manifest>\n").toString();
    }

    private static void item12(StringBuilder xml, Sco item, String indent) {
        xml.append(indent).append("<item identifier=\"").append(escape(item.identifier())).append('"');
        if (item.href() != null) {
            xml.append(" identifierref=\"res-").append(escape(item.identifier())).append('"');
        }
        if (item.parameters() != null) {
            xml.append(" parameters=\"").append(escape(item.parameters())).append('"');
        }
        xml.append(">\n").append(indent).append("  <title>").append(escape(item.title())).append("</title>\n");
        for (Sco child : item.children()) {
            item12(xml, child, indent + "  ");
        }
        element(xml, indent, "adlcp:maxtimeallowed", item.maxTime());
        element(xml, indent, "adlcp:timelimitaction", item.timeLimitAction());
        element(xml, indent, "adlcp:datafromlms", item.dataFromLms());
        element(xml, indent, "adlcp:masteryscore", item.mastery());
        xml.append(indent).append("</item>\n");
    }

    /** A SCORM 2004 manifest of the edition, with the items and one resource per launchable item. */
    public static String manifest2004(ScormVersion edition, String identifier, String title, boolean choice, boolean flow,
                                      Sco... items) {
        String schemaVersion = switch (edition) {
            case SCORM_2004_2 -> "CAM 1.3";
            case SCORM_2004_3 -> "2004 3rd Edition";
            default -> "2004 4th Edition";
        };
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <manifest identifier="%s" version="1"
                          xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
                          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
                          xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
                          xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
                          xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <metadata><schema>ADL SCORM</schema><schemaversion>%s</schemaversion></metadata>
                  <organizations default="org-1">
                    <organization identifier="org-1">
                      <title>%s</title>
                """.formatted(escape(identifier), schemaVersion, escape(title)));
        for (Sco item : items) {
            item2004(xml, edition, item, "      ");
        }
        xml.append("      <imsss:sequencing><imsss:controlMode choice=\"").append(choice).append("\" flow=\"")
                .append(flow).append("\"/></imsss:sequencing>\n");
        xml.append("    </organization>\n  </organizations>\n  <resources>\n");
        for (Sco item : flatten(items)) {
            if (item.href() != null) {
                String file = item.href().replaceAll("[?#].*$", "");
                xml.append("    <resource identifier=\"res-").append(escape(item.identifier()))
                        .append("\" type=\"webcontent\" adlcp:scormType=\"").append(item.sco() ? "sco" : "asset")
                        .append("\" href=\"").append(escape(item.href())).append("\">\n      <file href=\"")
                        .append(escape(file)).append("\"/>\n    </resource>\n");
            }
        }
        return xml.append("  </resources>\n</manifest>\n").toString();
    }

    private static void item2004(StringBuilder xml, ScormVersion edition, Sco item, String indent) {
        xml.append(indent).append("<item identifier=\"").append(escape(item.identifier())).append('"');
        if (item.href() != null) {
            xml.append(" identifierref=\"res-").append(escape(item.identifier())).append('"');
        }
        if (item.parameters() != null) {
            xml.append(" parameters=\"").append(escape(item.parameters())).append('"');
        }
        xml.append(">\n").append(indent).append("  <title>").append(escape(item.title())).append("</title>\n");
        for (Sco child : item.children()) {
            item2004(xml, edition, child, indent + "  ");
        }
        element(xml, indent, "adlcp:timeLimitAction", item.timeLimitAction());
        element(xml, indent, "adlcp:dataFromLMS", item.dataFromLms());
        if (item.threshold() != null) {
            if (edition == ScormVersion.SCORM_2004_4) {
                xml.append(indent).append("  <adlcp:completionThreshold completedByMeasure=\"true\" minProgressMeasure=\"")
                        .append(escape(item.threshold())).append("\"/>\n");
            } else {
                element(xml, indent, "adlcp:completionThreshold", item.threshold());
            }
        }
        if (item.passing() != null || item.maxTime() != null || !item.objectives().isEmpty()) {
            xml.append(indent).append("  <imsss:sequencing>\n");
            if (item.maxTime() != null) {
                xml.append(indent).append("    <imsss:limitConditions attemptAbsoluteDurationLimit=\"")
                        .append(escape(item.maxTime())).append("\"/>\n");
            }
            xml.append(indent).append("    <imsss:objectives>\n");
            xml.append(indent).append("      <imsss:primaryObjective objectiveID=\"PRIMARY-").append(escape(item.identifier()))
                    .append('"').append(item.passing() != null ? " satisfiedByMeasure=\"true\">\n" : ">\n");
            if (item.passing() != null) {
                xml.append(indent).append("        <imsss:minNormalizedMeasure>").append(escape(item.passing()))
                        .append("</imsss:minNormalizedMeasure>\n");
            }
            xml.append(indent).append("      </imsss:primaryObjective>\n");
            for (String objective : item.objectives()) {
                xml.append(indent).append("      <imsss:objective objectiveID=\"").append(escape(objective)).append("\"/>\n");
            }
            xml.append(indent).append("    </imsss:objectives>\n").append(indent).append("  </imsss:sequencing>\n");
        }
        xml.append(indent).append("</item>\n");
    }

    private static void element(StringBuilder xml, String indent, String name, @Nullable String value) {
        if (value != null) {
            xml.append(indent).append("  <").append(name).append('>').append(escape(value)).append("</").append(name)
                    .append(">\n");
        }
    }

    private static List<Sco> flatten(Sco... items) {
        List<Sco> all = new ArrayList<>();
        for (Sco item : items) {
            all.add(item);
            all.addAll(flatten(item.children().toArray(Sco[]::new)));
        }
        return all;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // --------------------------------------------------------------------------------------------------------- zips

    /** A zip of these entries, in this order (DEFLATED). */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A zip of text files (UTF-8), in this order. */
    public static byte[] zipOfText(Map<String, String> files) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        files.forEach((name, text) -> entries.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return zip(entries);
    }

    /** Text files in the order given: name, content, name, content, ... */
    public static Map<String, String> files(String... namesAndContents) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndContents.length; i += 2) {
            files.put(namesAndContents[i], namesAndContents[i + 1]);
        }
        return files;
    }

    // ------------------------------------------------------------------------------------------------------ publish

    /**
     * Publishes the package as the upload page does (no account): a new module with the code (null: made from the
     * manifest identifier) owned by the node (0: everyone) for {@link #AUDIENCE} and {@link #GOAL}, 15 minutes; or, when
     * the owner already has a package module with the same manifest identifier, its next version.
     */
    public static PackageIntake.Published publish(ApplicationContext ctx, byte[] zip, @Nullable String code, long ownerOrgId) {
        return publish(ctx, zip, ownerOrgId, new PackageMetadata(null, code, List.of(AUDIENCE), List.of(GOAL), 15, null));
    }

    /** Publishes the package with these particulars. */
    public static PackageIntake.Published publish(ApplicationContext ctx, byte[] zip, long ownerOrgId, PackageMetadata meta) {
        return ctx.getBean(PackageIntake.class).publish(new ByteArrayInputStream(zip), meta, null, ownerOrgId, 0);
    }

    /** Uploads the package as the next version of the module (the manifest identifier must be the module's). */
    public static PackageIntake.Published nextVersion(ApplicationContext ctx, byte[] zip, String moduleCode, long ownerOrgId) {
        return ctx.getBean(PackageIntake.class).publish(new ByteArrayInputStream(zip), PackageMetadata.unchanged(),
                moduleCode, ownerOrgId, 0);
    }

    static List<String> list(String... values) {
        return Arrays.asList(values);
    }
}
