package se.kompetensmal.roster;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonStatus;
import se.kompetensmal.people.PersonView;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeopleImportTest extends ServiceTest {

    private static final String HEADER = "hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation;startdatum_roll\n";

    RosterApi api;
    String org;
    long orgId;
    String hsa;

    @BeforeEach
    void anOrganisationOfItsOwn() {
        api = new RosterApi(http.toBlocking(), users.admin());
        long n = System.nanoTime() % 10_000_000_000L;
        org = "T" + n;
        hsa = "SE" + String.format("%010d", n) + "-";
        RosterImportView created = api.organisations("kod;namn;typ;överordnad\n"
                + org + ";Testkommun;kommun;\n"
                + org + "-A;Hemtjänst Öst;enhet;" + org + "\n"
                + org + "-B;Särskilt boende Åsen;enhet;" + org + "\n");
        assertEquals(RosterImportStatus.SUCCEEDED, created.rosterImport().status(), created.toString());
        orgId = sql.number("SELECT id FROM org_node WHERE code = ?", org);
    }

    @Test
    void importCreatesPeopleWithSwedishCharactersAudiencesAndStartDates() {
        RosterImportView result = api.people(HEADER
                + hsa + "1;Åsa;Öberg;asa.oberg@kommun.example;" + org + "-A;NON_LICENSED;2024-03-01;2025-01-15\n"
                + hsa + "2;Göran;Ström;;" + org + "-B;LICENSED|FRONTLINE_MANAGER;2019-08-19;\n", orgId, false);

        assertEquals(RosterImportStatus.SUCCEEDED, result.rosterImport().status(), result.toString());
        assertEquals(2, result.rosterImport().createdCount());
        PersonView asa = person(hsa + "1");
        assertEquals("Åsa", asa.givenName());
        assertEquals("Öberg", asa.familyName());
        assertEquals("Hemtjänst Öst", asa.organisationName());
        assertEquals(List.of("NON_LICENSED"), asa.audiences());
        assertEquals("2024-03-01", asa.orgStartDate().toString());
        assertEquals("2025-01-15", asa.roleStartDate().toString());
        PersonView goran = person(hsa + "2");
        assertEquals(List.of("LICENSED", "FRONTLINE_MANAGER"), goran.audiences());
        assertNull(goran.email());
        assertEquals(goran.orgStartDate(), goran.roleStartDate(), "no role start date means the organisation start date");
        PersonQueries.PeoplePage inOrganisation = http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET(
                "/api/organisations/" + orgId + "/people?size=1").bearerAuth(users.admin()), PersonQueries.PeoplePage.class);
        assertEquals(2, inOrganisation.total());
        assertEquals(List.of("Ström"), inOrganisation.people().stream().map(PersonView::familyName).toList());
    }

    @Test
    void commaSeparatedFileWithQuotedFieldsIsRead() {
        String csv = "hsa_id,fornamn,efternamn,epost,enhet,malgrupper,startdatum_organisation\n"
                + hsa + "1,\"Anna, Maria\",\"Lind \"\"Lotta\"\"\",,\"" + org + "-A\",LICENSED,2020-01-01\n";

        RosterImportView result = api.people(csv, null, false);

        assertEquals(RosterImportStatus.SUCCEEDED, result.rosterImport().status(), result.toString());
        assertEquals("Anna, Maria", person(hsa + "1").givenName());
        assertEquals("Lind \"Lotta\"", person(hsa + "1").familyName());
    }

    @Test
    void fileWithBadRowsIsRejectedWholeWithEveryBadRowReported() {
        RosterImportView result = api.people(HEADER
                + hsa + "1;Anna;Berg;;" + org + "-A;LICENSED;2020-01-01;\n"
                + "SE123;Bo;Ek;;" + org + "-A;LICENSED;2020-01-01;\n"
                + hsa + "3;Cia;Falk;inte-en-adress;" + org + "-X;DOCTORS;2020-13-01;\n"
                + hsa + "1;Dan;Gran;;" + org + "-B;LICENSED;2020-01-01;\n"
                + hsa + "5;;Holm;;" + org + "-B;;2020-01-01;\n", orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertEquals(List.of(
                new RowError(3, "hsa_id", "ogiltigt HSA-id 'SE123' (väntat format: SE2321000016-1003)"),
                new RowError(4, "epost", "ogiltig e-postadress 'inte-en-adress'"),
                new RowError(4, "enhet", "enheten '" + org + "-X' finns inte i den valda organisationen"),
                new RowError(4, "målgrupper", "okänd målgrupp 'DOCTORS'"),
                new RowError(4, "startdatum_organisation", "ogiltigt datum '2020-13-01' (ÅÅÅÅ-MM-DD)"),
                new RowError(5, "förnamn", "raden anger samma person som rad 2 men med ett annat namn"),
                new RowError(6, "förnamn", "förnamn saknas"),
                new RowError(6, "målgrupper", "minst en målgrupp krävs (t.ex. LICENSED)")), result.errors());
        assertEquals(8, result.errorCount());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM person WHERE hsa_id LIKE ?", hsa + "%"),
                "nothing of a rejected file is written, not even its good rows");
    }

    @Test
    void unitsOutsideTheChosenOrganisationAreRefused() {
        RosterImportView other = api.organisations("kod;namn;typ;överordnad\n" + org + "X;Annan kommun;kommun;\n");
        assertEquals(RosterImportStatus.SUCCEEDED, other.rosterImport().status());

        RosterImportView result = api.people(HEADER + hsa + "1;Anna;Berg;;" + org + "X;LICENSED;2020-01-01;\n", orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertEquals("enhet", result.errors().get(0).column());
    }

    @Test
    void reimportUpdatesPeopleByHsaId() {
        api.people(HEADER + hsa + "1;Anna;Berg;;" + org + "-A;LICENSED;2020-01-01;\n", orgId, false);

        RosterImportView again = api.people(HEADER
                + hsa + "1;Anna;Berg-Lund;anna@kommun.example;" + org + "-B;LICENSED|FRONTLINE_MANAGER;2020-01-01;2026-02-01\n"
                + hsa + "2;Bo;Ek;;" + org + "-A;NON_LICENSED;2026-10-01;\n", orgId, false);

        assertEquals(RosterImportStatus.SUCCEEDED, again.rosterImport().status());
        assertEquals(1, again.rosterImport().createdCount());
        assertEquals(1, again.rosterImport().updatedCount());
        PersonView anna = person(hsa + "1");
        assertEquals("Berg-Lund", anna.familyName());
        assertEquals("Särskilt boende Åsen", anna.organisationName());
        assertEquals(List.of("LICENSED", "FRONTLINE_MANAGER"), anna.audiences());
        assertEquals("2026-02-01", anna.roleStartDate().toString());
        assertEquals(1, sql.number("SELECT COUNT(*) FROM person WHERE hsa_id = ?", hsa + "1"));
    }

    @Test
    void fullImportMarksThoseMissingAsLeftAndNeverDeletesThem() {
        api.people(HEADER
                + hsa + "1;Anna;Berg;;" + org + "-A;LICENSED;2020-01-01;\n"
                + hsa + "2;Bo;Ek;;" + org + "-A;LICENSED;2020-01-01;\n"
                + hsa + "3;Cia;Falk;;" + org + "-B;LICENSED;2020-01-01;\n", orgId, false);

        RosterImportView held = api.people(HEADER + hsa + "1;Anna;Berg;;" + org + "-A;LICENSED;2020-01-01;\n", orgId, true);
        assertEquals(RosterImportStatus.AWAITING_CONFIRMATION, held.rosterImport().status(), "two of three leaving is asked about");
        RosterImportView full = api.confirm(held.rosterImport().id());

        assertEquals(RosterImportStatus.SUCCEEDED, full.rosterImport().status());
        assertEquals(2, full.rosterImport().leftCount());
        assertEquals(PersonStatus.ACTIVE, person(hsa + "1").status());
        assertEquals(PersonStatus.LEFT, person(hsa + "2").status());
        assertEquals(PersonStatus.LEFT, person(hsa + "3").status());
        assertTrue(person(hsa + "3").leftOn() != null);
        assertEquals(3, sql.number("SELECT COUNT(*) FROM person WHERE hsa_id LIKE ?", hsa + "%"));

        api.people(HEADER + hsa + "2;Bo;Ek;;" + org + "-A;LICENSED;2020-01-01;\n", orgId, false);
        assertEquals(PersonStatus.ACTIVE, person(hsa + "2").status(), "someone who comes back is active again");
        assertNull(person(hsa + "2").leftOn());
    }

    @Test
    void fullImportLeavesPeopleOfOtherOrganisationsAlone() {
        api.people(HEADER + hsa + "1;Anna;Berg;;" + org + "-A;LICENSED;2020-01-01;\n", orgId, false);
        long activeElsewhere = sql.number("SELECT COUNT(*) FROM person WHERE status = 'ACTIVE' AND hsa_id NOT LIKE ?", hsa + "%");

        api.people(HEADER + hsa + "2;Bo;Ek;;" + org + "-A;LICENSED;2020-01-01;\n", orgId, true);

        assertEquals(activeElsewhere,
                sql.number("SELECT COUNT(*) FROM person WHERE status = 'ACTIVE' AND hsa_id NOT LIKE ?", hsa + "%"));
    }

    @Test
    void anOrganisationsOwnAudienceCanBeAddedAndUsedAtOnce() {
        String code = "STUDENT_" + org;
        http.toBlocking().exchange(io.micronaut.http.HttpRequest.POST("/api/audiences",
                java.util.Map.of("code", code, "nameSv", "Studenter på praktik", "ownerOrganisationId", orgId)).bearerAuth(users.admin()));

        RosterImportView result = api.people(HEADER + hsa + "1;Anna;Berg;;" + org + "-A;" + code + ";2026-09-01;\n", orgId, false);

        assertEquals(RosterImportStatus.SUCCEEDED, result.rosterImport().status(), result.toString());
        assertEquals(List.of(code), person(hsa + "1").audiences());
    }

    @Test
    void fileThatIsNotUtf8IsRejectedWithAClearMessage() {
        byte[] latin1 = (HEADER + hsa + "1;Åsa;Öberg;;" + org + "-A;LICENSED;2020-01-01;\n").getBytes(StandardCharsets.ISO_8859_1);

        RosterImportView result = api.people(latin1, orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertTrue(result.errors().get(0).reason().contains("inte sparad som UTF-8"), result.errors().toString());
    }

    @Test
    void missingColumnsAreNamed() {
        RosterImportView result = api.people("hsa_id;förnamn\n" + hsa + "1;Åsa\n", orgId, false);

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertEquals(new RowError(1, null, "rubrikraden saknar kolumnerna efternamn, enhet, målgrupper, startdatum_organisation"
                + " (kolumner som krävs: förnamn, efternamn, enhet, målgrupper, startdatum_organisation)"), result.errors().get(0));
    }

    private PersonView person(String hsaId) {
        return http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET("/api/people?hsaId=" + hsaId).bearerAuth(users.admin()),
                PersonView.class);
    }
}
