package se.kompetensmal.roster;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganisationImportTest extends ServiceTest {

    private static final String HEADER = "kod;namn;typ;överordnad\n";

    @Inject
    OrgNodeRepository nodes;

    RosterApi api;
    String p;

    @BeforeEach
    void setUp() {
        api = new RosterApi(http.toBlocking(), users.admin());
        p = "ORG" + System.nanoTime() + "-";
    }

    @Test
    void treeIsBuiltEvenWhenChildrenComeBeforeTheirParents() {
        RosterImportView result = api.organisations(HEADER
                + p + "E1;Avdelning 11;enhet;" + p + "V1\n"
                + p + "V1;Medicinkliniken;verksamhet;" + p + "F1\n"
                + p + "F1;Hälso- och sjukvårdsförvaltningen;Förvaltning;" + p + "R\n"
                + p + "R;Region Prov;REGION;\n");

        assertEquals(RosterImportStatus.SUCCEEDED, result.rosterImport().status(), result.toString());
        assertEquals(4, result.rosterImport().createdCount());
        OrgNode unit = nodes.findByCode(p + "E1").orElseThrow();
        assertEquals(List.of("Region Prov", "Hälso- och sjukvårdsförvaltningen", "Medicinkliniken", "Avdelning 11"),
                nodes.findPathTo(unit.id()).stream().map(OrgNode::name).toList());
    }

    @Test
    void reimportRenamesAndMovesNodesWithTheirSubtrees() {
        api.organisations(HEADER + p + "R;Region Prov;region;\n" + p + "F1;Förvaltning 1;förvaltning;" + p + "R\n"
                + p + "F2;Förvaltning 2;förvaltning;" + p + "R\n" + p + "V1;Verksamhet;verksamhet;" + p + "F1\n"
                + p + "E1;Enhet;enhet;" + p + "V1\n");

        RosterImportView moved = api.organisations(HEADER + p + "V1;Verksamhet (ny);verksamhet;" + p + "F2\n");

        assertEquals(RosterImportStatus.SUCCEEDED, moved.rosterImport().status(), moved.toString());
        assertEquals(1, moved.rosterImport().updatedCount());
        long f2 = nodes.findByCode(p + "F2").orElseThrow().id();
        assertEquals(List.of(p + "F2", p + "V1", p + "E1"), nodes.findSubtree(f2).stream().map(OrgNode::code).toList());
        assertEquals("Verksamhet (ny)", nodes.findByCode(p + "V1").orElseThrow().name());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM org_closure c JOIN org_node a ON a.id = c.ancestor_id "
                + "JOIN org_node d ON d.id = c.descendant_id WHERE a.code = ? AND d.code = ?", p + "F1", p + "E1"));
    }

    @Test
    void badRowsAreAllReportedAndNothingIsWritten() {
        api.organisations(HEADER + p + "R;Region Prov;region;\n" + p + "V1;Verksamhet;verksamhet;" + p + "R\n"
                + p + "E1;Enhet;enhet;" + p + "V1\n");

        RosterImportView result = api.organisations(HEADER
                + p + "NY;Ny enhet;enhet;" + p + "R\n"
                + p + "K;Kommun;kommun;" + p + "R\n"
                + p + "E2;Enhet 2;avdelning;" + p + "V1\n"
                + p + "E3;Enhet 3;enhet;\n"
                + p + "E4;Enhet 4;enhet;" + p + "SAKNAS\n"
                + p + "V1;Verksamhet;verksamhet;" + p + "E1\n"
                + p + "NY;Dubblett;enhet;" + p + "R\n");

        assertEquals(RosterImportStatus.REJECTED, result.rosterImport().status());
        assertEquals(List.of(
                new RowError(3, "överordnad", "kommun har ingen överordnad (en huvudman kan ligga under nationell nivå, en stadsdel under en kommun)"),
                new RowError(4, "typ", "okänd typ 'avdelning' (nationell nivå, region, kommun, stadsdel, vårdgivare, förvaltning, verksamhet eller enhet)"),
                new RowError(5, "överordnad", "enhet måste ha en överordnad"),
                new RowError(6, "överordnad", "den överordnade '" + p + "SAKNAS' finns varken i filen eller i systemet"),
                new RowError(7, "överordnad", "'" + p + "E1' ligger under " + p + "V1; det skulle bli en cirkel i organisationsträdet"),
                new RowError(8, "kod", "koden " + p + "NY finns redan på rad 2")), result.errors());
        assertEquals(0, sql.number("SELECT COUNT(*) FROM org_node WHERE code = ?", p + "NY"));
    }
}
