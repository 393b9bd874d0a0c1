package se.kompetensmal.roster;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrganizationController;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two municipalities in one instance that both call a unit "1001": the organisation import keeps them apart (codes are
 * unique within a huvudman), each municipality's people file places its staff in its own 1001, the API finds each by
 * huvudman and code or by the unit's HSA-id, and an instance-wide people file must say which huvudman it means.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedUnitCodesTest extends ServiceTest {

    private static final String PEOPLE = "anstallningsnummer;fornamn;efternamn;epost;enhet;malgrupper;startdatum_organisation\n";

    RosterApi api;
    String north;
    String south;
    String unitHsaId;
    long northId;
    long southId;

    @BeforeAll
    void twoMunicipalitiesWithTheSameUnitCode() {
        api = new RosterApi(http.toBlocking(), users.admin());
        long n = System.nanoTime() % 1_000_000_000L;
        north = "NK" + n;
        south = "SK" + n;
        unitHsaId = "SE" + String.format("%010d", n) + "-E1001";
        RosterImportView created = api.organisations("kod;namn;typ;överordnad;hsa_id\n"
                + north + ";Norrby kommun;kommun;;\n"
                + "1001;Hemtjänst Norrby;enhet;" + north + ";\n"
                + south + ";Söderby kommun;kommun;;\n"
                + "1001;Hemtjänst Söderby;enhet;" + south + ";" + unitHsaId + "\n");
        assertEquals(RosterImportStatus.SUCCEEDED, created.rosterImport().status(), created.toString());
        assertEquals(4, created.rosterImport().createdCount());
        northId = sql.number("SELECT id FROM org_node WHERE code = ?", north);
        southId = sql.number("SELECT id FROM org_node WHERE code = ?", south);
    }

    @Test
    void eachMunicipalityHasItsOwnUnit1001() {
        long northUnit = unit(northId);
        long southUnit = unit(southId);
        assertNotEquals(northUnit, southUnit);
        assertEquals("Hemtjänst Norrby", sql.strings("SELECT name FROM org_node WHERE id = ?", northUnit).get(0));
        assertEquals(northId, sql.number("SELECT huvudman_id FROM org_node WHERE id = ?", northUnit));
        assertEquals(southId, sql.number("SELECT code_scope_id FROM org_node WHERE id = ?", southUnit));

        RosterImportView noParent = api.organisations("kod;namn;typ;överordnad;huvudman\n"
                + "1001;Hemtjänst Söderby;enhet;;" + south + "\n");
        assertEquals(RosterImportStatus.REJECTED, noParent.rosterImport().status(), "a unit must name its parent");

        // The same codes again rename within each municipality instead of creating or clashing.
        RosterImportView renamed = api.organisations("kod;namn;typ;överordnad;huvudman\n"
                + "1001;Hemtjänst Norrby centrum;enhet;" + north + ";" + north + "\n"
                + "1001;Hemtjänst Söderby;enhet;" + south + ";\n");
        assertEquals(RosterImportStatus.SUCCEEDED, renamed.rosterImport().status(), renamed.toString());
        assertEquals(2, renamed.rosterImport().updatedCount());
        assertEquals("Hemtjänst Norrby centrum", sql.strings("SELECT name FROM org_node WHERE id = ?", northUnit).get(0));
        assertEquals(2, sql.number("SELECT COUNT(*) FROM org_node WHERE code = '1001' AND huvudman_id IN (?, ?)", northId, southId));
    }

    @Test
    void eachMunicipalitysFilePlacesItsStaffInItsOwn1001() {
        RosterImportView northFile = api.people(PEOPLE + "7001;Nils;Norr;nils@norrby.example;1001;NON_LICENSED;2021-01-01\n",
                northId, false);
        RosterImportView southFile = api.people(PEOPLE + "7001;Siv;Söder;siv@soderby.example;1001;LICENSED;2022-02-02\n",
                southId, false);

        assertEquals(RosterImportStatus.SUCCEEDED, northFile.rosterImport().status(), northFile.toString());
        assertEquals(RosterImportStatus.SUCCEEDED, southFile.rosterImport().status(), southFile.toString());
        // The same employee number in two municipalities is two people: it is unique within a huvudman only.
        assertEquals(unit(northId), sql.number("SELECT org_node_id FROM person WHERE employee_number = '7001' AND huvudman_id = ?", northId));
        assertEquals(unit(southId), sql.number("SELECT org_node_id FROM person WHERE employee_number = '7001' AND huvudman_id = ?", southId));
        assertEquals("Siv", sql.strings("SELECT given_name FROM person WHERE employee_number = '7001' AND huvudman_id = ?", southId).get(0));
        assertEquals(unit(southId), sql.number("SELECT pl.org_node_id FROM current_placement pl JOIN person p ON p.id = pl.person_id "
                + "WHERE p.employee_number = '7001' AND p.huvudman_id = ?", southId));

        // A unit named by its HSA-id works as well as its code.
        RosterImportView byHsaId = api.people(PEOPLE + "7002;Sara;Sand;;" + unitHsaId + ";LICENSED;2023-03-03\n", southId, false);
        assertEquals(RosterImportStatus.SUCCEEDED, byHsaId.rosterImport().status(), byHsaId.toString());
        assertEquals(unit(southId), sql.number("SELECT org_node_id FROM person WHERE employee_number = '7002' AND huvudman_id = ?", southId));
    }

    @Test
    void anInstanceWideFileNamesTheHuvudmanWhereACodeIsShared() {
        RosterImportView ambiguous = api.people(PEOPLE + "8001;Anna;Ek;;1001;LICENSED;2020-01-01\n", null, false);
        assertEquals(RosterImportStatus.REJECTED, ambiguous.rosterImport().status());
        RowError error = ambiguous.errors().get(0);
        assertEquals("enhet", error.column());
        assertTrue(error.reason().contains("används av flera huvudmän") && error.reason().contains(north)
                && error.reason().contains(south), error.reason());

        RosterImportView named = api.people("anstallningsnummer;fornamn;efternamn;epost;enhet;huvudman;malgrupper;startdatum_organisation\n"
                + "8001;Anna;Ek;;1001;" + south + ";LICENSED;2020-01-01\n"
                + "8001;Arne;Ek;;1001;" + north + ";LICENSED;2020-01-01\n", null, false);
        assertEquals(RosterImportStatus.SUCCEEDED, named.rosterImport().status(), named.toString());
        assertEquals(unit(southId), sql.number("SELECT org_node_id FROM person WHERE employee_number = '8001' AND huvudman_id = ?", southId));
        assertEquals(unit(northId), sql.number("SELECT org_node_id FROM person WHERE employee_number = '8001' AND huvudman_id = ?", northId));
    }

    @Test
    void theApiFindsAUnitByHuvudmanAndCodeOrByHsaId() {
        OrganizationController.OrgNodeDetail southUnit = lookup("huvudman=" + south + "&code=1001");
        assertEquals("Hemtjänst Söderby", southUnit.node().name());
        assertEquals(List.of("Söderby kommun", "Hemtjänst Söderby"), southUnit.path().stream().map(n -> n.name()).toList());
        assertEquals(unit(northId), lookup("huvudman=" + north + "&code=1001").node().id());
        assertEquals(unit(southId), lookup("hsaId=" + unitHsaId).node().id());

        HttpClientResponseException shared = assertThrows(HttpClientResponseException.class, () -> lookup("code=1001"));
        assertEquals(HttpStatus.CONFLICT, shared.getStatus(), "a code alone does not tell the two apart");
        HttpClientResponseException none = assertThrows(HttpClientResponseException.class,
                () -> lookup("huvudman=" + south + "&code=9999"));
        assertEquals(HttpStatus.NOT_FOUND, none.getStatus());
    }

    private OrganizationController.OrgNodeDetail lookup(String query) {
        return http.toBlocking().retrieve(HttpRequest.GET("/api/organisations/lookup?" + query).bearerAuth(users.admin()),
                OrganizationController.OrgNodeDetail.class);
    }

    private long unit(long municipality) {
        return sql.number("SELECT id FROM org_node WHERE code = '1001' AND huvudman_id = ?", municipality);
    }
}
