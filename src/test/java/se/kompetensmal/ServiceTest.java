package se.kompetensmal;

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
}
