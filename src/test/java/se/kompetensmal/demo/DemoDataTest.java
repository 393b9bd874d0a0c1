package se.kompetensmal.demo;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@Property(name = "kompetensmal.demo-data", value = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoDataTest extends ServiceTest {

    private static final String IN_DEMO = """
            FROM person p JOIN org_closure c ON c.descendant_id = p.org_node_id JOIN org_node h ON h.id = c.ancestor_id
            WHERE h.code IN ('SE2321000999', 'SE2120009999') AND p.status = 'ACTIVE'""";

    @Test
    void demoHasARegionAndAMunicipalityWithAboutTwoHundredPeopleInEveryAudience() {
        assertEquals(List.of("MUNICIPALITY", "REGION"),
                sql.strings("SELECT kind FROM org_node WHERE code IN ('SE2321000999', 'SE2120009999') ORDER BY kind"));
        long people = sql.number("SELECT COUNT(*) " + IN_DEMO);
        assertTrue(people >= 150 && people <= 250, people + " people");
        List<String> audiences = sql.strings("SELECT DISTINCT a.code " + IN_DEMO.replace("WHERE",
                "JOIN person_audience pa ON pa.person_id = p.id JOIN audience a ON a.id = pa.audience_id WHERE") + " ORDER BY a.code");
        assertEquals(8, audiences.size(), audiences.toString());
        assertTrue(sql.number("SELECT COUNT(*) FROM org_node n JOIN org_closure c ON c.descendant_id = n.id "
                + "JOIN org_node h ON h.id = c.ancestor_id WHERE h.code = 'SE2321000999' AND n.kind = 'UNIT'") >= 5);
    }

    @Test
    void theIntroductionDayIsASessionModuleDueForTheLearnerWithAnOccasionHeldByTheDemoTrainer() {
        sql.awaitRecomputations();
        assertEquals("SESSION", sql.strings("SELECT source FROM catalogue_module WHERE code = 'introduktionsdag-patientsakerhet'")
                .get(0));
        assertEquals(1, sql.number("""
                SELECT COUNT(*) FROM assignment a JOIN person p ON p.id = a.person_id
                WHERE p.hsa_id = 'SE2321000999-1001' AND a.module_code = 'introduktionsdag-patientsakerhet'
                  AND a.completion_id IS NULL AND a.withdrawn_at IS NULL"""), "due for the demo learner");
        assertEquals(1, sql.number("""
                SELECT COUNT(*) FROM session_occasion o JOIN user_account u ON u.id = o.trainer_account_id
                WHERE o.module_code = 'introduktionsdag-patientsakerhet' AND u.username = 'utbildare'
                  AND o.starts_at > NOW() AND o.cancelled_at IS NULL"""));
        assertTrue(users.signIn("utbildare", "Demo-utbildare-2026") != null, "the demo trainer signs in");
        assertEquals("TRAINER", sql.strings("SELECT g.role FROM role_grant g JOIN user_account u ON u.id = g.account_id "
                + "WHERE u.username = 'utbildare'").get(0));
    }

    @Test
    void startingAgainLoadsNothingTwice() {
        long people = sql.number("SELECT COUNT(*) " + IN_DEMO);
        long imports = sql.number("SELECT COUNT(*) FROM roster_import");
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.put("kompetensmal.demo-data", "true");
        properties.put("micronaut.server.port", -1);

        try (ApplicationContext again = ApplicationContext.run(properties, "test")) {
            assertTrue(again.isRunning());
        }

        assertEquals(people, sql.number("SELECT COUNT(*) " + IN_DEMO));
        assertEquals(imports, sql.number("SELECT COUNT(*) FROM roster_import"));
    }
}
