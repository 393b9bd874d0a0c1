package se.kompetensmal.xapi;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.ExemptionsGranted;
import se.kompetensmal.routines.ManualAssignments;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An exemption's "waived" statement is written by xapi once the exemption has committed (routines publishes
 * {@link ExemptionsGranted}), with a statement id derived from the exemption and its grant: published again, or left for
 * the background job by an instance that died, it is stored once; a replaced exemption is a statement of its own. It
 * names the module's latest version by version number, not by the highest id.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExemptionRecordsTest extends ServiceTest {

    private static final String MODULE = "basala-hygienrutiner";

    @Inject
    ManualAssignments manual;

    @Inject
    ExemptionRecords records;

    @Test
    void anExemptionIsRecordedOnceWithAnIdDerivedFromItHoweverOftenItIsPublishedOrSwept() {
        long anna = person("Anna");
        manual.exempt(anna, MODULE, "Gått utbildningen hos förra arbetsgivaren", null, "samordnare");
        long exemption = sql.number("SELECT id FROM exemption WHERE person_id = ? AND module_code = ?", anna, MODULE);
        List<String> first = waived(anna);
        assertEquals(List.of(derivedId(exemption)), first);
        assertEquals(1, sql.number("SELECT COUNT(*) FROM exemption WHERE id = ? AND announced", exemption));

        // Published again, and as if an instance had died before marking it: the background job finds it too.
        records.onExemptionsGranted(new ExemptionsGranted(Set.of(exemption)));
        sql.update("UPDATE exemption SET announced = FALSE WHERE id = ?", exemption);
        records.onExemptionsGranted(new ExemptionsGranted(Set.of(exemption)));
        sql.update("UPDATE exemption SET announced = FALSE WHERE id = ?", exemption);
        records.run();

        assertEquals(first, waived(anna), "one statement for the exemption");
        assertEquals(0, sql.number("SELECT COUNT(*) FROM exemption WHERE id = ? AND NOT announced", exemption));
    }

    @Test
    void theStatementNamesTheLatestVersionByItsNumberEvenWhenAnOlderVersionHasTheHigherId() {
        long bo = person("Bo");
        String code = "exm-" + System.nanoTime();
        // Version 2 stored first, version 1 after it (a higher id): as ids step by a Galera cluster's size, or an older
        // content stored after a newer one.
        sql.update("""
                INSERT INTO catalogue_module (code, source, owner_org_id)
                SELECT ?, 'EDITOR', org_node_id FROM placement WHERE person_id = ? LIMIT 1""", code, bo);
        for (int version : List.of(2, 1)) {
            sql.update("""
                    INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash)
                    VALUES (?, ?, ?, 'Sammanfattning', 10, 80, ?)""", code, version, "Modul v" + version,
                    "%064d".formatted(version));
        }
        sql.update("""
                INSERT INTO exemption (person_id, module_code, reason, granted_by) VALUES (?, ?, 'Motsvarande utbildning', 'test')""",
                bo, code);

        records.run();

        String payload = sql.strings("SELECT payload FROM xapi_outbox WHERE person_id = ? AND verb = 'waived'", bo).get(0);
        JsonObject statement = JsonParser.parseString(payload).getAsJsonObject();
        assertEquals(List.of(2), statement.getAsJsonObject("context").getAsJsonObject("extensions").entrySet().stream()
                .filter(e -> e.getKey().endsWith(LearningRecords.VERSION_EXTENSION)).map(e -> e.getValue().getAsInt()).toList());
        assertEquals("Modul v2", statement.getAsJsonObject("object").getAsJsonObject("definition").getAsJsonObject("name")
                .get("sv-SE").getAsString());
    }

    private String derivedId(long exemption) {
        long granted = sql.number("SELECT UNIX_TIMESTAMP(granted_at) FROM exemption WHERE id = ?", exemption);
        return UUID.nameUUIDFromBytes(("kompetensmal:exemption:" + exemption + ":" + granted).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private List<String> waived(long personId) {
        return sql.strings("SELECT statement_id FROM xapi_outbox WHERE person_id = ? AND verb = 'waived' ORDER BY id", personId);
    }

    private long person(String name) {
        long unit = tree.add("EXM" + System.nanoTime(), "Enhet " + name, OrgNodeKind.UNIT, null).id();
        LocalDate start = LocalDate.now(SwedishTime.ZONE).minusYears(1);
        return people.create(PersonFixture.hsaPrefix() + "1", name, "Undantagen", null, unit, start, start, "LICENSED");
    }
}
