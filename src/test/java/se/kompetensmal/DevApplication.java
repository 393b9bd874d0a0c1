package se.kompetensmal;

import io.micronaut.runtime.Micronaut;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The local run command: an embedded MariaDB 11.4 whose data lives in ./data (kept between runs, wherever the checkout
 * is), the service on http://localhost:8080 and the demo organisation. With {@code DATASOURCES_DEFAULT_URL} set it uses
 * that database instead and starts none (the embedded server exists for Linux x86-64 only). It lives in the test sources,
 * like the embedded database it starts, so that neither is in the production jar.
 */
public final class DevApplication {

    private DevApplication() {
    }

    public static void main(String[] args) {
        // A random signing key per start is fine for one local instance (production requires a shared one).
        Map<String, Object> properties = new HashMap<>(Map.of("kompetensmal.demo-data", "true",
                "kompetensmal.require-shared-secret", "false",
                "micronaut.security.token.jwt.signatures.secret.generator.secret",
                System.getenv().getOrDefault("KOMPETENSMAL_JWT_SECRET", java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID())));
        String external = System.getenv("DATASOURCES_DEFAULT_URL");
        if (external == null || external.isBlank()) {
            EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of("data", "mariadb").toAbsolutePath(), true);
            Runtime.getRuntime().addShutdownHook(new Thread(db::stop));
            properties.putAll(Map.of(
                    "datasources.default.url", db.jdbcUrl(),
                    "datasources.default.username", "root",
                    "datasources.default.password", ""));
        }
        Micronaut.build(args)
                .mainClass(Application.class)
                .properties(properties)
                .start();
    }
}
