package se.kompetensmal;

import io.micronaut.runtime.Micronaut;

import java.nio.file.Path;
import java.util.Map;

/**
 * The local run command: an embedded MariaDB 11.4 whose data lives in ./data (kept between runs), the service on
 * http://localhost:8080 and the demo organisation. It lives in the test sources, like the embedded database it starts,
 * so that neither is in the production jar.
 */
public final class DevApplication {

    private DevApplication() {
    }

    public static void main(String[] args) {
        EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of("data", "mariadb").toAbsolutePath(), true);
        Runtime.getRuntime().addShutdownHook(new Thread(db::stop));
        Micronaut.build(args)
                .mainClass(Application.class)
                .properties(Map.of(
                        "datasources.default.url", db.jdbcUrl(),
                        "datasources.default.username", "root",
                        "datasources.default.password", "",
                        "kompetensmal.demo-data", "true"))
                .start();
    }
}
