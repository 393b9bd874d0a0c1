package se.kompetensmal.organization;

import io.micronaut.core.type.Argument;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganizationTreeTest extends ServiceTest {

    @Inject
    OrgNodeRepository nodes;

    String p;
    OrgNode region;
    OrgNode administration;
    OrgNode operation;
    OrgNode ward;
    OrgNode clinic;
    OrgNode otherAdministration;

    @BeforeEach
    void aRegionWithTwoBranches() {
        p = "TREE" + System.nanoTime() + "-";
        region = tree.add(p + "R", "Region Test", OrgNodeKind.REGION, null);
        administration = tree.add(p + "F1", "Hälso- och sjukvården", OrgNodeKind.ADMINISTRATION, region.id());
        operation = tree.add(p + "V1", "Medicinkliniken", OrgNodeKind.OPERATION, administration.id());
        ward = tree.add(p + "E1", "Avdelning 11", OrgNodeKind.UNIT, operation.id());
        clinic = tree.add(p + "E2", "Vårdcentral Norr", OrgNodeKind.UNIT, administration.id());
        otherAdministration = tree.add(p + "F2", "Regionledningen", OrgNodeKind.ADMINISTRATION, region.id());
    }

    @Test
    void subtreeHoldsTheNodeAndEverythingUnderItAndNothingElse() {
        assertEquals(codes("R", "F1", "V1", "E1", "E2", "F2"), codesOf(nodes.findSubtree(region.id())));
        assertEquals(codes("F1", "V1", "E1", "E2"), codesOf(nodes.findSubtree(administration.id())));
        assertEquals(codes("E1"), codesOf(nodes.findSubtree(ward.id())));
        assertEquals(List.of(region.id(), administration.id(), operation.id(), ward.id()),
                nodes.findPathTo(ward.id()).stream().map(OrgNode::id).toList());
        assertTrue(nodes.isWithin(ward.id(), region.id()));
        assertFalse(nodes.isWithin(ward.id(), otherAdministration.id()));
    }

    @Test
    void movingANodeTakesItsWholeSubtreeAlong() {
        tree.change(operation, operation.name(), operation.kind(), otherAdministration.id());

        assertEquals(codes("F2", "V1", "E1"), codesOf(nodes.findSubtree(otherAdministration.id())));
        assertEquals(codes("F1", "E2"), codesOf(nodes.findSubtree(administration.id())));
        assertEquals(List.of(region.id(), otherAdministration.id(), operation.id(), ward.id()),
                nodes.findPathTo(ward.id()).stream().map(OrgNode::id).toList());
        assertEquals(3, sql.number("SELECT depth FROM org_closure WHERE ancestor_id = ? AND descendant_id = ?",
                region.id(), ward.id()));
        assertEquals(closureRowsComputedFromParents(), sql.number(
                "SELECT COUNT(*) FROM org_closure c JOIN org_node n ON n.id = c.descendant_id WHERE n.code LIKE ?", p + "%"));
    }

    @Test
    void subtreeIsOneIndexedRangeScanOnTheClosureTable() {
        String closurePlan = sql.strings("EXPLAIN FORMAT=JSON SELECT n.* FROM org_node n JOIN org_closure c "
                + "ON c.descendant_id = n.id WHERE c.ancestor_id = ?", region.id()).get(0);
        assertTrue(closurePlan.contains("\"key\": \"PRIMARY\""), closurePlan);
        assertFalse(closurePlan.contains("\"access_type\": \"ALL\""), "no full table scan: " + closurePlan);
    }

    @Test
    void apiListsTheSubtreeAndThePathToANode() {
        List<OrgNode> subtree = http.toBlocking().retrieve(
                io.micronaut.http.HttpRequest.GET("/api/organisations/" + administration.id() + "/subtree").bearerAuth(users.admin()),
                Argument.listOf(OrgNode.class));
        assertEquals(codes("F1", "V1", "E1", "E2"), codesOf(subtree));

        OrganizationController.OrgNodeDetail detail = http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET(
                "/api/organisations/" + operation.id()).bearerAuth(users.admin()), OrganizationController.OrgNodeDetail.class);
        assertEquals(List.of("Region Test", "Hälso- och sjukvården", "Medicinkliniken"),
                detail.path().stream().map(OrgNode::name).toList());
        assertEquals(List.of("Avdelning 11"), detail.children().stream().map(OrgNode::name).toList());
    }

    /** Every node has one row per ancestor including itself: depth + 1 rows. */
    private long closureRowsComputedFromParents() {
        return nodes.findSubtree(region.id()).stream().mapToLong(n -> nodes.findPathTo(n.id()).size()).sum();
    }

    private Set<String> codes(String... suffixes) {
        return java.util.Arrays.stream(suffixes).map(s -> p + s).collect(Collectors.toSet());
    }

    private static Set<String> codesOf(List<OrgNode> nodes) {
        return nodes.stream().map(OrgNode::code).collect(Collectors.toSet());
    }
}
