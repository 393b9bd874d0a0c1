package se.kompetensmal.roster;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The identity rules of the people file: HSA-id, else employee number, else e-mail, within the huvudman; several rows
 * for one person are several placements; every broken rule is a Swedish message on its row and nothing is written.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonIdentityTest extends ServiceTest {

    private static final String HEADER =
            "hsa_id;anstallningsnummer;fornamn;efternamn;epost;enhet;malgrupper;startdatum_organisation;startdatum_roll\n";

    RosterApi api;
    String org;
    String hsa;
    long orgId;

    @BeforeEach
    void aMunicipality() {
        api = new RosterApi(http.toBlocking(), users.admin());
        long n = System.nanoTime() % 10_000_000_000L;
        org = "PI" + n;
        hsa = "SE" + String.format("%010d", n) + "-";
        RosterImportView created = api.organisations("kod;namn;typ;överordnad\n"
                + org + ";Identitetskommun;kommun;\n"
                + "HT;Hemtjänst Väst;enhet;" + org + "\n"
                + "SB;Särskilt boende Ekbacken;enhet;" + org + "\n"
                + "KF;Kommunfullmäktige;enhet;" + org + "\n");
        assertEquals(RosterImportStatus.SUCCEEDED, created.rosterImport().status(), created.toString());
        orgId = sql.number("SELECT id FROM org_node WHERE code = ?", org);
    }

    @Test
    void severalRowsForOnePersonAreSeveralPlacementsEachWithItsOwnAudiencesAndDates() {
        RosterImportView result = api.people(HEADER
                + hsa + "1;;Sara;Lind;sara@kommun.example;HT;LICENSED;2019-04-01;2020-01-01\n"
                + ";5501;Omar;Berg;;SB;NON_LICENSED;2022-06-01;\n"
                + hsa + "1;;Sara;Lind;sara@kommun.example;SB;LICENSED|FRONTLINE_MANAGER;2023-09-01;2024-01-01\n"
                + ";;Eva;Ledamot;eva.ledamot@kommun.example;KF;POLITICIAN;2022-10-15;\n", orgId, false);

        assertEquals(RosterImportStatus.SUCCEEDED, result.rosterImport().status(), result.toString());
        assertEquals(3, result.rosterImport().createdCount(), "three people, four placements");
        long sara = sql.number("SELECT id FROM person WHERE hsa_id = ?", hsa + "1");
        assertEquals(List.of("Hemtjänst Väst|2019-04-01|2020-01-01|LICENSED",
                        "Särskilt boende Ekbacken|2023-09-01|2024-01-01|FRONTLINE_MANAGER,LICENSED"),
                sql.strings("SELECT CONCAT(n.name, '|', pl.org_start_date, '|', pl.role_start_date, '|', "
                        + "(SELECT GROUP_CONCAT(a.code ORDER BY a.code) FROM placement_audience pa JOIN audience a ON a.id = pa.audience_id "
                        + "WHERE pa.placement_id = pl.id)) FROM current_placement pl JOIN org_node n ON n.id = pl.org_node_id "
                        + "WHERE pl.person_id = ? ORDER BY pl.org_start_date", sara));
        assertEquals("HT", sql.strings("SELECT n.code FROM person p JOIN org_node n ON n.id = p.org_node_id WHERE p.id = ?", sara).get(0),
                "the earliest placement is the home");
        assertEquals(List.of("FRONTLINE_MANAGER", "LICENSED"), sql.strings("SELECT a.code FROM person_audience pa "
                + "JOIN audience a ON a.id = pa.audience_id WHERE pa.person_id = ? ORDER BY a.code", sara));
        assertEquals(orgId, sql.number("SELECT huvudman_id FROM person WHERE employee_number = '5501' AND huvudman_id = ?", orgId));
        long eva = sql.number("SELECT id FROM person WHERE email = 'eva.ledamot@kommun.example' AND huvudman_id = ?", orgId);
        assertNull(sql.strings("SELECT hsa_id FROM person WHERE id = ?", eva).get(0), "a politician without HSA-id");

        // The next file moves Sara out of Hemtjänst Väst: that placement ends (kept), the other stays; Omar gets an
        // HSA-id and is still the same person, found by his employee number.
        RosterImportView next = api.people(HEADER
                + hsa + "1;;Sara;Lind;sara@kommun.example;SB;LICENSED|FRONTLINE_MANAGER;2023-09-01;2024-01-01\n"
                + hsa + "2;5501;Omar;Berg;;SB;NON_LICENSED;2022-06-01;\n", orgId, false);
        assertEquals(RosterImportStatus.SUCCEEDED, next.rosterImport().status(), next.toString());
        assertEquals(0, next.rosterImport().createdCount());
        assertEquals(2, next.rosterImport().updatedCount());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM current_placement WHERE person_id = ?", sara));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM placement WHERE person_id = ? AND ended_on IS NOT NULL", sara));
        assertEquals("SB", sql.strings("SELECT n.code FROM person p JOIN org_node n ON n.id = p.org_node_id WHERE p.id = ?", sara).get(0));
        assertEquals("5501", sql.strings("SELECT employee_number FROM person WHERE hsa_id = ?", hsa + "2").get(0));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM person WHERE employee_number = '5501' AND huvudman_id = ?", orgId));
    }

    @Test
    void everyBrokenIdentityRuleIsASwedishMessageOnItsRowAndNothingIsWritten() {
        RosterImportView result = api.people(HEADER
                + ";;Ingen;Identitet;;HT;LICENSED;2020-01-01;\n"
                + hsa + "1;;Anna;Ek;anna@kommun.example;HT;LICENSED;2020-01-01;\n"
                + hsa + "1;;Anna;Ek;anna@kommun.example;HT;NON_LICENSED;2021-01-01;\n"
                + ";;Bo;Ledamot;delad@kommun.example;KF;POLITICIAN;2020-01-01;\n"
                + ";6102;Cia;Ledamot;Delad@kommun.example;KF;POLITICIAN;2020-01-01;\n"
                + ";6001;Dan;Ås;;HT;LICENSED;2020-01-01;\n"
                + hsa + "9;6001;Dina;Ås;;SB;LICENSED;2020-01-01;\n"
                + hsa + "1;;Annika;Ek;anna@kommun.example;SB;LICENSED;2020-01-01;\n", orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertEquals(List.of(
                new RowError(2, "epost", "personen saknar identitet: e-postadress krävs när både HSA-id och anställningsnummer saknas"),
                new RowError(4, "enhet", "personen är redan placerad på enheten Hemtjänst Väst på rad 3"),
                new RowError(6, "epost", "e-postadressen Delad@kommun.example används redan av en annan person på rad 5"),
                new RowError(8, "anställningsnummer", "anställningsnumret 6001 finns redan på rad 7 för en person med ett annat HSA-id"),
                new RowError(9, "förnamn", "raden anger samma person som rad 3 men med ett annat namn")), result.errors());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM person WHERE huvudman_id = ?", orgId), "nothing of a rejected file is written");
    }

    @Test
    void aFileMayNotGiveSomeoneElsesEmployeeNumberToAPersonWithAnotherHsaId() {
        api.people(HEADER + hsa + "1;7001;Anna;Ek;;HT;LICENSED;2020-01-01;\n", orgId, false);

        RosterImportView result = api.people(HEADER + hsa + "2;7001;Bo;Ek;;HT;LICENSED;2020-01-01;\n", orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertEquals(List.of(new RowError(2, "anställningsnummer", "anställningsnumret 7001 hör till en person med ett annat HSA-id ("
                + hsa + "1)")), result.errors());
    }
}
