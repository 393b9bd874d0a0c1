package se.kompetensmal;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import se.kompetensmal.ops.MigrateCommand;

import java.util.Arrays;

@OpenAPIDefinition(info = @Info(
        title = "Kompetensmål API",
        version = "0.1",
        description = "Organisations, people, audiences, competence goals, course modules and roster imports."))
public class Application {

    /**
     * Starts the service; {@code migrate} as the first argument only migrates the database and exits (0 when it is up
     * to date), as several instances need: each then starts with KOMPETENSMAL_MIGRATE_AT_START=false.
     */
    public static void main(String[] args) {
        if (args.length > 0 && "migrate".equals(args[0])) {
            System.exit(MigrateCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        Micronaut.run(Application.class, args);
    }
}
