package se.kompetensmal.catalog;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.sql.Retried;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Loads {@code courses/} when the service starts. Created eagerly, so that invalid content stops the start with a message
 * naming each file and problem instead of a service running on half a catalogue. Every instance reads and checks its
 * content, but it is stored once per change across all instances, and never over newer content
 * ({@link CatalogueStore#storeOnce}): of several instances starting at once one stores, and an older instance during a
 * rolling deploy leaves the newer content alone.
 */
@Context
public class CatalogueLoader {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogueLoader.class);

    private final Path coursesDir;
    private final AudienceRepository audiences;
    private final CatalogueStore store;
    private volatile CatalogueState state;

    private final String instanceName;

    public CatalogueLoader(@Value("${kompetensmal.courses-dir}") String coursesDir, AudienceRepository audiences,
                           CatalogueStore store, @Value("${kompetensmal.instance-name:}") String instanceName) {
        this.coursesDir = Path.of(coursesDir);
        this.audiences = audiences;
        this.store = store;
        this.instanceName = instanceName.isBlank() ? hostName() : instanceName;
        load();
    }

    /** What was loaded at start-up, for the health check and the catalogue pages. */
    public record CatalogueState(String coursesDir, String catalogueVersion, int goals, int modules, Instant loadedAt) {
    }

    public CatalogueState load() {
        Set<String> audienceCodes = new HashSet<>();
        audiences.findAll().forEach(a -> audienceCodes.add(a.code()));
        CourseContent content = CourseContentReader.read(coursesDir, audienceCodes);
        CatalogueStore.Load load = storeOnce(content);
        CatalogueStore.LoadResult result = load.result();
        switch (load.loaded()) {
            case STORED -> LOG.info("Kursinnehåll laddat från {}: katalogversion {}, {} mål, {} moduler, nya versioner: {}",
                    coursesDir.toAbsolutePath(), content.catalogueVersion(), result.goals(), result.modules(),
                    result.newModuleVersions().isEmpty() ? "inga" : String.join(", ", result.newModuleVersions()));
            case ALREADY_STORED -> LOG.info("Kursinnehållet i {} (katalogversion {}) är redan sparat",
                    coursesDir.toAbsolutePath(), content.catalogueVersion());
            case REPLACED_SINCE, OLDER_VERSION -> LOG.warn("Kursinnehållet i {} (katalogversion {}) är äldre än det som är"
                    + " sparat (katalogversion {}) och sparas inte", coursesDir.toAbsolutePath(), content.catalogueVersion(),
                    load.storedVersion());
        }
        state = new CatalogueState(coursesDir.toAbsolutePath().toString(), content.catalogueVersion(), result.goals(),
                result.modules(), Instant.now());
        return state;
    }

    /**
     * The store, again when the database rolled it back (a certification conflict with another instance storing at the
     * same moment) or another instance changed the stored content meanwhile: the next attempt finds what is stored now.
     */
    CatalogueStore.Load storeOnce(CourseContent content) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Retried.whenRolledBack(5, () -> store.storeOnce(content, instanceName));
            } catch (CatalogueStore.StoredMeanwhile e) {
                if (attempt >= 3) {
                    throw e;
                }
                LOG.info("Kursinnehållet sparades av en annan instans samtidigt; läser om");
            }
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "instance";
        }
    }

    public CatalogueState state() {
        return state;
    }
}
