package se.kompetensmal.catalog;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Loads {@code courses/} when the service starts. Created eagerly, so that invalid content stops the start with a message
 * naming each file and problem instead of a service running on half a catalogue.
 */
@Context
public class CatalogueLoader {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogueLoader.class);

    private final Path coursesDir;
    private final AudienceRepository audiences;
    private final CatalogueStore store;
    private volatile CatalogueState state;

    public CatalogueLoader(@Value("${kompetensmal.courses-dir}") String coursesDir, AudienceRepository audiences,
                           CatalogueStore store) {
        this.coursesDir = Path.of(coursesDir);
        this.audiences = audiences;
        this.store = store;
        load();
    }

    /** What was loaded at start-up, for the health check and the catalogue pages. */
    public record CatalogueState(String coursesDir, String catalogueVersion, int goals, int modules, Instant loadedAt) {
    }

    public CatalogueState load() {
        Set<String> audienceCodes = new HashSet<>();
        audiences.findAll().forEach(a -> audienceCodes.add(a.code()));
        CourseContent content = CourseContentReader.read(coursesDir, audienceCodes);
        CatalogueStore.LoadResult result = store.store(content);
        LOG.info("Kursinnehåll laddat från {}: katalogversion {}, {} mål, {} moduler, nya versioner: {}",
                coursesDir.toAbsolutePath(), content.catalogueVersion(), result.goals(), result.modules(),
                result.newModuleVersions().isEmpty() ? "inga" : String.join(", ", result.newModuleVersions()));
        state = new CatalogueState(coursesDir.toAbsolutePath().toString(), content.catalogueVersion(), result.goals(),
                result.modules(), Instant.now());
        return state;
    }

    public CatalogueState state() {
        return state;
    }
}
