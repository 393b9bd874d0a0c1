package se.kompetensmal;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import se.kompetensmal.organization.OrganizationTree;

/**
 * What a test of the running service usually needs: an HTTP client to it, signed-in test users, plain SQL to check what
 * was written, and ways to put organisations and people in place. Subclasses carry {@code @MicronautTest}.
 */
public abstract class ServiceTest implements TestDatabase {

    @Inject
    @Client("/")
    protected HttpClient http;

    @Inject
    protected TestUsers users;

    @Inject
    protected TestSql sql;

    @Inject
    protected OrganizationTree tree;

    @Inject
    protected PersonFixture people;

    /**
     * Every test class starts a service of its own on the one test database, and any of them runs whatever recomputation
     * is queued there. A class that leaves one queued or running (a roster import starts one by itself) hands it to the
     * next class's service, whose tests then wait behind it: a 100,000-person recomputation left by the large import held
     * up the next class's first two tests for 114 s. So each class finishes its own before its service stops.
     */
    @AfterAll
    void finishesItsRecomputations() {
        sql.awaitManualAssignments();
        sql.awaitRecomputations(java.time.Duration.ofMinutes(5));
    }

    /**
     * Recomputes the assignments under the node as its coordinator would, and waits until done: for people a test wrote
     * straight to the database, where a roster import would have started the recomputation itself.
     */
    protected void recomputeUnder(long nodeId, String coordinatorToken) {
        sql.awaitRecomputations();
        http.toBlocking().exchange(HttpRequest.POST("/api/organisations/" + nodeId + "/assignments/recompute", "")
                .bearerAuth(coordinatorToken));
        sql.awaitRecomputations();
    }
}
