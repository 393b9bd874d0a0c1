package se.kompetensmal.ops;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.flyway.FlywayConfigurationCustomizer;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.List;

/**
 * Migration at start-up, on by default ({@code KOMPETENSMAL_MIGRATE_AT_START}, i.e. flyway.datasources.default.enabled).
 * With several instances it is switched off and {@code migrate} run once before the new version starts: Flyway's lock
 * (a table lock) does not keep two instances on two Galera nodes from migrating at once.
 */
final class StartupMigrations {

    private StartupMigrations() {
    }

    /** When the service migrates at start-up: micronaut-flyway's run gets the server check before it applies anything. */
    @Singleton
    @Named("default")
    static class Checked implements FlywayConfigurationCustomizer {

        @Override
        public void customizeFluentConfiguration(FluentConfiguration configuration) {
            Migrations.checked(configuration);
        }

        @Override
        public String getName() {
            return "default";
        }
    }

    /**
     * When it does not: the start stops, before anything reads a table, if the database lacks a migration this version
     * needs, and says to run {@code migrate}. A database newer than this version (a rolling deploy's older instance) is
     * accepted: migrations only add.
     */
    @Singleton
    @Requires(property = "flyway.datasources.default.enabled", value = "false")
    static class Required implements BeanCreatedEventListener<DataSource> {

        private static final Logger LOG = LoggerFactory.getLogger(Required.class);

        private final DataSourceResolver resolver;
        private final List<String> locations;

        Required(DataSourceResolver resolver,
                 @Value("${flyway.datasources.default.locations:" + Migrations.DEFAULT_LOCATION + "}") List<String> locations) {
            this.resolver = resolver;
            this.locations = locations;
        }

        @Override
        public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
            DataSource dataSource = event.getBean();
            List<MigrationInfo> pending = Migrations.pending(resolver.resolve(dataSource), locations.toArray(String[]::new));
            if (!pending.isEmpty()) {
                throw new IllegalStateException(Migrations.notMigrated(pending));
            }
            LOG.info("Start-up migration is off; the database has every migration of this version");
            return dataSource;
        }
    }
}
