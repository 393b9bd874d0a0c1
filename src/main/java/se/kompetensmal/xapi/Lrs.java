package se.kompetensmal.xapi;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.MalformedURLException;
import java.io.UncheckedIOException;

/** The configured Learning Record Store: a fresh client for each use, as the client keeps its query filters. */
@Singleton
@Requires(property = "kompetensmal.xapi.endpoint", pattern = ".+")
public class Lrs {

    private final String endpoint;
    private final String username;
    private final String password;
    private final String version;

    public Lrs(@Value("${kompetensmal.xapi.endpoint}") String endpoint, @Value("${kompetensmal.xapi.username:}") String username,
               @Value("${kompetensmal.xapi.password:}") String password, @Value("${kompetensmal.xapi.version:1.0.3}") String version) {
        this.endpoint = endpoint;
        this.username = username;
        this.password = password;
        this.version = version;
    }

    LrsClient client() {
        try {
            return new LrsClient(endpoint, username, password, version);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
