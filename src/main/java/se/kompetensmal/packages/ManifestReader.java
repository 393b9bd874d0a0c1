package se.kompetensmal.packages;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;
import se.kompetensmal.scorm.ScormVersion;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code imsmanifest.xml} as the SCORM Content Aggregation Model books (1.2 and 2004 2nd, 3rd and 4th edition)
 * describe it, taking what Kompetensmål plays: the edition ({@code metadata/schemaversion}, else the ADL namespaces), the
 * default organisation ({@code organizations/@default}, else the first) and its item tree, each leaf item's resource
 * ({@code adlcp:scormtype} in 1.2, {@code adlcp:scormType} in 2004) with {@code xml:base} of the manifest, resources and
 * resource applied and the item's {@code parameters} appended by the CAM's rule, and per item: datafromlms, masteryscore
 * (1.2), maxtimeallowed and timelimitaction, completionThreshold (2004 3rd edition as text, 4th as
 * {@code completedByMeasure}/{@code minProgressMeasure}), the primary objective's {@code minNormalizedMeasure} when it is
 * {@code satisfiedByMeasure} (the scaled passing score), the objective ids, and {@code attemptAbsoluteDurationLimit}
 * (sequencing given on the item or by {@code IDRef} into the sequencing collection). Elements are matched by local name,
 * so a manifest that binds the ADL namespaces to other prefixes reads the same. Nothing is fetched: no DTD, no external
 * entity, no schema.
 */
final class ManifestReader {

    /** Deeper item trees or more items than this are no course anyone wrote by hand or tool. */
    static final int MAX_DEPTH = 30;
    static final int MAX_ITEMS = 5000;
    static final int MAX_TITLE = 500;
    static final int MAX_IDENTIFIER = 255;
    static final int MAX_HREF = 2000;
    /** SCORM's own limit of launch data (cmi.launch_data, SPM 4000 characters in 2004; 4096 in 1.2). */
    static final int MAX_DATA_FROM_LMS = 4096;

    private static final String XML_NS = XMLConstants.XML_NS_URI;

    private final Set<String> files;
    private final List<PackageManifest.Item> items = new ArrayList<>();
    private final Set<String> identifiers = new HashSet<>();
    private final Map<String, Element> resources = new HashMap<>();
    private final Map<String, Element> sequencingCollection = new HashMap<>();
    private String resourcesBase = "";
    private ScormVersion version;

    private ManifestReader(Set<String> files) {
        this.files = files;
    }

    /**
     * Reads the manifest. {@code files} are the package's file paths as they will be stored ("/"-separated, normalised),
     * for checking that each launch file is there.
     */
    static PackageManifest read(byte[] manifest, Set<String> files) {
        return new ManifestReader(files).parse(manifest);
    }

    /** Reads at most {@code max} bytes of the stream; more is a refusal (the manifest is counted, not trusted). */
    static byte[] readBounded(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > max) {
                throw new PackageRefused("imsmanifest.xml är större än " + max / (1024 * 1024) + " MB; ett manifest är "
                        + "normalt några hundra kB. Kontrollera att paketet är ett SCORM-paket.");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private PackageManifest parse(byte[] bytes) {
        Element root = document(bytes).getDocumentElement();
        if (!"manifest".equals(local(root))) {
            throw new PackageRefused("imsmanifest.xml har inte <manifest> som yttersta element, så det är inget SCORM-manifest. "
                    + "Paketet laddades inte upp.");
        }
        String identifier = bounded(attr(root, "identifier"), MAX_IDENTIFIER, "Manifestets identifierare");
        if (identifier.isEmpty()) {
            throw new PackageRefused("Manifestet saknar identifierare (attributet identifier på <manifest>), och det är den "
                    + "som känner igen paketet när en ny version laddas upp. Paketet laddades inte upp.");
        }
        version = version(root);
        String manifestBase = xmlBase(root);
        Element resourcesElement = child(root, "resources");
        if (resourcesElement != null) {
            resourcesBase = join(manifestBase, xmlBase(resourcesElement));
            for (Element resource : children(resourcesElement, "resource")) {
                String id = attr(resource, "identifier");
                if (!id.isEmpty()) {
                    resources.putIfAbsent(id, resource);
                }
            }
        } else {
            resourcesBase = manifestBase;
        }
        Element collection = child(root, "sequencingCollection");
        if (collection != null) {
            for (Element sequencing : children(collection, "sequencing")) {
                String id = attr(sequencing, "ID");
                if (!id.isEmpty()) {
                    sequencingCollection.putIfAbsent(id, sequencing);
                }
            }
        }
        Element organization = defaultOrganization(root);
        String title = bounded(text(child(organization, "title")), MAX_TITLE, "Organisationens titel");
        for (Element item : children(organization, "item")) {
            item(item, -1, 0);
        }
        if (items.isEmpty()) {
            throw new PackageRefused("Manifestets organisation «" + display(title, attr(organization, "identifier"))
                    + "» har inga punkter (<item>), så det finns inget att spela. Paketet laddades inte upp.");
        }
        if (items.stream().noneMatch(i -> i.kind() == PackageManifest.Kind.SCO)) {
            throw new PackageRefused("Paketet har inget SCO (ingen resurs med scormtype «sco»), bara filer som inte "
                    + "rapporterar något. Kompetensmål kan då aldrig se att deltagaren är klar. Paketet laddades inte upp.");
        }
        return new PackageManifest(version, identifier, title.isEmpty() ? identifier : title, null, List.copyOf(items));
    }

    // ------------------------------------------------------------------------------------------------------ document

    private static Document document(byte[] bytes) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // A manifest may carry a DOCTYPE; nothing it names is fetched or expanded from outside.
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            return builder.parse(new java.io.ByteArrayInputStream(bytes));
        } catch (SAXParseException e) {
            throw new PackageRefused("imsmanifest.xml är inte välformad XML (rad " + e.getLineNumber() + ", kolumn "
                    + e.getColumnNumber() + ": " + e.getMessage() + "). Rätta manifestet eller exportera paketet på nytt. "
                    + "Paketet laddades inte upp.");
        } catch (org.xml.sax.SAXException | IOException e) {
            throw new PackageRefused("imsmanifest.xml går inte att läsa som XML (" + e.getMessage() + "). Paketet laddades "
                    + "inte upp.");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The edition: {@code metadata/schemaversion} ("1.2", "CAM 1.3" = 2004 2nd edition, "2004 3rd Edition",
     * "2004 4th Edition"); without it, the ADL namespace the manifest declares (adlcp_rootv1p2 is 1.2, adlcp_v1p3 is
     * 2004, taken as the 3rd edition).
     */
    private static ScormVersion version(Element root) {
        Element metadata = child(root, "metadata");
        String schemaVersion = metadata == null ? "" : text(child(metadata, "schemaversion"));
        if (!schemaVersion.isEmpty()) {
            String v = schemaVersion.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            if (v.equals("1.2")) {
                return ScormVersion.SCORM_12;
            }
            if (v.equals("cam 1.3") || v.equals("1.3")) {
                return ScormVersion.SCORM_2004_2;
            }
            if (v.contains("2004") && v.contains("3rd")) {
                return ScormVersion.SCORM_2004_3;
            }
            if (v.contains("2004") && v.contains("4th")) {
                return ScormVersion.SCORM_2004_4;
            }
            throw new PackageRefused("Manifestets schemaversion «" + shorten(schemaVersion) + "» är ingen SCORM-version som "
                    + "stöds. Kompetensmål tar emot SCORM 1.2 och SCORM 2004 (2:a, 3:e och 4:e utgåvan). Paketet laddades "
                    + "inte upp.");
        }
        String namespaces = namespaces(root);
        if (namespaces.contains("adlcp_rootv1p2")) {
            return ScormVersion.SCORM_12;
        }
        if (namespaces.contains("adlcp_v1p3")) {
            return ScormVersion.SCORM_2004_3;
        }
        throw new PackageRefused("Manifestet säger inte vilken SCORM-version paketet följer (metadata/schemaversion saknas, "
                + "och inga ADL-namnrymder finns). Kompetensmål tar emot SCORM 1.2 och SCORM 2004. Paketet laddades inte upp.");
    }

    private static String namespaces(Element root) {
        StringBuilder all = new StringBuilder();
        collectNamespaces(root, all, 0);
        return all.toString();
    }

    private static void collectNamespaces(Element element, StringBuilder all, int depth) {
        if (element.getNamespaceURI() != null) {
            all.append(element.getNamespaceURI()).append(' ');
        }
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            if (a.getNamespaceURI() != null) {
                all.append(a.getNamespaceURI()).append(' ');
            }
            if ("xmlns".equals(a.getPrefix()) || "xmlns".equals(a.getName())) {
                all.append(a.getValue()).append(' ');
            }
        }
        if (depth < 3) {
            for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    collectNamespaces(e, all, depth + 1);
                }
            }
        }
    }

    private static Element defaultOrganization(Element root) {
        Element organizations = child(root, "organizations");
        List<Element> all = organizations == null ? List.of() : children(organizations, "organization");
        if (all.isEmpty()) {
            throw new PackageRefused("Manifestet har ingen organisation (<organizations>/<organization>), alltså ingen "
                    + "struktur att spela. Kompetensmål tar emot paket med innehåll (content aggregation), inte rena "
                    + "resurspaket. Paketet laddades inte upp.");
        }
        String wanted = attr(organizations, "default");
        return all.stream().filter(o -> attr(o, "identifier").equals(wanted)).findFirst().orElse(all.get(0));
    }

    // ---------------------------------------------------------------------------------------------------------- items

    private void item(Element element, int parent, int depth) {
        if (depth >= MAX_DEPTH) {
            throw new PackageRefused("Manifestets punkter ligger i mer än " + MAX_DEPTH + " nivåer. Paketet laddades inte upp.");
        }
        if (items.size() >= MAX_ITEMS) {
            throw new PackageRefused("Manifestet har fler än " + MAX_ITEMS + " punkter. Paketet laddades inte upp.");
        }
        String identifier = bounded(attr(element, "identifier"), MAX_IDENTIFIER, "En punkts identifierare");
        String title = bounded(text(child(element, "title")), MAX_TITLE, "Punkten «" + identifier + "»s titel");
        if (identifier.isEmpty()) {
            throw new PackageRefused("Punkten «" + display(title, "utan titel") + "» i manifestet saknar identifierare "
                    + "(attributet identifier). Paketet laddades inte upp.");
        }
        if (!identifiers.add(identifier)) {
            throw new PackageRefused("Identifieraren «" + identifier + "» används av flera punkter i manifestet; varje punkt "
                    + "ska ha en egen. Paketet laddades inte upp.");
        }
        String name = display(title, identifier);
        List<Element> children = children(element, "item");
        int index = items.size();
        if (!children.isEmpty()) {
            items.add(new PackageManifest.Item(parent, depth, identifier, name, PackageManifest.Kind.CLUSTER, null, null,
                    null, null, null, null, null, null, List.of()));
            for (Element child : children) {
                item(child, index, depth + 1);
            }
            return;
        }
        String ref = attr(element, "identifierref");
        if (ref.isEmpty()) {
            throw new PackageRefused("Punkten «" + name + "» har varken underpunkter eller någon resurs att starta "
                    + "(attributet identifierref saknas). Paketet laddades inte upp.");
        }
        Element resource = resources.get(ref);
        if (resource == null) {
            throw new PackageRefused("Punkten «" + name + "» hänvisar till resursen «" + ref + "», som inte finns i "
                    + "manifestets <resources>. Paketet laddades inte upp.");
        }
        String type = attrAnyNamespace(resource, "scormtype").toLowerCase(Locale.ROOT);
        PackageManifest.Kind kind = "sco".equals(type) ? PackageManifest.Kind.SCO : PackageManifest.Kind.ASSET;
        String href = attr(resource, "href");
        if (href.isEmpty()) {
            throw new PackageRefused("Resursen «" + ref + "» som punkten «" + name + "» startar har ingen startfil "
                    + "(attributet href). Paketet laddades inte upp.");
        }
        String location = join(join(resourcesBase, xmlBase(resource)), href);
        if (location.matches("(?i)^[a-z][a-z0-9+.-]*:.*") || location.startsWith("/") || location.startsWith("\\")) {
            throw new PackageRefused("Startfilen för «" + name + "» är «" + shorten(location) + "», en adress utanför "
                    + "paketet. Kompetensmål spelar bara filer som finns i paketet. Paketet laddades inte upp.");
        }
        String path = pathOf(location, name);
        String launchFile = decode(path);
        if (!files.contains(launchFile) && !files.contains(path)) {
            throw new PackageRefused("Startfilen «" + shorten(launchFile) + "» för «" + name + "» finns inte i paketet "
                    + "(manifestet nämner den, men zip-filen har ingen sådan fil). Paketet laddades inte upp.");
        }
        if (!files.contains(launchFile)) {
            launchFile = path;
        }
        String launch = withParameters(path + rest(location), attr(element, "parameters"));
        if (launch.length() > MAX_HREF) {
            throw new PackageRefused("Startadressen för «" + name + "» är längre än " + MAX_HREF + " tecken. Paketet "
                    + "laddades inte upp.");
        }
        items.add(launchable(element, parent, depth, identifier, name, kind, launch, launchFile));
    }

    private PackageManifest.Item launchable(Element element, int parent, int depth, String identifier, String name,
                                            PackageManifest.Kind kind, String launch, String launchFile) {
        String dataFromLms = text(childAny(element, version.is2004() ? "dataFromLMS" : "datafromlms"));
        if (dataFromLms.length() > MAX_DATA_FROM_LMS) {
            throw new PackageRefused("Startdata (datafromlms) för «" + name + "» är längre än " + MAX_DATA_FROM_LMS
                    + " tecken, mer än SCORM tillåter. Paketet laddades inte upp.");
        }
        BigDecimal mastery = null;
        BigDecimal passing = null;
        BigDecimal threshold = null;
        String maxTime;
        String timeLimitAction;
        List<String> objectives = new ArrayList<>();
        if (!version.is2004()) {
            mastery = decimal(text(childAny(element, "masteryscore")), name, "adlcp:masteryscore", 0, 100);
            maxTime = bounded(text(childAny(element, "maxtimeallowed")), 40, "adlcp:maxtimeallowed");
            timeLimitAction = bounded(text(childAny(element, "timelimitaction")), 40, "adlcp:timelimitaction");
        } else {
            timeLimitAction = bounded(text(childAny(element, "timeLimitAction")), 40, "adlcp:timeLimitAction");
            threshold = completionThreshold(childAny(element, "completionThreshold"), name);
            Element limits = sequencing(element, "limitConditions");
            maxTime = limits == null ? "" : bounded(attr(limits, "attemptAbsoluteDurationLimit"), 40,
                    "imsss:attemptAbsoluteDurationLimit");
            Element objectivesElement = sequencing(element, "objectives");
            if (objectivesElement != null) {
                Element primary = child(objectivesElement, "primaryObjective");
                if (primary != null) {
                    if ("true".equals(attr(primary, "satisfiedByMeasure"))) {
                        String measure = text(child(primary, "minNormalizedMeasure"));
                        passing = measure.isEmpty() ? BigDecimal.ONE
                                : decimal(measure, name, "imsss:minNormalizedMeasure", -1, 1);
                    }
                    objective(objectives, attr(primary, "objectiveID"));
                }
                for (Element objective : children(objectivesElement, "objective")) {
                    objective(objectives, attr(objective, "objectiveID"));
                }
            }
        }
        return new PackageManifest.Item(parent, depth, identifier, name, kind, launch, launchFile,
                dataFromLms.isEmpty() ? null : dataFromLms, mastery, passing, threshold,
                maxTime.isEmpty() ? null : maxTime, timeLimitAction.isEmpty() ? null : timeLimitAction, List.copyOf(objectives));
    }

    private static void objective(List<String> objectives, String id) {
        if (!id.isEmpty() && id.length() <= 4000 && !objectives.contains(id)) {
            objectives.add(id);
        }
    }

    /**
     * 2004 3rd edition writes the threshold as the element's text; the 4th edition as attributes, where it counts only
     * with {@code completedByMeasure="true"} ({@code minProgressMeasure} defaulting to 1.0).
     */
    private static BigDecimal completionThreshold(Element element, String name) {
        if (element == null) {
            return null;
        }
        String text = text(element);
        if (!text.isEmpty()) {
            return decimal(text, name, "adlcp:completionThreshold", 0, 1);
        }
        if ("true".equals(attr(element, "completedByMeasure"))) {
            String min = attr(element, "minProgressMeasure");
            return min.isEmpty() ? BigDecimal.ONE : decimal(min, name, "adlcp:completionThreshold/@minProgressMeasure", 0, 1);
        }
        return null;
    }

    /** A child of the item's sequencing, from the item's own element or else the one it names by IDRef. */
    private Element sequencing(Element item, String name) {
        Element own = childAny(item, "sequencing");
        if (own == null) {
            return null;
        }
        Element found = child(own, name);
        if (found != null) {
            return found;
        }
        Element referenced = sequencingCollection.get(attr(own, "IDRef"));
        return referenced == null ? null : child(referenced, name);
    }

    private static BigDecimal decimal(String text, String item, String field, int min, int max) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(text.strip());
            if (value.compareTo(BigDecimal.valueOf(min)) >= 0 && value.compareTo(BigDecimal.valueOf(max)) <= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new PackageRefused(field + " för «" + item + "» ska vara ett tal mellan " + min + " och " + max + ", inte «"
                + shorten(text) + "». Paketet laddades inte upp.");
    }

    // ---------------------------------------------------------------------------------------------------------- paths

    /** xml:base joined as XML Base resolves a relative reference: the base's last segment is dropped unless it ends in /. */
    private static String join(String base, String reference) {
        if (reference.isEmpty()) {
            return base;
        }
        if (base.isEmpty() || reference.matches("(?i)^[a-z][a-z0-9+.-]*:.*") || reference.startsWith("/")) {
            return reference;
        }
        return base.substring(0, base.lastIndexOf('/') + 1) + reference;
    }

    /** The path of a location (before ? and #), normalised; ".." that leaves the package is refused. */
    private static String pathOf(String location, String name) {
        String path = location;
        int cut = indexOfAny(path, "?#");
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.replace('\\', '/').split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new PackageRefused("Startfilen för «" + name + "» («" + shorten(location) + "») pekar ut ur "
                            + "paketet med «..». Paketet laddades inte upp.");
                }
                segments.remove(segments.size() - 1);
            } else {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
    }

    private static String rest(String location) {
        int cut = indexOfAny(location, "?#");
        return cut < 0 ? "" : location.substring(cut);
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Appends an item's parameters as the CAM says: leading ? and & dropped; a fragment only when the location has none;
     * else after & when the location has a query, ? when not.
     */
    static String withParameters(String location, String parameters) {
        String p = parameters == null ? "" : parameters.strip();
        while (!p.isEmpty() && (p.charAt(0) == '?' || p.charAt(0) == '&')) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return location;
        }
        if (p.startsWith("#")) {
            return location.contains("#") ? location : location + p;
        }
        int hash = location.indexOf('#');
        String base = hash < 0 ? location : location.substring(0, hash);
        String fragment = hash < 0 ? "" : location.substring(hash);
        return base + (base.contains("?") ? "&" : "?") + p + fragment;
    }

    /** %XX sequences decoded as UTF-8 ("+" is a plus in a path); text that does not decode is taken as written. */
    static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
                        || Character.digit(path.charAt(i + 2), 16) < 0) {
                    return path;
                }
                bytes.write(Character.digit(path.charAt(i + 1), 16) * 16 + Character.digit(path.charAt(i + 2), 16));
                i += 2;
                continue;
            }
            bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------------- elements

    private static String local(Node node) {
        return node.getLocalName() == null ? node.getNodeName() : node.getLocalName();
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(local(e))) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element child(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        return found.isEmpty() ? null : found.get(0);
    }

    /** A child by local name regardless of case (1.2 tools write adlcp:masteryscore and adlcp:masteryScore alike). */
    private static Element childAny(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equalsIgnoreCase(local(e))) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element element) {
        return element == null ? "" : element.getTextContent().strip();
    }

    /** An attribute without a namespace (identifier, href, ...). */
    private static String attr(Element element, String name) {
        if (element == null) {
            return "";
        }
        String value = element.getAttributeNS(null, name);
        if (value == null || value.isEmpty()) {
            value = element.getAttribute(name);
        }
        return value == null ? "" : value.strip();
    }

    /** An attribute by local name in any namespace, case ignored: adlcp:scormtype (1.2) and adlcp:scormType (2004). */
    private static String attrAnyNamespace(Element element, String localName) {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            if (localName.equalsIgnoreCase(local(a))) {
                return a.getValue().strip();
            }
        }
        return "";
    }

    private static String xmlBase(Element element) {
        String base = element.getAttributeNS(XML_NS, "base");
        return base == null ? "" : base.strip();
    }

    private static String bounded(String value, int max, String what) {
        if (value.length() > max) {
            throw new PackageRefused(what + " i manifestet är längre än " + max + " tecken. Paketet laddades inte upp.");
        }
        return value;
    }

    private static String display(String title, String fallback) {
        return title == null || title.isBlank() ? fallback : title;
    }

    static String shorten(String text) {
        String t = text.replaceAll("\\s+", " ");
        return t.length() <= 120 ? t : t.substring(0, 117) + "…";
    }
}
