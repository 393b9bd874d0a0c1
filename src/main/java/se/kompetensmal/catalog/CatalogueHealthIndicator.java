package se.kompetensmal.catalog;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.Map;

/** Shows in /health which catalogue the service runs on. */
@Singleton
public class CatalogueHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final CatalogueLoader loader;

    public CatalogueHealthIndicator(CatalogueLoader loader) {
        this.loader = loader;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        CatalogueLoader.CatalogueState state = loader.state();
        healthStatus = HealthStatus.UP;
        return Map.of(
                "catalogueVersion", state.catalogueVersion(),
                "goals", state.goals(),
                "modules", state.modules(),
                "loadedAt", state.loadedAt().toString(),
                "coursesDir", state.coursesDir());
    }

    @Override
    protected String getName() {
        return "catalogue";
    }
}
