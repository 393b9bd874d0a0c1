package se.kompetensmal.web;

/** Swedish titles for the HTTP errors users meet. */
final class ErrorTexts {

    private ErrorTexts() {
    }

    static String titleSv(int status) {
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
            default -> status >= 500 ? "Ett internt fel inträffade" : "Begäran kunde inte utföras";
        };
    }
}
