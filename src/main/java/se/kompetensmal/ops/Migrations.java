package se.kompetensmal.ops;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The one home of how the schema is migrated, whether at start-up (micronaut-flyway, through {@link StartupMigrations})
 * or by the separate command {@code java -jar kompetensmal.jar migrate} ({@link MigrateCommand}): the same migrations,
 * checked against the server before anything is applied.
 */
public final class Migrations {

    public static final String DEFAULT_LOCATION = "classpath:db/migration";
    /** What an operator runs when start-up migration is off; every message that asks for a migration names it. */
    public static final String COMMAND = "java -jar kompetensmal.jar migrate";

    private Migrations() {
    }

    /** Adds the server check to a Flyway configuration, whoever built it. */
    public static FluentConfiguration checked(FluentConfiguration configuration) {
        return configuration.callbacks(new ServerCheck());
    }

    public static Flyway flyway(DataSource dataSource, String... locations) {
        return checked(Flyway.configure().dataSource(dataSource)
                .locations(locations.length == 0 ? new String[] {DEFAULT_LOCATION} : locations)).load();
    }

    public static Flyway flyway(String url, String user, String password) {
        return checked(Flyway.configure().dataSource(url, user, password).locations(DEFAULT_LOCATION)).load();
    }

    /** The migrations not yet applied to the database, oldest first. */
    public static List<MigrationInfo> pending(DataSource dataSource, String... locations) {
        return Arrays.asList(flyway(dataSource, locations).info().pending());
    }

    /** The Swedish message for a database that lacks migrations while start-up migration is off. */
    public static String notMigrated(List<MigrationInfo> pending) {
        MigrationInfo last = pending.get(pending.size() - 1);
        return "Databasens schema är inte uppgraderat: " + pending.size()
                + (pending.size() == 1 ? " migrering har" : " migreringar har") + " inte körts (till och med V"
                + last.getVersion() + " " + last.getDescription() + "). Migrering vid start är avstängd"
                + " (KOMPETENSMAL_MIGRATE_AT_START=false): kör först " + COMMAND
                + " med samma databasinställningar, och starta sedan tjänsten.";
    }

    /** Raised before anything is applied when the server would refuse a migration. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Before Flyway applies anything: a server that would stop V2's triggers with error 1419 halfway through a fresh
     * cluster's migrations stops it here instead, with the setting to change, when there is something to apply.
     */
    static final class ServerCheck implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            String problem;
            try {
                problem = DatabaseServer.of(context.getConnection()).triggerProblem();
            } catch (SQLException e) {
                throw new IllegalStateException("Databasservern kunde inte läsas före migreringen: " + e.getMessage(), e);
            }
            if (problem != null && Flyway.configure().configuration(context.getConfiguration()).load().info().pending().length > 0) {
                throw new Refused(problem);
            }
        }

        @Override
        public String getCallbackName() {
            return "kompetensmal-server-check";
        }
    }
}
