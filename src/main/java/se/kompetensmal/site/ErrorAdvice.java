package se.kompetensmal.site;

/**
 * What an error page tells the reader to do next. For 403 it says which role the part of the site needs and whom to ask,
 * read from the address: the page that refused knows no more than that the caller lacks a role there.
 */
final class ErrorAdvice {

    private ErrorAdvice() {
    }

    static String of(int status, String path) {
        return switch (status) {
            case 400 -> "Kontrollera adressen, eller gå tillbaka och försök igen från länken du följde.";
            case 403 -> "Sidan kräver " + roleNeeded(path)
                    + " Behöver du den för ditt arbete, fråga din utbildningssamordnare eller den som administrerar "
                    + "behörigheter i din organisation.";
            case 404 -> "Adressen kan vara felskriven, eller så har sidan flyttats eller tagits bort.";
            case 405 -> "Sidan kan inte användas på det sättet. Gå till sidan via menyn i stället.";
            case 413 -> "Filen eller formuläret är större än tjänsten tar emot. Dela upp filen eller välj en mindre.";
            case 503 -> "Vänta några sekunder och ladda sedan om sidan. Skickade du ett formulär: gå tillbaka och se efter "
                    + "om uppgifterna sparades innan du skickar dem igen.";
            default -> status >= 500
                    ? "Något gick fel hos oss. Försök igen om en stund; kvarstår felet, kontakta den som förvaltar tjänsten."
                    : "Gå tillbaka och försök igen.";
        };
    }

    static String roleNeeded(String path) {
        if (path.startsWith("/admin/logg") || path.startsWith("/admin/xapi") || path.startsWith("/api/xapi")) {
            return "rollen administratör för hela systemet.";
        }
        if (path.startsWith("/admin")) {
            return "rollen administratör.";
        }
        if (path.startsWith("/import")) {
            return "rollen utbildningssamordnare eller administratör för organisationen som filen gäller.";
        }
        if (path.matches("/personer/\\d+/konto.*")) {
            return "rollen administratör för en enhet där personen är placerad, eller för hela systemet.";
        }
        if (path.matches("/organisationer/\\d+/uppfoljning.*") || path.startsWith("/personer/")) {
            return "att du får se namn: rollen utbildningssamordnare, eller ledare i en organisation där ledare får se namn.";
        }
        if (path.matches("/organisationer/\\d+/scim.*")) {
            return "rollen administratör för den här delen av organisationen.";
        }
        if (path.matches("/organisationer/\\d+/(kolumner|hamtning).*")) {
            return "rollen utbildningssamordnare eller administratör för den här delen av organisationen.";
        }
        if (path.startsWith("/organisationer")) {
            return "rollen utbildningssamordnare, ledare eller administratör för den här delen av organisationen.";
        }
        if (path.startsWith("/min-utbildning") || path.startsWith("/utbildning")) {
            return "att ditt konto hör till en person i personallistan.";
        }
        return "en roll som ditt konto inte har här.";
    }
}
