package se.kompetensmal.scim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this service provider supports, as SCIM discovery describes it (RFC 7643 sections 5 to 7): the schemas with the
 * attributes that are kept (no more: a client reading them knows exactly what survives a round trip), the two resource
 * types, and the service provider configuration. Attributes a client sends outside these are ignored.
 */
public final class ScimSchemas {

    public static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public static final String ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    static final String RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    static final String SERVICE_PROVIDER_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

    /** Filters and lists answer at most this many resources per page. */
    public static final int MAX_RESULTS = 200;

    private ScimSchemas() {
    }

    /** One attribute definition (RFC 7643 section 7). */
    private static Map<String, Object> attribute(String name, String type, boolean multiValued, String description,
                                                 boolean required, boolean caseExact, String mutability, String returned,
                                                 String uniqueness, List<Map<String, Object>> subAttributes) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", name);
        a.put("type", type);
        a.put("multiValued", multiValued);
        a.put("description", description);
        a.put("required", required);
        a.put("caseExact", caseExact);
        a.put("mutability", mutability);
        a.put("returned", returned);
        a.put("uniqueness", uniqueness);
        if (!subAttributes.isEmpty()) {
            a.put("subAttributes", subAttributes);
        }
        return a;
    }

    private static Map<String, Object> text(String name, String description, boolean required, String mutability) {
        return attribute(name, "string", false, description, required, false, mutability, "default", "none", List.of());
    }

    private static Map<String, Object> withCanonical(Map<String, Object> attribute, List<String> values) {
        attribute.put("canonicalValues", values);
        return attribute;
    }

    private static Map<String, Object> reference(String name, String description, String mutability, List<String> types) {
        Map<String, Object> a = attribute(name, "reference", false, description, false, false, mutability, "default",
                "none", List.of());
        a.put("referenceTypes", types);
        return a;
    }

    static List<Map<String, Object>> userAttributes() {
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(attribute("userName", "string", false,
                "Namnet användaren loggar in med i katalogen (t.ex. UPN); unikt inom organisationen, utan hänsyn till versaler.",
                true, false, "readWrite", "default", "server", List.of()));
        // Declared required: a person has a first and a last name. A user with only displayName is still taken (its
        // last word becomes the family name), but a client that fills what the schema requires (scim2-tester does)
        // must not meet a refusal the schema did not announce.
        list.add(attribute("name", "complex", false, "Personens namn.", true, false, "readWrite", "default", "none",
                List.of(text("givenName", "Förnamn (krävs, eller displayName).", true, "readWrite"),
                        text("familyName", "Efternamn (krävs, eller displayName).", true, "readWrite"),
                        text("formatted", "För- och efternamn, satt av tjänsten.", false, "readOnly"))));
        list.add(text("displayName", "Namnet som katalogen visar.", false, "readWrite"));
        list.add(attribute("emails", "complex", true,
                "E-postadresser; den primära (annars den av typen work, annars den första) blir personens e-post.",
                false, false, "readWrite", "default", "none",
                List.of(text("value", "E-postadressen.", false, "readWrite"),
                        withCanonical(text("type", "Typ av adress.", false, "readWrite"), List.of("work", "home", "other")),
                        attribute("primary", "boolean", false, "Den primära adressen.", false, false, "readWrite",
                                "default", "none", List.of()))));
        list.add(attribute("active", "boolean", false,
                "false: personen markeras som slutad (tas aldrig bort); true: personen är aktiv igen.",
                false, false, "readWrite", "default", "none", List.of()));
        list.add(attribute("groups", "complex", true, "Grupperna (målgrupperna) användaren är medlem i.", false, false,
                "readOnly", "default", "none",
                List.of(attribute("value", "string", false, "Gruppens id.", false, true, "readOnly", "default", "none", List.of()),
                        reference("$ref", "Gruppens adress.", "readOnly", List.of("Group")),
                        text("display", "Gruppens namn.", false, "readOnly"))));
        return list;
    }

    static List<Map<String, Object>> enterpriseAttributes() {
        return List.of(
                attribute("employeeNumber", "string", false,
                        "Anställningsnummer: identifierar personen inom huvudmannen.", false, true, "readWrite", "default",
                        "none", List.of()),
                text("organization",
                        "En del av organisationen (kod, HSA-id eller namn) inom vilken department söks; annars hela tokenens organisation.",
                        false, "readWrite"),
                text("department",
                        "Enheten personen är placerad i: dess kod, HSA-id eller exakta namn inom tokenens organisation.",
                        false, "readWrite"));
    }

    static List<Map<String, Object>> groupAttributes() {
        return List.of(
                attribute("displayName", "string", false,
                        "Målgruppens namn. Målgrupper läggs till och byter namn i Kompetensmål, inte över SCIM.",
                        true, false, "readOnly", "default", "none", List.of()),
                attribute("members", "complex", true, "Användarna som hör till målgruppen.", false, false, "readWrite",
                        "default", "none",
                        List.of(attribute("value", "string", false, "Användarens id.", false, true, "immutable",
                                        "default", "none", List.of()),
                                reference("$ref", "Användarens adress.", "immutable", List.of("User")),
                                text("display", "Användarens namn.", false, "readOnly"),
                                withCanonical(text("type", "Typ av medlem.", false, "immutable"), List.of("User")))));
    }

    private static Map<String, Object> schema(String base, String id, String name, String description,
                                              List<Map<String, Object>> attributes) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schemas", List.of(SCHEMA));
        s.put("id", id);
        s.put("name", name);
        s.put("description", description);
        s.put("attributes", attributes);
        s.put("meta", Map.of("resourceType", "Schema", "location", base + "/Schemas/" + id));
        return s;
    }

    public static List<Map<String, Object>> schemas(String base) {
        return List.of(
                schema(base, USER, "User", "En person i personallistan.", userAttributes()),
                schema(base, ENTERPRISE_USER, "EnterpriseUser", "Anställningsnummer och placering.", enterpriseAttributes()),
                schema(base, GROUP, "Group", "En målgrupp.", groupAttributes()));
    }

    public static Optional<Map<String, Object>> schema(String base, String id) {
        return schemas(base).stream().filter(s -> s.get("id").toString().equalsIgnoreCase(id)).findFirst();
    }

    public static List<Map<String, Object>> resourceTypes(String base) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("schemas", List.of(RESOURCE_TYPE));
        user.put("id", "User");
        user.put("name", "User");
        user.put("endpoint", "/Users");
        user.put("description", "En person i personallistan");
        user.put("schema", USER);
        user.put("schemaExtensions", List.of(Map.of("schema", ENTERPRISE_USER, "required", false)));
        user.put("meta", Map.of("resourceType", "ResourceType", "location", base + "/ResourceTypes/User"));
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("schemas", List.of(RESOURCE_TYPE));
        group.put("id", "Group");
        group.put("name", "Group");
        group.put("endpoint", "/Groups");
        group.put("description", "En målgrupp");
        group.put("schema", GROUP);
        group.put("meta", Map.of("resourceType", "ResourceType", "location", base + "/ResourceTypes/Group"));
        return List.of(user, group);
    }

    public static Map<String, Object> serviceProviderConfig(String base) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("schemas", List.of(SERVICE_PROVIDER_CONFIG));
        c.put("patch", Map.of("supported", true));
        c.put("bulk", Map.of("supported", false, "maxOperations", 0, "maxPayloadSize", 0));
        c.put("filter", Map.of("supported", true, "maxResults", MAX_RESULTS));
        c.put("changePassword", Map.of("supported", false));
        c.put("sort", Map.of("supported", false));
        c.put("etag", Map.of("supported", true));
        c.put("authenticationSchemes", List.of(Map.of("type", "oauthbearertoken", "name", "OAuth Bearer Token",
                "description", "En token som organisationens administratör skapar på sidan SCIM-tokens; den visas en gång.",
                "primary", true)));
        c.put("meta", Map.of("resourceType", "ServiceProviderConfig", "location", base + "/ServiceProviderConfig"));
        return c;
    }

    /** A list response (RFC 7644 section 3.4.2). */
    public static Map<String, Object> listResponse(long total, int startIndex, List<? extends Map<String, Object>> page) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("schemas", List.of(LIST_RESPONSE));
        r.put("totalResults", total);
        r.put("startIndex", startIndex);
        r.put("itemsPerPage", page.size());
        r.put("Resources", page);
        return r;
    }
}
