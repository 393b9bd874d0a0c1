package se.kompetensmal;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Inject;
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
