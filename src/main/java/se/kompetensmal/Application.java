package se.kompetensmal;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(
        title = "Kompetensmål API",
        version = "0.1",
        description = "Organisations, people, audiences, competence goals, course modules and roster imports."))
public class Application {

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
