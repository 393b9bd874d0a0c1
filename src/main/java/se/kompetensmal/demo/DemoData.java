package se.kompetensmal.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.roster.RosterImportKind;
import se.kompetensmal.roster.RosterImportService;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;

/**
 * Loads a demo region and municipality (about 200 people over all audiences) through the ordinary roster import,
 * once: when the demo region is already there, nothing happens.
 */
@Singleton
@Requires(property = "kompetensmal.demo-data", value = "true")
public class DemoData {

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
    static final String DEMO_REGION_CODE = "SE2321000999";

    private final OrgNodeRepository nodes;
    private final RosterImportService imports;

    public DemoData(OrgNodeRepository nodes, RosterImportService imports) {
        this.nodes = nodes;
        this.imports = imports;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (nodes.findByCode(DEMO_REGION_CODE).isPresent()) {
            return;
        }
        load(RosterImportKind.ORGANISATIONS, "demo/organisations.csv");
        load(RosterImportKind.PEOPLE, "demo/people.csv");
        LOG.info("Demodata inläst: Region Demoland och Demo kommun");
    }

    private void load(RosterImportKind kind, String resource) {
        try (InputStream csv = getClass().getClassLoader().getResourceAsStream(resource)) {
            imports.start(kind, false, null, resource, csv).done().get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Demodata kunde inte läsas in", e);
        }
    }
}
