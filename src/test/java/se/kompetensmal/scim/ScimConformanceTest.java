package se.kompetensmal.scim;

import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.messages.PatchRequest;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.EnterpriseUserExtension;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.UserResource;
import com.unboundid.scim2.common.utils.JsonUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.jnh.connector.JavaNetHttpConnectorProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SCIM service provider checked by an independent implementation of SCIM 2.0: the UnboundID (Ping Identity) SCIM 2
 * SDK's client, against the running service over HTTP. Its own model classes read discovery (ServiceProviderConfig,
 * ResourceTypes, Schemas), its own requests create, read, replace, modify (PatchRequest), search (its Filter builder,
 * paging) and delete users and groups, and its own parser reads the error documents (ScimException with the
 * status and scimType, as the exception type the SDK picks for the status). A document it cannot read, or a request it makes that the service misreads, fails the test.
 *
 * <p>The facts: a municipality with two units (codes 2001 and 2002) and a token whose default audience is licensed
 * staff, so that every user created here is a person at once.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScimConformanceTest extends ServiceTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    @Inject
    EmbeddedServer server;
    @Inject
    ScimTokens tokens;

    Client client;
    ScimService scim;
    long municipality;
    long first;
    long second;
    String prefix;

    @BeforeAll
    void theSdkAgainstTheRunningService() {
        prefix = "conf" + System.nanoTime() % 1_000_000_000L;
        municipality = tree.add(prefix.toUpperCase(), "Konformitetskommun", OrgNodeKind.MUNICIPALITY, null).id();
        first = tree.add("2001", "Äldreboende Ekbacken", OrgNodeKind.UNIT, municipality).id();
        second = tree.add("2002", "Äldreboende Lönnen", OrgNodeKind.UNIT, municipality).id();
        long licensed = sql.number("SELECT id FROM audience WHERE code = 'LICENSED'");
        String token = tokens.create(municipality, "Konformitet", licensed, "test").token();
        client = ClientBuilder.newClient(new ClientConfig()
                .connectorProvider(new JavaNetHttpConnectorProvider())
                .register(new JacksonJsonProvider(JsonUtils.createObjectMapper())));
        scim = new ScimService(client.target(server.getURI().resolve("/scim/v2"))
                .register((ClientRequestFilter) request -> request.getHeaders().putSingle("Authorization", "Bearer " + token)));
    }

    @AfterAll
    void closeTheClient() {
        client.close();
    }

    @Test
    void discoveryIsReadByTheSdksModelClasses() throws ScimException {
        ServiceProviderConfigResource config = scim.getServiceProviderConfig();
        assertTrue(config.getPatch().isSupported());
        assertTrue(config.getFilter().isSupported());
        assertEquals(200, config.getFilter().getMaxResults());
        assertTrue(config.getEtag().isSupported());
        assertFalse(config.getBulk().isSupported());
        assertFalse(config.getSort().isSupported());
        assertFalse(config.getChangePassword().isSupported());
        assertEquals("oauthbearertoken", config.getAuthenticationSchemes().get(0).getType());

        ListResponse<ResourceTypeResource> types = scim.getResourceTypes();
        assertEquals(2, types.getTotalResults());
        ResourceTypeResource user = scim.getResourceType("User");
        assertEquals("/Users", user.getEndpoint().toString());
        assertEquals("urn:ietf:params:scim:schemas:core:2.0:User", user.getSchema().toString());
        assertEquals(ENTERPRISE, user.getSchemaExtensions().iterator().next().getSchema().toString());
        assertEquals("/Groups", scim.getResourceType("Group").getEndpoint().toString());

        ListResponse<SchemaResource> schemas = scim.getSchemas();
        assertEquals(Set.of("urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group",
                ENTERPRISE), schemas.getResources().stream().map(SchemaResource::getId).collect(Collectors.toSet()));
        AttributeDefinition userName = attribute(scim.getSchema("urn:ietf:params:scim:schemas:core:2.0:User"), "userName");
        assertTrue(userName.isRequired());
        assertEquals(AttributeDefinition.Uniqueness.SERVER, userName.getUniqueness());
        assertEquals(AttributeDefinition.Mutability.READ_ONLY,
                attribute(scim.getSchema("urn:ietf:params:scim:schemas:core:2.0:User"), "groups").getMutability());
        assertEquals(Set.of("employeeNumber", "organization", "department"),
                names(scim.getSchema(ENTERPRISE).getAttributes()));
    }

    @Test
    void whatAUserShowsIsWhatItsSchemaDeclares() throws ScimException {
        UserResource created = scim.create("Users", user(prefix + "-schema", "Sara", "Schema", "2001"));
        GenericScimResource generic = scim.retrieve("Users", created.getId(), GenericScimResource.class);
        Set<String> shown = new TreeSet<>();
        generic.getObjectNode().fieldNames().forEachRemaining(shown::add);
        shown.removeAll(Set.of("schemas", "id", "externalId", "meta", ENTERPRISE));
        Set<String> declared = names(scim.getSchema("urn:ietf:params:scim:schemas:core:2.0:User").getAttributes());
        assertTrue(declared.containsAll(shown), "shown " + shown + ", declared " + declared);
        Set<String> extension = new TreeSet<>();
        generic.getObjectNode().get(ENTERPRISE).fieldNames().forEachRemaining(extension::add);
        assertTrue(names(scim.getSchema(ENTERPRISE).getAttributes()).containsAll(extension));
    }

    @Test
    void createRetrieveReplaceModifyAndDeleteAUser() throws ScimException {
        UserResource created = scim.create("Users", user(prefix + "-crud", "Karin", "Kvist", "2001"));
        assertNotNull(created.getId());
        assertEquals(server.getURI().resolve("/scim/v2/Users/" + created.getId()), created.getMeta().getLocation());
        assertEquals("User", created.getMeta().getResourceType());
        assertNotNull(created.getMeta().getCreated());
        assertEquals("2001", created.getExtension(EnterpriseUserExtension.class).getDepartment());
        long person = sql.number("SELECT person_id FROM scim_user WHERE resource_id = ?", created.getId());
        assertEquals(List.of(first + " LICENSED"), placements(person), "a person at once, with the token's default audience");

        UserResource read = scim.retrieve("Users", created.getId(), UserResource.class);
        assertEquals(prefix + "-crud@konformitet.se", read.getUserName());
        assertEquals("Karin", read.getName().getGivenName());
        assertEquals(created.getMeta().getVersion(), read.getMeta().getVersion());

        // Replace (PUT to meta.location, as the SDK does): a new display name and the other unit.
        read.setDisplayName("Karin K.");
        EnterpriseUserExtension moved = read.getExtension(EnterpriseUserExtension.class);
        read.setExtension(moved.setDepartment("Äldreboende Lönnen"));
        UserResource replaced = scim.replace(read);
        assertEquals("Karin K.", replaced.getDisplayName());
        assertNotEquals(read.getMeta().getVersion(), replaced.getMeta().getVersion());
        assertEquals(List.of(second + " LICENSED"), placements(person));

        // A replace with the old version in If-Match is refused: 412, nothing changed.
        read.setDisplayName("Gammal läsning");
        ScimException stale = assertThrows(ScimException.class, () -> scim.replaceRequest(read).ifMatch().invoke());
        assertEquals(412, stale.getScimError().getStatus());
        assertEquals("Karin K.", scim.retrieve("Users", created.getId(), UserResource.class).getDisplayName());

        // Modify through the SDK's PatchRequest: a sub-attribute, the extension, and removing an attribute.
        UserResource modified = scim.modifyRequest("Users", created.getId())
                .replaceValue("name.familyName", "Kvist-Lund")
                .replaceValue(ENTERPRISE + ":employeeNumber", "C-77")
                .removeValues("externalId")
                .ifMatch(replaced.getMeta().getVersion())
                .invoke(UserResource.class);
        assertEquals("Kvist-Lund", modified.getName().getFamilyName());
        assertEquals("C-77", modified.getExtension(EnterpriseUserExtension.class).getEmployeeNumber());
        assertNull(modified.getExternalId());
        assertEquals(List.of("Kvist-Lund C-77"), sql.strings("SELECT CONCAT(family_name, ' ', employee_number) FROM person "
                + "WHERE id = ?", person));

        UserResource inactive = scim.modify("Users", created.getId(),
                new PatchRequest(PatchOperation.replace("active", false)), UserResource.class);
        assertEquals(Boolean.FALSE, inactive.getActive());
        assertEquals("LEFT", sql.strings("SELECT status FROM person WHERE id = ?", person).get(0));

        scim.delete("Users", created.getId());
        ScimException gone = assertThrows(ScimException.class,
                () -> scim.retrieve("Users", created.getId(), UserResource.class));
        assertEquals(404, gone.getScimError().getStatus());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM person WHERE id = ?", person), "the person is never deleted");
    }

    @Test
    void searchWithTheSdksFiltersAndPages() throws ScimException {
        String group = prefix + "-sok";
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            UserResource u = user(group + i, "Sökbar" + i, "Person", i % 2 == 0 ? "2002" : "2001");
            ids.add(scim.create("Users", u).getId());
        }
        ListResponse<UserResource> byName = scim.searchRequest("Users")
                .filter(Filter.eq("userName", (group + "3@konformitet.se").toUpperCase())).invoke(UserResource.class);
        assertEquals(1, byName.getTotalResults(), "userName ignores case");
        assertEquals(ids.get(2), byName.getResources().get(0).getId());

        assertEquals(ids.get(3), only(Filter.eq("externalId", "ext-" + group + "4")));
        assertEquals(ids.get(0), only(Filter.eq("emails.value", group + "1@konformitet.se")));
        assertEquals(ids.get(1), only(Filter.and(Filter.sw("userName", group), Filter.eq(ENTERPRISE + ":department", "2002"),
                Filter.eq("name.givenName", "Sökbar2"))));
        assertEquals(ids.get(4), only(Filter.fromString("emails[type eq \"work\" and value co \"" + group + "5\"]")));

        // Pages of two over the five: 2 + 2 + 1, each page saying where it starts, the total the same on each.
        List<String> seen = new ArrayList<>();
        for (int start = 1; start <= 5; start += 2) {
            ListResponse<UserResource> page = scim.searchRequest("Users").filter(Filter.sw("userName", group))
                    .page(start, 2).invoke(UserResource.class);
            assertEquals(5, page.getTotalResults());
            assertEquals(start, page.getStartIndex());
            assertEquals(start == 5 ? 1 : 2, page.getItemsPerPage());
            page.getResources().forEach(u -> seen.add(u.getId()));
        }
        assertEquals(ids, seen);

        // attributes: only what is asked for (and the id).
        ListResponse<GenericScimResource> narrow = scim.searchRequest("Users").filter(Filter.sw("userName", group))
                .attributes("userName").page(1, 1).invoke(GenericScimResource.class);
        Set<String> fields = new TreeSet<>();
        narrow.getResources().get(0).getObjectNode().fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("schemas", "id", "userName"), fields);
    }

    @Test
    void errorsAreReadAsScimErrors() throws ScimException {
        scim.create("Users", user(prefix + "-unik", "Ulla", "Unik", "2001"));
        UserResource sameName = user(prefix + "-annan", "Ulla", "Annan", "2001").setUserName(prefix + "-UNIK@konformitet.se");
        ScimException duplicate = assertThrows(ScimException.class, () -> scim.create("Users", sameName));
        assertEquals(409, duplicate.getScimError().getStatus());
        assertEquals("uniqueness", duplicate.getScimError().getScimType());

        ScimException unknownUnit = assertThrows(ScimException.class,
                () -> scim.create("Users", user(prefix + "-okand", "Olle", "Okänd", "9999")));
        assertEquals(400, unknownUnit.getScimError().getStatus());
        assertEquals("invalidValue", unknownUnit.getScimError().getScimType());
        assertNotNull(unknownUnit.getScimError().getDetail());

        ScimException badFilter = assertThrows(ScimException.class,
                () -> scim.searchRequest("Users").filter("userName eq").invoke(UserResource.class));
        assertEquals(400, badFilter.getScimError().getStatus());
        assertEquals("invalidFilter", badFilter.getScimError().getScimType());

        ScimException missing = assertThrows(ScimException.class,
                () -> scim.retrieve("Users", "finns-inte", UserResource.class));
        assertEquals(404, missing.getScimError().getStatus());
    }

    @Test
    void groupsAreAudiencesWhoseMembersTheSdkChanges() throws ScimException {
        UserResource a = scim.create("Users", user(prefix + "-grp-a", "Gun", "Grupp", "2001"));
        UserResource b = scim.create("Users", user(prefix + "-grp-b", "Gert", "Grupp", "2001"));
        long personA = sql.number("SELECT person_id FROM scim_user WHERE resource_id = ?", a.getId());

        ListResponse<GroupResource> found = scim.searchRequest("Groups")
                .filter(Filter.eq("displayName", "Politiker, förtroendevalda")).invoke(GroupResource.class);
        assertEquals(1, found.getTotalResults());
        GroupResource politicians = found.getResources().get(0);
        assertEquals("POLITICIAN", politicians.getId());

        // PATCH add members through the SDK; the member's placement gets the audience (and loses the default one).
        GroupResource withMembers = scim.modifyRequest("Groups", "POLITICIAN")
                .addValues("members", new Member().setValue(a.getId()), new Member().setValue(b.getId()))
                .invoke(GroupResource.class);
        assertEquals(Set.of(a.getId(), b.getId()), memberIds(withMembers));
        assertEquals(List.of(first + " POLITICIAN"), placements(personA));
        assertEquals("POLITICIAN", scim.retrieve("Users", a.getId(), UserResource.class).getGroups().get(0).getValue());

        // Remove one member with a value filter in the path (the RFC's form).
        GroupResource fewer = scim.modify("Groups", "POLITICIAN", new PatchRequest(PatchOperation.remove(
                "members[value eq \"" + b.getId() + "\"]")), GroupResource.class);
        assertEquals(Set.of(a.getId()), memberIds(fewer));

        // Replace (PUT) sets the members exactly.
        GroupResource read = scim.retrieve("Groups", "POLITICIAN", GroupResource.class);
        read.setMembers(List.of(new Member().setValue(b.getId())));
        assertEquals(Set.of(b.getId()), memberIds(scim.replace(read)));
        assertEquals(List.of(first + " LICENSED"), placements(personA), "out of the group: the default audience again");

        // Audiences are made in Kompetensmål: creating a group is refused; deleting one withdraws the directory's
        // memberships, and the audience stays.
        ScimException create = assertThrows(ScimException.class,
                () -> scim.create("Groups", new GroupResource().setDisplayName("Ny grupp")));
        assertEquals(403, create.getScimError().getStatus());
        scim.delete("Groups", "POLITICIAN");
        GroupResource after = scim.retrieve("Groups", "POLITICIAN", GroupResource.class);
        assertTrue(after.getMembers() == null || after.getMembers().isEmpty());
    }

    private String only(Filter filter) throws ScimException {
        ListResponse<UserResource> found = scim.searchRequest("Users").filter(filter).invoke(UserResource.class);
        assertEquals(1, found.getTotalResults(), filter.toString());
        return found.getResources().get(0).getId();
    }

    private UserResource user(String name, String given, String family, String department) {
        UserResource user = new UserResource().setUserName(name + "@konformitet.se")
                .setName(new Name().setGivenName(given).setFamilyName(family))
                .setEmails(List.of(new Email().setValue(name + "@konformitet.se").setType("work").setPrimary(true)))
                .setActive(true);
        user.setExternalId("ext-" + name);
        user.setExtension(new EnterpriseUserExtension().setDepartment(department));
        return user;
    }

    /** The person's current placements: unit and audiences. */
    private List<String> placements(long person) {
        return sql.strings("SELECT CONCAT(p.org_node_id, ' ', GROUP_CONCAT(a.code ORDER BY a.code)) FROM current_placement p "
                + "JOIN placement_audience pa ON pa.placement_id = p.id JOIN audience a ON a.id = pa.audience_id "
                + "WHERE p.person_id = ? GROUP BY p.id ORDER BY p.org_node_id", person);
    }

    private static Set<String> memberIds(GroupResource group) {
        return group.getMembers() == null ? Set.of() : group.getMembers().stream().map(Member::getValue).collect(Collectors.toSet());
    }

    private static AttributeDefinition attribute(SchemaResource schema, String name) {
        return schema.getAttributes().stream().filter(a -> a.getName().equals(name)).findFirst().orElseThrow();
    }

    private static Set<String> names(Collection<AttributeDefinition> attributes) {
        return attributes.stream().map(AttributeDefinition::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    static TextNode text(String value) {
        return TextNode.valueOf(value);
    }
}
