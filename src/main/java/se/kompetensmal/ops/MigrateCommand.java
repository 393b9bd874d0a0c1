package se.kompetensmal.ops;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code java -jar kompetensmal.jar migrate}: applies the migrations to the configured database and ends, with neither
 * the HTTP server nor background jobs nor the course loader started. It reads the same configuration as the service
 * (application.yml, DATASOURCES_DEFAULT_URL and the other environment variables, {@code --name=value} arguments), so
 * it is run with the service's own settings once per release, before the new version's instances start.
 */
public final class MigrateCommand {

    private static final Logger LOG = LoggerFactory.getLogger(MigrateCommand.class);

    private MigrateCommand() {
    }

    /** Runs the migrations; 0 when the database is up to date, 1 with the reason on {@code err} otherwise. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        // Only the configuration is read: no bean is created, so nothing else starts.
        ApplicationContext context = ApplicationContext.builder().args(args).build();
        Environment environment = context.getEnvironment();
        environment.start();
        String url = null;
        try {
            url = environment.getRequiredProperty("datasources.default.url", String.class);
            HikariConfig pool = new HikariConfig();
            pool.setJdbcUrl(url);
            pool.setUsername(environment.getProperty("datasources.default.username", String.class).orElse(null));
            pool.setPassword(environment.getProperty("datasources.default.password", String.class).orElse(null));
            pool.setMaximumPoolSize(2);
            pool.setPoolName("kompetensmal-migrate");
            List<String> locations = environment.getProperty("flyway.datasources.default.locations", List.class)
                    .map(list -> ((List<?>) list).stream().map(String::valueOf).toList())
                    .orElse(List.of(Migrations.DEFAULT_LOCATION));
            try (HikariDataSource dataSource = new HikariDataSource(pool)) {
                MigrateResult result = Migrations.flyway(dataSource, locations.toArray(String[]::new)).migrate();
                out.println(result.migrationsExecuted == 0
                        ? "Databasen " + url + " är redan uppgraderad (version " + result.initialSchemaVersion + ")."
                        : "Databasen " + url + " är uppgraderad: " + result.migrationsExecuted + " migreringar körda, från version "
                                + (result.initialSchemaVersion == null ? "(tom)" : result.initialSchemaVersion)
                                + " till " + result.targetSchemaVersion + ".");
                return 0;
            }
        } catch (Migrations.Refused e) {
            err.println(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            LOG.debug("Migration failed", e);
            err.println("Migreringen misslyckades" + (url == null ? "" : " mot " + url) + ": " + rootMessage(e)
                    + " Inget mer har ändrats; rätta felet och kör " + Migrations.COMMAND + " igen.");
            return 1;
        } finally {
            environment.stop();
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()).strip());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof Migrations.Refused) {
                return cause.getMessage();
            }
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(" (").append(cause.getMessage().strip()).append(')');
            }
        }
        return text.toString();
    }
}
