package se.kompetensmal.player;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.xapi.OutboxSender;
import se.kompetensmal.xapi.TestLrs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The statements a played package gives (ADL's SCORM profile: launched, initialized, completed, passed/failed,
 * suspended, terminated, with score and duration) are accepted and stored as written by a real LRS, which validates
 * them strictly.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScormStatementsLrsTest extends ServiceTest {

    private TestLrs lrs;

    @Inject
    EmbeddedServer server;

    @Inject
    ScormAttempts attempts;

    @Inject
    PackageFixture packages;

    @Inject
    OutboxSender sender;

    @Override
    public Map<String, String> getProperties() {
        if (lrs == null) {
            lrs = TestLrs.start();
        }
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.putAll(Map.of("kompetensmal.xapi.endpoint", lrs.endpoint(), "kompetensmal.xapi.username", TestLrs.USER,
                "kompetensmal.xapi.password", TestLrs.PASSWORD, "kompetensmal.xapi.interval", "1h",
                "kompetensmal.xapi.longest-wait", "1s", "kompetensmal.public-url", "https://kompetensmal.test"));
        return properties;
    }

    @AfterAll
    void stopTheLrs() {
        lrs.close();
    }

    @Test
    void everyStatementOfAPlayedPackageIsStoredAsWritten() {
        PackageFixture.Published published = packages.publish("2004-4", List.of(PackageFixture.Sco.plain("intro", "Intro"),
                new PackageFixture.Sco("prov", "Prov", null, "0.8")));
        long learner = packages.learner(published, "Lrs");
        ScormAttempts.Attempt attempt = attempts.openOrStart(learner, published.code());
        PackagePlayer intro = new PackagePlayer("http://127.0.0.1:" + server.getPort(),
                attempts.issueToken(attempt.id(), learner, false), published.items().get(0));
        intro.initialize();
        intro.set("cmi.exit", "suspend");
        intro.set("cmi.session_time", "PT1M30S");
        intro.terminate();
        intro.reload();
        intro.initialize();
        intro.set("cmi.completion_status", "completed");
        intro.terminate();
        PackagePlayer prov = intro.sco(published.items().get(1));
        prov.initialize();
        prov.set("cmi.completion_status", "completed");
        prov.set("cmi.score.scaled", "0.85");
        prov.terminate();

        sender.deliverAll();

        List<String> ids = sql.strings("SELECT statement_id FROM xapi_outbox WHERE person_id = ? ORDER BY id", learner);
        assertEquals(List.of("launched", "initialized", "suspended", "terminated", "initialized", "completed", "terminated",
                "initialized", "completed", "passed", "terminated", "passed", "completed"),
                sql.strings("SELECT verb FROM xapi_outbox WHERE person_id = ? ORDER BY id", learner));
        assertEquals(List.of("SENT"), sql.strings("SELECT DISTINCT status FROM xapi_outbox WHERE person_id = ?", learner),
                sql.strings("SELECT last_error FROM xapi_outbox WHERE person_id = ? AND status <> 'SENT'", learner).toString());
        String registration = sql.strings("SELECT registration FROM scorm_attempt WHERE id = ?", attempt.id()).get(0);
        for (String id : ids) {
            JsonObject sent = JsonParser.parseString(sql.strings("SELECT payload FROM xapi_outbox WHERE statement_id = ?", id)
                    .get(0)).getAsJsonObject();
            JsonObject stored = JsonParser.parseString(lrs.get("statements?statementId=" + id).body()).getAsJsonObject();
            // The LRS adds objectType to the object; everything written is kept.
            stored.getAsJsonObject("object").remove("objectType");
            for (String field : List.of("verb", "object", "result")) {
                assertEquals(normalised(sent.get(field)), normalised(stored.get(field)), field + " of " + sent);
            }
            assertEquals(registration, stored.getAsJsonObject("context").get("registration").getAsString());
            assertEquals(sent.getAsJsonObject("context").get("registration"),
                    stored.getAsJsonObject("context").get("registration"));
        }
    }

    /** The JSON with numbers compared by value (the LRS writes -1.0 as -1). */
    private static Object normalised(com.google.gson.JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element.isJsonObject()) {
            Map<String, Object> map = new java.util.TreeMap<>();
            element.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), normalised(e.getValue())));
            return map;
        }
        if (element.isJsonArray()) {
            List<Object> list = new java.util.ArrayList<>();
            element.getAsJsonArray().forEach(e -> list.add(normalised(e)));
            return list;
        }
        return element.getAsJsonPrimitive().isNumber() ? element.getAsBigDecimal().stripTrailingZeros() : element.getAsString();
    }
}
