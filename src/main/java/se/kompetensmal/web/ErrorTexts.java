package se.kompetensmal.web;

import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;

import java.util.List;

/** Swedish titles for the HTTP errors users meet, and which error texts may be shown to them. */
public final class ErrorTexts {

    private ErrorTexts() {
    }

    /**
     * The texts of an error a user may read: the fields named by {@link InputProblems}, and what the service's own code
     * said when it refused (in Swedish). The framework's texts are English and name Java classes ("Failed to convert
     * argument ..."), so they are left out and the Swedish title stands alone. Nothing is shown for internal errors.
     */
    public static List<String> shown(ErrorContext context, int status) {
        if (status >= 500) {
            return List.of();
        }
        boolean ownRefusal = context.getRootCause().map(ErrorTexts::thrownByTheService).orElse(false);
        return context.getErrors().stream()
                .filter(error -> error instanceof FieldProblem || ownRefusal)
                .map(Error::getMessage)
                .toList();
    }

    private static boolean thrownByTheService(Throwable cause) {
        StackTraceElement[] trace = cause.getStackTrace();
        return cause instanceof HttpStatusException && trace.length > 0
                && trace[0].getClassName().startsWith("se.kompetensmal.");
    }

    public static String titleSv(int status) {
        return switch (status) {
            case 400 -> "Felaktig begäran";
            case 401 -> "Inloggning krävs";
            case 403 -> "Inte tillåtet";
            case 404 -> "Hittades inte";
            case 405 -> "Metoden stöds inte";
            case 409 -> "Konflikt med befintliga uppgifter";
            case 413 -> "Filen är för stor";
            case 406 -> "Svarsformatet stöds inte";
            case 415 -> "Formatet stöds inte";
            case 422 -> "Uppgifterna kunde inte godtas";
            case 503 -> "Tjänsten är hårt belastad just nu";
            default -> status >= 500 ? "Ett internt fel inträffade" : "Begäran kunde inte utföras";
        };
    }
}
